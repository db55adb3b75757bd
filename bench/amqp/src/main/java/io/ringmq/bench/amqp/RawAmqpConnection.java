package io.ringmq.bench.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Map;

/**
 * An AMQP 0-9-1 client connection made by hand, for measurements a real client would disturb: its
 * frames are encoded once, by RabbitMQ's Java client's codec ({@link AMQImpl}), so they are the bytes a
 * real client sends; after that the caller writes them from reused buffers and reads the server's frames
 * as it likes. Until then, {@link #expect} reads exactly the frames it is asked for and nothing more: what
 * the caller does not read stays in the socket (which is how a consumer that never reads is made).
 * <p>
 * {@link #open} does the handshake as guest/guest with PLAIN, asks for no heartbeats (a socket that is
 * never read must not be closed for missing them; the server then sends none either) and opens channel
 * {@value #CHANNEL}. The socket is a blocking {@link SocketChannel}: a caller that wants to read without
 * allocating reads it directly into a direct {@link ByteBuffer}.
 * <p>
 * One thread at a time.
 */
public final class RawAmqpConnection implements AutoCloseable
{
    /** The one channel this connection opens. */
    public static final int CHANNEL = 1;
    /** How long {@link #expect} waits for the server's next frame. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;
    private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};

    private final SocketChannel socket;
    private final CountingInput counted;
    private final DataInputStream in;
    private int frameMax;

    private RawAmqpConnection(final SocketChannel socket) throws IOException
    {
        this.socket = socket;
        socket.socket().setSoTimeout(READ_TIMEOUT_MILLIS);
        // The socket adaptor's stream honours SO_TIMEOUT and reads only what it is asked for: no read-ahead.
        this.counted = new CountingInput(socket.socket().getInputStream());
        this.in = new DataInputStream(counted);
    }

    /**
     * Connects and opens channel {@value #CHANNEL}.
     *
     * @param receiveBufferSize the socket's SO_RCVBUF, set before connecting (so the kernel does not grow
     *                          it), or 0 for the system's default and autotuning
     */
    public static RawAmqpConnection open(final InetSocketAddress server, final int receiveBufferSize) throws IOException
    {
        final SocketChannel socket = SocketChannel.open();
        try
        {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (receiveBufferSize > 0)
            {
                socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferSize);
            }
            socket.connect(server);
            final RawAmqpConnection connection = new RawAmqpConnection(socket);
            connection.handshake();
            return connection;
        }
        catch (final IOException | RuntimeException ex)
        {
            socket.close();
            throw ex;
        }
    }

    private void handshake() throws IOException
    {
        write(ByteBuffer.wrap(PROTOCOL_HEADER));
        expect(AMQImpl.Connection.Start.class, 0);
        send(new AMQImpl.Connection.StartOk(Map.of("product", "RawAmqpConnection"), "PLAIN",
            LongStringHelper.asLongString("\0guest\0guest"), "en_US"), 0);
        final AMQImpl.Connection.Tune tune = expect(AMQImpl.Connection.Tune.class, 0);
        frameMax = tune.getFrameMax();
        send(new AMQImpl.Connection.TuneOk(tune.getChannelMax(), frameMax, 0), 0);
        send(new AMQImpl.Connection.Open("/", "", false), 0);
        expect(AMQImpl.Connection.OpenOk.class, 0);
        send(new AMQImpl.Channel.Open(""), CHANNEL);
        expect(AMQImpl.Channel.OpenOk.class, CHANNEL);
    }

    /** Writes one method frame on channel {@value #CHANNEL}. */
    public void send(final Method method) throws IOException
    {
        send(method, CHANNEL);
    }

    private void send(final Method method, final int channel) throws IOException
    {
        write(ByteBuffer.wrap(bytes(method.toFrame(channel))));
    }

    /** Writes all of {@code frames}, blocking until the kernel took them. */
    public void write(final ByteBuffer frames) throws IOException
    {
        while (frames.hasRemaining())
        {
            socket.write(frames);
        }
    }

    /**
     * Reads frames until a method of {@code type} arrives on channel {@value #CHANNEL}, skipping
     * anything else but a close, which fails with the server's reply.
     */
    public <T extends Method> T expect(final Class<T> type) throws IOException
    {
        return expect(type, CHANNEL);
    }

    private <T extends Method> T expect(final Class<T> type, final int channel) throws IOException
    {
        while (true)
        {
            final Frame frame = readFrame();
            if (frame.type != AMQP.FRAME_METHOD)
            {
                continue;
            }
            final Method method = AMQImpl.readMethodFrom(frame.getInputStream());
            if (method instanceof AMQImpl.Connection.Close || method instanceof AMQImpl.Channel.Close)
            {
                throw new IOException("the server closed while " + type.getSimpleName() + " was expected: " + method);
            }
            if (type.isInstance(method) && frame.channel == channel)
            {
                return type.cast(method);
            }
        }
    }

    /** Reads exactly one frame of the server's (blocking up to {@value #READ_TIMEOUT_MILLIS} ms). */
    public Frame readFrame() throws IOException
    {
        return Frame.readFrom(in, frameMax == 0 ? Integer.MAX_VALUE : frameMax);
    }

    /** @return octets read from the server so far through {@link #expect} and {@link #readFrame}. */
    public long bytesRead()
    {
        return counted.count;
    }

    /** @return the frame_max the server offered and this connection accepted. */
    public int frameMax()
    {
        return frameMax;
    }

    /** @return the socket, for reading and writing without this class in the way. */
    public SocketChannel socket()
    {
        return socket;
    }

    /** @return this end's local port, by which the kernel's socket tables name the connection. */
    public int localPort()
    {
        return socket.socket().getLocalPort();
    }

    /** Closes the socket, without connection.close. */
    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /**
     * The frames a client sends for one message on channel {@value #CHANNEL}: basic.publish, its content
     * header (no properties) and one body frame of {@code bodySize} zeros.
     */
    public static byte[] publishFrames(final String exchange, final String routingKey, final int bodySize)
    {
        try
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final DataOutputStream out = new DataOutputStream(bytes);
            new AMQImpl.Basic.Publish(0, exchange, routingKey, false, false).toFrame(CHANNEL).writeTo(out);
            new AMQP.BasicProperties().toFrame(CHANNEL, bodySize).writeTo(out);
            if (bodySize > 0)
            {
                Frame.fromBodyFragment(CHANNEL, new byte[bodySize], 0, bodySize).writeTo(out);
            }
            out.flush();
            return bytes.toByteArray();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the whole frame a client sends for {@code method} on channel {@value #CHANNEL}. */
    public static byte[] methodFrame(final Method method)
    {
        try
        {
            return bytes(method.toFrame(CHANNEL));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] bytes(final Frame frame) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        frame.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** Counts what the frame reader took from the socket. */
    private static final class CountingInput extends FilterInputStream
    {
        long count;

        CountingInput(final InputStream in)
        {
            super(in);
        }

        @Override
        public int read() throws IOException
        {
            final int b = super.read();
            if (b >= 0)
            {
                count++;
            }
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException
        {
            final int n = super.read(buffer, offset, length);
            if (n > 0)
            {
                count += n;
            }
            return n;
        }
    }
}
