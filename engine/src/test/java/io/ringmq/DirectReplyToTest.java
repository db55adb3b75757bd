package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RabbitMQ's direct reply-to: amq.rabbitmq.reply-to, in process. */
class DirectReplyToTest extends BrokerTestBase
{
    @Test
    void aRequestsReplyToIsRewrittenAndTheReplyReachesTheRequester()
    {
        channel.queueDeclare("rpc");
        assertEquals("amq.rabbitmq.reply-to", channel.queueDeclarePassive("amq.rabbitmq.reply-to").name(),
            "the pseudo-queue always exists");
        final List<String> replies = new CopyOnWriteArrayList<>();
        channel.consume("amq.rabbitmq.reply-to", true, d -> replies.add(d.bodyAsString()));
        channel.publish("", "rpc", MessageProperties.builder().replyTo("amq.rabbitmq.reply-to").correlationId("1").build(),
            "ping".getBytes());
        try (Channel server = broker.openConnection().openChannel())
        {
            final Delivery request = server.get("rpc", true);
            final String replyTo = request.properties().replyTo();
            assertTrue(replyTo.startsWith("amq.rabbitmq.reply-to."), replyTo);
            assertEquals("1", request.properties().correlationId());
            server.publish("", replyTo, "pong".getBytes());
        }
        Await.until("the reply arrived", () -> replies.size() == 1);
        assertEquals(List.of("pong"), replies);
    }

    @Test
    void theReplyConsumerMustNotAcknowledgeAndMustExistBeforeTheRequest()
    {
        assertThrows(PreconditionFailedException.class,
            () -> channel.consume("amq.rabbitmq.reply-to", ConsumeOptions.manualAck(0), d -> { }));
        assertThrows(PreconditionFailedException.class, () -> channel.publish("", "any",
            MessageProperties.builder().replyTo("amq.rabbitmq.reply-to").build(), new byte[0]),
            "fast reply consumer does not exist");
    }

    @Test
    void repliesToARequesterThatIsGoneAreUnroutable()
    {
        final Channel requester = broker.openChannel();
        final Consumer consumer = requester.consume("amq.rabbitmq.reply-to", true, d -> { });
        channel.queueDeclare("rpc");
        requester.publish("", "rpc", MessageProperties.builder().replyTo("amq.rabbitmq.reply-to").build(), new byte[0]);
        final String replyTo = channel.get("rpc", true).properties().replyTo();
        consumer.cancel();
        assertTrue(channel.publish("", replyTo, new byte[0]).isUnroutable());
    }
}
