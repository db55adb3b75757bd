package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.ReplyCode;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code x-queue-type}: classic and quorum as RabbitMQ 4 gives them, in memory; streams refused clearly. */
class QueueTypeTest extends BrokerTestBase
{
    private static QueueSpec.Builder quorum(final String name)
    {
        return QueueSpec.builder(name).durable(true).argument("x-queue-type", "quorum");
    }

    @Test
    void theTutorialsQuorumQueueDeclares()
    {
        final QueueInfo info = channel.queueDeclare(quorum("task_queue").build());
        assertEquals("task_queue", info.name());
        assertEquals(QueueType.QUORUM, QueueSpec.builder("x").type(QueueType.QUORUM).durable(true).build().type());
        channel.publish("", "task_queue", seq(1));
        assertEquals(1, seqOf(channel.get("task_queue", true).body()));
    }

    @Test
    void aQuorumQueueRefusesWhatRabbitMqRefusesWith406()
    {
        assertRefused(quorum("q").exclusive(true), "exclusive-owner");
        assertRefused(QueueSpec.builder("q").argument("x-queue-type", "quorum"), "non-durable");
        assertRefused(quorum("q").autoDelete(true), "auto-delete");
        assertRefused(quorum("q").maxPriority(5), "x-max-priority");
        assertRefused(quorum("q").overflow(OverflowPolicy.REJECT_PUBLISH_DLX), "reject-publish-dlx");
    }

    private static void assertRefused(final QueueSpec.Builder spec, final String what)
    {
        final InvalidArgumentException refused = assertThrows(InvalidArgumentException.class, spec::build);
        assertEquals(ReplyCode.PRECONDITION_FAILED, refused.replyCode());
        assertTrue(refused.getMessage().contains(what), refused.getMessage());
    }

    @Test
    void streamsAndUnknownTypesAreRefusedClearly()
    {
        final InvalidArgumentException stream = assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("s").durable(true).argument("x-queue-type", "stream").build());
        assertTrue(stream.getMessage().contains("not supported"), stream.getMessage());
        assertThrows(InvalidArgumentException.class, () -> QueueSpec.builder("s").argument("x-queue-type", "lazy").build());
    }

    @Test
    void classicIsTheDefaultAndRedeclaringWithOrWithoutTheTypeIsEquivalent()
    {
        channel.queueDeclare(QueueSpec.named("q"));
        channel.queueDeclare(QueueSpec.builder("q").argument("x-queue-type", "classic").build());
        assertEquals(QueueType.CLASSIC, QueueSpec.named("q").type());
        assertThrows(io.ringmq.error.PreconditionFailedException.class, () -> channel.queueDeclare(quorum("q").build()),
            "a classic queue cannot be redeclared as quorum");
    }

    @Test
    void aQuorumQueuesDefaultDeliveryLimitIsTwentyThenItDeadLetters()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
        channel.queueDeclare(quorum("q").deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        for (int i = 0; i <= QueueArguments.QUORUM_DEFAULT_DELIVERY_LIMIT; i++)
        {
            final Delivery d = channel.get("q", false);
            assertNotNull(d, "delivery " + (i + 1));
            assertEquals(i, d.deliveryCount());
            channel.nack(d.deliveryTag(), false, true);
        }
        assertNull(channel.get("q", false), "21 deliveries, 21 returns: past the limit of 20");
        final Delivery dead = channel.get("dead", true);
        final Map<?, ?> death = (Map<?, ?>)((java.util.List<?>)dead.properties().headers().get("x-death")).get(0);
        assertEquals("delivery_limit", death.get("reason"));
    }

    @Test
    void aNegativeDeliveryLimitMeansNoneForAQuorumQueue()
    {
        channel.queueDeclare(quorum("q").argument("x-delivery-limit", -1).build());
        channel.publish("", "q", seq(1));
        for (int i = 0; i < 50; i++)
        {
            channel.nack(channel.get("q", false).deliveryTag(), false, true);
        }
        assertNotNull(channel.get("q", true));
    }

    @Test
    void aQuorumQueuesRedeliveriesCarryXDeliveryCountAndClassicOnesDoNot()
    {
        channel.queueDeclare(quorum("qq").build());
        channel.queueDeclare("classic");
        channel.publish("", "qq", seq(1));
        channel.publish("", "classic", seq(1));
        final Delivery first = channel.get("qq", false);
        assertNull(first.properties().headers().get(Delivery.X_DELIVERY_COUNT), "none on a first delivery");
        channel.nack(first.deliveryTag(), false, true);
        final Delivery second = channel.get("qq", false);
        assertEquals(1L, second.properties().headers().get(Delivery.X_DELIVERY_COUNT));
        assertEquals(1L, second.copy().properties().headers().get(Delivery.X_DELIVERY_COUNT));
        channel.nack(channel.get("classic", false).deliveryTag(), false, true);
        final Delivery classic = channel.get("classic", false);
        assertTrue(classic.redelivered());
        assertEquals(1, classic.deliveryCount());
        assertFalse(classic.properties().headers().containsKey(Delivery.X_DELIVERY_COUNT));
    }
}
