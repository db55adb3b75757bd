package io.ringmq.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MpmcGrowingRing}: small at first, grown by what it holds, with the bound, FIFO and
 * exactly-once of one ring of the full capacity, for single polls and batches. (That it allocates nothing once grown is measured by
 * the bench's {@code RingMqPushThroughput} with {@code -prof gc}.)
 */
class MpmcGrowingRingTest
{
    @Test
    void startsWithSixteenSlotsAndGrowsFourfoldUpToTheCapacityOnlyAsItFills()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(1024);
        assertEquals(MpmcGrowingRing.INITIAL_CAPACITY, ring.currentRingCapacity());
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(ring.offer(i));
            assertEquals(i, ring.poll()); // one at a time: never more than one slot needed
        }
        assertEquals(16, ring.currentRingCapacity(), "1,000 messages through, one at a time: no growth");
        final List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 1024; i++)
        {
            assertTrue(ring.offer(i));
            if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != ring.currentRingCapacity())
            {
                sizes.add(ring.currentRingCapacity());
            }
        }
        assertEquals(List.of(16, 64, 256, 1024), sizes);
    }

    @Test
    void holdsExactlyItsCapacityAcrossGrowthAndKeepsFifo()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 64);
        for (int i = 0; i < 64; i++)
        {
            assertTrue(ring.offer(i), "offer " + i + " of 64");
        }
        assertFalse(ring.offer(64), "the 65th offer is above the capacity");
        assertEquals(64, ring.size());
        assertEquals(64, ring.producerIndex(), "a refused offer is not counted");
        assertEquals(0, ring.poll());
        assertTrue(ring.offer(64), "one taken, one room");
        assertFalse(ring.offer(65));
        for (int i = 1; i <= 64; i++)
        {
            assertEquals(i, ring.relaxedPoll());
        }
        assertNull(ring.poll());
        assertTrue(ring.isEmpty());
        assertEquals(65, ring.producerIndex());
    }

    @Test
    void aBatchTakesWhatIsReadyAcrossTheGrowthInOrder()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 64);
        for (int i = 0; i < 10; i++)
        {
            assertTrue(ring.offer(i)); // a ring of 2 (0, 1; closed by the third offer), then one of 8 (2..9)
        }
        final Integer[] out = new Integer[64];
        assertEquals(1, ring.relaxedPollBatch(out, 0, 1), "bounded by max");
        assertEquals(0, out[0]);
        assertEquals(9, ring.relaxedPollBatch(out, 1, 64), "the closed ring's rest, then the next ring's run: one claim each");
        for (int i = 0; i < 10; i++)
        {
            assertEquals(i, out[i]);
        }
        assertEquals(0, ring.relaxedPollBatch(out, 0, 64));
        assertTrue(ring.isEmpty());
        assertEquals(0, ring.size());
        assertTrue(ring.offer(10));
        assertEquals(10, ring.relaxedPoll(), "single polls go on behind a batch");
    }

    @Test
    void aSmallCapacityIsOneRingThatNeverGrows()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(4);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(ring.offer(i));
        }
        assertFalse(ring.offer(4));
        assertEquals(4, ring.currentRingCapacity());
    }

    @Test
    void racingProducersWithoutConsumersFillItExactlyToTheCapacity() throws InterruptedException
    {
        for (int round = 0; round < 200; round++)
        {
            final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 32);
            final AtomicInteger accepted = new AtomicInteger();
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++)
            {
                final Thread producer = new Thread(() ->
                {
                    await(start);
                    for (int i = 0; i < 20; i++)
                    {
                        if (ring.offer(i))
                        {
                            accepted.incrementAndGet();
                        }
                    }
                });
                producer.start();
                producers.add(producer);
            }
            start.countDown();
            for (final Thread producer : producers)
            {
                producer.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(32, accepted.get(), "round " + round + ": 60 offers into a queue of 32, none taken");
            assertEquals(32, ring.producerIndex());
            int drained = 0;
            while (ring.poll() != null)
            {
                drained++;
            }
            assertEquals(32, drained);
        }
    }

    /**
     * Two producers and two consumers through rings that start at 2 slots: each element taken once,
     * each producer's elements taken in its order by each consumer, and never more held than the bound:
     * accepted minus taken is at most {@code capacity}, plus what consumers took and have not counted yet.
     */
    @Test
    void competingConsumersTakeEveryElementOnceInEachProducersOrderAcrossGrowth() throws InterruptedException
    {
        competingConsumersAcrossGrowth(false);
    }

    /** As above, one of the consumers taking runs of up to 8 with {@link MpmcGrowingRing#relaxedPollBatch}. */
    @Test
    void aBatchTakerAndASinglePollerTakeEveryElementOnceInEachProducersOrderAcrossGrowth() throws InterruptedException
    {
        competingConsumersAcrossGrowth(true);
    }

    private static void competingConsumersAcrossGrowth(final boolean batchTaker) throws InterruptedException
    {
        final int perProducer = 200_000;
        final int capacity = 256;
        final MpmcGrowingRing<Long> ring = new MpmcGrowingRing<>(2, capacity);
        final AtomicInteger[] taken = {new AtomicInteger(), new AtomicInteger()};
        final AtomicBoolean failed = new AtomicBoolean();
        final StringBuffer why = new StringBuffer();
        final boolean[][] seen = new boolean[2][perProducer];
        final AtomicInteger total = new AtomicInteger();
        // Taken from the ring but not counted yet: the other consumer's one, and the rest of a batch taker's run.
        final int slack = batchTaker ? 1 + 8 : 1;
        final List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 2; p++)
        {
            final long producer = p;
            threads.add(new Thread(() ->
            {
                for (int i = 0; i < perProducer && !failed.get(); )
                {
                    if (ring.offer(producer << 32 | i))
                    {
                        i++;
                    }
                    else
                    {
                        Thread.yield();
                    }
                }
            }));
        }
        for (int c = 0; c < 2; c++)
        {
            final boolean relaxed = c == 0;
            threads.add(new Thread(() ->
            {
                final int[] last = {-1, -1};
                final Long[] run = new Long[8];
                int runSize = 0;
                int runNext = 0;
                while (total.get() < 2 * perProducer && !failed.get())
                {
                    final Long element;
                    if (relaxed || !batchTaker)
                    {
                        element = relaxed ? ring.relaxedPoll() : ring.poll();
                    }
                    else
                    {
                        if (runNext == runSize)
                        {
                            runSize = ring.relaxedPollBatch(run, 0, run.length);
                            runNext = 0;
                        }
                        element = runNext < runSize ? run[runNext++] : null;
                    }
                    if (element == null)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    final int producer = (int)(element >>> 32);
                    final int sequence = (int)(long)element;
                    if (sequence <= last[producer])
                    {
                        why.append("producer ").append(producer).append(": ").append(sequence).append(" after ").append(last[producer]);
                        failed.set(true);
                    }
                    last[producer] = sequence;
                    synchronized (seen)
                    {
                        if (seen[producer][sequence])
                        {
                            why.append("taken twice: ").append(producer).append('/').append(sequence);
                            failed.set(true);
                        }
                        seen[producer][sequence] = true;
                    }
                    final long held = ring.producerIndex() - total.incrementAndGet();
                    if (held > capacity + slack)
                    {
                        why.append("held ").append(held).append(" above ").append(capacity);
                        failed.set(true);
                    }
                    taken[producer].incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (final Thread thread : threads)
        {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        assertFalse(failed.get(), why::toString);
        assertEquals(perProducer, taken[0].get());
        assertEquals(perProducer, taken[1].get());
        assertTrue(ring.isEmpty());
        assertEquals(2L * perProducer, ring.producerIndex());
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
