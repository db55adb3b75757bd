package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * What {@link FrameDecoder} finds in a connection's bytes, one call per frame, on the connection's event
 * loop thread. Every {@link ByteBuf} handed over is a read-only view of the frame's payload, from its
 * reader index to its writer index, <b>valid only during the call</b>: read it (the method readers of
 * {@link MethodReaders} and {@link PropertiesDecoder} do) or copy what must outlive the call, but never
 * keep, retain or release it. No object is made per frame.
 * <p>
 * The decoder checks only what needs no connection or channel state; the rest is the server's, as in
 * RabbitMQ's reader: which methods are allowed when, channel numbers and channel_max, a content header
 * (class must match the method's) and body frames (no more octets than the header announced, else 501
 * FRAME_ERROR) only after a content-bearing method, heartbeats only on channel 0 (else 505
 * UNEXPECTED_FRAME), and the body size against the largest message it accepts.
 * <p>
 * A listener handles its own exceptions: one it lets escape propagates through the Netty pipeline.
 */
public interface FrameListener
{
    /**
     * The 8 octets a connection starts with.
     *
     * @param supported true for {@code AMQP 0 0 9 1}, and for {@code AMQP 1 1 0 9} (0-9, which RabbitMQ
     *                  also accepts as 0-9-1): answer with connection.start. When false the decoder stops
     *                  decoding; answer {@link AmqpProtocol#protocolHeader()} and close, as RabbitMQ does.
     * @param header    the 8 octets received
     */
    void onProtocolHeader(boolean supported, ByteBuf header);

    /** A method frame with a class and method AMQP 0-9-1 defines; {@code arguments} follow the method id. */
    void onMethod(int channel, int classId, int methodId, ByteBuf arguments);

    /**
     * A content header frame (its weight was 0, as required).
     *
     * @param bodySize   octets of body that follow, 0 to 2^63 - 1
     * @param properties the property flags and values; decode them with {@link PropertiesDecoder}
     */
    void onContentHeader(int channel, int classId, long bodySize, ByteBuf properties);

    /** A content body frame: the next part of the body (possibly empty). */
    void onContentBody(int channel, ByteBuf body);

    /** A heartbeat frame; RabbitMQ answers 505 UNEXPECTED_FRAME when {@code channel} is not 0. */
    void onHeartbeat(int channel);

    /**
     * The bytes broke the framing; the decoder has stopped and discards the rest of the connection's input.
     * Send connection.close with this code and text, then close. Called at most once per connection.
     *
     * @param replyCode 501 FRAME_ERROR, 505 UNEXPECTED_FRAME or 540 NOT_IMPLEMENTED (see {@link FrameDecoder})
     * @param text      the reply-text, prefixed with the code's name as RabbitMQ's are
     */
    void onFrameError(int replyCode, String text);
}
