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
 * Subject: the run offer of the rings ({@link MpmcRing#offerRunBelow}, {@link MpmcGrowingRing#offerRun}),
 * which {@code Channel.publishBatch} uses to claim the slots of a batch with one CAS. Its promises, where
 * a run races a single offer and a poller: each accepted element is taken exactly once, each producer's
 * elements in its order (the run's too), the run's accepted elements are a prefix of it, and the bound
 * is never exceeded, also across a growth step of the growing ring.
 * <p>
 * The run producer offers ids 1-3 as one run, the single producer offers 4 then 5. Every verdict is
 * computed over the whole take order: the poller's takes, then the arbiter's drain.
 */
public final class RunOfferStress
{
    /** Verdict: every accepted id taken exactly once, no refused one, each producer's in its order. */
    static final int EXACT = 0;
    /** Verdict: an accepted id lost or taken twice, or a refused one found. */
    static final int LOST_OR_DUPLICATED = 1;
    /** Verdict: a producer's ids taken out of its order. */
    static final int OUT_OF_ORDER = 2;
    /** Verdict: more ids accepted than the bound allows, given what the poller had taken. */
    static final int BOUND_EXCEEDED = 3;

    private RunOfferStress()
    {
    }

    /** The run producer's ids, as one run. */
    static Integer[] run()
    {
        return new Integer[] {1, 2, 3};
    }

    static int idOrZero(final Integer id)
    {
        return id == null ? 0 : id;
    }

    /**
     * Sets r1 to the verdict over the poller's takes followed by the drain's, r2 to the ids accepted and
     * r3 to the ids the poller took.
     */
    static void finish(final III_Result r, final int[] polled, final Integer[] drained, final boolean[] accepted, final int bound)
    {
        final int[] takes = new int[polled.length + drained.length];
        int n = 0;
        for (final int id : polled)
        {
            if (id != 0)
            {
                takes[n++] = id;
            }
        }
        final int byPoller = n;
        for (final Integer id : drained)
        {
            if (id != null)
            {
                takes[n++] = id;
            }
        }
        int acceptedCount = 0;
        for (final boolean a : accepted)
        {
            acceptedCount += a ? 1 : 0;
        }
        r.r1 = verdict(takes, accepted, bound, byPoller);
        r.r2 = acceptedCount;
        r.r3 = byPoller;
    }

    /**
     * @param takes    ids in the order they were taken; 0 ends the list.
     * @param accepted accepted[id] for ids 1-5.
     * @param bound    the most elements the queue may hold at once.
     * @param polled   how many the poller took before the arbiter ran.
     */
    static int verdict(final int[] takes, final boolean[] accepted, final int bound, final int polled)
    {
        final int[] seen = new int[6];
        int lastRun = 0;
        int lastSingle = 3;
        int verdict = EXACT;
        for (final int id : takes)
        {
            if (id == 0)
            {
                break;
            }
            seen[id]++;
            if (id <= 3)
            {
                verdict = id < lastRun ? OUT_OF_ORDER : verdict;
                lastRun = id;
            }
            else
            {
                verdict = id < lastSingle ? OUT_OF_ORDER : verdict;
                lastSingle = id;
            }
        }
        int acceptedCount = 0;
        for (int id = 1; id <= 5; id++)
        {
            acceptedCount += accepted[id] ? 1 : 0;
            if (seen[id] != (accepted[id] ? 1 : 0))
            {
                verdict = LOST_OR_DUPLICATED;
            }
        }
        // The run's accepted ids must be a prefix of it: 3 without 2, or 2 without 1, is a gap.
        if ((accepted[3] && !accepted[2]) || (accepted[2] && !accepted[1]) || (accepted[5] && !accepted[4]))
        {
            verdict = LOST_OR_DUPLICATED;
        }
        return acceptedCount > bound + polled ? BOUND_EXCEEDED : verdict;
    }

    /**
     * An {@link MpmcRing} of 4 slots, empty. The run producer claims what it can of 1-3 in one go; the
     * other actor offers 4, polls, offers 5 and polls ({@code relaxedPoll}, the take of a plain queue),
     * so the run races a single offer and a poller on two CPUs. 5 may be refused when the poll before it
     * met the run's head still being written. r1: verdict, r2: ids accepted, r3: ids the poller took.
     */
    @JCStressTest
    @Outcome(id = "0, 5, [12]", expect = ACCEPTABLE, desc = "All five accepted: a poll freed a slot before 5 was offered; each id taken once, in order.")
    @Outcome(id = "0, 4, [0-2]", expect = ACCEPTABLE, desc = "Four accepted, the ring's slots: 5 was offered while all four were held (the poll found a head still being written).")
    @Outcome(id = "0, [0-3], .*", expect = FORBIDDEN, desc = "Fewer than four accepted into an empty ring of four: the run or an offer refused while it had room.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An accepted id was lost or taken twice, a refused one found, or the run's accepted ids are not a prefix.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "A producer's ids were taken out of its order (the run's publication is not per slot in order).")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "More accepted than four slots plus what the poller freed.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class RunRacingOfferAndPollOnOneRing
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(4);
        private final boolean[] accepted = new boolean[6];
        private final int[] polled = new int[2];
        private int runAccepted;

        @Actor
        public void runProducer()
        {
            runAccepted = ring.offerRunBelow(run(), 0, 3, Long.MAX_VALUE);
        }

        @Actor
        public void offerAndPoll()
        {
            accepted[4] = ring.offer(4);
            polled[0] = idOrZero(ring.relaxedPoll());
            accepted[5] = ring.offer(5);
            polled[1] = idOrZero(ring.relaxedPoll());
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            for (int id = 1; id <= runAccepted; id++)
            {
                accepted[id] = true;
            }
            final Integer[] rest = new Integer[8];
            int n = 0;
            Integer id;
            while ((id = ring.poll()) != null && n < rest.length)
            {
                rest[n++] = id;
            }
            finish(r, polled, rest, accepted, 4);
        }
    }

    /**
     * An empty {@link MpmcGrowingRing} of capacity 4 whose first ring has 2 slots; no consumer. The run
     * (1-3) and the single offers (4, 5) race so that the queue grows (2 slots, then 4 of which only 2
     * may be used: the cached limit) and must then refuse: exactly four accepted, whoever wins.
     * r1: ids of the run accepted, r2: single offers accepted, r3: verdict of the drain.
     */
    @JCStressTest
    @Outcome(id = "3, 1, 0", expect = ACCEPTABLE, desc = "The whole run and one single offer: the capacity, drained in each producer's order.")
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "Two of the run (a prefix) and both single offers: the capacity, in order.")
    @Outcome(id = "(3, 2|[23], [3-9]), .*", expect = FORBIDDEN, desc = "More than the capacity accepted: the run overshot the bound across the growth.")
    @Outcome(id = "([01], .|2, [01]|3, 0), .*", expect = FORBIDDEN, desc = "Fewer than four accepted: the run or an offer refused while the queue had room.")
    @Outcome(id = ".*, .*, [12]", expect = FORBIDDEN, desc = "The drain lost an accepted id, found a refused one, or a producer's ids out of order.")
    @Outcome(id = ".*, .*, 3", expect = FORBIDDEN, desc = "The drain found more than the capacity.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class RunAndOfferAcrossGrowthFillExactlyToTheCapacity
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 4);
        private final boolean[] accepted = new boolean[6];

        @Actor
        public void runProducer(final III_Result r)
        {
            r.r1 = ring.offerRun(run(), 0, 3);
        }

        @Actor
        public void singleProducer(final III_Result r)
        {
            accepted[4] = ring.offer(4);
            accepted[5] = ring.offer(5);
            r.r2 = (accepted[4] ? 1 : 0) + (accepted[5] ? 1 : 0);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            for (int id = 1; id <= r.r1; id++)
            {
                accepted[id] = true;
            }
            final int[] takes = new int[8];
            int n = 0;
            Integer id;
            while ((id = ring.poll()) != null && n < takes.length)
            {
                takes[n++] = id;
            }
            r.r3 = verdict(takes, accepted, 4, 0);
        }
    }

    /**
     * An {@link MpmcGrowingRing} of capacity 8 whose first ring has 2 slots, empty. The run (1-3) races
     * the other actor's offers of 4 and 5 and its three polls ({@code relaxedPoll}) between and after
     * them, across the growth of the queue from 2 to 8 slots; none may be refused (five into eight).
     * r1: verdict, r2: ids accepted, r3: ids the poller took.
     */
    @JCStressTest
    @Outcome(id = "0, 5, [0-3]", expect = ACCEPTABLE, desc = "Every id taken exactly once, each producer's in its order, across the growth.")
    @Outcome(id = "0, [0-4], .*", expect = FORBIDDEN, desc = "An offer or the run was refused below the capacity.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An id was lost or taken twice while the queue grew, or the run's accepted ids are not a prefix.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "A producer's ids were taken out of its order: the poller moved to the grown ring before the closed one was drained, or the run published out of order.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "More accepted than the capacity plus what the poller freed.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class RunRacingOfferAndPollAcrossGrowth
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 8);
        private final boolean[] accepted = new boolean[6];
        private final int[] polled = new int[3];
        private int runAccepted;

        @Actor
        public void runProducer()
        {
            runAccepted = ring.offerRun(run(), 0, 3);
        }

        @Actor
        public void offerAndPoll()
        {
            accepted[4] = ring.offer(4);
            polled[0] = idOrZero(ring.relaxedPoll());
            accepted[5] = ring.offer(5);
            polled[1] = idOrZero(ring.relaxedPoll());
            polled[2] = idOrZero(ring.relaxedPoll());
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            for (int id = 1; id <= runAccepted; id++)
            {
                accepted[id] = true;
            }
            final Integer[] rest = new Integer[8];
            int n = 0;
            Integer id;
            while ((id = ring.poll()) != null && n < rest.length)
            {
                rest[n++] = id;
            }
            finish(r, polled, rest, accepted, 8);
        }
    }
}
