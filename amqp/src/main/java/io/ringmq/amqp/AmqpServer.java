package io.ringmq.amqp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.ringmq.Broker;
import io.ringmq.amqp.server.AmqpConnection;
import io.ringmq.amqp.server.ServerState;
import io.ringmq.amqp.server.TlsContexts;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * RingMQ's AMQP 0-9-1 listener over an application's own {@link Broker}: RabbitMQ's clients (Java
 * {@code amqp-client}, Spring AMQP, Go, Python pika, PerfTest) connect to it unchanged, and share the
 * broker's queues with the application's in-process publishers and consumers.
 * <pre>{@code
 * try (Broker broker = Broker.create();
 *      AmqpServer server = AmqpServer.start(broker, AmqpServerOptions.builder().build())) {
 *     // amqp://guest:guest@127.0.0.1:5672/
 * }
 * }</pre>
 * Netty carries the bytes; each connection lives on one event loop, which never parks: a publish into a
 * full {@code block} queue stops reading that connection (and tells clients that announced
 * {@code connection.blocked}) until there is room; a consumer whose socket does not drain stops being
 * delivered to until it does. {@link #close()} closes every connection with 320 CONNECTION_FORCED, as
 * RabbitMQ does on shutdown, and then the listener; it leaves the broker open.
 */
public final class AmqpServer implements AutoCloseable
{
    /** What RabbitMQ tells connections when it shuts down. */
    static final String SHUTDOWN_TEXT = "broker forced connection closure with reason 'shutdown'";

    private final ServerState state;
    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Channel> listeners = new ArrayList<>();
    private volatile boolean closed;

    private AmqpServer(final Broker broker, final AmqpServerOptions options)
    {
        this.state = new ServerState(broker, options);
        this.acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.workers = new MultiThreadIoEventLoopGroup(options.ioThreads(), NioIoHandler.newFactory());
    }

    /**
     * Binds the listeners the options name and returns once they accept connections.
     *
     * @param broker  the broker the clients' channels work on; {@link #close()} leaves it open.
     * @param options listeners, users and protocol limits ({@link AmqpServerOptions#builder()}).
     * @return the running server.
     * @throws IllegalStateException when a port cannot be bound (in use, say); nothing is left running.
     */
    public static AmqpServer start(final Broker broker, final AmqpServerOptions options)
    {
        final AmqpServer server = new AmqpServer(Objects.requireNonNull(broker, "broker"), Objects.requireNonNull(options,
            "options"));
        try
        {
            if (options.bindAddress() != null)
            {
                server.bind(options.bindAddress(), options.port(), null);
            }
            if (options.tls() != null)
            {
                server.bind(options.tlsBindAddress(), options.tlsPort(), TlsContexts.server(options.tls()));
            }
        }
        catch (final RuntimeException ex)
        {
            server.close();
            throw ex;
        }
        return server;
    }

    private void bind(final String address, final int port, final SslContext tls)
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptors, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            // Deliveries stop while more than this waits unsent for one connection: its memory stays bounded.
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
            .childHandler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    if (tls != null)
                    {
                        channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                    }
                    AmqpConnection.install(channel, state);
                }
            });
        try
        {
            listeners.add(bootstrap.bind(address, port).sync().channel());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding " + address + ":" + port, ex);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("cannot listen on " + address + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /** @return the address the plain listener is bound to (its real port, also for port 0), or null. */
    public InetSocketAddress address()
    {
        return boundAddress(false);
    }

    /** @return the address the TLS listener is bound to, or null. */
    public InetSocketAddress tlsAddress()
    {
        return boundAddress(true);
    }

    private InetSocketAddress boundAddress(final boolean tls)
    {
        final AmqpServerOptions options = state.options();
        final int index = tls ? (options.bindAddress() != null ? 1 : 0) : 0;
        if ((tls && options.tls() == null) || (!tls && options.bindAddress() == null) || listeners.size() <= index)
        {
            return null;
        }
        return (InetSocketAddress)listeners.get(index).localAddress();
    }

    /** @return connections open now. */
    public int connectionCount()
    {
        return state.connectionCount();
    }

    /**
     * Closes every connection with 320 CONNECTION_FORCED (waiting a moment for their close-ok), then the
     * listeners and their threads. The broker stays open. Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (final Channel listener : listeners)
        {
            listener.close().awaitUninterruptibly();
        }
        state.closeAllConnections(SHUTDOWN_TEXT, TimeUnit.SECONDS.toNanos(2));
        acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
