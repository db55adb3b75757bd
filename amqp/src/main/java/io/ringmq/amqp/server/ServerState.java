package io.ringmq.amqp.server;

import io.ringmq.Broker;
import io.ringmq.amqp.AmqpServerOptions;

import io.ringmq.amqp.codec.Sasl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    public Broker broker()
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

    /**
     * Any thread: how many connections a full queue ({@code x-overflow = block}) holds back right now, their
     * reading stopped until it has room: what a blocked-publisher alert watches ({@code ringmq_connections_blocked}).
     */
    public int blockedConnectionCount()
    {
        int blocked = 0;
        for (final AmqpConnection connection : connections)
        {
            if (connection.blocked())
            {
                blocked++;
            }
        }
        return blocked;
    }

    /**
     * Any thread: a snapshot of every client connection, each taken on its own event loop (all at once, then
     * waited for), sorted by name. A connection whose loop does not answer within {@code timeoutNanos}, or that
     * closed meanwhile, is left out: a monitoring call never holds up, nor is held up by, one busy connection.
     */
    public List<WireConnection> wireConnections(final long timeoutNanos)
    {
        final List<CompletableFuture<WireConnection>> pending = new ArrayList<>();
        for (final AmqpConnection connection : connections)
        {
            pending.add(connection.snapshot());
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        final List<WireConnection> snapshots = new ArrayList<>(pending.size());
        for (final CompletableFuture<WireConnection> snapshot : pending)
        {
            try
            {
                snapshots.add(snapshot.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            catch (final ExecutionException | TimeoutException ex)
            {
                // closed or busy: not listed this time
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
        }
        snapshots.sort(Comparator.comparing(WireConnection::name));
        return snapshots;
    }

    /**
     * @return null when {@code username} / {@code password} name a user of this server who may log in from
     * there (AMQP's rules: {@code loopback_users} only from loopback), else the reason, for the log only.
     */
    public String authenticate(final String username, final String password, final boolean fromLoopback)
    {
        return Authentication.check(options, new Sasl.Credentials("", username, password), fromLoopback);
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
