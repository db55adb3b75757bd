package io.ringmq.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.ringmq.Broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@link AmqpServer} on 127.0.0.1, port 0, over a fresh {@link Broker}, with a bystander: one amqp-client
 * connection opened at the start, which {@link #assertUnaffected()} checks is still open and still works after a
 * test provoked an error on another connection.
 */
final class EmbeddedServer implements AutoCloseable
{
    private final Broker broker;
    private final AmqpServer server;
    private final Connection bystander;
    private final Channel bystanderChannel;
    private final String bystanderQueue;

    private EmbeddedServer(final UnaryOperator<AmqpServerOptions.Builder> options)
    {
        broker = Broker.create();
        try
        {
            server = AmqpServer.start(broker, options.apply(AmqpServerOptions.builder().listen("127.0.0.1", 0)).build());
            bystander = connect();
            bystanderChannel = bystander.createChannel();
            bystanderQueue = bystanderChannel.queueDeclare().getQueue();
        }
        catch (final IOException | RuntimeException ex)
        {
            broker.close();
            throw ex instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException)ex;
        }
    }

    static EmbeddedServer start()
    {
        return start(UnaryOperator.identity());
    }

    /** @param options changes to RabbitMQ's defaults; the plain listener is 127.0.0.1:0 unless they change it */
    static EmbeddedServer start(final UnaryOperator<AmqpServerOptions.Builder> options)
    {
        return new EmbeddedServer(options);
    }

    AmqpServer server()
    {
        return server;
    }

    Broker broker()
    {
        return broker;
    }

    InetSocketAddress address()
    {
        return server.address();
    }

    /** A raw client connected (nothing sent yet). */
    RawAmqpClient raw()
    {
        return RawAmqpClient.connect(address());
    }

    /** A raw client through the whole handshake, with channel 1 open. */
    RawAmqpClient rawWithChannel()
    {
        return raw().openConnection().openChannel(1);
    }

    /** amqp-client settings for this server: guest, no recovery, every wait bounded. */
    ConnectionFactory factory()
    {
        final ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(address().getPort());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout((int)RawAmqpClient.ANSWER_MILLIS);
        factory.setHandshakeTimeout((int)RawAmqpClient.ANSWER_MILLIS);
        factory.setShutdownTimeout(2_000);
        factory.setChannelRpcTimeout((int)RawAmqpClient.ANSWER_MILLIS);
        return factory;
    }

    Connection connect()
    {
        try
        {
            return factory().newConnection();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** The bystander connection is open and does a publish/get round trip, and a new connection does too. */
    void assertUnaffected()
    {
        try
        {
            assertTrue(bystander.isOpen(), "the bystander connection was closed: " + bystander.getCloseReason());
            roundTrip(bystanderChannel, bystanderQueue);
            try (Connection fresh = connect())
            {
                final Channel channel = fresh.createChannel();
                final String queue = channel.queueDeclare().getQueue();
                roundTrip(channel, queue);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("the server no longer serves its other connections", ex);
        }
    }

    private static void roundTrip(final Channel channel, final String queue) throws IOException
    {
        final byte[] body = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        channel.basicPublish("", queue, null, body);
        GetResponse got = null;
        for (int attempt = 0; attempt < 100 && got == null; attempt++)
        {
            got = channel.basicGet(queue, true);
            if (got == null)
            {
                sleep(10);
            }
        }
        assertNotNull(got, "the message published to " + queue + " did not arrive");
        assertArrayEquals(body, got.getBody());
        assertEquals(0, got.getMessageCount());
    }

    static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close()
    {
        try
        {
            server.close();
        }
        finally
        {
            broker.close();
        }
    }
}
