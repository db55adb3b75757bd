package io.ringmq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cumulative counts, ready bytes and unacknowledged counts {@link Inspector} reports, after known sequences. */
class QueueCountsTest extends BrokerTestBase
{
    private static final byte[] TEN_BYTES = new byte[10];

    @Test
    void countsAfterDeliverGetAckNackRejectAndPurgeAreExact()
    {
        channel.queueDeclare("q");
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "q", TEN_BYTES);
        }
        assertCounts("published", info(), 10, 0, 0, 0, 0, 100, 10);

        final List<Long> tags = new ArrayList<>();
        final Consumer consumer = channel.consume("q", ConsumeOptions.builder().prefetch(4).callerDriven(() -> { }).build(),
            d -> tags.add(d.deliveryTag()));
        assertEquals(4, consumer.deliver(10), "prefetch 4");
        assertCounts("4 delivered", info(), 10, 4, 0, 0, 4, 60, 6);

        channel.ack(tags.get(0), false);
        channel.ack(tags.get(1), false);
        channel.nack(tags.get(2), false, true);
        channel.reject(tags.get(3), false);
        assertCounts("2 acked, 1 requeued, 1 rejected", info(), 10, 4, 2, 0, 0, 70, 7);
        assertEquals(1, info().rejectedCount());

        final Delivery redelivered = channel.get("q", false);
        assertTrue(redelivered.redelivered(), "the requeued message comes first");
        final long firstGet = redelivered.deliveryTag();
        assertNotNull(channel.get("q", false));
        channel.ack(firstGet, false);
        assertCounts("two gets, one acked", info(), 10, 6, 3, 1, 1, 50, 5);

        assertNotNull(channel.get("q", true));
        assertCounts("an auto-ack get", info(), 10, 7, 3, 1, 1, 40, 4);
        assertEquals(4, channel.queuePurge("q"));
        assertCounts("purged", info(), 10, 7, 3, 1, 1, 0, 0);
        assertNull(channel.get("q", true));

        consumer.cancel();
        channel.recover(); // the outstanding get goes back: ready again, not acknowledged
        assertCounts("recovered", info(), 10, 7, 3, 1, 0, 10, 1);
    }

    @Test
    void pushConsumersOnTheSharedPoolCountEveryDeliveryAndAck()
    {
        channel.queueDeclare("q");
        final Channel consumerChannel = broker.openChannel();
        consumerChannel.consume("q", ConsumeOptions.manualAck(32), d -> d.ack());
        consumerChannel.consume("q", ConsumeOptions.manualAck(32), d -> d.ack()); // two: round-robin through mailboxes
        for (int i = 0; i < 2_000; i++)
        {
            channel.publish("", "q", TEN_BYTES);
        }
        // A consumer publishes its delivery counts and the bytes leaving ready once per batch, after the batch:
        // the last ack can land before that, so wait for every count, not just the acks (the inspector is exact
        // once idle). A count that never arrives still fails, at the wait.
        Await.until("all acknowledged and counted", () ->
        {
            final QueueInfo info = info();
            return info.acknowledgedCount() == 2_000 && info.deliveredCount() == 2_000 && info.bytesReady() == 0;
        });
        assertCounts("quiet", info(), 2_000, 2_000, 2_000, 0, 0, 0, 0);
        assertEquals(2_000, broker.inspector().overview().acknowledgedCount());
    }

    @Test
    void autoAckDeliveriesAreDeliveredButNotAcknowledged()
    {
        channel.queueDeclare("q");
        final AtomicInteger seen = new AtomicInteger();
        channel.consume("q", true, d -> seen.incrementAndGet());
        for (int i = 0; i < 100; i++)
        {
            channel.publish("", "q", TEN_BYTES);
        }
        Await.until("all delivered", () -> seen.get() == 100);
        assertCounts("auto-ack", info(), 100, 100, 0, 0, 0, 0, 0);
    }

    @Test
    void aCancelledConsumersOutstandingDeliveriesStayUnackedAndTheirAcksStillCount()
    {
        channel.queueDeclare("q");
        for (int i = 0; i < 5; i++)
        {
            channel.publish("", "q", TEN_BYTES);
        }
        final List<Long> tags = new ArrayList<>();
        final Consumer consumer = channel.consume("q", ConsumeOptions.builder().prefetch(5).callerDriven(() -> { }).build(),
            d -> tags.add(d.deliveryTag()));
        assertEquals(5, consumer.deliver(5));
        consumer.cancel();
        assertEquals(0, info().consumerCount());
        assertCounts("cancelled, all outstanding", info(), 5, 5, 0, 0, 5, 0, 0);
        channel.ack(tags.get(2), true);
        assertCounts("three acked after the cancel", info(), 5, 5, 3, 0, 2, 0, 0);
        assertEquals(1, broker.queueNamed("q").statistics().liveCells(), "outstanding: the cell still counts");
        channel.ack(tags.get(4), true);
        assertCounts("all acked", info(), 5, 5, 5, 0, 0, 0, 0);
        assertEquals(0, broker.queueNamed("q").statistics().liveCells(), "settled and stopped: folded");
    }

    @Test
    void messagesThatExpireLeaveTheReadyBytes()
    {
        channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMillis(1)).build());
        for (int i = 0; i < 3; i++)
        {
            channel.publish("", "q", TEN_BYTES);
        }
        Await.until("expired by the sweeper", () -> info().expiredCount() == 3);
        assertCounts("expired", info(), 3, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void dropHeadAndPriorityQueuesCountWhatWasPublishedAndWhatIsReady()
    {
        channel.queueDeclare(QueueSpec.builder("short").maxLength(5).overflow(OverflowPolicy.DROP_HEAD).build());
        channel.queueDeclare(QueueSpec.builder("levels").maxPriority(3).build());
        for (int i = 0; i < 8; i++)
        {
            channel.publish("", "short", TEN_BYTES);
            channel.publish("", "levels", MessageProperties.builder().priority(i % 4).build(), TEN_BYTES);
        }
        final QueueInfo dropHead = broker.inspector().queue("short").orElseThrow();
        assertCounts("drop-head", dropHead, 8, 0, 0, 0, 0, 50, 5);
        assertEquals(3, dropHead.droppedCount());
        assertCounts("priorities", broker.inspector().queue("levels").orElseThrow(), 8, 0, 0, 0, 0, 80, 8);
        channel.queueDeclare(QueueSpec.builder("refuses").maxLength(1).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        channel.publish("", "refuses", TEN_BYTES);
        channel.publish("", "refuses", TEN_BYTES);
        assertCounts("a refused publish is not published", broker.inspector().queue("refuses").orElseThrow(), 1, 0, 0, 0,
            0, 10, 1);
    }

    @Test
    void countsNeverDecreaseAcrossConsumerChurnAndQueueDeletion()
    {
        channel.queueDeclare("q");
        QueueInfo last = info();
        final List<Long> outstanding = new ArrayList<>();
        for (int round = 0; round < 40; round++)
        {
            channel.publish("", "q", TEN_BYTES);
            channel.publish("", "q", TEN_BYTES);
            final boolean autoAck = round % 2 == 0;
            final List<Long> tags = new ArrayList<>();
            final Consumer consumer = channel.consume("q", ConsumeOptions.builder().autoAck(autoAck)
                .callerDriven(() -> { }).build(), d -> tags.add(d.deliveryTag()));
            assertEquals(2, consumer.deliver(2));
            if (!autoAck)
            {
                channel.ack(tags.get(0), false);
                outstanding.add(tags.get(1)); // one left for later: its consumer is long cancelled by then
            }
            consumer.cancel();
            final QueueInfo now = info();
            assertNotDecreased(last, now);
            last = now;
        }
        assertCounts("after churn", last, 80, 80, 20, 0, 20, 0, 0);
        final BrokerOverview before = broker.inspector().overview();
        assertEquals(80, before.deliveredCount());

        channel.queueDelete("q");
        final BrokerOverview deleted = broker.inspector().overview();
        assertEquals(before.publishedCount(), deleted.publishedCount());
        assertEquals(before.deliveredCount(), deleted.deliveredCount());
        assertEquals(before.acknowledgedCount(), deleted.acknowledgedCount());
        assertEquals(0, deleted.messagesUnacked(), "a deleted queue holds nothing");
        assertEquals(1, broker.statistics().unsettledDeletedQueues(), "its consumers' deliveries are still outstanding");

        for (final long tag : outstanding)
        {
            channel.ack(tag, false); // acknowledged after their queue went: still counted
        }
        final BrokerOverview settled = broker.inspector().overview();
        assertEquals(40, settled.acknowledgedCount());
        assertEquals(0, broker.statistics().unsettledDeletedQueues(), "settled: folded into the broker's totals");
        channel.queueDeclare("q"); // a new queue of the same name starts from zero; the broker's totals go on
        assertCounts("new queue", info(), 0, 0, 0, 0, 0, 0, 0);
        assertEquals(80, broker.inspector().overview().publishedCount());
    }

    private QueueInfo info()
    {
        return broker.inspector().queue("q").orElseThrow();
    }

    private static void assertCounts(final String when, final QueueInfo info, final long published, final long delivered,
        final long acknowledged, final long redelivered, final int unacked, final long bytesReady, final int ready)
    {
        assertEquals(List.of(published, delivered, acknowledged, redelivered, (long)unacked, bytesReady, (long)ready),
            List.of(info.publishedCount(), info.deliveredCount(), info.acknowledgedCount(), info.redeliveredCount(),
                (long)info.unackedCount(), info.bytesReady(), (long)info.messageCount()),
            when + ": published, delivered, acknowledged, redelivered, unacked, bytesReady, ready of " + info);
    }

    private static void assertNotDecreased(final QueueInfo before, final QueueInfo after)
    {
        assertTrue(after.publishedCount() >= before.publishedCount() && after.deliveredCount() >= before.deliveredCount() &&
            after.acknowledgedCount() >= before.acknowledgedCount() && after.redeliveredCount() >= before.redeliveredCount(),
            before + " then " + after);
    }
}
