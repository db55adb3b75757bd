package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * RabbitMQ's Java client as an oracle, in tests only: it makes the exact frames a real client sends and
 * parses what the server writes, with its own codec. Public for the listener's tests in
 * {@code io.ringmq.amqp}, which talk to a live server through it.
 */
public final class ClientOracle
{
    private ClientOracle()
    {
    }

    /** @return the whole frame a client sends for {@code method} on {@code channel}. */
    public static byte[] frame(final Method method, final int channel)
    {
        try
        {
            return bytes(method.toFrame(channel));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the whole content header frame a client sends for {@code properties}. */
    public static byte[] headerFrame(final AMQP.BasicProperties properties, final int channel, final long bodySize)
    {
        try
        {
            return bytes(properties.toFrame(channel, bodySize));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return just the arguments of {@code method}, as the decoder hands them to a reader. */
    static ByteBuf arguments(final Method method)
    {
        final byte[] frame = frame(method, 1);
        return Unpooled.wrappedBuffer(frame, AmqpProtocol.FRAME_PAYLOAD_OFFSET + AmqpProtocol.METHOD_ARGUMENTS_OFFSET,
            frame.length - AmqpProtocol.FRAME_OVERHEAD - AmqpProtocol.METHOD_ARGUMENTS_OFFSET);
    }

    /** @return the property flags and values of {@code properties}, as the decoder hands them over. */
    static ByteBuf properties(final AMQP.BasicProperties properties)
    {
        final byte[] frame = headerFrame(properties, 1, 0);
        final int from = AmqpProtocol.FRAME_PAYLOAD_OFFSET + AmqpProtocol.HEADER_PROPERTY_FLAGS_OFFSET;
        return Unpooled.wrappedBuffer(frame, from, frame.length - 1 - from);
    }

    private static byte[] bytes(final Frame frame) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        frame.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** @return the frames in {@code written} (from its reader index), parsed by the client's codec. */
    public static List<Frame> frames(final ByteBuf written)
    {
        final byte[] bytes = new byte[written.readableBytes()];
        written.getBytes(written.readerIndex(), bytes);
        final DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        final List<Frame> frames = new ArrayList<>();
        try
        {
            while (in.available() > 0)
            {
                frames.add(Frame.readFrom(in, Integer.MAX_VALUE));
            }
            return frames;
        }
        catch (final EOFException ex)
        {
            throw new AssertionError("the last frame is cut short", ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static Method method(final Frame frame)
    {
        try
        {
            return AMQImpl.readMethodFrom(frame.getInputStream());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static AMQP.BasicProperties properties(final Frame frame)
    {
        try
        {
            return (AMQP.BasicProperties)AMQImpl.readContentHeaderFrom(frame.getInputStream());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the single method written to {@code out}, parsed by the client. */
    static Method onlyMethod(final ByteBuf out)
    {
        final List<Frame> frames = frames(out);
        if (frames.size() != 1 || frames.get(0).type != AMQP.FRAME_METHOD)
        {
            throw new AssertionError("expected one method frame, got " + frames);
        }
        return method(frames.get(0));
    }
}
