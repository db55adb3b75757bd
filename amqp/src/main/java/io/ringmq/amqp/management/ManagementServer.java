package io.ringmq.amqp.management;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.ringmq.amqp.AmqpServerOptions;
import io.ringmq.amqp.server.ServerState;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP listeners an {@link io.ringmq.amqp.AmqpServer} starts beside its AMQP ones, as the options ask:
 * the management API (with the live page) and the Prometheus endpoint. Both run on one event loop thread of
 * their own, so a slow HTTP client or a large listing never takes time from an AMQP connection.
 */
public final class ManagementServer implements AutoCloseable
{
    /** What {@code /api/overview} gives as {@code management_version} and {@code product_version}. */
    static final String VERSION = "0.1.0";

    private final EventLoopGroup group;
    /** Read by {@code /api/overview} on the HTTP loop while {@link #start} may still be adding to it. */
    private final List<ManagementJson.Listener> listeners = new CopyOnWriteArrayList<>();
    private HttpListener management;
    private HttpListener prometheus;
    private PrometheusEndpoint metrics;

    private ManagementServer()
    {
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("ringmq-http", true),
            NioIoHandler.newFactory());
    }

    /**
     * Binds the HTTP listeners the options turn on (a port other than 0; neither: nothing is started).
     *
     * @param amqpListeners the AMQP listeners already bound, protocol ({@code amqp}, {@code amqp/ssl}) → address,
     *                      for {@code /api/overview}.
     * @throws IllegalStateException when a port cannot be bound; nothing is left running.
     */
    public static ManagementServer start(final ServerState server, final Map<String, InetSocketAddress> amqpListeners)
    {
        final AmqpServerOptions options = server.options();
        final ManagementServer http = new ManagementServer();
        amqpListeners.forEach(http::listed);
        try
        {
            // Prometheus first: the management API's first /api/overview already lists it.
            if (options.prometheusPort() != 0)
            {
                http.metrics = new PrometheusEndpoint(server);
                http.prometheus = HttpListener.bind(http.group, options.prometheusBindAddress(), options.prometheusPort(),
                    server, http.metrics);
                http.listed("http/prometheus", http.prometheus.address());
            }
            if (options.managementPort() != 0)
            {
                final ManagementJson json = new ManagementJson(nodeName());
                http.management = HttpListener.bind(http.group, options.managementBindAddress(), options.managementPort(),
                    server, new ManagementApi(server, json, () -> List.copyOf(http.listeners), VERSION));
                http.listed("http", http.management.address());
            }
        }
        catch (final RuntimeException ex)
        {
            http.close();
            throw ex;
        }
        return http;
    }

    private void listed(final String protocol, final InetSocketAddress address)
    {
        listeners.add(new ManagementJson.Listener(protocol, address.getAddress().getHostAddress(), address.getPort()));
    }

    /** RabbitMQ's {@code rabbit@host}, from the environment rather than a name lookup that could hang without DNS. */
    private static String nodeName()
    {
        final String host = System.getenv("HOSTNAME");
        return "ringmq@" + (host == null || host.isBlank() ? "localhost" : host);
    }

    /** @return the management API's bound address (the real port for port 0), or null when it is off. */
    public InetSocketAddress managementAddress()
    {
        return management == null ? null : management.address();
    }

    /** @return the Prometheus endpoint's bound address, or null when it is off. */
    public InetSocketAddress prometheusAddress()
    {
        return prometheus == null ? null : prometheus.address();
    }

    /** Closes both listeners and their open connections, then the Prometheus registry and its meters. */
    @Override
    public void close()
    {
        if (management != null)
        {
            management.close();
        }
        if (prometheus != null)
        {
            prometheus.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        if (metrics != null)
        {
            metrics.close(); // after the loop has ended: no scrape is under way
        }
    }
}
