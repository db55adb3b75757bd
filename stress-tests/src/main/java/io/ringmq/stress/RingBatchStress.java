package io.ringmq.stress;

import io.ringmq.internal.MpmcGrowingRing;
import io.ringmq.internal.MpmcRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@code relaxedPollBatch} of {@link MpmcRing} and {@link MpmcGrowingRing}, a lone consumer's
 * take: a run of published heads claimed with one CAS of the consumer index. Its promises, where a batch
 * taker races a single poller and a producer (one actor that offers, polls, offers: jcstress schedules
 * two actors on these two CPUs), or another batch taker: each element is taken exactly once; a run is the ring's
 * consecutive heads in FIFO order (no element of another taker inside it); and on the growing ring,
 * where a batch claims once per ring it takes from, the consumers drain a closed ring before the next.
 * <p>
 * Elements are ids offered in increasing order by one producer (preloaded ones first), so FIFO means:
 * every taker sees increasing ids, and a run is consecutive ids. The arbiter drains the rest and gives
 * the verdict: 0 every id taken exactly once in order, 1 an id lost or taken twice, 2 FIFO broken (a taker
 * saw ids out of order, or a run was not consecutive heads).
 */
public final class RingBatchStress
{
    private RingBatchStress()
    {
    }

    /**
     * What the actors took and the arbiter drained, checked against ids 1..{@code count} in order.
     *
     * @param consecutive the batch taker's ids are one run (one claim): they must be consecutive heads.
     */
    static int verdict(final int count, final int[] run, final int runSize, final boolean consecutive, final int polled,
        final int[] drained, final int drainedSize)
    {
        final int[] times = new int[count + 1];
        boolean broken = false;
        for (int i = 0; i < runSize; i++)
        {
            times[run[i]]++;
            broken |= i > 0 && (consecutive ? run[i] != run[i - 1] + 1 : run[i] <= run[i - 1]);
        }
        if (polled != 0)
        {
            times[polled]++;
            // the poller's element inside the run: the claim was not of consecutive heads
            broken |= consecutive && runSize > 0 && polled > run[0] && polled < run[runSize - 1];
        }
        final int lastTaken = Math.max(polled, runSize > 0 ? run[runSize - 1] : 0);
        for (int i = 0; i < drainedSize; i++)
        {
            times[drained[i]]++;
            // the rest out of order, or left behind while a later id was taken
            broken |= i > 0 && drained[i] < drained[i - 1] || drained[i] < lastTaken;
        }
        for (int id = 1; id <= count; id++)
        {
            if (times[id] != 1)
            {
                return 1;
            }
        }
        return broken ? 2 : 0;
    }

    /**
     * A ring of 4 holds 1 and 2; one actor offers 3, polls once ({@code relaxedPoll}) and offers 4; a batch
     * taker takes one run of up to 4. r1: verdict; r2: the run's size; r3: the poller's id (0: none).
     */
    @JCStressTest
    @Outcome(id = "0, 1, [0-4]", expect = ACCEPTABLE, desc = "The run was one head (the next was not yet published, or the poller took it); every id once, in order.")
    @Outcome(id = "0, 2, [0-4]", expect = ACCEPTABLE, desc = "A run of two consecutive heads; every id once, in order.")
    @Outcome(id = "0, 3, [0-4]", expect = ACCEPTABLE, desc = "A run of three consecutive heads; every id once, in order.")
    @Outcome(id = "0, 4, 0", expect = ACCEPTABLE, desc = "The run took all four after the other actor was done (its poll found the ring empty).")
    @Outcome(id = "1, .*, .*", expect = FORBIDDEN, desc = "An id was lost or taken twice: two claims overlapped, or a slot was freed before it was read.")
    @Outcome(id = "2, .*, .*", expect = FORBIDDEN, desc = "FIFO broken: the run was not consecutive heads, or the rest drained out of order.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class BatchTakerRacingPollerAndProducerTakesEachOnceInOrder
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(4);
        private final Integer[] out = new Integer[4];
        private int runSize;
        private int polled;

        public BatchTakerRacingPollerAndProducerTakesEachOnceInOrder()
        {
            ring.offer(1);
            ring.offer(2);
        }

        @Actor
        public void producerAndPoller()
        {
            ring.offer(3);
            final Integer id = ring.relaxedPoll();
            polled = id == null ? 0 : id;
            ring.offer(4);
        }

        @Actor
        public void batchTaker()
        {
            runSize = ring.relaxedPollBatch(out, 0, 4);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final int[] run = new int[runSize];
            for (int i = 0; i < runSize; i++)
            {
                run[i] = out[i];
            }
            final int[] drained = new int[4];
            int drainedSize = 0;
            Integer id;
            while ((id = ring.poll()) != null)
            {
                drained[drainedSize++] = id;
            }
            r.r1 = verdict(4, run, runSize, true, polled, drained, drainedSize);
            r.r2 = runSize;
            r.r3 = polled;
        }
    }

