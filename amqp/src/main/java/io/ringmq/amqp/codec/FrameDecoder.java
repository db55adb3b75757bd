package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;

import java.util.List;

import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_BODY;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_CHANNEL_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_END;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_HEADER;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_HEARTBEAT;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_METHOD;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_MIN_SIZE;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_OVERHEAD;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_PAYLOAD_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_SIZE_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_TYPE_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.HEADER_BODY_SIZE_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.HEADER_CLASS_ID_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.HEADER_MIN_SIZE;
import static io.ringmq.amqp.codec.AmqpProtocol.HEADER_PROPERTY_FLAGS_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.HEADER_WEIGHT_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.METHOD_ARGUMENTS_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.METHOD_CLASS_ID_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.METHOD_METHOD_ID_OFFSET;
import static io.ringmq.amqp.codec.AmqpProtocol.PROTOCOL_HEADER_LENGTH;

/**
 * Cuts a connection's bytes into AMQP frames and hands each to a {@link FrameListener}, synchronously and
 * without making an object per frame: payloads are passed as a read-only view over the bytes Netty
 * cumulated, re-pointed for each frame (one view per cumulation buffer, not per frame). It adds nothing to
 * the pipeline's output list; it only decodes frames, never methods.
 * <p>
 * What it refuses, as RabbitMQ's reader does, reporting it once through
 * {@link FrameListener#onFrameError} and then discarding all further input of the connection:
 * <ul>
 *   <li>501 FRAME_ERROR: a payload larger than frame_max allows (checked on the frame header, before the
 *       payload is buffered), a frame not ended by 0xCE, an unknown frame type, a method payload shorter than
 *       its ids, a content header shorter than 14 octets or announcing more than 2^63 - 1 octets, a
 *       heartbeat with a payload;</li>
 *   <li>505 UNEXPECTED_FRAME: a content header whose weight is not 0;</li>
 *   <li>540 NOT_IMPLEMENTED: a method frame whose class and method ids AMQP 0-9-1 does not define
 *       (RabbitMQ's reader crashes and drops the connection there).</li>
 * </ul>
 * Like RabbitMQ, it lets a frame be up to 8 octets larger than frame_max: several clients count the limit
 * without the frame's own 8 octets. The limit is {@link AmqpProtocol#FRAME_MIN_SIZE} until the server calls
 * {@link #setMaxFrameSize} after connection.tune-ok.
 * <p>
 * One per connection; its methods run on the connection's event loop thread.
 */
public final class FrameDecoder extends ByteToMessageDecoder
{
    private enum State
    {
        AWAITING_PROTOCOL_HEADER, FRAMES, STOPPED
    }

    private final FrameListener listener;
    private State state = State.AWAITING_PROTOCOL_HEADER;
    /** Largest payload accepted: frame_max (which tolerates the 8 octets of overhead, as RabbitMQ does). */
    private long maxPayloadSize = FRAME_MIN_SIZE;
    private int frameMax = FRAME_MIN_SIZE;

    /** The buffer {@link #view} currently wraps; Netty replaces its cumulation buffer now and then. */
    private ByteBuf viewedBuffer;
    private ByteBuf view;

    public FrameDecoder(final FrameListener listener)
    {
        if (listener == null)
        {
            throw new NullPointerException("listener");
        }
        this.listener = listener;
    }

    /**
     * Sets the negotiated frame_max, from connection.tune-ok.
     *
     * @param frameMax 0 for no limit (AMQP's meaning; a server should not negotiate it), else at least
     *                 {@link AmqpProtocol#FRAME_MIN_SIZE}
     */
    public void setMaxFrameSize(final int frameMax)
    {
        if (frameMax != 0 && frameMax < FRAME_MIN_SIZE)
        {
            throw new IllegalArgumentException("frame_max must be 0 or at least " + FRAME_MIN_SIZE + ", was " +
                frameMax);
        }
        this.frameMax = frameMax;
        this.maxPayloadSize = frameMax == 0 ? Integer.MAX_VALUE - FRAME_OVERHEAD : frameMax;
    }

    /** @return the frame_max in force. */
    public int maxFrameSize()
    {
        return frameMax;
    }

    /** @return true once the decoder has stopped: after a frame error or an unsupported protocol header. */
    public boolean isStopped()
    {
        return state == State.STOPPED;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        decode(in);
    }

    /**
     * Decodes every complete frame in {@code in} and consumes it; an incomplete frame stays for the next call.
     * Netty's {@link #decode(ChannelHandlerContext, ByteBuf, List)} delegates here; tests call it directly.
     */
    void decode(final ByteBuf in)
    {
        while (true)
        {
            switch (state)
            {
                case AWAITING_PROTOCOL_HEADER:
                    if (!protocolHeader(in))
                    {
                        return;
                    }
                    break;
                case FRAMES:
                    if (!frame(in))
                    {
                        return;
                    }
                    break;
                default:
                    in.skipBytes(in.readableBytes());
                    return;
            }
        }
    }

    private boolean protocolHeader(final ByteBuf in)
    {
        if (in.readableBytes() < PROTOCOL_HEADER_LENGTH)
        {
            return false;
        }
        final int start = in.readerIndex();
        final boolean amqp = in.getByte(start) == 'A' && in.getByte(start + 1) == 'M' &&
            in.getByte(start + 2) == 'Q' && in.getByte(start + 3) == 'P';
        final int version = in.getInt(start + 4);
        // 0-9-1, or 0-9 written the AMQP 0-8 way (class 1, instance 1, 0-9), which RabbitMQ treats as 0-9-1.
        final boolean supported = amqp && (version == 0x00000901 || version == 0x01010009);
        in.readerIndex(start + PROTOCOL_HEADER_LENGTH);
        state = supported ? State.FRAMES : State.STOPPED;
        listener.onProtocolHeader(supported, view(in, start, PROTOCOL_HEADER_LENGTH));
        return true;
    }

