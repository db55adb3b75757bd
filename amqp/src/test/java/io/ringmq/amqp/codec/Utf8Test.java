package io.ringmq.amqp.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8Test
{
    private static byte[] b(final int... octets)
    {
        final byte[] bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++)
        {
            bytes[i] = (byte)octets[i];
        }
        return bytes;
    }

    @Test
    void acceptsWellFormedTextOfEveryLength()
    {
        final String text = "a\u00e9\u0800\uffff\ud83d\ude00\u0000z";
        assertEquals(text, Utf8.decode(text.getBytes(StandardCharsets.UTF_8)));
        assertTrue(Utf8.isWellFormed(b()));
        assertTrue(Utf8.isWellFormed(b(0xF4, 0x8F, 0xBF, 0xBF)), "U+10FFFF");
    }

    @Test
    void refusesWhatTheJdkWouldSilentlyReplace()
    {
        assertFalse(Utf8.isWellFormed(b(0xC0, 0x80)), "overlong NUL");
        assertFalse(Utf8.isWellFormed(b(0xE0, 0x80, 0x80)), "overlong 3-octet form");
        assertFalse(Utf8.isWellFormed(b(0xF0, 0x80, 0x80, 0x80)), "overlong 4-octet form");
        assertFalse(Utf8.isWellFormed(b(0xED, 0xA0, 0x80)), "surrogate U+D800");
        assertFalse(Utf8.isWellFormed(b(0xF4, 0x90, 0x80, 0x80)), "beyond U+10FFFF");
        assertFalse(Utf8.isWellFormed(b(0xF5, 0x80, 0x80, 0x80)), "lead octet F5");
        assertFalse(Utf8.isWellFormed(b(0x80)), "lone continuation");
        assertFalse(Utf8.isWellFormed(b('a', 0xE2, 0x82)), "cut short");
        assertFalse(Utf8.isWellFormed(b(0xE2, 0x28, 0xA1)), "bad continuation");
        assertFalse(Utf8.isWellFormed(b(0xFF)));
        assertEquals(null, Utf8.decode(b(0xC3)));
    }
}
