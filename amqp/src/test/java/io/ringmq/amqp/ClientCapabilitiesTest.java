package io.ringmq.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The server sends the two methods a client must opt into, a server-side basic.cancel and
 * connection.blocked / unblocked, only to a client that announced {@code consumer_cancel_notify}
 * and {@code connection.blocked} in its capabilities, as RabbitMQ does. A client that did not
 * announce them sees its consumer end or its publishes held in silence, and nothing else changes:
 * its connection stays usable and nothing it published is lost.
 */
@Timeout(60)
class ClientCapabilitiesTest
{
    /** Long enough for a method the server would send at once to arrive on loopback. */
    private static final long SILENCE_MILLIS = 500;

    @Test
    void aDeletedQueuesConsumerGetsBasicCancelOnlyIfItsClientAnnouncedConsumerCancelNotify()
    {
        try (EmbeddedServer server = EmbeddedServer.start())
        {
            try (RawAmqpClient announcing = openWith(server, RawAmqpClient.modernCapabilities());
                 RawAmqpClient silent = openWith(server, without("consumer_cancel_notify")))
            {
                consume(announcing, "cancel-announcing", "announcing-tag");
                consume(silent, "cancel-silent", "silent-tag");

                deleteQueue(server, "cancel-announcing");
                deleteQueue(server, "cancel-silent");

                final AMQImpl.Basic.Cancel cancel = announcing.expect(AMQImpl.Basic.Cancel.class);
                assertEquals("announcing-tag", cancel.getConsumerTag());
                assertNoFrame(silent, "a client without consumer_cancel_notify");
                assertStillServes(silent);
            }
            server.assertUnaffected();
        }
    }

    @Test
    void aHeldPublisherGetsConnectionBlockedOnlyIfItsClientAnnouncedIt()
    {
        try (EmbeddedServer server = EmbeddedServer.start())
        {
            try (RawAmqpClient announcing = openWith(server, RawAmqpClient.modernCapabilities());
                 RawAmqpClient silent = openWith(server, without("connection.blocked")))
            {
                // Each fills a block queue of two and publishes a third, which the server holds.
                fillAndOverfill(server, announcing, "blocked-announcing");
                fillAndOverfill(server, silent, "blocked-silent");

                assertInstanceOf(AMQImpl.Connection.Blocked.class, announcing.nextMethod());
                assertNoFrame(silent, "a held client without connection.blocked");

                // A consumer takes one from each queue: the held publishes go in, the reading resumes.
                takeOne(server, "blocked-announcing");
                takeOne(server, "blocked-silent");

                assertInstanceOf(AMQImpl.Connection.Unblocked.class, announcing.nextMethod());
                assertNoFrame(silent, "an unblocked client without connection.blocked");
                assertStillServes(announcing);
                assertStillServes(silent);
                assertEquals(2, messageCount(server, "blocked-announcing"), "the held publish went in");
                assertEquals(2, messageCount(server, "blocked-silent"), "the held publish went in");
            }
            server.assertUnaffected();
        }
    }

    private static Map<String, Object> without(final String capability)
    {
        final Map<String, Object> capabilities = RawAmqpClient.modernCapabilities();
        assertNotNull(capabilities.remove(capability), capability);
        return capabilities;
    }

    /** The handshake with these capabilities and no heartbeats (so silence is silence), then channel 1. */
    private static RawAmqpClient openWith(final EmbeddedServer server, final Map<String, Object> capabilities)
    {
        final RawAmqpClient client = server.raw();
        final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", capabilities);
        client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
        client.open("/");
        return client.openChannel(1);
    }

    private static void consume(final RawAmqpClient client, final String queue, final String consumerTag)
    {
        client.send(1, new AMQImpl.Queue.Declare(0, queue, false, false, false, false, false, null));
        client.expect(AMQImpl.Queue.DeclareOk.class);
        client.send(1, new AMQImpl.Basic.Consume(0, queue, consumerTag, false, true, false, false, null));
        assertEquals(consumerTag, client.expect(AMQImpl.Basic.ConsumeOk.class).getConsumerTag());
    }

    private static void fillAndOverfill(final EmbeddedServer server, final RawAmqpClient client, final String queue)
    {
        client.send(1, new AMQImpl.Queue.Declare(0, queue, false, false, false, false, false,
            Map.of("x-max-length", 2, "x-overflow", "block")));
        client.expect(AMQImpl.Queue.DeclareOk.class);
        for (int i = 0; i < 3; i++)
        {
            client.publish(1, "", queue, ("message " + i).getBytes(StandardCharsets.UTF_8));
        }
        for (int attempt = 0; attempt < 100 && messageCount(server, queue) < 2; attempt++)
        {
            EmbeddedServer.sleep(10);
        }
        assertEquals(2, messageCount(server, queue), "the queue took two and holds the third back");
    }

    private static void assertNoFrame(final RawAmqpClient client, final String who)
    {
        final Frame frame = client.pollFrame(SILENCE_MILLIS);
        final Method method = frame == null ? null : RawAmqpClient.methodOf(frame);
        assertNull(method, () -> who + " was sent " + method);
    }

    /** basic.qos round trip on channel 1: the connection is read and the channel is open. */
    private static void assertStillServes(final RawAmqpClient client)
    {
        client.send(1, new AMQImpl.Basic.Qos(0, 10, false));
        client.expect(AMQImpl.Basic.QosOk.class);
    }

    private static void deleteQueue(final EmbeddedServer server, final String queue)
    {
        withChannel(server, channel -> channel.queueDelete(queue));
    }

    private static void takeOne(final EmbeddedServer server, final String queue)
    {
        withChannel(server, channel -> assertNotNull(channel.basicGet(queue, true), queue));
    }

    private static int messageCount(final EmbeddedServer server, final String queue)
    {
        final int[] count = new int[1];
        withChannel(server, channel -> count[0] = channel.queueDeclarePassive(queue).getMessageCount());
        return count[0];
    }

    private interface ChannelWork
    {
        void on(Channel channel) throws Exception;
    }

    private static void withChannel(final EmbeddedServer server, final ChannelWork work)
    {
        try (Connection connection = server.connect())
        {
            work.on(connection.createChannel());
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
