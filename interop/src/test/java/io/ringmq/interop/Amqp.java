package io.ringmq.interop;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * One test's access to the broker under test with RabbitMQ's Java client: connection factories
 * with bounded timeouts and no automatic recovery (an error must stay visible), unique names, and
 * clean-up at the end of the test of every connection it opened and every name it declared.
 */
final class Amqp implements AutoCloseable
{
    private static final int TIMEOUT_MILLIS = (int) (Await.SECONDS * 1000);

    private final URI uri;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Deque<String> queues = new ArrayDeque<>();
    private final Deque<String> exchanges = new ArrayDeque<>();
    private Connection connection;

    Amqp(URI uri)
    {
        this.uri = uri;
    }

    URI uri()
    {
        return uri;
    }

    /** A factory for the broker under test; change it freely, it is this caller's own. */
    ConnectionFactory factory()
    {
        ConnectionFactory factory = new ConnectionFactory();
        try
        {
            factory.setUri(uri);
        }
        catch (Exception e)
        {
            throw new IllegalArgumentException("not an AMQP URI: " + uri, e);
        }
        if (factory.getVirtualHost().isEmpty())
        {
            // The Java client reads "amqp://host:port/" as the empty vhost ""; Go's clients, pika
            // and the scripts here read it as the default vhost "/", which is what is meant.
            factory.setVirtualHost("/");
        }
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        factory.setConnectionTimeout(TIMEOUT_MILLIS);
        factory.setHandshakeTimeout(TIMEOUT_MILLIS);
        factory.setShutdownTimeout(TIMEOUT_MILLIS);
        factory.setChannelRpcTimeout(TIMEOUT_MILLIS);
        return factory;
    }

    /** A new connection, closed when the test ends. */
    Connection connect() throws IOException, TimeoutException
    {
        return connect(factory());
    }

    Connection connect(ConnectionFactory factory) throws IOException, TimeoutException
    {
        Connection opened = factory.newConnection("ringmq-interop");
        connections.add(opened);
        return opened;
    }

    /** This test's main connection, opened on first use. */
    Connection connection() throws IOException, TimeoutException
    {
        if (connection == null || !connection.isOpen())
        {
            connection = connect();
        }
        return connection;
    }

    /** A new channel on this test's main connection. */
    Channel channel() throws IOException, TimeoutException
    {
        return connection().createChannel();
    }

    /**
     * Whether the queue exists now, asked with a passive declare on a channel of its own (a
     * missing queue closes that channel with 404; any other answer is a failure).
     */
    boolean queueExists(String queue) throws IOException, TimeoutException
    {
        Channel probe = connection().createChannel();
        try
        {
            probe.queueDeclarePassive(queue);
            probe.close();
            return true;
        }
        catch (IOException e)
        {
            if (e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.NOT_FOUND)
            {
                return false;
            }
            throw e;
        }
    }

    /** A queue name no other test or run uses; the queue is deleted when the test ends. */
    String queueName(String role)
    {
        String name = unique(role);
        queues.push(name);
        return name;
    }

    /** An exchange name no other test or run uses; the exchange is deleted when the test ends. */
    String exchangeName(String role)
    {
        String name = unique(role);
        exchanges.push(name);
        return name;
    }

    static String unique(String role)
    {
        return "interop." + role + "." + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Closes the test's connections first (their exclusive queues go with them), then deletes its names. */
    @Override
    public void close() throws IOException, TimeoutException
    {
        for (Connection c : connections)
        {
            c.abort(TIMEOUT_MILLIS);
        }
        connections.clear();
        if (!queues.isEmpty() || !exchanges.isEmpty())
        {
            deleteDeclaredNames();
        }
    }

    // Deleting a missing queue or exchange is not an error in AMQP 0-9-1 as RabbitMQ runs it. An
    // exclusive queue may still be going away with its owner (405): it needs no delete then.
    private void deleteDeclaredNames() throws IOException, TimeoutException
    {
        Connection cleaner = factory().newConnection("ringmq-interop-cleanup");
        try
        {
            for (String queue : queues)
            {
                deleteIgnoringLocked(cleaner, channel -> channel.queueDelete(queue));
            }
            for (String exchange : exchanges)
            {
                deleteIgnoringLocked(cleaner, channel -> channel.exchangeDelete(exchange));
            }
        }
        finally
        {
            cleaner.abort(TIMEOUT_MILLIS);
        }
    }

    @FunctionalInterface
    private interface Deletion
    {
        void on(Channel channel) throws IOException;
    }

    private static void deleteIgnoringLocked(Connection cleaner, Deletion deletion) throws IOException, TimeoutException
    {
        Channel channel = cleaner.createChannel();
        try
        {
            deletion.on(channel);
            channel.close();
        }
        catch (IOException e)
        {
            if (!(e.getCause() instanceof ShutdownSignalException signal
                  && signal.getReason() instanceof AMQP.Channel.Close close
                  && close.getReplyCode() == AMQP.RESOURCE_LOCKED))
            {
                throw e;
            }
        }
    }
}
