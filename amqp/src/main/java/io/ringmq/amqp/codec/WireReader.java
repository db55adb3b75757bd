package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;

import java.util.Map;

/**
 * A cursor over one method's arguments (or one content header's properties, or one SASL response): every
 * read checks the bounds first, so malformed input ends in an {@link AmqpProtocolException} naming the
 * method — never in an {@code IndexOutOfBoundsException}. It reads with absolute indexes and leaves the
 * buffer's own indexes alone.
 * <p>
 * One per connection, reused for every method ({@link #begin}); not thread-safe. Short strings that name
 * things go through the connection's {@link ShortStringCache}.
 */
final class WireReader
{
    private final ShortStringCache names;
    private ByteBuf buffer;
    private int position;
    private int limit;
    private int classId;
    private int methodId;

    WireReader(final ShortStringCache names)
    {
        this.names = names;
    }

    /**
     * Starts reading {@code buffer} from its reader index to its writer index.
     *
     * @param classId  class of the method being read, for errors (60 for content properties)
     * @param methodId the method being read, for errors (40, basic.publish, for content properties)
     */
    WireReader begin(final ByteBuf buffer, final int classId, final int methodId)
    {
        this.buffer = buffer;
        this.position = buffer.readerIndex();
        this.limit = buffer.writerIndex();
        this.classId = classId;
        this.methodId = methodId;
        return this;
    }

    int remaining()
    {
        return limit - position;
    }

    private void need(final int octets, final String what)
    {
        if (limit - position < octets)
        {
            throw malformed(what + " runs past the end");
        }
    }

    int octet(final String what)
    {
        need(1, what);
        return buffer.getUnsignedByte(position++);
    }

    /** @return one octet of packed bits; test them with {@link #bit}. */
    int bits(final String what)
    {
        return octet(what);
    }

    static boolean bit(final int bits, final int index)
    {
        return (bits & (1 << index)) != 0;
    }

    int unsignedShort(final String what)
    {
        need(2, what);
        final int v = buffer.getUnsignedShort(position);
        position += 2;
        return v;
    }

    short signedShort(final String what)
    {
        need(2, what);
        final short v = buffer.getShort(position);
        position += 2;
        return v;
    }

    int signedInt(final String what)
    {
        need(4, what);
        final int v = buffer.getInt(position);
        position += 4;
        return v;
    }

    long unsignedInt(final String what)
    {
        need(4, what);
        final long v = buffer.getUnsignedInt(position);
        position += 4;
        return v;
    }

    /** @return a u64 as Java's long: delivery tags and body sizes above 2^63 come out negative. */
    long longlong(final String what)
    {
        need(8, what);
        final long v = buffer.getLong(position);
        position += 8;
        return v;
    }

    /** A short string that names something (exchange, queue, routing key, tag): through the cache. */
    String name(final String what)
    {
        final int length = octet(what);
        need(length, what);
        final String s = names.get(buffer, position, length);
        if (s == null)
        {
            throw malformed(what + " is not UTF-8");
        }
        position += length;
        return s;
    }

    /** A short string seldom seen twice (reply texts, reasons, message ids): decoded fresh. */
    String shortString(final String what)
    {
        final int length = octet(what);
        need(length, what);
        final byte[] bytes = bytes(length);
        final String s = Utf8.decode(bytes);
        if (s == null)
        {
            throw malformed(what + " is not UTF-8");
        }
        return s;
    }

    void skipShortString(final String what)
    {
        final int length = octet(what);
        need(length, what);
        position += length;
    }

    /** @return the octets of a long string, copied. */
    byte[] longString(final String what)
    {
        final long length = unsignedInt(what);
        if (length > limit - position)
        {
            throw malformed(what + " runs past the end");
        }
        return bytes((int)length);
    }

    /** @return the next {@code length} octets, copied; the caller has checked they are there. */
    byte[] bytes(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(position, bytes);
        position += length;
        return bytes;
    }

    float float32(final String what)
    {
        need(4, what);
        final float v = buffer.getFloat(position);
        position += 4;
        return v;
    }

    double float64(final String what)
    {
        need(8, what);
        final double v = buffer.getDouble(position);
        position += 8;
        return v;
    }

    byte signedOctet(final String what)
    {
        need(1, what);
        return buffer.getByte(position++);
    }

    /** @return a field table, in wire order; see {@link FieldTables}. */
    Map<String, Object> table(final String what)
    {
        return FieldTables.read(this, what, 0);
    }

    /** Ends a method: RabbitMQ's decoder matches the arguments exactly, so octets left over are an error. */
    void end()
    {
        if (position != limit)
        {
            throw malformed((limit - position) + " octets follow the last argument");
        }
    }

    /**
     * Limits reading to the next {@code length} octets (a table's or an array's body).
     *
     * @return the limit to give back to {@link #widen} once the sub-range is read
     */
    int narrow(final int length, final String what)
    {
        if (length < 0 || length > limit - position)
        {
            throw malformed(what + " runs past the end");
        }
        final int outer = limit;
        limit = position + length;
        return outer;
    }

    /** Leaves a sub-range opened by {@link #narrow}, which must have been read to its end. */
    void widen(final int outerLimit)
    {
        limit = outerLimit;
    }

    /** @return 501 FRAME_ERROR for arguments that do not decode, as RabbitMQ's "cannot decode". */
    AmqpProtocolException malformed(final String what)
    {
        return new AmqpProtocolException(ReplyCode.FRAME_ERROR, classId, methodId,
            "cannot decode " + context() + ": " + what);
    }

    /** @return 502 SYNTAX_ERROR for a well-framed value the grammar does not allow. */
    AmqpProtocolException syntax(final String what)
    {
        return new AmqpProtocolException(ReplyCode.SYNTAX_ERROR, classId, methodId, context() + ": " + what);
    }

    private String context()
    {
        final Method method = Method.byId(classId, methodId);
        return method == null ? classId + "." + methodId : method.amqpName();
    }
}
