package io.ringmq.stress;

import io.ringmq.internal.MpmcGrowingRing;
import io.ringmq.internal.MpmcRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: the hand-over gap of a run offer ({@link MpmcRing#offerRunBelow}, {@link MpmcGrowingRing#offerRun}):
 * on a full ring, a consumer claims heads (the consumer index moves past them) and then hands their slots
 * over one by one. A run that reads the consumer index after the claim waits for the hand-over and takes
 * the freed slots with one claim; one that reads it before sees a full ring and answers 0 at once. Either
 * way: each id taken exactly once, in order, and never more accepted than the consumer freed.
 * <p>
 * Each ring of 4 starts full with ids 1-4; the run offers 5-7, the consumer (the other actor) takes two.
 * One consumer, so FIFO means the whole take order (the consumer's, then the arbiter's drain) is exactly
 * 1, 2, ..., 4 + accepted. r1: ids of the run accepted, r2: ids the consumer took, r3: verdict.
 */
public final class HandOverGapStress
{
    /** Verdict: the take order is exactly 1 .. 4 + accepted. */
    static final int EXACT = 0;
    /** Verdict: an id lost or taken twice, or one the run did not get in found. */
    static final int LOST_OR_DUPLICATED = 1;
    /** Verdict: every id once, but out of order. */
    static final int OUT_OF_ORDER = 2;
    /** Verdict: more accepted than the consumer freed: the run took a slot still holding an element. */
    static final int BOUND_EXCEEDED = 3;

    private HandOverGapStress()
    {
    }

    static Integer[] run()
    {
        return new Integer[] {5, 6, 7};
    }

    /**
     * @param took     ids the consumer took, in its order; {@code took[0..taken)} count.
     * @param drain    what the arbiter drains after the actors, in order (null ends it).
     * @param accepted ids of the run in the ring.
     */
    static int verdict(final int[] took, final int taken, final Integer[] drain, final int accepted)
    {
        if (accepted > taken)
        {
            return BOUND_EXCEEDED;
        }
        final int expected = 4 + accepted;
        final int[] times = new int[8];
        boolean inOrder = true;
        int n = 0;
        for (int i = 0; i < taken; i++)
        {
            times[took[i]]++;
            inOrder &= took[i] == ++n;
        }
        for (final Integer id : drain)
        {
            if (id == null)
            {
                break;
            }
            times[id]++;
            inOrder &= id == ++n;
        }
        for (int id = 1; id < times.length; id++)
        {
            if (times[id] != (id <= expected ? 1 : 0))
            {
                return LOST_OR_DUPLICATED;
            }
        }
        return inOrder ? EXACT : OUT_OF_ORDER;
    }

    /** @return what {@code poll} gives until it gives null (null-terminated, at most 8). */
    static Integer[] drain(final Supplier<Integer> poll)
    {
        final Integer[] rest = new Integer[8];
        int n = 0;
        Integer id;
        while (n < rest.length && (id = poll.get()) != null)
        {
            rest[n++] = id;
        }
        return rest;
    }

    /** Fills a ring of 4 with ids 1-4, through its {@code offer}. */
    static void fillWithOneToFour(final Predicate<Integer> offer)
    {
        for (int id = 1; id <= 4; id++)
        {
            offer.test(id);
        }
    }

    /** @return the first {@code taken} ids a batch consumer wrote into {@code out}. */
    static int[] batchTook(final Integer[] out, final int taken)
    {
        final int[] took = new int[out.length];
        for (int i = 0; i < taken; i++)
        {
            took[i] = out[i];
        }
        return took;
    }

    /**
     * A full {@link MpmcRing} of 4; the consumer takes 1 and 2 with one claim ({@code relaxedPollBatch}),
     * then hands both slots over in index order, racing the run of 5-7.
     */
    @JCStressTest
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "The run read the consumer index after the claim: it waited for the slots not yet handed over and took both with one claim; every id once, in order.")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "The run read the consumer index before the claim: full with nothing claimed, 0 at once (or, rarely, its bounded wait ran out before the first hand-over); every id once, in order.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE_INTERESTING, desc = "The run saw the claim, but its bounded wait ran out between the two hand-overs (the consumer descheduled): it took the handed-over slot only.")
    @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "An id was lost or taken twice, or one the run did not get in was found: a slot claimed before its hand-over was overwritten.")
    @Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "Ids taken out of order: the run's elements were published out of index order, or ahead of the ring's older ones.")
    @Outcome(id = ".*, .*, 3", expect = FORBIDDEN, desc = "More accepted than the consumer freed: the run claimed a slot whose element no consumer had taken.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome (the batch consumer took fewer than two published heads).")
    @State
    public static class RunRacingABatchConsumersHandOver
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(4);
        private final Integer[] out = new Integer[2];

        public RunRacingABatchConsumersHandOver()
        {
            fillWithOneToFour(ring::offer);
        }

        @Actor
        public void runProducer(final III_Result r)
        {
            r.r1 = ring.offerRunBelow(run(), 0, 3, Long.MAX_VALUE);
        }

        @Actor
        public void batchConsumer(final III_Result r)
        {
            r.r2 = ring.relaxedPollBatch(out, 0, 2);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = verdict(batchTook(out, r.r2), r.r2, drain(ring::poll), r.r1);
        }
    }

    /**
     * A full {@link MpmcRing} of 4; the consumer takes 1, then 2, each with its own claim and hand-over
     * ({@code poll}), racing the run of 5-7: the run may see no claim, one, or both.
     */
    @JCStressTest
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "The run read the consumer index after both polls' claims: both slots, waited for if not yet handed over, in one claim; in order.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "The run read the consumer index between the two polls: the one slot freed so far (or its bounded wait ran out on the second); in order.")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "The run read the consumer index before the first claim: full with nothing claimed, 0 at once; in order.")
    @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "An id was lost or taken twice, or one the run did not get in was found: a claimed slot was overwritten before its hand-over.")
    @Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "Ids taken out of order.")
    @Outcome(id = ".*, .*, 3", expect = FORBIDDEN, desc = "More accepted than the polls freed: the run claimed a slot still holding an element.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome (a poll found a full ring empty).")
    @State
    public static class RunRacingTwoPollsHandOvers
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(4);
        private final int[] took = new int[2];

        public RunRacingTwoPollsHandOvers()
        {
            fillWithOneToFour(ring::offer);
        }

        @Actor
        public void runProducer(final III_Result r)
        {
            r.r1 = ring.offerRunBelow(run(), 0, 3, Long.MAX_VALUE);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            int taken = 0;
            for (int i = 0; i < 2; i++)
            {
                final Integer id = ring.poll();
                if (id != null)
                {
                    took[taken++] = id;
                }
            }
            r.r2 = taken;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = verdict(took, r.r2, drain(ring::poll), r.r1);
        }
    }

    /**
     * A full {@link MpmcGrowingRing} of capacity 4 (one ring, the cached limit 4); the consumer takes 1 and 2
     * with one claim ({@code relaxedPollBatch}) racing {@code offerRun} of 5-7, which stops at the cached
     * limit and re-reads the consumers' progress: it sees both taken or neither (one claim), so it takes two
     * or none; a bounded wait that runs out leaves the rest to single offers, which wait for the hand-over.
     */
    @JCStressTest
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "The refreshed limit saw the consumer's claim: two slots taken (by the run, or by single offers after its wait ran out); in order.")
    @Outcome(id = "0, 2, 0", expect = ACCEPTABLE, desc = "Both reads of the consumers' progress came before the claim: full as of them, nothing taken; in order.")
    @Outcome(id = "1, 2, .*", expect = FORBIDDEN, desc = "One accepted though the consumers' progress moves by two at once: the run gave up with room it had read.")
    @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "An id was lost or taken twice, or one the run did not get in was found.")
    @Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "Ids taken out of order.")
    @Outcome(id = ".*, .*, 3", expect = FORBIDDEN, desc = "More accepted than the consumer freed: the refreshed limit overshot the bound.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class GrowingRingRunAtItsCachedLimitRacingABatchConsumer
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(4, 4);
        private final Integer[] out = new Integer[2];

        public GrowingRingRunAtItsCachedLimitRacingABatchConsumer()
        {
            fillWithOneToFour(ring::offer);
        }

        @Actor
        public void runProducer(final III_Result r)
        {
            r.r1 = ring.offerRun(run(), 0, 3);
        }

        @Actor
        public void batchConsumer(final III_Result r)
        {
            r.r2 = ring.relaxedPollBatch(out, 0, 2);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = verdict(batchTook(out, r.r2), r.r2, drain(ring::poll), r.r1);
        }
    }
}
