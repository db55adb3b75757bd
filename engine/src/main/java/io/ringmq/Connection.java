package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A group of channels that live and die together, as an AMQP connection: the owner of exclusive
 * queues (other connections get 405 RESOURCE_LOCKED; the queues are deleted when it closes). RingMQ's
 * network listener opens one per AMQP connection; an in-process application may open its own
 * ({@link Broker#openConnection()}), or let {@link Broker#openChannel()} give each channel an implicit
 * connection of its own, closed with that channel.
 * <p>
 * Thread-safe. Closing it closes its channels (their consumers are cancelled and what they left
 * unacknowledged is requeued) and then deletes its exclusive queues.
 */
public final class Connection implements AutoCloseable
{
    private static final VarHandle OPEN;

    static
    {
        try
        {
            OPEN = MethodHandles.lookup().findVarHandle(Connection.class, "open", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Broker broker;
    private final String name;
    /** Made by {@link Broker#openChannel()} for one channel: closes with it. */
    private final boolean implicit;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    @SuppressWarnings("unused")
    private volatile boolean open = true;

    Connection(final Broker broker, final String name, final boolean implicit)
    {
        this.broker = broker;
        this.name = name;
        this.implicit = implicit;
    }

    /** @return a new channel on this connection: open one per publishing thread. */
    public Channel openChannel()
    {
        ensureOpen();
        final Channel channel = new Channel(broker, this, broker.nextChannelNumber());
        channels.add(channel);
        if (!isOpen())
        {
            channel.close();
            throw new BrokerClosedException("connection '" + name + "' is closed");
        }
        return channel;
    }

    /** @return its name (given when opened, or generated). */
    public String name()
    {
        return name;
    }

    /** @return true until it or its broker is closed. */
    public boolean isOpen()
    {
        return open && broker.isOpen();
    }

    /** @return its open channels. */
    public int channelCount()
    {
        return channels.size();
    }

    /** @return its open channels now (monitoring). */
    java.util.List<Channel> channels()
    {
        return new ArrayList<>(channels);
    }

    /** Closes every channel, then deletes the exclusive queues it owns. Idempotent. */
    @Override
    public void close()
    {
        close(null);
    }

    /** @param reason non-null when the broker closes it: consumers are told why (server-side cancel). */
    void close(final String reason)
    {
        if (!OPEN.compareAndSet(this, true, false))
        {
            return;
        }
        for (final Channel channel : new ArrayList<>(channels))
        {
            channel.close(reason);
        }
        broker.deleteExclusiveQueuesOf(this);
        broker.connectionClosed(this);
    }

    void channelClosed(final Channel channel)
    {
        channels.remove(channel);
        if (implicit)
        {
            close(null);
        }
    }

    private void ensureOpen()
    {
        if (!open)
        {
            throw new BrokerClosedException("connection '" + name + "' is closed");
        }
        broker.ensureOpen();
    }

    @Override
    public String toString()
    {
        return "Connection{name='" + name + "', open=" + open + ", channels=" + channels.size() + '}';
    }
}