    /** @return true when a frame was consumed (or the decoder stopped), false when more bytes are needed. */
    private boolean frame(final ByteBuf in)
    {
        final int readable = in.readableBytes();
        if (readable < FRAME_PAYLOAD_OFFSET)
        {
            return false;
        }
        final int start = in.readerIndex();
        final int type = in.getUnsignedByte(start + FRAME_TYPE_OFFSET);
        final int channel = in.getUnsignedShort(start + FRAME_CHANNEL_OFFSET);
        final long size = in.getUnsignedInt(start + FRAME_SIZE_OFFSET);
        if (size > maxPayloadSize)
        {
            return fail(ReplyCode.FRAME_ERROR, "frame of type " + type + " on channel " + channel + " carries " +
                size + " octets, more than frame_max " + frameMax + " allows");
        }
        if (readable < size + FRAME_OVERHEAD)
        {
            return false;
        }
        final int payload = start + FRAME_PAYLOAD_OFFSET;
        final int length = (int)size;
        final int end = in.getUnsignedByte(payload + length);
        if (end != FRAME_END)
        {
            return fail(ReplyCode.FRAME_ERROR, "frame of type " + type + " on channel " + channel +
                " ends with 0x" + Integer.toHexString(end) + " instead of 0xce");
        }
        // Consume the frame before the listener runs, so a listener that throws does not see it twice.
        in.readerIndex(payload + length + 1);
        switch (type)
        {
            case FRAME_METHOD:
                return method(in, channel, payload, length);
            case FRAME_HEADER:
                return contentHeader(in, channel, payload, length);
            case FRAME_BODY:
                listener.onContentBody(channel, view(in, payload, length));
                return true;
            case FRAME_HEARTBEAT:
                if (length != 0)
                {
                    return fail(ReplyCode.FRAME_ERROR, "heartbeat frame on channel " + channel + " carries " +
                        length + " octets");
                }
                listener.onHeartbeat(channel);
                return true;
            default:
                return fail(ReplyCode.FRAME_ERROR, "unknown frame type " + type + " on channel " + channel);
        }
    }

    private boolean method(final ByteBuf in, final int channel, final int payload, final int length)
    {
        if (length < METHOD_ARGUMENTS_OFFSET)
        {
            return fail(ReplyCode.FRAME_ERROR, "method frame on channel " + channel + " carries " + length +
                " octets, too few for its class and method ids");
        }
        final int classId = in.getUnsignedShort(payload + METHOD_CLASS_ID_OFFSET);
        final int methodId = in.getUnsignedShort(payload + METHOD_METHOD_ID_OFFSET);
        if (Method.byId(classId, methodId) == null)
        {
            return fail(ReplyCode.NOT_IMPLEMENTED, "unknown method " + classId + "." + methodId + " on channel " +
                channel);
        }
        listener.onMethod(channel, classId, methodId,
            view(in, payload + METHOD_ARGUMENTS_OFFSET, length - METHOD_ARGUMENTS_OFFSET));
        return true;
    }

    private boolean contentHeader(final ByteBuf in, final int channel, final int payload, final int length)
    {
        if (length < HEADER_MIN_SIZE)
        {
            return fail(ReplyCode.FRAME_ERROR, "content header on channel " + channel + " carries " + length +
                " octets, fewer than " + HEADER_MIN_SIZE);
        }
        final int classId = in.getUnsignedShort(payload + HEADER_CLASS_ID_OFFSET);
        final int weight = in.getUnsignedShort(payload + HEADER_WEIGHT_OFFSET);
        if (weight != 0)
        {
            return fail(ReplyCode.UNEXPECTED_FRAME, "content header on channel " + channel + " has weight " +
                weight + ", not 0");
        }
        final long bodySize = in.getLong(payload + HEADER_BODY_SIZE_OFFSET);
        if (bodySize < 0)
        {
            return fail(ReplyCode.FRAME_ERROR, "content header on channel " + channel + " announces a body of " +
                Long.toUnsignedString(bodySize) + " octets");
        }
        listener.onContentHeader(channel, classId, bodySize,
            view(in, payload + HEADER_PROPERTY_FLAGS_OFFSET, length - HEADER_PROPERTY_FLAGS_OFFSET));
        return true;
    }

    private boolean fail(final ReplyCode code, final String explanation)
    {
        state = State.STOPPED;
        listener.onFrameError(code.code(), code.replyText(explanation));
        return true;
    }

    /**
     * A read-only view of {@code length} octets of {@code in} from {@code index}. The view is made once per
     * cumulation buffer and then only re-pointed: Netty keeps cumulating into one buffer while it has room,
     * so frames cost no allocation. The view has its own indexes; {@code in}'s are untouched.
     */
    private ByteBuf view(final ByteBuf in, final int index, final int length)
    {
        if (in != viewedBuffer)
        {
            viewedBuffer = in;
            view = in.asReadOnly();
        }
        return view.setIndex(index, index + length);
    }

    @Override
    protected void handlerRemoved0(final ChannelHandlerContext ctx)
    {
        viewedBuffer = null;
        view = null;
    }
}
