package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.MessageProperties;

import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_BASIC;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_BODY;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_END;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_HEADER;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_OVERHEAD;

/**
 * Writes a whole message as the server sends it: the method frame (basic.deliver, basic.return or
 * basic.get-ok), a content header frame, then the body in frames of at most frame_max − 8 octets (none for
 * an empty body, as RabbitMQ does). The body is copied once, from the engine's {@code byte[]} into
 * {@code out}; the properties come from a {@link PropertiesEncoder} that copies the octets of the last
 * properties instance it encoded instead of encoding them again. With cached names and repeated properties,
 * writing a delivery allocates nothing beyond what {@code out} needs to grow.
 * <p>
 * One per connection (its encoder remembers one properties instance), used on the connection's event loop
 * thread. On {@link IllegalArgumentException} (a name or property longer than a short string allows, a header
 * value AMQP cannot carry) {@code out} is left as it was.
 */
public final class ContentWriter
{
    private final PropertiesEncoder properties = new PropertiesEncoder();

    /**
     * basic.deliver with its content: a message pushed to a consumer.
     *
     * @param frameMax the negotiated frame_max, 0 for no limit
     */
    public void writeDeliver(final ByteBuf out, final int channel, final int frameMax, final String consumerTag,
        final long deliveryTag, final boolean redelivered, final String exchange, final String routingKey,
        final MessageProperties messageProperties, final byte[] body)
    {
        final int start = out.writerIndex();
        MethodWriter.basicDeliver(out, channel, consumerTag, deliveryTag, redelivered, exchange, routingKey);
        content(out, start, channel, frameMax, messageProperties, body);
    }

    /** basic.return with its content: an unroutable mandatory message handed back to its publisher. */
    public void writeReturn(final ByteBuf out, final int channel, final int frameMax, final int replyCode,
        final String replyText, final String exchange, final String routingKey,
        final MessageProperties messageProperties, final byte[] body)
    {
        final int start = out.writerIndex();
        MethodWriter.basicReturn(out, channel, replyCode, replyText, exchange, routingKey);
        content(out, start, channel, frameMax, messageProperties, body);
    }

    /** basic.get-ok with its content; {@code messageCount} is what is left in the queue (u32). */
    public void writeGetOk(final ByteBuf out, final int channel, final int frameMax, final long deliveryTag,
        final boolean redelivered, final String exchange, final String routingKey, final long messageCount,
        final MessageProperties messageProperties, final byte[] body)
    {
        final int start = out.writerIndex();
        MethodWriter.basicGetOk(out, channel, deliveryTag, redelivered, exchange, routingKey, messageCount);
        content(out, start, channel, frameMax, messageProperties, body);
    }

    private void content(final ByteBuf out, final int start, final int channel, final int frameMax,
        final MessageProperties messageProperties, final byte[] body)
    {
        if (frameMax != 0 && frameMax < AmqpProtocol.FRAME_MIN_SIZE)
        {
            out.writerIndex(start);
            throw new IllegalArgumentException("frame_max must be 0 or at least " + AmqpProtocol.FRAME_MIN_SIZE +
                ", was " + frameMax);
        }
        out.writeByte(FRAME_HEADER).writeShort(channel);
        final int sizeIndex = out.writerIndex();
        out.writeInt(0).writeShort(CLASS_BASIC).writeShort(0).writeLong(body.length);
        try
        {
            properties.encode(out, messageProperties);
        }
        catch (final IllegalArgumentException ex)
        {
            out.writerIndex(start);
            throw ex;
        }
        MethodWriter.endFrame(out, sizeIndex);

        final int maxChunk = frameMax == 0 ? body.length : frameMax - FRAME_OVERHEAD;
        for (int offset = 0; offset < body.length; offset += maxChunk)
        {
            final int chunk = Math.min(maxChunk, body.length - offset);
            out.writeByte(FRAME_BODY).writeShort(channel).writeInt(chunk).writeBytes(body, offset, chunk)
                .writeByte(FRAME_END);
        }
    }
}
