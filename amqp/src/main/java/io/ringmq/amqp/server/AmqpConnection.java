package io.ringmq.amqp.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.ringmq.Connection;
import io.ringmq.Delivery;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import io.ringmq.amqp.codec.AmqpProtocolException;
import io.ringmq.amqp.codec.ConnectionMethods;
import io.ringmq.amqp.codec.ContentWriter;
import io.ringmq.amqp.codec.FrameDecoder;
import io.ringmq.amqp.codec.FrameListener;
import io.ringmq.amqp.codec.MethodReaders;
import io.ringmq.amqp.codec.MethodWriter;
import io.ringmq.amqp.codec.Sasl;
import io.ringmq.amqp.codec.ShortStringCache;
import io.ringmq.error.RingMqException;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One AMQP 0-9-1 connection: the handshake, channel 0's methods, the channels, heartbeats, flow control
 * and the delivery loop, all on the connection's Netty event loop, which never parks.
 * <p>
 * <b>Reading:</b> the {@link FrameDecoder} before it in the pipeline cuts frames and calls this
 * {@link FrameListener} with views valid during the call. Methods on channel 0 are the connection's;
 * the others go to their {@link AmqpChannel}.
 * <p>
 * <b>Writing:</b> every frame goes into one pending buffer, flushed once per read (channelReadComplete),
 * once per delivery round, and after a task; so a busy connection makes one write per round, not one
 * per frame.
 * <p>
 * <b>Flow control:</b> a channel that holds publishes for a full {@code block} queue stops this
 * connection being read ({@code autoRead} off) and, for a client that announced it, sends
 * {@code connection.blocked}; the queue's room signal schedules a resume here, which turns reading back on.
 * Deliveries stop while the socket is not writable (Netty's write-buffer watermarks) and go on when it is.
 * <p>
 * <b>Deliveries:</b> consumers are caller-driven engine consumers; their ready listener (any thread) puts
 * them in a lock-free queue and schedules one drain on this event loop, which asks each for a batch.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter implements FrameListener
{
    /** How long a peer may take to open its connection, as RabbitMQ's handshake_timeout. */
    private static final long HANDSHAKE_TIMEOUT_SECONDS = 10;
    /** How long a connection.close waits for close-ok before the socket is closed anyway. */
    private static final long CLOSE_OK_TIMEOUT_MILLIS = 1000;
    /** Deliveries per consumer per turn, and per drain in all: the loop shares itself fairly. */
    private static final int DELIVERY_BATCH = 64;
    private static final int DRAIN_BUDGET = 1024;
    /** Pending output past this is written out before more is added. */
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    private static final String PRODUCT = "RingMQ";
    private static final String VERSION = "0.1.0";

    private enum State
    {
        AWAITING_HEADER, AWAITING_START_OK, AWAITING_TUNE_OK, AWAITING_OPEN, OPEN, CLOSING, CLOSED
    }

    private final ServerState server;
    private final SocketChannel socket;
    private final FrameDecoder decoder = new FrameDecoder(this);
    private final ShortStringCache names = new ShortStringCache();
    private final MethodReaders readers = new MethodReaders(names);
    private final ContentWriter content = new ContentWriter();
    private final MpscUnboundedXaddArrayQueue<ConsumerBinding> ready = new MpscUnboundedXaddArrayQueue<>(256);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean resumeScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final Runnable resumeTask = this::resume;
    private final List<ConsumerBinding> waitingForWritability = new ArrayList<>();
    private final List<AmqpChannel> holding = new ArrayList<>();
    private final List<AmqpChannel> confirming = new ArrayList<>();

    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_HEADER;
    private Connection engine;
    private boolean opened;
    private AmqpChannel[] channels;
    private int channelCount;
    private int channelMax;
    private int frameMax;
    private int heartbeatSeconds;
    private boolean cancelNotify;
    private boolean blockedNotify;
    private boolean authFailureClose;
    private boolean blockedSent;
    /**
     * Whether a full queue holds this connection's publishes (reading is off): {@link #holding} is not empty.
     * Written on the event loop, read by {@link ServerState#blockedConnectionCount()} from any thread.
     */
    private volatile boolean blocked;
    private ByteBuf out;
    private long lastReadNanos;
    private long lastWriteNanos;
    private ScheduledFuture<?> handshakeTimer;
    private ScheduledFuture<?> heartbeatTimer;
    private ScheduledFuture<?> closeTimer;
    private String user;
    private String vhost;
    private String authMechanism;
    private Map<String, Object> clientProperties = Map.of();
    private long connectedAt;

    private AmqpConnection(final ServerState server, final SocketChannel socket)
    {
        this.server = server;
        this.socket = socket;
        this.frameMax = server.options().frameMax();
        this.decoder.setMaxFrameSize(frameMax);
    }

    /** Adds a connection's handlers to a new socket's pipeline. */
    public static void install(final SocketChannel socket, final ServerState server)
    {
        final AmqpConnection connection = new AmqpConnection(server, socket);
        socket.pipeline().addLast("frames", connection.decoder);
        socket.pipeline().addLast("amqp", connection);
    }

    // ------------------------------------------------------------------ Netty lifecycle

    @Override
    public void handlerAdded(final ChannelHandlerContext context)
    {
        this.ctx = context;
    }

    @Override
    public void channelActive(final ChannelHandlerContext context)
    {
        server.track(this);
        connectedAt = System.currentTimeMillis();
        lastReadNanos = System.nanoTime();
        handshakeTimer = socket.eventLoop().schedule(() ->
        {
            if (state.ordinal() < State.OPEN.ordinal())
            {
                socket.close(); // as RabbitMQ, silently: the peer never finished the handshake
            }
        }, HANDSHAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context)
    {
        state = State.CLOSED;
        cancel(handshakeTimer);
        cancel(heartbeatTimer);
        cancel(closeTimer);
        closeEngine();
        if (out != null)
        {
            out.release();
            out = null;
        }
        server.untrack(this);
        context.fireChannelInactive();
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext context)
    {
        flushConfirms();
        flush();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context)
    {
        if (socket.isWritable() && !waitingForWritability.isEmpty())
        {
            final List<ConsumerBinding> waiting = new ArrayList<>(waitingForWritability);
            waitingForWritability.clear();
            for (final ConsumerBinding binding : waiting)
            {
                consumerReady(binding);
            }
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause)
    {
        // A reset peer, a TLS failure: nothing to tell it; what it held is requeued by channelInactive.
        System.getLogger("io.ringmq.amqp").log(System.Logger.Level.DEBUG, "connection " + describe() + " failed", cause);
        socket.close();
    }

    // ------------------------------------------------------------------ frames

    @Override
    public void onProtocolHeader(final boolean supported, final ByteBuf header)
    {
        lastReadNanos = System.nanoTime();
        if (!supported)
        {
            MethodWriter.protocolHeader(out()); // "AMQP 0 0 9 1": the version we speak; then the socket closes
            flushAndClose();
            return;
        }
        MethodWriter.connectionStart(out(), serverProperties(), "PLAIN AMQPLAIN", "en_US");
        state = State.AWAITING_START_OK;
        flush();
    }

    @Override
    public void onMethod(final int channel, final int classId, final int methodId, final ByteBuf arguments)
    {
        lastReadNanos = System.nanoTime();
        final Method method = Method.byId(classId, methodId);
        if (state == State.CLOSING || state == State.CLOSED)
        {
            whileClosing(channel, method, arguments);
            return;
        }
        AmqpChannel target = null;
        try
        {
            if (channel == 0)
            {
                connectionMethod(method, arguments);
                return;
            }
            if (state != State.OPEN)
            {
                // As RabbitMQ's reader: a frame for a channel before the connection runs is an unexpected frame.
                throw new AmqpProtocolException(ReplyCode.UNEXPECTED_FRAME, 0, 0,
                    "type " + AmqpProtocol.FRAME_METHOD + " (" + method.amqpName() + ") on channel " + channel +
                    " before the connection is open");
            }
            if (channel > channelMax)
            {
                throw beyondChannelMax(channel, method);
            }
            target = channels[channel];
            if (method == Method.CHANNEL_OPEN)
            {
                openChannel(channel, target, arguments);
                return;
            }
            if (target == null)
            {
                // Also for a connection method: RabbitMQ's channel wants channel.open before it looks at any.
                throw new AmqpProtocolException(ReplyCode.CHANNEL_ERROR, classId, methodId, "expected 'channel.open'");
            }
            target.onMethod(method, arguments);
        }
        catch (final AmqpProtocolException ex)
        {
            failed(target, ex.replyCode(), ex.replyText(), ex.classId(), ex.methodId());
        }
        catch (final RingMqException ex)
        {
            failed(target, ReplyCode.of(ex.replyCode().code()), ex.getMessage(), classId, methodId);
        }
        catch (final RuntimeException ex)
        {
            System.getLogger("io.ringmq.amqp").log(System.Logger.Level.ERROR,
                method.amqpName() + " on channel " + channel + " of " + describe() + " failed", ex);
            closeConnection(ReplyCode.INTERNAL_ERROR.code(), ReplyCode.INTERNAL_ERROR.replyText(
                method.amqpName() + " failed: " + ex), classId, methodId);
        }
    }

    @Override
    public void onContentHeader(final int channel, final int classId, final long bodySize, final ByteBuf properties)
    {
        lastReadNanos = System.nanoTime();
        if (state != State.OPEN)
        {
            unexpectedFrame(state == State.CLOSING || state == State.CLOSED, "content header");
            return;
        }
        final AmqpChannel target = channel <= channelMax ? channels[channel] : null;
        try
        {
            if (target == null)
            {
                throw contentWithoutChannel(channel, AmqpProtocol.FRAME_HEADER);
            }
            target.onContentHeader(classId, bodySize, properties);
        }
        catch (final AmqpProtocolException ex)
        {
            failed(target, ex.replyCode(), ex.replyText(), ex.classId(), ex.methodId());
        }
        catch (final RingMqException ex)
        {
            failed(target, ReplyCode.of(ex.replyCode().code()), ex.getMessage(), AmqpProtocol.CLASS_BASIC, 40);
        }
    }

    @Override
    public void onContentBody(final int channel, final ByteBuf body)
    {
        lastReadNanos = System.nanoTime();
        if (state != State.OPEN)
        {
            unexpectedFrame(state == State.CLOSING || state == State.CLOSED, "content body");
            return;
        }
        final AmqpChannel target = channel <= channelMax ? channels[channel] : null;
        try
        {
            if (target == null)
            {
                throw contentWithoutChannel(channel, AmqpProtocol.FRAME_BODY);
            }
            target.onContentBody(body);
        }
        catch (final AmqpProtocolException ex)
        {
            failed(target, ex.replyCode(), ex.replyText(), ex.classId(), ex.methodId());
        }
        catch (final RingMqException ex)
        {
            failed(target, ReplyCode.of(ex.replyCode().code()), ex.getMessage(), AmqpProtocol.CLASS_BASIC, 40);
        }
    }

    @Override
    public void onHeartbeat(final int channel)
    {
        lastReadNanos = System.nanoTime();
        if (channel != 0 && state != State.CLOSING && state != State.CLOSED)
        {
            closeConnection(ReplyCode.UNEXPECTED_FRAME.code(), ReplyCode.UNEXPECTED_FRAME.replyText(
                "heartbeat on channel " + channel + ": heartbeats belong on channel 0"), 0, 0);
        }
    }

    @Override
    public void onFrameError(final int replyCode, final String text)
    {
        // The stream can no longer be trusted: tell the peer why, then close without waiting.
        if (state == State.CLOSING || state == State.CLOSED || state == State.AWAITING_HEADER)
        {
            flushAndClose();
            return;
        }
        final boolean tuned = tuned();
        state = State.CLOSING;
        closeEngine();
        if (!tuned)
        {
            closeUntuned(text);
            return;
        }
        MethodWriter.connectionClose(out(), replyCode, text, 0, 0);
        flushAndClose();
    }

    /**
     * Content for channel 0, or for a channel not open: 505. RabbitMQ's reader refuses content on channel 0
     * outright; on another channel the new channel's assembler wants a method first.
     */
    private static AmqpProtocolException contentWithoutChannel(final int channel, final int frameType)
    {
        return new AmqpProtocolException(ReplyCode.UNEXPECTED_FRAME, 0, 0, channel == 0 ?
            "type " + frameType + " on channel 0: content belongs on a channel" : AmqpChannel.EXPECTED_METHOD_FRAME);
    }

    private void unexpectedFrame(final boolean closing, final String what)
    {
        if (!closing)
        {
            closeConnection(ReplyCode.UNEXPECTED_FRAME.code(), ReplyCode.UNEXPECTED_FRAME.replyText(
                what + " before the connection is open"), 0, 0);
        }
    }

    /** A channel-level error closes that channel; a connection-level one the whole connection. */
    private void failed(final AmqpChannel channel, final ReplyCode code, final String text, final int classId,
        final int methodId)
    {
        if (code == null || code.hardError() || channel == null)
        {
            closeConnection(code == null ? ReplyCode.INTERNAL_ERROR.code() : code.code(), text, classId, methodId);
        }
        else
        {
            channel.closeWithError(code.code(), text, classId, methodId);
        }
    }

    // ------------------------------------------------------------------ connection class (channel 0)

    private void connectionMethod(final Method method, final ByteBuf arguments)
    {
        switch (method)
        {
            case CONNECTION_START_OK:
                expect(State.AWAITING_START_OK, method);
                startOk(readers.connectionStartOk(arguments));
                break;
            case CONNECTION_TUNE_OK:
                expect(State.AWAITING_TUNE_OK, method);
                if (!tuneOk(readers.connectionTuneOk(arguments)))
                {
                    // As RabbitMQ: a client asking for more than was offered gets no connection.close, the
                    // socket just closes (the negotiation failed before the connection existed).
                    state = State.CLOSING;
                    flushAndClose();
                }
                break;
            case CONNECTION_OPEN:
                expect(State.AWAITING_OPEN, method);
                open(readers.connectionOpen(arguments));
                break;
            case CONNECTION_CLOSE:
                readers.connectionClose(arguments);
                closedByPeer();
                break;
            case CONNECTION_UPDATE_SECRET:
                expect(State.OPEN, method);
                readers.connectionUpdateSecret(arguments);
                MethodWriter.connectionUpdateSecretOk(out());
                break;
            default:
                // connection.secure-ok (PLAIN and AMQPLAIN send no challenge), close-ok without a close, a
                // method the server sends, a channel's method on channel 0.
                throw unexpectedMethod(method);
        }
    }

    private void expect(final State expected, final Method method)
    {
        if (state != expected)
        {
            throw unexpectedMethod(method);
        }
    }

    /** RabbitMQ's answer to a method channel 0 does not take in this state (its handle_method0's last clause). */
    private AmqpProtocolException unexpectedMethod(final Method method)
    {
        return new AmqpProtocolException(ReplyCode.CHANNEL_ERROR, method.classId(), method.methodId(),
            "unexpected method in connection state " + rabbitStateName());
    }

    /** The name RabbitMQ's reader gives the connection's state. */
    private String rabbitStateName()
    {
        switch (state)
        {
            case AWAITING_START_OK:
                return "starting";
            case AWAITING_TUNE_OK:
                return "tuning";
            case AWAITING_OPEN:
                return "opening";
            default:
                return "running";
        }
    }

    /** @return true once connection.tune-ok was accepted: from then on errors are answered with connection.close. */
    private boolean tuned()
    {
        return state.ordinal() >= State.AWAITING_OPEN.ordinal();
    }

    private void startOk(final ConnectionMethods.StartOk startOk)
    {
        final Object capabilities = startOk.clientProperties().get("capabilities");
        if (capabilities instanceof Map)
        {
            final Map<?, ?> caps = (Map<?, ?>)capabilities;
            cancelNotify = Boolean.TRUE.equals(caps.get("consumer_cancel_notify"));
            blockedNotify = Boolean.TRUE.equals(caps.get("connection.blocked"));
            authFailureClose = Boolean.TRUE.equals(caps.get("authentication_failure_close"));
        }
        final Sasl.Credentials credentials = Sasl.parse(startOk.mechanism(), startOk.response());
        final String refusal = Authentication.check(server.options(), credentials, isLoopbackPeer());
        if (refusal != null)
        {
            refuseLogin(startOk.mechanism(), refusal);
            return;
        }
        user = credentials.username();
        authMechanism = startOk.mechanism();
        clientProperties = Collections.unmodifiableMap(new LinkedHashMap<>(startOk.clientProperties()));
        final var options = server.options();
        MethodWriter.connectionTune(out(), options.channelMax(), options.frameMax(), options.heartbeat());
        state = State.AWAITING_TUNE_OK;
    }

    /**
     * 403 ACCESS_REFUSED with RabbitMQ's words; as a connection.close only to clients that announced
     * {@code authentication_failure_close}, others just see the socket close, as with RabbitMQ.
     */
    private void refuseLogin(final String mechanism, final String reason)
    {
        System.getLogger("io.ringmq.amqp").log(System.Logger.Level.WARNING, "login refused for " + describe() + ": " +
            reason);
        if (!authFailureClose)
        {
            flushAndClose();
            return;
        }
        state = State.CLOSING;
        MethodWriter.connectionClose(out(), ReplyCode.ACCESS_REFUSED.code(), ReplyCode.ACCESS_REFUSED.replyText(
            "Login was refused using authentication mechanism " + mechanism + ". For details see the broker logfile."),
            0, 0); // RabbitMQ's auth_fail sends it without the method's ids
        flush();
        closeTimer = socket.eventLoop().schedule(() -> socket.close(), CLOSE_OK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** @return false when the client asked for more than the server offered (or a frame_max below the minimum). */
    private boolean tuneOk(final ConnectionMethods.TuneOk tuneOk)
    {
        final var options = server.options();
        final long frame = tuneOk.frameMax() == 0 ? options.frameMax() : tuneOk.frameMax();
        final int channels = tuneOk.channelMax() == 0 ? options.channelMax() : tuneOk.channelMax();
        if (frame > options.frameMax() || frame < AmqpProtocol.FRAME_MIN_SIZE || channels > options.channelMax())
        {
            System.getLogger("io.ringmq.amqp").log(System.Logger.Level.WARNING, "connection.tune-ok of " + describe() +
                " asked for frame_max " + frame + " and channel_max " + channels + "; the server offered " +
                options.frameMax() + " and " + options.channelMax());
            return false;
        }
        frameMax = (int)frame;
        channelMax = channels;
        heartbeatSeconds = tuneOk.heartbeat(); // the client applied the rule: 0 takes the other side's, else the smaller
        decoder.setMaxFrameSize(frameMax);
        this.channels = new AmqpChannel[channelMax + 1];
        if (heartbeatSeconds > 0)
        {
            final long period = Math.max(1, TimeUnit.SECONDS.toMillis(heartbeatSeconds) / 2);
            heartbeatTimer = socket.eventLoop().scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        }
        state = State.AWAITING_OPEN;
        return true;
    }

    private void open(final ConnectionMethods.Open open)
    {
        if (!"/".equals(open.virtualHost()))
        {
            throw new AmqpProtocolException(ReplyCode.NOT_ALLOWED, AmqpProtocol.CLASS_CONNECTION,
                Method.CONNECTION_OPEN.methodId(), "vhost " + open.virtualHost() + " not found");
        }
        if (!server.tryOpen())
        {
            throw new AmqpProtocolException(ReplyCode.NOT_ALLOWED, AmqpProtocol.CLASS_CONNECTION,
                Method.CONNECTION_OPEN.methodId(), "connection refused: node connection limit (" +
                server.options().maxConnections() + ") is reached");
        }
        opened = true;
        vhost = open.virtualHost();
        engine = server.broker().openConnection(rabbitName());
        cancel(handshakeTimer);
        MethodWriter.connectionOpenOk(out());
        state = State.OPEN;
    }

    private void openChannel(final int number, final AmqpChannel existing, final ByteBuf arguments)
    {
        if (existing != null)
        {
            throw new AmqpProtocolException(ReplyCode.CHANNEL_ERROR, AmqpProtocol.CLASS_CHANNEL,
                Method.CHANNEL_OPEN.methodId(), "second 'channel.open' seen");
        }
        readers.channelOpen(arguments);
        if (channelCount >= channelMax)
        {
            throw tooManyChannels();
        }
        channels[number] = new AmqpChannel(this, number, engine.openChannel());
        channelCount++;
        MethodWriter.channelOpenOk(out(), number);
    }

    /**
     * A method for a channel number past channel_max. RabbitMQ checks only how many channels are open, so a
     * number past the limit is refused as "too many" once the limit is reached, and otherwise works like any
     * unopened channel; RingMQ keeps to AMQP's rule that channel numbers end at channel_max, so channel.open
     * is refused (530) even with channels to spare.
     */
    private AmqpProtocolException beyondChannelMax(final int channel, final Method method)
    {
        if (channelCount >= channelMax)
        {
            return tooManyChannels();
        }
        if (method == Method.CHANNEL_OPEN)
        {
            return new AmqpProtocolException(ReplyCode.NOT_ALLOWED, 0, 0, "channel number " + channel +
                " is above the negotiated channel_max (" + channelMax + ")");
        }
        return new AmqpProtocolException(ReplyCode.CHANNEL_ERROR, method.classId(), method.methodId(),
            "expected 'channel.open'");
    }

    private AmqpProtocolException tooManyChannels()
    {
        return new AmqpProtocolException(ReplyCode.NOT_ALLOWED, 0, 0, "number of channels opened (" + channelCount +
            ") has reached the negotiated channel_max (" + channelMax + ")");
    }

    /** A channel's number is free again: its close-ok came (or it closed on the client's request). */
    void channelGone(final int number)
    {
        if (channels != null && channels[number] != null)
        {
            channels[number] = null;
            channelCount--;
        }
    }

    private void closedByPeer()
    {
        state = State.CLOSING;
        closeEngine();
        MethodWriter.connectionCloseOk(out());
        flushAndClose();
    }

    /** Frames after a connection.close: only close-ok and close still mean something. */
    private void whileClosing(final int channel, final Method method, final ByteBuf arguments)
    {
        if (channel != 0 || state == State.CLOSED)
        {
            return;
        }
        if (method == Method.CONNECTION_CLOSE_OK)
        {
            socket.close();
        }
        else if (method == Method.CONNECTION_CLOSE)
        {
            MethodWriter.connectionCloseOk(out());
            flushAndClose();
        }
    }

    /**
     * A connection-level error (or shutdown): connection.close with the reply code, then, once close-ok
     * comes (or a second passes), the socket. Everything the connection held is released at once.
     */
    void closeConnection(final int replyCode, final String replyText, final int classId, final int methodId)
    {
        if (state == State.CLOSING || state == State.CLOSED)
        {
            return;
        }
        final boolean tuned = tuned();
        state = State.CLOSING;
        closeEngine();
        if (!tuned)
        {
            closeUntuned(replyText);
            return;
        }
        MethodWriter.connectionClose(out(), replyCode, replyText, classId, methodId);
        flush();
        closeTimer = socket.eventLoop().schedule(() -> socket.close(), CLOSE_OK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Before connection.tune-ok RabbitMQ tells a peer nothing of what went wrong (handle_exception's last clause):
     * it logs the error and closes the socket. Only a refused login is answered, and only to clients that ask.
     */
    private void closeUntuned(final String replyText)
    {
        System.getLogger("io.ringmq.amqp").log(System.Logger.Level.WARNING, "closing " + describe() +
            " during the handshake: " + replyText);
        flushAndClose();
    }

    /** Any thread: 320 CONNECTION_FORCED, as RabbitMQ tells connections on shutdown (before open: nothing). */
    void forceClose(final String text)
    {
        socket.eventLoop().execute(() ->
        {
            if (state.ordinal() < State.OPEN.ordinal())
            {
                socket.close(); // RabbitMQ's terminate/2 says nothing to a connection that is not running
                return;
            }
            closeConnection(ReplyCode.CONNECTION_FORCED.code(), ReplyCode.CONNECTION_FORCED.replyText(text), 0, 0);
        });
    }

    /** Any thread: closes the socket now. */
    void abort()
    {
        socket.close();
    }

    private void closeEngine()
    {
        if (channels != null)
        {
            for (int i = 0; i < channels.length; i++)
            {
                if (channels[i] != null)
                {
                    channels[i].released();
                }
            }
        }
        ready.clear();
        waitingForWritability.clear();
        holding.clear();
        blocked = false;
        confirming.clear();
        final Connection connection = engine;
        if (connection != null)
        {
            engine = null;
            connection.close(); // requeues what its channels left unacknowledged, deletes its exclusive queues
        }
        if (opened)
        {
            opened = false;
            server.closedOpened();
        }
    }

    private void heartbeat()
    {
        final long now = System.nanoTime();
        final long interval = TimeUnit.SECONDS.toNanos(heartbeatSeconds);
        if (now - lastReadNanos > 2 * interval)
        {
            // Two intervals without a frame: the peer is gone (RabbitMQ: "missed heartbeats from client").
            System.getLogger("io.ringmq.amqp").log(System.Logger.Level.WARNING, "missed heartbeats from " + describe() +
                ", timeout: " + heartbeatSeconds + "s");
            state = State.CLOSING;
            closeEngine();
            socket.close();
            return;
        }
        if (now - lastWriteNanos >= interval / 2)
        {
            MethodWriter.heartbeat(out());
            flush();
        }
    }

    // ------------------------------------------------------------------ deliveries

    /** A consumer may have deliveries: any thread. */
    void consumerReady(final ConsumerBinding binding)
    {
        if (binding.markQueued())
        {
            ready.offer(binding);
            if (drainScheduled.compareAndSet(false, true))
            {
                socket.eventLoop().execute(drainTask);
            }
        }
    }

    private void drain()
    {
        drainScheduled.set(false);
        if (state != State.OPEN)
        {
            return;
        }
        int budget = DRAIN_BUDGET;
        ConsumerBinding binding;
        while (budget > 0 && (binding = ready.poll()) != null)
        {
            binding.clearQueued();
            if (!binding.isActive())
            {
                continue;
            }
            if (!socket.isWritable())
            {
                waitingForWritability.add(binding); // resumed by channelWritabilityChanged
                continue;
            }
            final int delivered = binding.deliver(Math.min(DELIVERY_BATCH, budget));
            budget -= delivered;
            if (delivered > 0)
            {
                consumerReady(binding); // there may be more: back of the line (0 next time arms it in the engine)
            }
            if (out != null && out.readableBytes() >= FLUSH_THRESHOLD)
            {
                flush();
            }
        }
        flushConfirms();
        flush();
    }

    /** The delivery handler of a consumer: basic.deliver and its content, into the pending output. */
    void writeDeliver(final int channel, final String consumerTag, final Delivery delivery)
    {
        content.writeDeliver(out(), channel, frameMax, consumerTag, delivery.deliveryTag(), delivery.redelivered(),
            delivery.exchange(), delivery.routingKey(), delivery.properties(), bodyOf(delivery));
    }

    void writeGetOk(final int channel, final Delivery delivery, final int messageCount)
    {
        content.writeGetOk(out(), channel, frameMax, delivery.deliveryTag(), delivery.redelivered(), delivery.exchange(),
            delivery.routingKey(), messageCount, delivery.properties(), bodyOf(delivery));
    }

    void writeReturn(final int channel, final int replyCode, final String replyText, final io.ringmq.Message message)
    {
        final byte[] body = message.body() != null ? message.body() :
            message.bodyAsString().getBytes(StandardCharsets.UTF_8);
        content.writeReturn(out(), channel, frameMax, replyCode, replyText, message.exchange(), message.routingKey(),
            message.properties(), body);
    }

    /** An in-process publisher's object payload reaches a network consumer as its text. */
    private static byte[] bodyOf(final Delivery delivery)
    {
        final byte[] body = delivery.body();
        return body != null ? body : delivery.bodyAsString().getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ publishing flow control

    /** A channel now holds publishes for a full queue: stop reading, tell the client if it wants to know. */
    void channelHolds(final AmqpChannel channel)
    {
        if (holding.contains(channel))
        {
            return;
        }
        holding.add(channel);
        if (holding.size() == 1)
        {
            blocked = true;
            socket.config().setAutoRead(false);
            if (blockedNotify && !blockedSent)
            {
                MethodWriter.connectionBlocked(out(), "queue full (x-overflow block)");
                blockedSent = true;
            }
        }
    }

    /** Any thread (a consumer freed room): resume the held publishes on this event loop. */
    void roomMayHaveFreed()
    {
        if (resumeScheduled.compareAndSet(false, true))
        {
            socket.eventLoop().execute(resumeTask);
        }
    }

    private void resume()
    {
        resumeScheduled.set(false);
        if (state != State.OPEN)
        {
            return;
        }
        for (final AmqpChannel channel : new ArrayList<>(holding))
        {
            if (!channel.resumeHeld())
            {
                holding.remove(channel);
            }
        }
        if (holding.isEmpty())
        {
            blocked = false;
            socket.config().setAutoRead(true);
            if (blockedSent)
            {
                MethodWriter.connectionUnblocked(out());
                blockedSent = false;
            }
        }
        flushConfirms();
        flush();
    }

    /** Any thread: whether a full queue holds this connection's publishes right now. */
    boolean blocked()
    {
        return blocked;
    }

    /** A channel has publisher confirms to send with the next flush. */
    void confirmsPending(final AmqpChannel channel)
    {
        if (!confirming.contains(channel))
        {
            confirming.add(channel);
        }
    }

    private void flushConfirms()
    {
        if (confirming.isEmpty())
        {
            return;
        }
        for (final AmqpChannel channel : confirming)
        {
            channel.writeConfirms();
        }
        confirming.clear();
    }

    // ------------------------------------------------------------------ output

    ByteBuf out()
    {
        if (out == null)
        {
            out = ctx.alloc().ioBuffer(16 * 1024);
        }
        return out;
    }

    void flush()
    {
        final ByteBuf pending = out;
        if (pending == null || !pending.isReadable())
        {
            return;
        }
        out = null;
        lastWriteNanos = System.nanoTime();
        ctx.writeAndFlush(pending, ctx.voidPromise());
    }

    private void flushAndClose()
    {
        final ByteBuf pending = out;
        out = null;
        if (pending != null && pending.isReadable())
        {
            ctx.writeAndFlush(pending).addListener(future -> socket.close());
        }
        else
        {
            if (pending != null)
            {
                pending.release();
            }
            socket.close();
        }
    }

    // ------------------------------------------------------------------ accessors for channels

    boolean cancelNotify()
    {
        return cancelNotify;
    }

    int frameMax()
    {
        return frameMax;
    }

    MethodReaders readers()
    {
        return readers;
    }

    ShortStringCache names()
    {
        return names;
    }

    Channel socket()
    {
        return socket;
    }

    int maxMessageSize()
    {
        return server.options().maxMessageSize();
    }

    int queueCapacity()
    {
        return server.options().queueCapacity();
    }

    /** Runs {@code task} on this connection's event loop (from a consumer's or a queue deleter's thread). */
    void onEventLoop(final Runnable task)
    {
        if (socket.eventLoop().inEventLoop())
        {
            task.run();
        }
        else
        {
            socket.eventLoop().execute(task);
        }
    }

    private boolean isLoopbackPeer()
    {
        return socket.remoteAddress() instanceof InetSocketAddress &&
            ((InetSocketAddress)socket.remoteAddress()).getAddress().isLoopbackAddress();
    }

    private Map<String, Object> serverProperties()
    {
        final Map<String, Boolean> capabilities = new LinkedHashMap<>();
        for (final String capability : MethodWriter.RABBITMQ_CAPABILITIES)
        {
            capabilities.put(capability, Boolean.TRUE);
        }
        final Map<String, Object> properties = MethodWriter.serverProperties(PRODUCT, VERSION,
            "Java " + Runtime.version().feature(), capabilities);
        properties.put("copyright", "RingMQ contributors");
        properties.put("information", "An in-memory, lock-free AMQP 0-9-1 broker for the JVM");
        properties.put("cluster_name", "ringmq");
        return properties;
    }

    // ------------------------------------------------------------------ monitoring

    /**
     * Any thread: what the management API shows of this connection, read on its event loop (where every field
     * it reads is written), so the snapshot is consistent without a lock on the connection's path.
     */
    CompletableFuture<WireConnection> snapshot()
    {
        final CompletableFuture<WireConnection> snapshot = new CompletableFuture<>();
        try
        {
            socket.eventLoop().execute(() -> snapshot.complete(snapshotOnEventLoop()));
        }
        catch (final RejectedExecutionException ex) // the event loop is shutting down: the connection is going
        {
            snapshot.completeExceptionally(ex);
        }
        return snapshot;
    }

    private WireConnection snapshotOnEventLoop()
    {
        final List<WireConnection.WireChannel> open = new ArrayList<>();
        if (channels != null)
        {
            for (final AmqpChannel channel : channels)
            {
                if (channel != null)
                {
                    open.add(channel.snapshot());
                }
            }
        }
        final InetSocketAddress peer = socket.remoteAddress();
        final InetSocketAddress local = socket.localAddress();
        return new WireConnection(rabbitName(), hostOf(peer), peer == null ? 0 : peer.getPort(), hostOf(local),
            local == null ? 0 : local.getPort(), user, vhost, managementStateName(), socket.pipeline().get("tls") != null,
            authMechanism, clientProperties, tuned() ? frameMax : 0, channelMax, heartbeatSeconds, connectedAt,
            List.copyOf(open));
    }

    /** The state as RabbitMQ's management API names it ({@code rabbit_reader}'s connection states). */
    private String managementStateName()
    {
        switch (state)
        {
            case AWAITING_HEADER:
            case AWAITING_START_OK:
                return "starting";
            case AWAITING_TUNE_OK:
                return "tuning";
            case AWAITING_OPEN:
                return "opening";
            case OPEN:
                return holding.isEmpty() ? "running" : "blocked";
            case CLOSING:
                return "closing";
            default:
                return "closed";
        }
    }

    /** RabbitMQ's connection name: {@code "127.0.0.1:54321 -> 127.0.0.1:5672"}. */
    private String rabbitName()
    {
        final InetSocketAddress peer = socket.remoteAddress();
        final InetSocketAddress local = socket.localAddress();
        return hostOf(peer) + ":" + (peer == null ? 0 : peer.getPort()) + " -> " + hostOf(local) + ":" +
            (local == null ? 0 : local.getPort());
    }

    private static String hostOf(final InetSocketAddress address)
    {
        return address == null || address.getAddress() == null ? "" : address.getAddress().getHostAddress();
    }

    private String describe()
    {
        return socket.remoteAddress() + " -> " + socket.localAddress() + (user == null ? "" : " (" + user + ")");
    }

    private static void cancel(final ScheduledFuture<?> timer)
    {
        if (timer != null)
        {
            timer.cancel(false);
        }
    }

    @Override
    public String toString()
    {
        return "AmqpConnection{" + describe() + ", state=" + state + '}';
    }
}
