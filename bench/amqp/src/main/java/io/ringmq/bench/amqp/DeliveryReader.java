package io.ringmq.bench.amqp;

import com.rabbitmq.client.impl.AMQImpl;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The consumer side of a raw connection, allocating nothing: reads the server's frames into one reused
 * direct buffer, counts each {@code basic.deliver}, and with manual acks answers each one with its own
 * {@code basic.ack} (not {@code multiple}: the server settles every message one by one, its costliest
 * way), made from one pre-built frame whose delivery tag is patched in place. The acks of one read go out
 * in one write.
 * <p>
 * Frame layout (AMQP 0-9-1 section 4.2.3): type (1), channel (2), payload size (4), payload, 0xCE. A method
 * payload starts with its class and method ids (2 + 2); basic.deliver's arguments start with the consumer
 * tag (a short string: 1 octet of length, then the octets) and the delivery tag (8).
 * <p>
 * One thread; the socket must be in blocking mode (a read waits for the next deliveries).
 */
final class DeliveryReader
{
    private static final int FRAME_HEADER_SIZE = 7;
    private static final int FRAME_SIZE_OFFSET = 3;
    private static final int FRAME_OVERHEAD = FRAME_HEADER_SIZE + 1;
    private static final int FRAME_METHOD = 1;
    private static final int CLASS_ID_OFFSET = FRAME_HEADER_SIZE;
    private static final int METHOD_ID_OFFSET = CLASS_ID_OFFSET + 2;
    private static final int ARGUMENTS_OFFSET = METHOD_ID_OFFSET + 2;
    private static final int CLASS_BASIC = 60;
    private static final int BASIC_DELIVER = 60;
    private static final int CLASS_CONNECTION = 10;
    private static final int CLASS_CHANNEL = 20;
    private static final int CLOSE = 40;
    private static final int CONNECTION_CLOSE = 50;

    /** basic.ack on channel 1, delivery tag 0, multiple false: the tag is patched at {@link #ACK_TAG_OFFSET}. */
    private static final byte[] ACK_FRAME = RawAmqpConnection.methodFrame(new AMQImpl.Basic.Ack(0, false));
    private static final int ACK_TAG_OFFSET = ARGUMENTS_OFFSET;

    private final SocketChannel socket;
    private final boolean manualAck;
    private final ByteBuffer in;
    private final ByteBuffer acks;
    private long received;

    /** @param bufferSize at least one whole delivery frame (the largest is frame_max octets) */
    DeliveryReader(final SocketChannel socket, final boolean manualAck, final int bufferSize)
    {
        this.socket = socket;
        this.manualAck = manualAck;
        this.in = ByteBuffer.allocateDirect(bufferSize);
        this.acks = ByteBuffer.allocateDirect(64 * ACK_FRAME.length);
    }

    /** @return basic.deliver frames read so far. */
    long received()
    {
        return received;
    }

    /** Waits for what the server sent next, reads as much as has come, and acks it. */
    void readOnce() throws IOException
    {
        if (socket.read(in) < 0)
        {
            throw new EOFException("the server closed the consumer's connection");
        }
        in.flip();
        while (in.remaining() >= FRAME_HEADER_SIZE)
        {
            final int start = in.position();
            final int size = in.getInt(start + FRAME_SIZE_OFFSET);
            if (in.remaining() < size + FRAME_OVERHEAD)
            {
                break;
            }
            if (in.get(start) == FRAME_METHOD)
            {
                method(start);
            }
            in.position(start + size + FRAME_OVERHEAD);
        }
        in.compact();
        flushAcks();
    }

    private void method(final int start) throws IOException
    {
        final int classId = in.getShort(start + CLASS_ID_OFFSET);
        final int methodId = in.getShort(start + METHOD_ID_OFFSET);
        if (classId == CLASS_BASIC && methodId == BASIC_DELIVER)
        {
            received++;
            if (manualAck)
            {
                final int tagLength = in.get(start + ARGUMENTS_OFFSET) & 0xff;
                ack(in.getLong(start + ARGUMENTS_OFFSET + 1 + tagLength));
            }
        }
        else if ((classId == CLASS_CONNECTION && methodId == CONNECTION_CLOSE) ||
            (classId == CLASS_CHANNEL && methodId == CLOSE))
        {
            throw new IOException("the server closed the consumer's " + (classId == CLASS_CHANNEL ? "channel" :
                "connection") + " (reply code " + in.getShort(start + ARGUMENTS_OFFSET) + ")");
        }
    }

    private void ack(final long deliveryTag) throws IOException
    {
        if (acks.remaining() < ACK_FRAME.length)
        {
            flushAcks();
        }
        final int at = acks.position();
        acks.put(ACK_FRAME).putLong(at + ACK_TAG_OFFSET, deliveryTag);
    }

    private void flushAcks() throws IOException
    {
        acks.flip();
        while (acks.hasRemaining())
        {
            socket.write(acks);
        }
        acks.clear();
    }
}
