package io.ringmq;

import io.ringmq.routing.ExchangeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Channel#publishBatch} offers each queue its messages in runs ({@link Channel#PUBLISH_RUN} at a
 * time, one ring claim where the queue has room): every message's outcome is still what
 * {@link Channel#publish} would give it, where the bound is hit mid-run under each overflow policy,
 * where a queue is deleted while the batch waits on it, and where the destinations mix plain queues
 * with queues that take no runs (TTL). Bodies are 4-byte sequence numbers.
 */
class PublishBatchRunTest extends BrokerTestBase
{
    private static final int BODY = 4;

    private static byte[][] bodies(final int count)
    {
        final byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            bodies[i] = seq(i);
        }
        return bodies;
    }

    /** Gets every ready message of {@code queue}, asserting they are {@code from, from+1, ...}; @return how many. */
    private int assertInOrderFrom(final String queue, final int from)
    {
        int expected = from;
        Delivery delivery;
        while ((delivery = channel.get(queue, true)) != null)
        {
            assertEquals(expected, seqOf(delivery.body()), queue + ": message out of order");
            expected++;
        }
        return expected - from;
    }

    private QueueInfo info(final String queue)
    {
        return broker.inspector().queue(queue).orElseThrow();
    }

    @Test
    void aBatchOfSeveralRunsArrivesWholeAndInOrderAcrossTheRingsGrowth()
    {
        channel.queueDeclare("q");
        final int count = 3 * Channel.PUBLISH_RUN + 17; // several runs, the last one short; the ring grows 16 → 64 → 256
        final PublishResult result = channel.publishBatch("", "q", false, null, bodies(count), 0, count);
        assertEquals(count, result.routedQueues());
        assertEquals(count, result.acceptedQueues());
        assertEquals(0, result.refusedQueues());
        assertEquals(count, info("q").publishedCount());
        assertEquals((long)count * BODY, info("q").bytesReady(), "each run's bytes counted in once, exactly");
        assertEquals(count, assertInOrderFrom("q", 0));
        assertEquals(0, info("q").bytesReady(), "and counted out by the gets: never more, never less");
    }

    @Test
    void aRejectPublishQueueFullMidRunTakesWhatFitsAndRefusesEachOfTheRest()
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(8).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        final PublishResult result = channel.publishBatch("", "q", false, null, bodies(20), 0, 20);
        assertEquals(20, result.routedQueues());
        assertEquals(8, result.acceptedQueues(), "the capacity, exactly");
        assertEquals(12, result.refusedQueues());
        assertEquals(8, info("q").publishedCount(), "a refused message is not published");
        assertEquals(8L * BODY, info("q").bytesReady(), "the run's untaken part counted back out");
        assertEquals(8, assertInOrderFrom("q", 0));
    }

    @Test
    void aDropHeadQueueFullMidRunDropsItsOldestForEachOfTheRest()
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(8).overflow(OverflowPolicy.DROP_HEAD).build());
        final PublishResult result = channel.publishBatch("", "q", false, null, bodies(20), 0, 20);
        assertEquals(20, result.acceptedQueues());
        assertEquals(12, result.droppedMessages());
        assertEquals(12, info("q").droppedCount());
        assertEquals(8L * BODY, info("q").bytesReady());
        assertEquals(8, assertInOrderFrom("q", 12), "the newest eight, in order");
    }

    @Test
    void aBlockQueueFullMidRunTimesOutEachOfTheRestWithItsName()
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(8).overflow(OverflowPolicy.BLOCK).build());
        channel.setPublishTimeout(Duration.ofMillis(5));
        final PublishTimeoutException timedOut = assertThrows(PublishTimeoutException.class,
            () -> channel.publishBatch("", "q", false, null, bodies(11), 0, 11));
        assertEquals(Collections.nCopies(3, "q"), timedOut.queues(), "one name per message the queue did not take");
        assertEquals(8, timedOut.result().acceptedQueues());
        assertEquals(3, timedOut.result().refusedQueues());
        assertEquals(8L * BODY, info("q").bytesReady());
        assertEquals(8, assertInOrderFrom("q", 0));
    }

    @Test
    void aBlockQueueFullMidRunWaitsForRoomAndKeepsTheOrder() throws InterruptedException
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(8).overflow(OverflowPolicy.BLOCK).build());
        channel.setPublishTimeout(Duration.ofSeconds(20));
        final int count = 2 * Channel.PUBLISH_RUN + 5;
        final Channel getter = broker.openChannel();
        final List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(1);
        final Thread consumer = new Thread(() ->
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (taken.size() < count && System.nanoTime() < deadline)
            {
                final Delivery delivery = getter.get("q", true);
                if (delivery == null)
                {
                    Thread.onSpinWait();
                    continue;
                }
                taken.add(seqOf(delivery.body()));
            }
            done.countDown();
        }, "getter");
        consumer.start();
        final PublishResult result = channel.publishBatch("", "q", false, null, bodies(count), 0, count);
        assertEquals(count, result.acceptedQueues());
        assertTrue(done.await(30, TimeUnit.SECONDS), "the getter took them all in time");
        consumer.join(TimeUnit.SECONDS.toMillis(5));
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            expected.add(i);
        }
        assertEquals(expected, taken, "every message once, in the publisher's order, through a full queue");
        assertEquals(0, info("q").bytesReady());
    }

    @Test
    void aFanoutBatchReachesEveryQueueInOrderEachUnderItsOwnBound()
    {
        channel.exchangeDeclare("fan", ExchangeType.FANOUT);
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        channel.queueDeclare(QueueSpec.builder("small").capacity(16).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        for (final String q : List.of("a", "small", "b"))
        {
            channel.queueBind(q, "fan", "");
        }
        final int count = 2 * Channel.PUBLISH_RUN + 1;
        final PublishResult result = channel.publishBatch("fan", "", false, null, bodies(count), 0, count);
        assertEquals(3 * count, result.routedQueues());
        assertEquals(2 * count + 16, result.acceptedQueues());
        assertEquals(count - 16, result.refusedQueues());
        assertEquals(count, assertInOrderFrom("a", 0));
        assertEquals(count, assertInOrderFrom("b", 0));
        assertEquals(16, assertInOrderFrom("small", 0));
    }

    @Test
    void aBatchToPlainAndTtlQueuesGivesEachAllItsMessagesInOrder()
    {
        channel.exchangeDeclare("fan", ExchangeType.FANOUT);
        channel.queueDeclare("plain");
        channel.queueDeclare(QueueSpec.builder("ttl").messageTtl(Duration.ofMinutes(1)).build());
        channel.queueBind("plain", "fan", "");
        channel.queueBind("ttl", "fan", "");
        final int count = Channel.PUBLISH_RUN + 10;
        final PublishResult result = channel.publishBatch("fan", "", false, null, bodies(count), 0, count);
        assertEquals(2 * count, result.acceptedQueues());
        assertEquals((long)count * BODY, info("ttl").bytesReady(), "a queue that takes no run counts each message once too");
        assertEquals((long)count * BODY, info("plain").bytesReady());
        assertEquals(count, assertInOrderFrom("ttl", 0));
        assertEquals(count, assertInOrderFrom("plain", 0));
    }

    @Test
    void aQueueDeletedWhileTheBatchWaitsOnItLosesNothingUncountedAndTheOthersGetEverything() throws InterruptedException
    {
        channel.exchangeDeclare("fan", ExchangeType.FANOUT);
        channel.queueDeclare(QueueSpec.builder("full").capacity(4).overflow(OverflowPolicy.BLOCK).build());
        channel.queueDeclare("kept");
        channel.queueBind("full", "fan", "");
        channel.queueBind("kept", "fan", "");
        channel.setPublishTimeout(Duration.ofSeconds(20));
        final MessageQueue full = broker.queueNamed("full");
        final int count = Channel.PUBLISH_RUN + 30;
        final AtomicReference<PublishResult> outcome = new AtomicReference<>();
        final Thread publisher = new Thread(() ->
            outcome.set(channel.publishBatch("fan", "", false, null, bodies(count), 0, count).copy()), "publisher");
        publisher.start();
        Await.until("the publisher waits on the full queue", () -> full.messageCount() == 4 &&
            publisher.getState() == Thread.State.TIMED_WAITING);
        final AtomicInteger deletedWith = new AtomicInteger();
        final Channel deleter = broker.openChannel();
        deletedWith.set(deleter.queueDelete("full"));
        publisher.join(TimeUnit.SECONDS.toMillis(20));
        final PublishResult result = outcome.get();
        assertEquals(2 * count, result.routedQueues());
        final int tookIntoFull = result.acceptedQueues() - count;
        assertEquals(count - tookIntoFull, result.refusedQueues(), "the rest refused by the deleted queue");
        assertEquals(tookIntoFull, full.discardedCount(), "everything the deleted queue took was discarded with it, counted");
        assertTrue(deletedWith.get() <= tookIntoFull);
        assertEquals(count, assertInOrderFrom("kept", 0), "the other queue got every message, in order");
        assertNull(channel.get("kept", true));
    }
}
