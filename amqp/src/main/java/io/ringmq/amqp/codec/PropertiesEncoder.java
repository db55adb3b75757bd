package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringmq.MessageProperties;
import io.ringmq.amqp.codec.AmqpProtocol.BasicProperty;

/**
 * Encodes {@link MessageProperties} as the property flags and values of a content header. It remembers the
 * last instance it encoded and the octets that made: {@code MessageProperties} is immutable, so the same
 * instance again — every message of a stream whose publisher reused its properties, which
 * {@link PropertiesDecoder} makes so — is copied from those octets instead of encoded again.
 * <p>
 * Properties are written when set: a null string, delivery mode 0, priority -1, timestamp 0 and no headers
 * are left out. Timestamps are written as AMQP seconds (milliseconds / 1000).
 * <p>
 * One per connection (or per channel), used on the connection's event loop thread.
 */
public final class PropertiesEncoder
{
    /** The property octets of {@link #last}: heap memory owned by this encoder, never released. */
    private final ByteBuf lastBytes = Unpooled.buffer(128);
    private MessageProperties last;

    /**
     * Writes the property flags and values of {@code properties} at {@code out}'s writer index.
     *
     * @throws IllegalArgumentException when a string is longer than 255 octets of UTF-8 or a header value has
     *     a type AMQP cannot carry; {@code out} is then left as it was
     */
    public void encode(final ByteBuf out, final MessageProperties properties)
    {
        if (properties == last)
        {
            out.writeBytes(lastBytes, lastBytes.readerIndex(), lastBytes.readableBytes());
            return;
        }
        final int start = out.writerIndex();
        try
        {
            write(out, properties);
        }
        catch (final IllegalArgumentException ex)
        {
            out.writerIndex(start);
            throw ex;
        }
        lastBytes.clear().writeBytes(out, start, out.writerIndex() - start);
        last = properties;
    }

    private static void write(final ByteBuf out, final MessageProperties p)
    {
        int flags = 0;
        flags |= p.contentType() != null ? BasicProperty.CONTENT_TYPE.flag() : 0;
        flags |= p.contentEncoding() != null ? BasicProperty.CONTENT_ENCODING.flag() : 0;
        flags |= !p.headers().isEmpty() ? BasicProperty.HEADERS.flag() : 0;
        flags |= p.deliveryMode() != 0 ? BasicProperty.DELIVERY_MODE.flag() : 0;
        flags |= p.priority() >= 0 ? BasicProperty.PRIORITY.flag() : 0;
        flags |= p.correlationId() != null ? BasicProperty.CORRELATION_ID.flag() : 0;
        flags |= p.replyTo() != null ? BasicProperty.REPLY_TO.flag() : 0;
        flags |= p.expiration() != null ? BasicProperty.EXPIRATION.flag() : 0;
        flags |= p.messageId() != null ? BasicProperty.MESSAGE_ID.flag() : 0;
        flags |= p.timestamp() != 0 ? BasicProperty.TIMESTAMP.flag() : 0;
        flags |= p.type() != null ? BasicProperty.TYPE.flag() : 0;
        flags |= p.userId() != null ? BasicProperty.USER_ID.flag() : 0;
        flags |= p.appId() != null ? BasicProperty.APP_ID.flag() : 0;
        flags |= p.clusterId() != null ? BasicProperty.CLUSTER_ID.flag() : 0;
        out.writeShort(flags);
        if (p.contentType() != null)
        {
            WireWriter.shortString(out, p.contentType());
        }
        if (p.contentEncoding() != null)
        {
            WireWriter.shortString(out, p.contentEncoding());
        }
        if (!p.headers().isEmpty())
        {
            FieldTables.write(out, p.headers());
        }
        if (p.deliveryMode() != 0)
        {
            out.writeByte(p.deliveryMode());
        }
        if (p.priority() >= 0)
        {
            out.writeByte(p.priority());
        }
        if (p.correlationId() != null)
        {
            WireWriter.shortString(out, p.correlationId());
        }
        if (p.replyTo() != null)
        {
            WireWriter.shortString(out, p.replyTo());
        }
        if (p.expiration() != null)
        {
            WireWriter.shortString(out, p.expiration());
        }
        if (p.messageId() != null)
        {
            WireWriter.shortString(out, p.messageId());
        }
        if (p.timestamp() != 0)
        {
            out.writeLong(p.timestamp() / 1000);
        }
        if (p.type() != null)
        {
            WireWriter.shortString(out, p.type());
        }
        if (p.userId() != null)
        {
            WireWriter.shortString(out, p.userId());
        }
        if (p.appId() != null)
        {
            WireWriter.shortString(out, p.appId());
        }
        if (p.clusterId() != null)
        {
            WireWriter.shortString(out, p.clusterId());
        }
    }
}
