package io.ringmq.stress;

import io.ringmq.internal.MpmcGrowingRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@link MpmcGrowingRing}, a plain queue's storage, across its growth: a producer that finds
 * the small ring full closes it and offers to a larger one linked after it, while consumers drain the
 * closed ring before they move on. Its promises, where a growth races offers and polls: each accepted
 * element is taken exactly once, each producer's elements in its order, and the queue never holds more
 * than its capacity (the bound is tested on the very index an offer claims).
 * <p>
 * Rings here start at 2 slots, so the third element held forces a growth.
 */
public final class MpmcGrowingRingStress
{
    private MpmcGrowingRingStress()
    {
    }

    static int drain(final MpmcGrowingRing<Integer> ring)
    {
        int digits = 0;
        Integer id;
        while ((id = ring.poll()) != null)
        {
            digits = digits * 10 + id;
        }
        return digits;
    }

    /**
     * The ring (2 slots, capacity 8) holds 1 and 2. A producer offers 3, which must grow the queue; a
     * consumer polls three times with {@code relaxedPoll}, the take of a plain queue. r1: what the
     * consumer took, r2: what was left.
     */
    @JCStressTest
    @Outcome(id = "123, 0", expect = ACCEPTABLE, desc = "The consumer drained the closed ring, moved on and found 3 in the grown one.")
    @Outcome(id = "12, 3", expect = ACCEPTABLE, desc = "The consumer drained the small ring before 3 was in the grown one (or while it was being written).")
    @Outcome(id = "(13|3).*, .*", expect = FORBIDDEN, desc = "3 was taken before 1 or 2: the consumer moved to the grown ring before the closed one was drained; FIFO broken.")
    @Outcome(expect = FORBIDDEN, desc = "An element was lost or taken twice across the growth, or the offer of 3 failed below the capacity.")
    @State
    public static class GrowthRacingPollKeepsFifo
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 8);
        private boolean refused;

        public GrowthRacingPollKeepsFifo()
        {
            ring.offer(1);
            ring.offer(2);
        }

        @Actor
        public void producer()
        {
            refused = !ring.offer(3);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            int digits = 0;
            for (int i = 0; i < 3; i++)
            {
                final Integer id = ring.relaxedPoll();
                if (id != null)
                {
                    digits = digits * 10 + id;
                }
            }
            r.r1 = digits;
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = refused ? -1 : drain(ring);
        }
    }

    /**
     * An empty queue of capacity 4 (first ring 2 slots); no consumer. Two producers offer three ids each
     * (1-3 and 4-6), so the queue grows while they race and must then refuse. r1, r2: ids each producer
     * had accepted; r3: verdict of the drain (0: exactly the accepted ids, each producer's in order,
     * 1: an accepted id missing or a refused one present, 2: a producer's ids out of order).
     */
    @JCStressTest
    @Outcome(id = "1, 3, 0", expect = ACCEPTABLE, desc = "Four accepted (the capacity), the first producer's one and the second's three, drained in order.")
    @Outcome(id = "2, 2, 0", expect = ACCEPTABLE, desc = "Four accepted, two each, drained in each producer's order.")
    @Outcome(id = "3, 1, 0", expect = ACCEPTABLE, desc = "Four accepted, three and one, drained in each producer's order.")
    @Outcome(id = "(3, 2|2, 3|3, 3), .*", expect = FORBIDDEN, desc = "More than the capacity accepted: racing producers overshot the bound across the growth.")
    @Outcome(id = "(0, [0-3]|1, [0-2]|2, [01]|3, 0), .*", expect = FORBIDDEN, desc = "Fewer than four accepted: an offer was refused while the queue had room.")
    @Outcome(id = ".*, .*, 1", expect = FORBIDDEN, desc = "The drain lost an accepted id or found a refused one.")
    @Outcome(id = ".*, .*, 2", expect = FORBIDDEN, desc = "A producer's ids were drained out of its order: FIFO broken across the growth.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class RacingOffersFillExactlyToTheCapacity
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 4);
        private final boolean[] accepted = new boolean[7];

        @Actor
        public void first(final III_Result r)
        {
            r.r1 = offer(1, 3);
        }

        @Actor
        public void second(final III_Result r)
        {
            r.r2 = offer(4, 6);
        }

        private int offer(final int from, final int to)
        {
            int count = 0;
            for (int id = from; id <= to; id++)
            {
                accepted[id] = ring.offer(id);
                count += accepted[id] ? 1 : 0;
            }
            return count;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final boolean[] seen = new boolean[7];
            int lastFirst = 0;
            int lastSecond = 3;
            int verdict = 0;
            Integer id;
            while ((id = ring.poll()) != null)
            {
                if (!accepted[id] || seen[id])
                {
                    verdict = 1;
                }
                seen[id] = true;
                if (id <= 3)
                {
                    verdict = id < lastFirst ? Math.max(verdict, 2) : verdict;
                    lastFirst = id;
                }
                else
                {
                    verdict = id < lastSecond ? Math.max(verdict, 2) : verdict;
                    lastSecond = id;
                }
            }
            for (int i = 1; i <= 6; i++)
            {
                if (accepted[i] && !seen[i])
                {
                    verdict = verdict == 0 ? 1 : verdict;
                }
            }
            r.r3 = verdict;
        }
    }

    /**
     * The ring (2 slots, capacity 8) holds 1. One actor offers 2, 3 and 4, then polls once; the other polls
     * twice. The offer of 3 finds the first ring full (unless 1 was taken already) and grows the queue while
     * the other actor polls the small ring, so the two takers compete across the growth. Two actors, not
     * four: jcstress skips a test with more actors than the CPUs it was given, and CI gives it two. r1:
     * verdict (0 every id taken once, and in offer order by each taker; 1 lost or duplicated; 2 a taker saw
     * a later id before an earlier one), r2: ids taken by the actors (the arbiter took the rest).
     */
    @JCStressTest
    @Outcome(id = "0, [0-3]", expect = ACCEPTABLE, desc = "Every id taken exactly once, in offer order by each taker.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An id was lost or taken twice while the queue grew.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "A taker took a later id before an earlier one: FIFO broken across the growth.")
    @Outcome(expect = FORBIDDEN, desc = "Any other outcome.")
    @State
    public static class CompetingTakersAcrossGrowthTakeEachOnceInOrder
    {
        private final MpmcGrowingRing<Integer> ring = new MpmcGrowingRing<>(2, 8);
        private int producerTook;
        private int[] consumerTook = new int[2];

        public CompetingTakersAcrossGrowthTakeEachOnceInOrder()
        {
            ring.offer(1);
        }

        @Actor
        public void producerThenTaker()
        {
            ring.offer(2);
            ring.offer(3);
            ring.offer(4);
            producerTook = take();
        }

        @Actor
        public void taker()
        {
            consumerTook = new int[] {take(), take()};
        }

        private int take()
        {
            final Integer id = ring.relaxedPoll();
            return id == null ? 0 : id;
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            final int[] count = new int[5];
            int verdict = 0;
            int byActors = 0;
            for (final int id : new int[] {producerTook, consumerTook[0], consumerTook[1]})
            {
                if (id != 0)
                {
                    count[id]++;
                    byActors++;
                }
            }
            if (consumerTook[0] != 0 && consumerTook[1] != 0 && consumerTook[1] < consumerTook[0])
            {
                verdict = 2;
            }
            Integer id;
            int lastDrained = 0;
            while ((id = ring.poll()) != null)
            {
                count[id]++;
                if (id < lastDrained)
                {
                    verdict = 2;
                }
                lastDrained = id;
            }
            for (int i = 1; i <= 4; i++)
            {
                if (count[i] != 1)
                {
                    verdict = 1; // no offer can fail: 4 ids into a capacity of 8
                }
            }
            r.r1 = verdict;
            r.r2 = byActors;
        }
    }
}
