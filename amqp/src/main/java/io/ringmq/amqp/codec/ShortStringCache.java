package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The short strings a connection keeps sending — exchange names, routing keys, queue names, consumer
 * tags — decoded once and then found again from their bytes, so a steady stream of basic.publish
 * allocates no String. A hit returns the <em>same</em> String instance as before, which also lets the
 * engine's per-publisher route memo (keyed on String identity) hit.
 * <p>
 * <b>Bound:</b> a direct-mapped table of {@code entries} slots (a power of two, {@value #DEFAULT_ENTRIES}
 * by default); a slot holds one string of at most 255 octets and its bytes, so one cache holds at most
 * {@code entries × 255} octets of text twice over (about 64 KB at the default when every name is as long as
 * AMQP allows, a few KB for usual names). A new string takes its slot from whatever was there: names that
 * keep changing (a routing key per message) cost one String each, as without the cache, and never grow it.
 * <p>
 * One per connection, used only by the thread that decodes that connection's frames: not thread-safe.
 */
public final class ShortStringCache
{
    /** Slots of a cache made by {@link #ShortStringCache()}. */
    public static final int DEFAULT_ENTRIES = 128;
    /** Most slots a cache may have. */
    public static final int MAX_ENTRIES = 4096;

    /** The bytes of each slot's string (heap buffers, never released), compared with the incoming bytes. */
    private final ByteBuf[] keys;
    private final String[] values;
    private final int mask;

    /** A cache of {@value #DEFAULT_ENTRIES} slots. */
    public ShortStringCache()
    {
        this(DEFAULT_ENTRIES);
    }

    /** @param entries number of slots: a power of two, 1 to {@value #MAX_ENTRIES}. */
    public ShortStringCache(final int entries)
    {
        if (entries < 1 || entries > MAX_ENTRIES || Integer.bitCount(entries) != 1)
        {
            throw new IllegalArgumentException("entries must be a power of two from 1 to " + MAX_ENTRIES +
                ", was " + entries);
        }
        keys = new ByteBuf[entries];
        values = new String[entries];
        mask = entries - 1;
    }

    /**
     * @param buffer holds the string's bytes
     * @param index  where they start
     * @param length how many, 0 to 255
     * @return the string, the same instance as last time for the same bytes while it stays cached;
     *     null when the bytes are not well-formed UTF-8 (nothing is cached then)
     */
    public String get(final ByteBuf buffer, final int index, final int length)
    {
        if (length == 0)
        {
            return "";
        }
        final int slot = hash(buffer, index, length) & mask;
        final ByteBuf key = keys[slot];
        if (key != null && key.readableBytes() == length && ByteBufUtil.equals(key, 0, buffer, index, length))
        {
            return values[slot];
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        final String value = Utf8.decode(bytes);
        if (value != null)
        {
            keys[slot] = Unpooled.wrappedBuffer(bytes);
            values[slot] = value;
        }
        return value;
    }

    /** Reads eight octets at a time where it can: names such as UUID queue names are 36 octets long. */
    private static int hash(final ByteBuf buffer, final int index, final int length)
    {
        final int end = index + length;
        long h = length;
        int i = index;
        for (; i + Long.BYTES <= end; i += Long.BYTES)
        {
            h = (h ^ buffer.getLong(i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < end; i++)
        {
            h = (h ^ buffer.getByte(i)) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        return (int)(h ^ (h >>> 32));
    }
}
