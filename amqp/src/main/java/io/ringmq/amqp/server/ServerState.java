package io.ringmq.amqp.server;

import io.ringmq.Broker;
import io.ringmq.amqp.AmqpServerOptions;

import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * What every connection of one server shares: the broker, the options, and the set of open
 * connections (for the connection limit and for closing them all on shutdown). Thread-safe.
 */
public final class ServerState
{
    private final Broker broker;
    private final AmqpServerOptions options;
    private final Set<AmqpConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connections past connection.open: what the connection limit counts, as in RabbitMQ. */
    private final AtomicInteger opened = new AtomicInteger();

    public ServerState(final Broker broker, final AmqpServerOptions options)
    {
        this.broker = broker;
        this.options = options;
    }

    Broker broker()
    {
        return broker;
    }

    public AmqpServerOptions options()
    {
        return options;
    }

    /** A socket was accepted: it is closed with the others on shutdown. */
    void track(final AmqpConnection connection)
    {
        connections.add(connection);
    }

    void untrack(final AmqpConnection connection)
    {
        connections.remove(connection);
    }

    /** @return false when the connection limit is reached: connection.open is refused. */
    boolean tryOpen()
    {
        while (true)
        {
            final int current = opened.get();
            if (current >= options.maxConnections())
            {
                return false;
            }
            if (opened.compareAndSet(current, current + 1))
            {
                return true;
            }
        }
    }

    /** An opened connection ended. */
    void closedOpened()
    {
        opened.decrementAndGet();
    }

    public int connectionCount()
    {
        return connections.size();
    }

    /** Sends 320 CONNECTION_FORCED to every connection and waits up to {@code waitNanos} for them to go. */
    public void closeAllConnections(final String text, final long waitNanos)
    {
        for (final AmqpConnection connection : new ArrayList<>(connections))
        {
            connection.forceClose(text);
        }
        final long deadline = System.nanoTime() + waitNanos;
        while (!connections.isEmpty() && System.nanoTime() - deadline < 0)
        {
            LockSupport.parkNanos(1_000_000);
        }
        for (final AmqpConnection connection : new ArrayList<>(connections))
        {
            connection.abort();
        }
    }
}
