package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import io.ringmq.amqp.codec.ClientOracle;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An AMQP 0-9-1 client over a plain socket, frame by frame, for what no real client sends: a wrong protocol
 * header, a bad frame end, an oversized frame, a method on the wrong channel or in the wrong state, content out
 * of order, garbage. The frames it sends on purpose are made by RabbitMQ's Java client ({@link ClientOracle}) and
 * what the server answers is parsed by it too, so the server's own codec never judges itself.
 * <p>
 * Every read has a deadline ({@link #ANSWER_MILLIS}): a server that does not answer fails the test, it never
 * hangs it. Not thread-safe: one test thread drives one client.
 */
final class RawAmqpClient implements AutoCloseable
{
    /** How long an answer may take on a loaded 2-core machine. */
    static final long ANSWER_MILLIS = 5_000;

    private static final byte[] PROTOCOL_HEADER = AmqpProtocol.protocolHeader();

    private final Socket socket;
    private final PushbackInputStream in;
    private final OutputStream out;
    /** The negotiated frame_max once tuned; content is split to it. */
    private int frameMax = AmqpProtocol.FRAME_MIN_SIZE;
    /** A read failed with a reset rather than an orderly close. */
    private boolean reset;
    /** The end of the stream was read (by {@link #hasInputWithin}); reads return -1 from then on. */
    private boolean endSeen;

    private RawAmqpClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new PushbackInputStream(socket.getInputStream(), 1);
        this.out = socket.getOutputStream();
    }

    static RawAmqpClient connect(final InetSocketAddress address)
    {
        final Socket socket = new Socket();
        try
        {
            socket.setTcpNoDelay(true);
            socket.connect(address, (int)ANSWER_MILLIS);
            return new RawAmqpClient(socket);
        }
        catch (final IOException ex)
        {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + address, ex);
        }
    }

    // ------------------------------------------------------------------ the handshake, as a real client does it

    /** The capabilities amqp-client 5.x announces. */
    static Map<String, Object> modernCapabilities()
    {
        final Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("publisher_confirms", true);
        capabilities.put("exchange_exchange_bindings", true);
        capabilities.put("basic.nack", true);
        capabilities.put("consumer_cancel_notify", true);
        capabilities.put("connection.blocked", true);
        capabilities.put("authentication_failure_close", true);
        return capabilities;
    }

    /** Protocol header, then connection.start-ok with PLAIN credentials; returns the server's connection.tune. */
    AMQImpl.Connection.Tune startAndLogin(final String user, final String password,
        final Map<String, Object> capabilities)
    {
        sendBytes(PROTOCOL_HEADER);
        final AMQImpl.Connection.Start start = expect(AMQImpl.Connection.Start.class);
        assertEquals(0, start.getVersionMajor());
        assertEquals(9, start.getVersionMinor());
        send(0, startOk(user, password, capabilities));
        return expect(AMQImpl.Connection.Tune.class);
    }

    static AMQImpl.Connection.StartOk startOk(final String user, final String password,
        final Map<String, Object> capabilities)
    {
        final Map<String, Object> clientProperties = new HashMap<>();
        clientProperties.put("product", "RawAmqpClient");
        clientProperties.put("capabilities", capabilities);
        final LongString response = LongStringHelper.asLongString("\0" + user + "\0" + password);
        return new AMQImpl.Connection.StartOk(clientProperties, "PLAIN", response, "en_US");
    }

    /** connection.tune-ok; records the frame_max content is split to. */
    void tuneOk(final int channelMax, final int frameMax, final int heartbeat)
    {
        send(0, new AMQImpl.Connection.TuneOk(channelMax, frameMax, heartbeat));
        this.frameMax = frameMax;
    }

    /** connection.open and its open-ok. */
    void open(final String virtualHost)
    {
        send(0, new AMQImpl.Connection.Open(virtualHost, "", false));
        expect(AMQImpl.Connection.OpenOk.class);
    }

    /** The whole handshake as guest, taking what the server offers in connection.tune; the connection is open. */
    RawAmqpClient openConnection()
    {
        return openConnection(-1);
    }

    /** As {@link #openConnection()}, with this heartbeat in tune-ok (-1: the server's). */
    RawAmqpClient openConnection(final int heartbeat)
    {
        final AMQImpl.Connection.Tune tune = startAndLogin("guest", "guest", modernCapabilities());
        tuneOk(tune.getChannelMax(), tune.getFrameMax(), heartbeat < 0 ? tune.getHeartbeat() : heartbeat);
        open("/");
        return this;
    }

    /** channel.open and its open-ok. */
    RawAmqpClient openChannel(final int channel)
    {
        send(channel, new AMQImpl.Channel.Open(""));
        final Frame frame = nextFrame();
        assertEquals(channel, frame.channel, "channel.open-ok's channel");
        assertInstanceOf(AMQImpl.Channel.OpenOk.class, methodOf(frame));
        return this;
    }

    // ------------------------------------------------------------------ sending

    /** Any octets, as they are. */
    RawAmqpClient sendBytes(final byte[] bytes)
    {
        try
        {
            out.write(bytes);
            out.flush();
            return this;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot send " + bytes.length + " octets", ex);
        }
    }

    /** One method frame, as RabbitMQ's Java client writes it. */
    RawAmqpClient send(final int channel, final Method method)
    {
        return sendBytes(ClientOracle.frame(method, channel));
    }

    /** A well-framed frame around any payload. */
    RawAmqpClient sendFrame(final int type, final int channel, final byte[] payload)
    {
        return sendBytes(frame(type, channel, payload));
    }

    RawAmqpClient sendHeartbeat(final int channel)
    {
        return sendFrame(AmqpProtocol.FRAME_HEARTBEAT, channel, new byte[0]);
    }

    /** A content header of class basic without properties. */
    RawAmqpClient sendContentHeader(final int channel, final long bodySize)
    {
        return sendBytes(ClientOracle.headerFrame(new AMQP.BasicProperties(), channel, bodySize));
    }

    RawAmqpClient sendBody(final int channel, final byte[] body)
    {
        return sendFrame(AmqpProtocol.FRAME_BODY, channel, body);
    }

    /** basic.publish, its content header and body frames split to the negotiated frame_max, in one write. */
    RawAmqpClient publish(final int channel, final String exchange, final String routingKey, final byte[] body)
    {
        final ByteArrayOutputStream frames = new ByteArrayOutputStream();
        frames.writeBytes(ClientOracle.frame(new AMQImpl.Basic.Publish(0, exchange, routingKey, false, false), channel));
        frames.writeBytes(ClientOracle.headerFrame(new AMQP.BasicProperties(), channel, body.length));
        final int chunk = frameMax - AmqpProtocol.FRAME_OVERHEAD;
        for (int from = 0; from < body.length; from += chunk)
        {
            frames.writeBytes(frame(AmqpProtocol.FRAME_BODY, channel,
                Arrays.copyOfRange(body, from, Math.min(body.length, from + chunk))));
        }
        return sendBytes(frames.toByteArray());
    }

    /** @return the octets of one whole frame: type, channel, size, payload, 0xCE. */
    static byte[] frame(final int type, final int channel, final byte[] payload)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length + AmqpProtocol.FRAME_OVERHEAD);
        final DataOutputStream frame = new DataOutputStream(bytes);
        try
        {
            frame.writeByte(type);
            frame.writeShort(channel);
            frame.writeInt(payload.length);
            frame.write(payload);
            frame.writeByte(AmqpProtocol.FRAME_END);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /** @return the payload of {@code method}'s frame: class id, method id, arguments. */
    static byte[] methodPayload(final Method method)
    {
        final byte[] frame = ClientOracle.frame(method, 1);
        return Arrays.copyOfRange(frame, AmqpProtocol.FRAME_PAYLOAD_OFFSET, frame.length - 1);
    }

    // ------------------------------------------------------------------ reading

    /** @return the next frame; fails when none comes in time or the socket closes. */
    Frame nextFrame()
    {
        final Frame frame = nextFrameOrEnd(System.currentTimeMillis() + ANSWER_MILLIS);
        if (frame == null)
        {
            fail("the server closed the connection where a frame was expected");
        }
        return frame;
    }

    /** @return the next method frame's method, skipping heartbeats. */
    Method nextMethod()
    {
        while (true)
        {
            final Frame frame = nextFrame();
            if (frame.type != AmqpProtocol.FRAME_HEARTBEAT)
            {
                assertEquals(AmqpProtocol.FRAME_METHOD, frame.type, () -> "expected a method frame, got " + frame);
                return methodOf(frame);
            }
        }
    }

    <T extends Method> T expect(final Class<T> type)
    {
        final Method method = nextMethod();
        if (!type.isInstance(method))
        {
            fail("expected " + type.getSimpleName() + ", got " + method);
        }
        return type.cast(method);
    }

    /**
     * The server's connection.close: it is the next method (heartbeats aside); close-ok is sent back and the
     * server must then close the socket.
     */
    AMQImpl.Connection.Close expectConnectionClose()
    {
        final AMQImpl.Connection.Close close = expect(AMQImpl.Connection.Close.class);
        try
        {
            send(0, new AMQImpl.Connection.CloseOk());
        }
        catch (final UncheckedIOException ex)
        {
            // The server may close without waiting for close-ok (a frame error); that is what is checked next.
        }
        expectEnd();
        return close;
    }

    /**
     * As {@link #expectConnectionClose()}, asserting what it says.
     *
     * @param text the exact reply-text, or null to check only that it starts with the code's name
     */
    AMQImpl.Connection.Close expectConnectionClose(final ReplyCode code, final String text, final int classId,
        final int methodId)
    {
        final AMQImpl.Connection.Close close = expectConnectionClose();
        assertReply(code, text, classId, methodId, close.getReplyCode(), close.getReplyText(), close.getClassId(),
            close.getMethodId(), "connection.close");
        return close;
    }

    /** As {@link #expectChannelClose(int)}, asserting what it says (text null: only its code's name). */
    AMQImpl.Channel.Close expectChannelClose(final int channel, final ReplyCode code, final String text,
        final int classId, final int methodId)
    {
        final AMQImpl.Channel.Close close = expectChannelClose(channel);
        assertReply(code, text, classId, methodId, close.getReplyCode(), close.getReplyText(), close.getClassId(),
            close.getMethodId(), "channel.close");
        return close;
    }

    private static void assertReply(final ReplyCode code, final String text, final int classId, final int methodId,
        final int gotCode, final String gotText, final int gotClassId, final int gotMethodId, final String what)
    {
        final String got = what + " " + gotCode + " '" + gotText + "' (" + gotClassId + ", " + gotMethodId + ")";
        assertEquals(code.code(), gotCode, () -> "reply code of " + got);
        if (text != null)
        {
            assertEquals(text, gotText, () -> "reply text of " + got);
        }
        else
        {
            assertTrue(gotText.startsWith(code.name() + " - "), () -> "reply text of " + got);
        }
        assertEquals(classId, gotClassId, () -> "class id of " + got);
        assertEquals(methodId, gotMethodId, () -> "method id of " + got);
    }

    /** The server's channel.close on {@code channel}; close-ok is sent back. */
    AMQImpl.Channel.Close expectChannelClose(final int channel)
    {
        final Frame frame = nextFrame();
        assertEquals(channel, frame.channel, () -> "channel.close on channel " + channel + " expected, got " + frame);
        final Method method = methodOf(frame);
        final AMQImpl.Channel.Close close = assertInstanceOf(AMQImpl.Channel.Close.class, method,
            () -> "expected channel.close, got " + method);
        send(channel, new AMQImpl.Channel.CloseOk());
        return close;
    }

    /** The server closes the socket, saying nothing more (a heartbeat aside). */
    void expectEnd()
    {
        final long deadline = System.currentTimeMillis() + ANSWER_MILLIS;
        while (true)
        {
            final Frame frame = nextFrameOrEnd(deadline);
            if (frame == null)
            {
                return;
            }
            if (frame.type != AmqpProtocol.FRAME_HEARTBEAT)
            {
                fail("expected the server to close the connection, got " + describe(frame));
            }
        }
    }

    /** The server answers a protocol header it does not speak with {@code AMQP 0 0 9 1} and closes. */
    void expectProtocolHeaderAndEnd()
    {
        final byte[] answer = new byte[PROTOCOL_HEADER.length];
        final long deadline = System.currentTimeMillis() + ANSWER_MILLIS;
        if (!readFully(answer, deadline, true))
        {
            fail("the server closed the connection without answering its protocol header");
        }
        assertArrayEquals(PROTOCOL_HEADER, answer, () -> "answered " + new String(answer, StandardCharsets.ISO_8859_1));
        if (read(deadline) != -1)
        {
            fail("the server sent more after its protocol header instead of closing");
        }
    }

    /** What the server said while a client waited for it to end the connection ({@link #readToEnd}). */
    static final class Ending
    {
        /** The server's connection.close, or null. */
        AMQImpl.Connection.Close close;
        /** The server answered the client's connection.close. */
        boolean closeOk;
        /** The channel.close methods the server sent on the way. */
        final List<AMQImpl.Channel.Close> channelCloses = new ArrayList<>();
        /** The server answered with its protocol header, refusing the client's. */
        boolean protocolHeader;
        /** The socket was reset rather than closed. */
        boolean reset;
        /** The server closed the socket. */
        boolean ended;
    }

    /**
     * Reads whatever the server sends until it closes the socket, answering its connection.close with close-ok:
     * for a peer that sent garbage. After the server's connection.close only a close-ok (both sides closed at
     * once) and heartbeats may come.
     *
     * @return true when the server closed the socket within {@code millis}; {@code ending} has what it said
     */
    boolean readToEnd(final Ending ending, final long millis)
    {
        final long deadline = System.currentTimeMillis() + millis;
        while (!ending.ended)
        {
            final long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0 || !hasInputWithin(remaining))
            {
                return false;
            }
            final Frame frame;
            try
            {
                frame = nextFrameOrEnd(System.currentTimeMillis() + ANSWER_MILLIS); // it has begun: read it whole
            }
            catch (final MalformedAnswer ex)
            {
                if (read(System.currentTimeMillis() + ANSWER_MILLIS) != -1)
                {
                    fail("the server sent more after its protocol header instead of closing");
                }
                ending.protocolHeader = true;
                ending.ended = true;
                break;
            }
            if (frame == null)
            {
                ending.ended = true;
                break;
            }
            record(ending, frame);
        }
        ending.reset = reset;
        return true;
    }

    private void record(final Ending ending, final Frame frame)
    {
        if (frame.type != AmqpProtocol.FRAME_METHOD)
        {
            if (ending.close != null && frame.type != AmqpProtocol.FRAME_HEARTBEAT)
            {
                fail("the server sent " + frame + " after its connection.close");
            }
            return;
        }
        final Method method = methodOf(frame);
        if (method instanceof AMQImpl.Connection.CloseOk)
        {
            ending.closeOk = true;
        }
        else if (ending.close != null)
        {
            fail("the server sent " + method + " after its connection.close");
        }
        else if (method instanceof AMQImpl.Connection.Close close)
        {
            ending.close = close;
            try
            {
                send(0, new AMQImpl.Connection.CloseOk());
            }
            catch (final UncheckedIOException ex)
            {
                // The server closed without waiting for close-ok (a frame error): fine.
            }
        }
        else if (method instanceof AMQImpl.Channel.Close channelClose)
        {
            ending.channelCloses.add(channelClose);
        }
    }

    static Method methodOf(final Frame frame)
    {
        assertEquals(AmqpProtocol.FRAME_METHOD, frame.type, () -> "expected a method frame, got " + frame);
        return ClientOracle.method(frame);
    }

    private static String describe(final Frame frame)
    {
        return frame.type == AmqpProtocol.FRAME_METHOD ? ClientOracle.method(frame) + " on channel " + frame.channel :
            frame.toString();
    }

    /**
     * @return true when the server sends something (or closes) within {@code millis}; what it sent is left
     * to be read
     */
    private boolean hasInputWithin(final long millis)
    {
        try
        {
            socket.setSoTimeout((int)Math.max(1, millis));
            final int first = in.read();
            if (first >= 0)
            {
                in.unread(first);
            }
            else
            {
                endSeen = true;
            }
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
        catch (final SocketException ex)
        {
            reset = true;
            endSeen = true;
            return true;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the next frame if one starts within {@code millis}, else null; fails when the socket closes. */
    Frame pollFrame(final long millis)
    {
        final int first;
        try
        {
            socket.setSoTimeout((int)Math.max(1, millis));
            first = in.read();
        }
        catch (final SocketTimeoutException ex)
        {
            return null;
        }
        catch (final IOException ex)
        {
            return fail("the connection failed: " + ex);
        }
        if (first < 0)
        {
            fail("the server closed the connection");
        }
        return frameFrom(first, System.currentTimeMillis() + ANSWER_MILLIS);
    }

    /** @return a frame, or null when the socket closed before its first octet. */
    private Frame nextFrameOrEnd(final long deadline)
    {
        final int first = read(deadline);
        return first < 0 ? null : frameFrom(first, deadline);
    }

    /** The rest of a frame whose first octet was {@code first}. */
    private Frame frameFrom(final int first, final long deadline)
    {
        final byte[] header = new byte[AmqpProtocol.FRAME_PAYLOAD_OFFSET];
        header[0] = (byte)first;
        final byte[] rest = new byte[header.length - 1];
        readFully(rest, deadline, false);
        System.arraycopy(rest, 0, header, 1, rest.length);
        if (header[0] == 'A' && header[1] == 'M' && header[2] == 'Q' && header[3] == 'P')
        {
            readFully(new byte[PROTOCOL_HEADER.length - header.length], deadline, false);
            throw new MalformedAnswer();
        }
        final int type = header[0] & 0xFF;
        final int channel = ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
        final int size = ((header[3] & 0xFF) << 24) | ((header[4] & 0xFF) << 16) | ((header[5] & 0xFF) << 8) |
            (header[6] & 0xFF);
        if (size < 0 || size > 64 * 1024 * 1024)
        {
            fail("the server sent a frame of " + Integer.toUnsignedString(size) + " octets");
        }
        final byte[] payload = new byte[size + 1];
        readFully(payload, deadline, false);
        if ((payload[size] & 0xFF) != AmqpProtocol.FRAME_END)
        {
            fail("the server ended a frame with " + (payload[size] & 0xFF));
        }
        return new Frame(type, channel, Arrays.copyOf(payload, size));
    }

    /** @return false when the socket closed before the first octet (only when {@code endAllowed}). */
    private boolean readFully(final byte[] into, final long deadline, final boolean endAllowed)
    {
        for (int filled = 0; filled < into.length; filled++)
        {
            final int b = read(deadline);
            if (b < 0)
            {
                if (filled == 0 && endAllowed)
                {
                    return false;
                }
                fail("the server closed the connection in the middle of a frame");
            }
            into[filled] = (byte)b;
        }
        return true;
    }

    /** @return the next octet, or -1 when the socket closed (or was reset). */
    private int read(final long deadline)
    {
        if (endSeen)
        {
            return -1;
        }
        final long remaining = deadline - System.currentTimeMillis();
        if (remaining <= 0)
        {
            fail("the server answered nothing within " + ANSWER_MILLIS + " ms");
        }
        try
        {
            socket.setSoTimeout((int)remaining);
            return in.read();
        }
        catch (final SocketTimeoutException ex)
        {
            return fail("the server answered nothing within " + ANSWER_MILLIS + " ms");
        }
        catch (final SocketException ex)
        {
            reset = true;
            return -1; // reset by the server: closed, as far as a client can tell
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        closeQuietly(socket);
    }

    private static void closeQuietly(final Socket socket)
    {
        try
        {
            socket.close();
        }
        catch (final IOException ex)
        {
            // nothing to do in a test
        }
    }

    /** The server sent a protocol header where a frame was expected. */
    private static final class MalformedAnswer extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MalformedAnswer()
        {
            super("protocol header instead of a frame", null, false, false);
        }
    }
}
