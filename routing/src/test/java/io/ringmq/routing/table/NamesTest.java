package io.ringmq.routing.table;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest
{
    @Test
    void utf8LengthCountsWhatGetBytesWouldProduceOnRandomStrings()
    {
        RandomCases.check(2000, random -> randomString(random, RandomCases.between(random, 0, 120)), NamesTest::escape,
            s -> assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Names.utf8Length(s, Integer.MAX_VALUE)));
    }

    @Test
    void utf8LengthHandlesEveryEncodingWidthAndLoneSurrogates()
    {
        for (final String s : new String[] {"", "a", "\u00e9", "\u20ac", "\ud83d\ude00", "\ud83d", "\ude00x", "a\u00e9\u20ac\ud83d\ude00"})
        {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, Names.utf8Length(s, Integer.MAX_VALUE), s);
        }
    }

    @Test
    void aKeyOf255BytesIsAcceptedAnd256IsRefusedCountingBytesNotChars()
    {
        assertDoesNotThrow(() -> Names.checkRoutingKey("a".repeat(255)));
        assertThrows(InvalidArgumentException.class, () -> Names.checkRoutingKey("a".repeat(256)));
        // 127 two-byte chars = 254 bytes, fine; 128 = 256 bytes although only 128 chars.
        assertDoesNotThrow(() -> Names.checkRoutingKey("\u00e9".repeat(127)));
        final InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> Names.checkRoutingKey("\u00e9".repeat(128)));
        assertTrue(e.getMessage().contains("routing key"), e.getMessage());
        assertTrue(e.getMessage().contains("256 UTF-8 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("255"), e.getMessage());
    }

    @Test
    void blankQueueNamesAreRefusedAndSayWhy()
    {
        assertTrue(assertThrows(InvalidArgumentException.class, () -> Names.checkQueueName(null)).getMessage().contains("null"));
        assertTrue(assertThrows(InvalidArgumentException.class, () -> Names.checkQueueName("")).getMessage().contains("blank"));
        assertTrue(assertThrows(InvalidArgumentException.class, () -> Names.checkQueueName(" \t")).getMessage().contains("blank"));
    }

    @Test
    void quotingShortensHugeNamesInMessages()
    {
        final String quoted = Names.quote("x".repeat(10_000));
        assertTrue(quoted.length() < 100, quoted);
        assertTrue(quoted.contains("10000 chars"), quoted);
    }

    /**
     * Half the chars uniform over the whole 16-bit range, as a generic string generator would draw
     * them (mostly 3-byte chars); the other half picked per UTF-8 width, because uniform draws almost
     * never produce ASCII, 2-byte chars or a valid surrogate pair.
     */
    private static String randomString(final SplittableRandom random, final int length)
    {
        final StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length)
        {
            switch (random.nextInt(10))
            {
                case 0:
                    sb.append((char) random.nextInt(0x80));
                    break;
                case 1:
                    sb.append((char) random.nextInt(0x80, 0x800));
                    break;
                case 2:
                    // A valid pair: one code point above U+FFFF, 4 bytes.
                    sb.appendCodePoint(random.nextInt(0x10000, Character.MAX_CODE_POINT + 1));
                    break;
                case 3:
                    // A lone surrogate, high or low, which getBytes encodes as one '?'.
                    sb.append((char) random.nextInt(Character.MIN_SURROGATE, Character.MAX_SURROGATE + 1));
                    break;
                case 4:
                    sb.append((char) random.nextInt(0x800, 0x10000));
                    break;
                default:
                    sb.append((char) random.nextInt(0x10000));
                    break;
            }
        }
        // A pair appended last may overshoot by one char; cutting it leaves a lone high surrogate, also worth testing.
        return sb.substring(0, length);
    }

    /** Every char as a Java escape, so that a failing string can be pasted into a test. */
    private static String escape(final String s)
    {
        final StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++)
        {
            sb.append(String.format("\\u%04x", (int) s.charAt(i)));
        }
        return sb.append('"').toString();
    }
}
