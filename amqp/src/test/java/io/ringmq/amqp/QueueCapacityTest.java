package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A queue a client declares gets the server's {@code ringmq.queue_capacity} ring unless its declaration asks
 * for another with {@code x-ringmq-capacity}; a queue whose ring is full under {@code reject-publish} nacks
 * the next publish, so the capacity is what a confirming publisher sees.
 */
@Timeout(30)
class QueueCapacityTest
{
    private static final int SERVER_CAPACITY = 4;

    @Test
    void aDeclaredQueueHasTheServersCapacityUnlessItsArgumentsAskForAnother() throws Exception
    {
        try (EmbeddedServer server = EmbeddedServer.start(options -> options.queueCapacity(SERVER_CAPACITY));
             Connection connection = server.connect())
        {
            final Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.queueDeclare("server-sized", false, false, false, Map.of("x-overflow", "reject-publish"));
            assertEquals(SERVER_CAPACITY, acceptedOf(channel, "server-sized", 10));

            final Map<String, Object> asked = new HashMap<>(Map.of("x-overflow", "reject-publish"));
            asked.put("x-ringmq-capacity", 8);
            channel.queueDeclare("client-sized", false, false, false, asked);
            assertEquals(8, acceptedOf(channel, "client-sized", 10));

            // Redeclaring without the argument asks for the server's capacity: inequivalent, as RabbitMQ answers.
            final Channel other = connection.createChannel();
            final IOException refused = assertThrows(IOException.class,
                () -> other.queueDeclare("client-sized", false, false, false, Map.of("x-overflow", "reject-publish")));
            final AMQP.Channel.Close close = closeOf(refused);
            assertEquals(406, close.getReplyCode());
            assertEquals("PRECONDITION_FAILED - inequivalent arg 'capacity' for queue 'client-sized' in vhost '/': "
                         + "received '4' but current is '8'", close.getReplyText());
            assertEquals(8, channel.queueDeclarePassive("client-sized").getMessageCount(), "nothing lost");
        }
    }

    @Test
    void aCapacityThatIsNotAPowerOfTwoIs406AndDeclaresNothing() throws Exception
    {
        try (EmbeddedServer server = EmbeddedServer.start(); Connection connection = server.connect())
        {
            final Channel channel = connection.createChannel();
            final IOException refused = assertThrows(IOException.class,
                () -> channel.queueDeclare("odd", false, false, false, Map.of("x-ringmq-capacity", 1000)));
            final AMQP.Channel.Close close = closeOf(refused);
            assertEquals(406, close.getReplyCode());
            assertTrue(close.getReplyText().startsWith(
                "PRECONDITION_FAILED - invalid arg 'x-ringmq-capacity' for queue 'odd' in vhost '/'"), close.getReplyText());
            final Channel check = connection.createChannel();
            assertThrows(IOException.class, () -> check.queueDeclarePassive("odd"), "the queue was not declared");
            assertFalse(check.isOpen());
            server.assertUnaffected();
        }
    }

    /** Publishes {@code attempts} confirmed messages one at a time; returns how many the queue took. */
    private static int acceptedOf(final Channel channel, final String queue, final int attempts) throws Exception
    {
        int accepted = 0;
        for (int i = 0; i < attempts; i++)
        {
            channel.basicPublish("", queue, null, new byte[] {(byte)i});
            if (channel.waitForConfirms(5_000))
            {
                accepted++;
            }
        }
        assertEquals(accepted, channel.queueDeclarePassive(queue).getMessageCount());
        return accepted;
    }

    private static AMQP.Channel.Close closeOf(final IOException refused)
    {
        final ShutdownSignalException signal = assertInstanceOf(ShutdownSignalException.class, refused.getCause());
        return assertInstanceOf(AMQP.Channel.Close.class, signal.getReason());
    }
}