    /**
     * A growing ring (first ring 2 slots, capacity 8) holds 1 and 2; one actor offers 3 (which closes the
     * small ring and grows the queue), polls once and offers 4; a batch taker takes two batches of up to 4
     * (each may take the closed ring's rest and then the grown ring's heads). r1: verdict; r2: ids the
     * batch taker took; r3: the poller's id (0: none).
     */
    @JCStressTest
    @Outcome(id = "0, [0-4], [0-4]", expect = ACCEPTABLE, desc = "Every id once, the batch taker's ids in order, the closed ring drained before the grown one.")
    @Outcome(id = "1, .*, .*", expect = FORBIDDEN, desc = "An id was lost or taken twice across the growth.")
    @Outcome(id = "2, .*, .*", expect = FORBIDDEN, desc = "FIFO broken across the growth: a taker saw 3 or 4 before 1 or 2, or a run was not consecutive heads.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class BatchesAcrossGrowthTakeEachOnceInOrder
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 8);
        private final Integer[] out = new Integer[8];
        private int firstRun;
        private int secondRun;
        private int polled;

        public BatchesAcrossGrowthTakeEachOnceInOrder()
        {
            ring.offer(1);
            ring.offer(2);
        }

        @Actor
        public void producerAndPoller()
        {
            ring.offer(3);
            final Integer id = ring.relaxedPoll();
            polled = id == null ? 0 : id;
            ring.offer(4);
        }

        @Actor
        public void batchTaker()
        {
            firstRun = ring.relaxedPollBatch(out, 0, 4);
            secondRun = ring.relaxedPollBatch(out, firstRun, 4);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final int taken = firstRun + secondRun;
            int verdict = 0;
            for (int i = 1; i < taken; i++)
            {
                if (out[i] <= out[i - 1])
                {
                    verdict = 2; // the batch taker saw ids out of order
                }
            }
            final int[] drained = new int[4];
            int drainedSize = 0;
            Integer id;
            while ((id = ring.poll()) != null)
            {
                drained[drainedSize++] = id;
            }
            final int[] all = runOf(0, taken);
            // Exactly once, and FIFO between the taker's ids (increasing), the poller's and the rest.
            final int whole = verdict(4, all, taken, false, polled, drained, drainedSize);
            // Not "consecutive" per batch here: a batch that crosses the growth claims twice, and the poller may
            // take between its claims; the taker's ids increasing and the rest after them is what FIFO says.
            if (whole == 1)
            {
                verdict = 1;
            }
            else if (verdict == 0 && whole == 2)
            {
                verdict = 2;
            }
            r.r1 = verdict;
            r.r2 = taken;
            r.r3 = polled;
        }

        private int[] runOf(final int from, final int to)
        {
            final int[] run = new int[to - from];
            for (int i = from; i < to; i++)
            {
                run[i - from] = out[i];
            }
            return run;
        }
    }

    /**
     * A ring of 8 holds 1..6; two batch takers each take one run of up to 4. Their claims race on the same
     * consumer index. r1: 0 every id once and each run consecutive heads, 1 an id lost or taken twice, 2 a
     * run not consecutive; r2, r3: the runs' sizes.
     */
    @JCStressTest
    @Outcome(id = "0, 4, 2", expect = ACCEPTABLE, desc = "The first claimed 1-4 (or 3-6 after the second's 1-2), the other the two left.")
    @Outcome(id = "0, 2, 4", expect = ACCEPTABLE, desc = "The second claimed four first, or the first claimed 1-2 before the second's four.")
    @Outcome(id = "0, 4, 4", expect = FORBIDDEN, desc = "Eight ids from six: claims overlapped.")
    @Outcome(id = "1, .*, .*", expect = FORBIDDEN, desc = "An id was lost or taken twice: two claims overlapped.")
    @Outcome(id = "2, .*, .*", expect = FORBIDDEN, desc = "A run was not consecutive heads.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome (each run is what was published from its claim's head, up to 4).")
    @State
    public static class RacingBatchTakersClaimDisjointRuns
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(8);
        private final Integer[] first = new Integer[4];
        private final Integer[] second = new Integer[4];
        private int firstSize;
        private int secondSize;

        public RacingBatchTakersClaimDisjointRuns()
        {
            for (int id = 1; id <= 6; id++)
            {
                ring.offer(id);
            }
        }

        @Actor
        public void firstTaker()
        {
            firstSize = ring.relaxedPollBatch(first, 0, 4);
        }

        @Actor
        public void secondTaker()
        {
            secondSize = ring.relaxedPollBatch(second, 0, 4);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final int[] times = new int[7];
            int verdict = 0;
            for (int i = 0; i < firstSize; i++)
            {
                times[first[i]]++;
                verdict = i > 0 && first[i] != first[i - 1] + 1 ? 2 : verdict;
            }
            for (int i = 0; i < secondSize; i++)
            {
                times[second[i]]++;
                verdict = i > 0 && second[i] != second[i - 1] + 1 ? 2 : verdict;
            }
            Integer id;
            while ((id = ring.poll()) != null)
            {
                times[id]++;
            }
            for (int i = 1; i <= 6; i++)
            {
                verdict = times[i] != 1 ? 1 : verdict;
            }
            r.r1 = verdict;
            r.r2 = firstSize;
            r.r3 = secondSize;
        }
    }
}
