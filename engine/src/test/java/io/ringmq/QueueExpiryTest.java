package io.ringmq;

import io.ringmq.error.NotFoundException;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code x-expires}: a queue unused (no consumer, no get, no redeclare) for its expiry is deleted by the
 * broker's housekeeping thread, which starts lazily and stops with the broker.
 */
class QueueExpiryTest
{
    private static final Duration AN_HOUR = Duration.ofHours(1);

    @Test
    void anUnusedQueueIsDeletedOnceItsExpiryPasses()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare(QueueSpec.builder("q").expires(Duration.ofMillis(50)).build());
            final MessageQueue queue = broker.queue("q", channel);
            // Publishing is not a use. (Had the queue already expired, it would not be accepted: hence the count.)
            final int accepted = channel.publish("", "q", new byte[] {1}).acceptedQueues();
            Await.until("the queue expired", () -> isGone(channel, "q"));
            assertEquals(accepted, queue.discardedCount(), "its message went with it");
        }
    }

    @Test
    void aQueueWithAConsumerIsInUseAndItsIdleTimeStartsWhenTheLastConsumerGoes() throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare(QueueSpec.builder("q").expires(AN_HOUR).build());
            final MessageQueue store = broker.queue("q", channel);
            final Consumer consumer = channel.consume("q", true, d -> { });
            assertFalse(store.isUnusedLongerThanExpiry(System.nanoTime() + 2 * AN_HOUR.toNanos()),
                "a queue with a consumer is in use, however long");
            Thread.sleep(2);
            final long beforeCancel = System.nanoTime();
            consumer.cancel();
            assertFalse(store.isUnusedLongerThanExpiry(beforeCancel + AN_HOUR.toNanos() - 1), "idle only from the cancel on");
            assertTrue(store.isUnusedLongerThanExpiry(System.nanoTime() + AN_HOUR.toNanos()));
        }
    }

    @Test
    void aGetAndARedeclareRenewTheLease() throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            final QueueSpec spec = QueueSpec.builder("q").expires(AN_HOUR).build();
            channel.queueDeclare(spec);
            final MessageQueue store = broker.queue("q", channel);
            Thread.sleep(2);
            // "now" an hour after this instant: unused that long unless something used it from here on.
            long probe = System.nanoTime() + AN_HOUR.toNanos() - 1;
            assertTrue(store.isUnusedLongerThanExpiry(probe), "unused since its declaration");
            channel.get("q", true);
            assertFalse(store.isUnusedLongerThanExpiry(probe), "the get renewed it (even finding nothing)");

            Thread.sleep(2);
            probe = System.nanoTime() + AN_HOUR.toNanos() - 1;
            assertTrue(store.isUnusedLongerThanExpiry(probe));
            channel.queueDeclare(spec);
            assertFalse(store.isUnusedLongerThanExpiry(probe), "the redeclare renewed it");

            Thread.sleep(2);
            probe = System.nanoTime() + AN_HOUR.toNanos() - 1;
            channel.queueDeclarePassive("q");
            channel.publish("", "q", new byte[] {1});
            assertTrue(store.isUnusedLongerThanExpiry(probe), "a passive declare and a publish are not uses");
        }
    }

    @Test
    void anExpiredQueuesMessagesAreNotDeadLettered()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
            channel.queueDeclare("dead");
            channel.queueBind("dead", "dlx", "");
            channel.queueDeclare(QueueSpec.builder("q").expires(Duration.ofMillis(50)).deadLetterExchange("dlx").build());
            channel.publish("", "q", new byte[] {1});
            Await.until("expired", () -> isGone(channel, "q"));
            assertEquals(0, channel.queueDeclarePassive("dead").messageCount());
        }
    }

    @Test
    void theHousekeepingThreadStartsWithTheFirstQueueWithPoliciesAndStopsWithTheBroker()
    {
        final Set<Thread> others = housekeepingThreads(); // of other brokers, if any are open
        final Broker broker = Broker.create();
        final Set<Thread> mine = new HashSet<>();
        try (Channel channel = broker.openChannel())
        {
            channel.queueDeclare("plain");
            assertFalse(broker.housekeeper().isStarted(), "plain queues need no housekeeping");
            channel.queueDeclare(QueueSpec.builder("ttl").messageTtl(Duration.ofSeconds(1)).build());
            assertTrue(broker.housekeeper().isStarted());
            Await.until("its thread runs", () ->
            {
                mine.addAll(housekeepingThreads());
                mine.removeAll(others);
                return !mine.isEmpty();
            });
        }
        broker.close();
        for (final Thread thread : mine)
        {
            assertFalse(thread.isAlive(), thread.getName() + " left running after close");
        }
    }

    private static Set<Thread> housekeepingThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("ringmq-housekeeper-") && t.isAlive())
            .collect(Collectors.toSet());
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
    void aDeletedQueueCannotBeUsedByName()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare(QueueSpec.builder("q").expires(Duration.ofMillis(5)).build());
            Await.until("expired", () -> isGone(channel, "q"));
            assertThrows(NotFoundException.class, () -> channel.get("q", true));
            assertEquals(0, channel.publish("", "q", new byte[] {1}).routedQueues());
        }
    }
}
