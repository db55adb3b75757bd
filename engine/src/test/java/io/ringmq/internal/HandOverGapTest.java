package io.ringmq.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-over gap of a run offer ({@link MpmcRing#offerRunBelow}): slots whose previous element a
 * consumer has claimed (the consumer index moved past it) but not yet handed over. A run waits for them
 * and claims them with the rest of its room in one CAS; a slot no consumer claimed is never waited for.
 * The claims are held open by {@link HeldClaim}; the runs that must wait are given an unbounded budget
 * (the package-private overload) and run on a second thread, so no test depends on timing. Their races
 * with a real consumer are {@code HandOverGapStress}'s, under jcstress.
 */
class HandOverGapTest
{
    private static final int UNBOUNDED = Integer.MAX_VALUE;
    /** Long enough for a run that would not wait to have answered; a wrong answer shows up as a failure, not a hang. */
    private static final long SETTLE_MS = 100;

    private static Integer[] ids(final int from, final int count)
    {
        final Integer[] ids = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            ids[i] = from + i;
        }
        return ids;
    }

    /** A ring of {@code capacity} holding 0 .. capacity-1. */
    private static MpmcRing<Integer> fullRing(final int capacity)
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(capacity);
        for (int i = 0; i < capacity; i++)
        {
            assertTrue(ring.offer(i));
        }
        return ring;
    }

    /** A run offer on its own thread; {@link #join} answers what it took. */
    private static final class RunOnThread
    {
        private final AtomicInteger taken = new AtomicInteger(-1);
        private final Thread thread;

        RunOnThread(final MpmcRing<Integer> ring, final Integer[] run, final int spins)
        {
            thread = new Thread(() -> taken.set(ring.offerRunBelow(run, 0, run.length, Long.MAX_VALUE, spins)), "run");
            thread.setDaemon(true); // a run that never returns fails the test, it does not hang the build
            thread.start();
        }

        boolean isWaiting() throws InterruptedException
        {
            thread.join(SETTLE_MS);
            return thread.isAlive();
        }

        int join() throws InterruptedException
        {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(thread.isAlive(), "the run returned");
            return taken.get();
        }
    }

    private static void assertPolls(final MpmcRing<Integer> ring, final int... expected)
    {
        for (final int id : expected)
        {
            assertEquals(id, ring.poll());
        }
        assertNull(ring.poll(), "nothing more");
    }

    @Test
    void aRunWaitsForSlotsClaimedButNotHandedOverAndTakesThemInOneClaim() throws InterruptedException
    {
        final MpmcRing<Integer> ring = fullRing(8);
        final HeldClaim<Integer> claim = HeldClaim.claimHeads(ring, 4); // 0-3 claimed, slots not yet free
        final RunOnThread run = new RunOnThread(ring, ids(8, 6), UNBOUNDED);
        assertTrue(run.isWaiting(), "the run waits for the hand-over instead of answering 0");
        claim.handOver(3);
        assertTrue(run.isWaiting(), "three slots free, the gap's last one still held: still waiting");
        assertEquals(8, ring.producerIndex(), "it claimed no prefix while it waited");
        claim.handOver(1);
        assertEquals(4, run.join(), "the whole room, as the consumer index allowed: 4 of the run's 6");
        assertEquals(12, ring.producerIndex(), "one claim of 8 .. 11");
        assertPolls(ring, 4, 5, 6, 7, 8, 9, 10, 11);
    }

    @Test
    void aFullRingWithNothingClaimedAnswersZeroAtOnceWithoutWaiting()
    {
        final MpmcRing<Integer> ring = fullRing(4);
        // An unbounded budget: a run that waited here would never return.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(0, ring.offerRunBelow(ids(4, 3), 0, 3, Long.MAX_VALUE, UNBOUNDED)));
        assertEquals(0, ring.poll());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(1, ring.offerRunBelow(ids(4, 3), 0, 3, Long.MAX_VALUE, UNBOUNDED)),
            "one free slot, the rest unclaimed elements: the free slot at once");
        assertEquals(MpmcRing.FULL, ring.offerBelow(9, Long.MAX_VALUE), "full again, as a single offer says");
        assertPolls(ring, 1, 2, 3, 4);
    }

    @Test
    void aRunTakesFreeSlotsAndTheHandOverGapButNeverMoreThanTheCapacity() throws InterruptedException
    {
        final MpmcRing<Integer> ring = fullRing(8);
        assertEquals(0, ring.poll());
        assertEquals(1, ring.poll()); // indexes 8, 9 free
        final HeldClaim<Integer> claim = HeldClaim.claimHeads(ring, 3); // 10, 11, 12 in the gap; 5-7 unclaimed
        final RunOnThread run = new RunOnThread(ring, ids(100, 8), UNBOUNDED);
        assertTrue(run.isWaiting(), "free slots first, then the gap: it waits for the gap");
        claim.handOverAll();
        assertEquals(5, run.join(), "two free and three handed over; not the slots of 5, 6, 7");
        assertEquals(8, ring.producerIndex() - ring.consumerIndex(), "exactly the capacity in the ring");
        assertEquals(0, ring.offerRunBelow(ids(200, 1), 0, 1, Long.MAX_VALUE, UNBOUNDED), "full, nothing claimed");
        assertPolls(ring, 5, 6, 7, 100, 101, 102, 103, 104);
    }

    @Test
    void aMovingProducerIndexStopsTheWaitAndTheRunCountsAgainFromTheNewIndex() throws InterruptedException
    {
        final MpmcRing<Integer> ring = fullRing(8);
        final HeldClaim<Integer> claim = HeldClaim.claimHeads(ring, 4); // gap: indexes 8 .. 11
        final RunOnThread run = new RunOnThread(ring, ids(100, 4), UNBOUNDED);
        assertTrue(run.isWaiting());
        claim.handOver(1);
        assertTrue(ring.offer(50), "a single offer takes index 8, handed over, while the run waits on 11");
        assertTrue(run.isWaiting(), "it counted again from 9: 9 .. 11, still in the gap");
        claim.handOverAll();
        assertEquals(3, run.join(), "the room left after the other producer's claim");
        assertEquals(12, ring.producerIndex());
        assertPolls(ring, 4, 5, 6, 7, 50, 100, 101, 102);
    }

    @Test
    void aCloseWhileARunWaitsForAHandOverEndsTheWaitWithNothingTaken() throws InterruptedException
    {
        final MpmcRing<Integer> ring = fullRing(8);
        final HeldClaim<Integer> claim = HeldClaim.claimHeads(ring, 2);
        final RunOnThread run = new RunOnThread(ring, ids(100, 2), UNBOUNDED);
        assertTrue(run.isWaiting());
        ring.close(); // moves the producer index: the wait stops, the run reads the index again
        assertEquals(0, run.join(), "closed: nothing taken, though the claim is still held");
        claim.handOverAll();
        assertEquals(8, ring.producerIndex(), "what a closed ring holds is final");
        assertPolls(ring, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void aRunGivesUpItsBoundedWaitOnAClaimNeverHandedOverAndTakesTheFreePrefix()
    {
        final MpmcRing<Integer> ring = fullRing(8);
        assertEquals(0, ring.poll());
        assertEquals(1, ring.poll());
        final HeldClaim<Integer> claim = HeldClaim.claimHeads(ring, 3); // a consumer descheduled with its claim
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertEquals(2, ring.offerRunBelow(ids(100, 8), 0, 8, Long.MAX_VALUE)),
            "the default budget runs out: the two free slots, in one claim");
        claim.handOverAll();
        assertEquals(3, ring.offerRunBelow(ids(102, 6), 0, 6, Long.MAX_VALUE), "handed over: the three slots");
        assertPolls(ring, 5, 6, 7, 100, 101, 102, 103, 104);
    }

    @Test
    void aGrowingRingsRunStoppedAtItsCachedLimitReReadsTheConsumersProgressAndGoesOnExactly()
    {
        final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(8, 8);
        assertEquals(8, ring.offerRun(ids(0, 8), 0, 8));
        assertEquals(8, ring.lpProducerLimit(), "the limit cached at construction: nothing consumed");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(i, ring.poll());
        }
        assertEquals(3, ring.offerRun(ids(8, 5), 0, 5), "the limit re-read: the three slots consumers freed, no more");
        assertEquals(11, ring.lpProducerLimit(), "refreshed to the consumers' progress plus the capacity");
        assertEquals(0, ring.offerRun(ids(13, 1), 0, 1), "full as of the consumers' progress just read");
        assertEquals(11, ring.producerIndex(), "the bound exact: 3 taken + 8 held");
        for (int i = 3; i < 11; i++)
        {
            assertEquals(i, ring.poll());
        }
        assertNull(ring.poll());
    }
}
