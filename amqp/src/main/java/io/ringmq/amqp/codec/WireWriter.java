package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes AMQP's variable-length types straight into a {@link ByteBuf}: strings are encoded by
 * {@link ByteBufUtil#writeUtf8} into place and their length is back-patched, so no intermediate
 * {@code byte[]} is made and nothing is encoded twice.
 */
final class WireWriter
{
    private WireWriter()
    {
    }

    /**
     * Writes a shortstr: a length octet, then the UTF-8 of {@code text}. A null text is written empty.
     *
     * @throws IllegalArgumentException when the UTF-8 is longer than 255 octets ({@code out} is left as it was)
     */
    static void shortString(final ByteBuf out, final String text)
    {
        final int lengthIndex = out.writerIndex();
        out.writeByte(0);
        if (text == null || text.isEmpty())
        {
            return;
        }
        final int length = ByteBufUtil.writeUtf8(out, text);
        if (length > AmqpProtocol.SHORT_STRING_MAX)
        {
            out.writerIndex(lengthIndex);
            throw new IllegalArgumentException("short string longer than 255 octets of UTF-8 (" + length + "): " +
                text.substring(0, Math.min(text.length(), 40)) + "...");
        }
        out.setByte(lengthIndex, length);
    }

    /** Writes a longstr: a u32 length, then the UTF-8 of {@code text}. A null text is written empty. */
    static void longString(final ByteBuf out, final String text)
    {
        final int lengthIndex = out.writerIndex();
        out.writeInt(0);
        if (text != null && !text.isEmpty())
        {
            out.setInt(lengthIndex, ByteBufUtil.writeUtf8(out, text));
        }
    }

    /** Writes a longstr of raw octets. A null array is written empty. */
    static void longString(final ByteBuf out, final byte[] octets)
    {
        if (octets == null)
        {
            out.writeInt(0);
            return;
        }
        out.writeInt(octets.length).writeBytes(octets);
    }

    /** Packs up to eight consecutive bit fields into their one octet, the first in the lowest bit. */
    static int bits(final boolean b0, final boolean b1, final boolean b2, final boolean b3, final boolean b4)
    {
        return (b0 ? 1 : 0) | (b1 ? 2 : 0) | (b2 ? 4 : 0) | (b3 ? 8 : 0) | (b4 ? 16 : 0);
    }
}
