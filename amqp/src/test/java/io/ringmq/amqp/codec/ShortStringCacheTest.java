package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ShortStringCacheTest
{
    /** The name at offset 3 of a buffer, as it sits inside a frame. */
    private static ByteBuf framed(final String name)
    {
        final byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(b).writeByte(9);
    }

    private static String get(final ShortStringCache cache, final String name)
    {
        return cache.get(framed(name), 3, name.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void theSameBytesInAnotherBufferGiveTheSameInstance()
    {
        final ShortStringCache cache = new ShortStringCache();
        final String first = get(cache, "3c9c2b4e-8d53-4d0a-9d2a-6b8f1f0f2a11");
        final String second = get(cache, "3c9c2b4e-8d53-4d0a-9d2a-6b8f1f0f2a11");
        assertEquals("3c9c2b4e-8d53-4d0a-9d2a-6b8f1f0f2a11", first);
        assertSame(first, second);
        assertSame(get(cache, "\u00e9t\u00e9"), get(cache, "\u00e9t\u00e9"));
    }

    @Test
    void differentBytesNeverGiveACachedString()
    {
        final ShortStringCache cache = new ShortStringCache(1); // every name shares the one slot
        final String a = get(cache, "orders.created");
        assertEquals("orders.createe", get(cache, "orders.createe"));
        assertEquals("orders.created", get(cache, "orders.created"));
        assertNotSame(a, get(cache, "orders.createe"));
        assertEquals("orders", get(cache, "orders"), "a prefix of the cached name");
        assertEquals("", cache.get(framed("x"), 3, 0));
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedAndNotCached()
    {
        final ShortStringCache cache = new ShortStringCache();
        final ByteBuf bad = Unpooled.wrappedBuffer(new byte[] {'a', (byte)0xC0, (byte)0x80});
        assertNull(cache.get(bad, 0, 3));
        assertNull(cache.get(bad, 0, 3));
    }

    @Test
    void itsSizeIsAPowerOfTwoWithinItsBound()
    {
        assertThrows(IllegalArgumentException.class, () -> new ShortStringCache(0));
        assertThrows(IllegalArgumentException.class, () -> new ShortStringCache(3));
        assertThrows(IllegalArgumentException.class, () -> new ShortStringCache(ShortStringCache.MAX_ENTRIES * 2));
        new ShortStringCache(ShortStringCache.MAX_ENTRIES);
    }
}
