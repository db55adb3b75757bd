package io.ringmq.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run offers of {@link MpmcRing#offerRunBelow} and {@link MpmcGrowingRing#offerRun}: a prefix of
 * the run that fits goes in with one claim, in order, never past a limit, a ring's end or its close.
 * (Their races with single offers and polls are {@code RunOfferStress}'s, under jcstress.)
 */
class RunOfferTest
{
    private static Integer[] ids(final int from, final int count)
    {
        final Integer[] ids = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = from + i;
        }
        return ids;
    }

    @Test
    void aRunTakesConsecutiveIndexesInOrderAcrossTheRingsWrap()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(8);
        assertEquals(5, ring.offerRunBelow(ids(0, 5), 0, 5, Long.MAX_VALUE));
        for (int i = 0; i < 5; i++)
        {
            assertEquals(i, ring.poll());
        }
        assertEquals(8, ring.offerRunBelow(ids(10, 12), 2, 10, Long.MAX_VALUE), "only the ring's 8 slots, from index 5 round the end");
        assertEquals(13, ring.producerIndex());
        for (int i = 12; i < 20; i++)
        {
            assertEquals(i, ring.poll());
        }
        assertNull(ring.poll());
    }

    @Test
    void aRunOnAPartlyFullRingTakesTheLongestPrefixWithRoom()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(4);
        assertTrue(ring.offer(0));
        assertTrue(ring.offer(1));
        assertEquals(2, ring.offerRunBelow(ids(2, 5), 0, 5, Long.MAX_VALUE));
        assertEquals(0, ring.offerRunBelow(ids(7, 1), 0, 1, Long.MAX_VALUE), "full: nothing");
        assertEquals(MpmcRing.FULL, ring.offerBelow(7, Long.MAX_VALUE), "and a single offer says why");
        assertEquals(0, ring.poll());
        assertEquals(1, ring.offerRunBelow(ids(4, 3), 0, 3, Long.MAX_VALUE), "one slot freed, one taken");
        for (final int expected : new int[] {1, 2, 3, 4})
        {
            assertEquals(expected, ring.poll());
        }
    }

    @Test
    void aRunStopsExactlyAtTheIndexLimitAndTakesNothingOnAClosedRing()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(16);
        assertEquals(3, ring.offerRunBelow(ids(0, 10), 0, 10, 3));
        assertEquals(0, ring.offerRunBelow(ids(0, 10), 0, 10, 3), "at the limit");
        assertEquals(3, ring.producerIndex());
        ring.close();
        assertEquals(0, ring.offerRunBelow(ids(3, 1), 0, 1, Long.MAX_VALUE));
        assertEquals(3, ring.producerIndex(), "what a closed ring holds is final");
    }

    @Test
    void aNullInTheRunIsRefusedBeforeAnySlotIsClaimed()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(4);
        assertThrows(NullPointerException.class, () -> ring.offerRunBelow(new Integer[] {1, null, 3}, 0, 3, Long.MAX_VALUE));
        assertEquals(0, ring.producerIndex(), "no claimed slot left unpublished for consumers to wait on");
        assertTrue(ring.offer(1));
        assertEquals(1, ring.poll());
    }

    @Test
    void aGrowingRingTakesARunAcrossEveryGrowthStepUpToExactlyItsCapacity()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 64);
        assertTrue(ring.offer(-1));
        assertEquals(64 - 1, ring.offerRun(ids(0, 100), 0, 100), "the capacity, exactly, through rings of 2, 8, 32 and 64 slots");
        assertEquals(64, ring.currentRingCapacity());
        assertEquals(0, ring.offerRun(ids(100, 1), 0, 1), "full");
        assertEquals(-1, ring.poll());
        assertEquals(1, ring.offerRun(ids(200, 5), 0, 5), "one taken, one room (the cached limit re-read)");
        for (int i = 0; i < 63; i++)
        {
            assertEquals(i, ring.relaxedPoll());
        }
        assertEquals(200, ring.poll());
        assertTrue(ring.isEmpty());
        assertEquals(65, ring.producerIndex());
    }

    @Test
    void runsAndSingleOffersFromRacingProducersEachArriveOnceInTheirOrder() throws InterruptedException
    {
        final int perProducer = 20_000;
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(256);
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread runs = new Thread(() ->
        {
            await(start);
            final Integer[] batch = new Integer[7];
            for (int next = 0; next < perProducer && !stop.get(); )
            {
                final int size = Math.min(batch.length, perProducer - next);
                for (int j = 0; j < size; j++)
                {
                    batch[j] = next + j; // run ids: 0 .. perProducer-1
                }
                next += ring.offerRun(batch, 0, size);
            }
        }, "runs");
        final Thread singles = new Thread(() ->
        {
            await(start);
            for (int next = 0; next < perProducer && !stop.get(); )
            {
                if (ring.offer(perProducer + next)) // single ids: perProducer ..
                {
                    next++;
                }
            }
        }, "singles");
        runs.start();
        singles.start();
        start.countDown();
        int lastRun = -1;
        int lastSingle = perProducer - 1;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (int taken = 0; taken < 2 * perProducer; )
        {
            assertTrue(System.nanoTime() < deadline, "took " + taken + " in time");
            final Integer id = ring.relaxedPoll();
            if (id == null)
            {
                continue;
            }
            taken++;
            if (id < perProducer)
            {
                assertEquals(lastRun + 1, id, "the run producer's ids, each once, in order");
                lastRun = id;
            }
            else
            {
                assertEquals(lastSingle + 1, id, "the single producer's ids, each once, in order");
                lastSingle = id;
            }
        }
        stop.set(true);
        runs.join(5_000);
        singles.join(5_000);
        assertFalse(runs.isAlive() || singles.isAlive());
        assertNull(ring.poll(), "nothing more than was offered");
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
