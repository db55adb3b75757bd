package io.ringmq;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RabbitMQ's semantics of the queue and consumer features that predate the policies: exclusive queues,
 * auto-delete queues, server-named queues, exclusive consumers, and the server-side cancel a consumer
 * receives when its queue goes.
 */
class QueueOwnershipTest
{
    private Broker broker;
    private Channel owner;
    private Channel other;

    @BeforeEach
    void open()
    {
        broker = Broker.create();
        owner = broker.openChannel();
        other = broker.openChannel();
    }

    @AfterEach
    void close()
    {
        broker.close();
    }

    private static boolean isGone(final Channel channel, final String queue)
    {
        try
        {
            channel.queueDeclarePassive(queue);
            return false;
        }
        catch (final NotFoundException ex)
        {
            return true;
        }
    }

    @Test
    void anExclusiveQueueIsLockedToItsChannelForEveryOperationButPublishing()
    {
        owner.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
        assertThrows(ResourceLockedException.class, () -> other.queueDeclarePassive("mine"));
        assertThrows(ResourceLockedException.class, () -> other.queuePurge("mine"));
        assertThrows(ResourceLockedException.class, () -> other.queueBind("mine", "amq.direct", "k"));
        assertThrows(ResourceLockedException.class, () -> other.queueUnbind("mine", "amq.direct", "k"));
        assertThrows(ResourceLockedException.class, () -> other.get("mine", true));
        assertTrue(other.publish("", "mine", new byte[] {1}).isFullyAccepted());
        owner.queueDeclare(QueueSpec.builder("mine").exclusive(true).build()); // the owner may redeclare
        owner.queueBind("mine", "amq.direct", "k");
        assertNotNull(owner.get("mine", true));
    }

    @Test
    void anExclusiveQueueGoesWithItsChannelMessagesAndConsumersIncluded()
    {
        owner.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
        final Consumer consumer = owner.consume("mine", ConsumeOptions.manualAck(1), d -> { });
        other.publish("", "mine", new byte[] {1});
        other.publish("", "mine", new byte[] {2});
        Await.until("one delivered", () -> consumer.unackedCount() == 1);
        final MessageQueue queue = broker.queue("mine", owner);
        owner.close();
        assertTrue(isGone(other, "mine"));
        assertFalse(consumer.isActive());
        assertEquals(2, queue.discardedCount(), "the ready one and the unacknowledged one go with it");
    }

    @Test
    void anAutoDeleteQueueSurvivesUntilItHadAConsumerAndThenGoesWithTheLast()
    {
        owner.queueDeclare(QueueSpec.builder("temp").autoDelete(true).build());
        owner.publish("", "temp", new byte[] {1});
        assertNotNull(owner.get("temp", true), "a get is not a consumer");
        assertFalse(isGone(owner, "temp"), "never had a consumer: it stays");
        other.consume("temp", true, d -> { });
        other.close(); // the last consumer goes with its channel
        assertTrue(isGone(owner, "temp"));
    }

    @Test
    void serverNamedQueuesGetUniqueAmqGenNamesThatWorkLikeAnyOther()
    {
        final QueueInfo first = owner.queueDeclare("");
        final QueueInfo second = owner.queueDeclare(QueueSpec.builder("").exclusive(true).build());
        assertTrue(first.name().startsWith("amq.gen-"), first.name());
        assertNotEquals(first.name(), second.name());
        owner.queueBind(first.name(), "amq.fanout", "");
        assertEquals(1, owner.publish("amq.fanout", "", new byte[] {1}).acceptedQueues());
        assertEquals(1, owner.queueDeclarePassive(first.name()).messageCount(), "a passive declare by name is fine");
        assertThrows(AccessRefusedException.class, () -> owner.queueDeclare(first.name()),
            "only the server names amq.* queues");
        assertThrows(ResourceLockedException.class, () -> other.get(second.name(), true));
    }

    @Test
    void anExclusiveConsumerIsRefusedBesideOthersAndKeepsOthersOutUntilItIsCancelled()
    {
        owner.queueDeclare("q");
        final Consumer shared = owner.consume("q", true, d -> { });
        assertThrows(AccessRefusedException.class,
            () -> other.consume("q", ConsumeOptions.builder().autoAck(true).exclusive(true).build(), d -> { }));
        shared.cancel();
        final Consumer exclusive = other.consume("q", ConsumeOptions.builder().autoAck(true).exclusive(true).build(), d -> { });
        assertThrows(AccessRefusedException.class, () -> owner.consume("q", true, d -> { }));
        exclusive.cancel();
        owner.consume("q", true, d -> { });
    }

    @Test
    void aConsumerIsToldWhenAnotherChannelDeletesItsQueueButNotWhenItCancelsItself()
    {
        owner.queueDeclare("q");
        owner.queueDeclare("r");
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        final ConsumeOptions options = ConsumeOptions.builder().autoAck(true)
            .cancelListener((tag, reason) -> cancelled.add(tag + ": " + reason)).build();
        final Consumer onQ = owner.consume("q", options, d -> { });
        final Consumer onR = owner.consume("r", options, d -> { });
        onR.cancel();
        other.queueDelete("q");
        assertFalse(onQ.isActive());
        assertEquals(List.of(onQ.consumerTag() + ": queue 'q' was deleted"), cancelled);
    }

    @Test
    void anOperatorDeletesAnotherConnectionsExclusiveQueueWhichAmqpsDeleteMayNotTouch()
    {
        owner.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        final Consumer consumer = owner.consume("mine", ConsumeOptions.builder().autoAck(true)
            .cancelListener((tag, reason) -> cancelled.add(reason)).build(), d -> { });
        other.publish("", "mine", new byte[] {1});
        assertThrows(ResourceLockedException.class, () -> other.queueDelete("mine"), "the AMQP rule stands");

        broker.deleteQueueAsOperator("mine", false, false);

        assertTrue(isGone(other, "mine"));
        assertFalse(consumer.isActive());
        assertEquals(List.of("queue 'mine' was deleted"), cancelled);
        assertTrue(owner.isOpen(), "the owner's channel stays open");
        owner.queueDeclare("next"); // and still works
    }

    @Test
    void anOperatorsDeleteKeepsItsConditionsAndCallsAMissingQueueNotFound()
    {
        owner.queueDeclare(QueueSpec.builder("held").exclusive(true).build());
        other.publish("", "held", new byte[] {1});
        assertThrows(PreconditionFailedException.class, () -> broker.deleteQueueAsOperator("held", false, true));
        assertEquals(1, broker.deleteQueueAsOperator("held", false, false), "the messages deleted with it");
        assertThrows(NotFoundException.class, () -> broker.deleteQueueAsOperator("held", false, false));
        assertEquals(0, other.queueDelete("held"), "AMQP's delete of a missing queue still succeeds");
    }
}
