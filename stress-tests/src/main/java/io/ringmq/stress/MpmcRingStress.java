package io.ringmq.stress;

import io.ringmq.internal.MpmcRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.function.Predicate;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@link MpmcRing}, the bounded ring of a queue with policies, and its conditional poll
 * {@link MpmcRing#pollIf}, which the TTL sweeper uses to remove an expired head while consumers poll
 * the same ring. Its promise: the condition is tested on the element that is then taken, as one atomic
 * step with respect to every other poller — so a sweeper never removes a head that is not expired,
 * nothing is taken twice, and FIFO order is kept.
 * <p>
 * Elements are ids; ids 1 and 2 count as "expired" ({@link #EXPIRED}, a pure function, as the
 * sweeper's condition must be), 3 and 4 do not. Results fold the ids each side took into decimal
 * digits, in the order taken (0: none).
 */
public final class MpmcRingStress
{
    /** The sweeper's condition: ids 1 and 2 are expired, every other id is alive. */
    static final Predicate<Integer> EXPIRED = id -> id <= 2;

    private MpmcRingStress()
    {
    }

    static int sweep(final MpmcRing<Integer> ring)
    {
        int digits = 0;
        Integer id;
        while ((id = ring.pollIf(EXPIRED)) != null)
        {
            digits = digits * 10 + id;
        }
        return digits;
    }

    static int drain(final MpmcRing<Integer> ring)
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
     * The ring holds 1, 2 (expired), 3, 4 (alive). A sweeper calls pollIf until it refuses; a consumer
     * polls twice. r1: what the sweeper took, r2: what the consumer took, r3: what was left.
     */
    @JCStressTest
    @Outcome(id = "12, 34, 0", expect = ACCEPTABLE, desc = "The sweeper removed both expired heads, the consumer took the live ones.")
    @Outcome(id = "1, 23, 4", expect = ACCEPTABLE, desc = "The consumer took 2 before the sweeper reached it; the sweeper stopped at 3.")
    @Outcome(id = "2, 13, 4", expect = ACCEPTABLE, desc = "The consumer took 1, the sweeper 2, the consumer 3.")
    @Outcome(id = "0, 12, 34", expect = ACCEPTABLE, desc = "The consumer took both expired heads before the sweeper looked; 3 stopped it.")
    @Outcome(id = "[0-9]*[34][0-9]*, .*, .*", expect = FORBIDDEN, desc = "The sweeper's pollIf took a live element (3 or 4): it tested one head and took another, so a TTL sweep would expire an unexpired message.")
    @Outcome(expect = FORBIDDEN, desc = "An element was taken twice or lost, or taken out of FIFO order.")
    @State
    public static class PollIfRacingPollTakesOnlyExpiredHeads
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(4);

        public PollIfRacingPollTakesOnlyExpiredHeads()
        {
            for (int id = 1; id <= 4; id++)
            {
                ring.offer(id);
            }
        }

        @Actor
        public void sweeper(final III_Result r)
        {
            r.r1 = sweep(ring);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            final Integer a = ring.poll();
            final Integer b = ring.poll();
            r.r2 = (a == null ? 0 : a) * 10 + (b == null ? 0 : b);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = drain(ring);
        }
    }

    /**
     * A ring of two holds 1 and 2 (expired). A consumer polls twice and then offers 3 and 4 (alive),
     * which land in the very slots 1 and 2 occupied, one lap later; a sweeper calls pollIf until it
     * refuses. A sweeper that read a slot's sequence for one lap and its element from the next must
     * not take that element. r1: what the sweeper took, r2: what the consumer took, r3: what was left.
     */
    @JCStressTest
    @Outcome(id = "12, 0, 34", expect = ACCEPTABLE, desc = "The sweeper removed both expired elements first.")
    @Outcome(id = "1, 2, 34", expect = ACCEPTABLE, desc = "Sweeper and consumer shared the expired elements, in order.")
    @Outcome(id = "2, 1, 34", expect = ACCEPTABLE, desc = "The consumer took 1, the sweeper 2.")
    @Outcome(id = "0, 12, 34", expect = ACCEPTABLE, desc = "The consumer took both; the sweeper found the next lap's 3 alive and stopped.")
    @Outcome(id = "[0-9]*[34][0-9]*, .*, .*", expect = FORBIDDEN, desc = "The sweeper took 3 or 4, an element of the next lap that its condition never accepted: pollIf's test and take are not one step across the wrap-around.")
    @Outcome(expect = FORBIDDEN, desc = "An element was taken twice or lost, an offer into a freed slot failed, or FIFO order broke at the wrap.")
    @State
    public static class PollIfAcrossTheWrapNeverTakesTheNextLap
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(2);
        private boolean offersFailed;

        public PollIfAcrossTheWrapNeverTakesTheNextLap()
        {
            ring.offer(1);
            ring.offer(2);
        }

        @Actor
        public void sweeper(final III_Result r)
        {
            r.r1 = sweep(ring);
        }

        @Actor
        public void consumerThenProducer(final III_Result r)
        {
            final Integer a = ring.poll();
            final Integer b = ring.poll();
            r.r2 = a == null ? 0 : b == null ? a : a * 10 + b;
            // Both slots are free or being freed by the sweeper's claim: the offers must succeed.
            offersFailed = !ring.offer(3) | !ring.offer(4);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = offersFailed ? -1 : drain(ring);
        }
    }

    /**
     * A ring of two: a producer offers 1..4 once each (a full ring refuses), a consumer polls three
     * times. r1: verdict (0 each accepted id taken once in order and no refused one taken, 1 an accepted
     * id lost, 2 a refused id taken, 3 out of order, 4 taken twice), r2: ids accepted, r3: taken by the
     * racing consumer.
     */
    @JCStressTest
    @Outcome(id = "0, [2-4], [0-3]", expect = ACCEPTABLE, desc = "Every accepted element was taken once, in order; no refused one was taken.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An accepted element was never taken: lost at the wrap-around.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "An element the ring refused (offer returned false) was taken anyway.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "Elements were taken out of offer order across the wrap-around.")
    @Outcome(id = "4, .*", expect = FORBIDDEN, desc = "An element was taken twice: a slot was read twice.")
    @Outcome(expect = FORBIDDEN, desc = "Fewer than two offers into an empty ring of two succeeded.")
    @State
    public static class OfferRacingPollAcrossTheWrapKeepsOrderAndCounts
    {
        private final MpmcRing<Integer> ring = new MpmcRing<>(2);
        private final boolean[] accepted = new boolean[5];
        private int byConsumer;
        private int takenByConsumer;

        @Actor
        public void producer()
        {
            for (int id = 1; id <= 4; id++)
            {
                accepted[id] = ring.offer(id);
            }
        }

        @Actor
        public void consumer()
        {
            int digits = 0;
            for (int i = 0; i < 3; i++)
            {
                final Integer id = ring.poll();
                if (id != null)
                {
                    digits = digits * 10 + id;
                    takenByConsumer++;
                }
            }
            byConsumer = digits;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final int rest = drain(ring);
            final String taken = (byConsumer == 0 ? "" : Integer.toString(byConsumer)) + (rest == 0 ? "" : Integer.toString(rest));
            int acceptedCount = 0;
            int verdict = 0;
            final int[] times = new int[5];
            int last = 0;
            for (int i = 0; i < taken.length(); i++)
            {
                final int id = taken.charAt(i) - '0';
                times[id]++;
                if (id < last && verdict == 0)
                {
                    verdict = 3;
                }
                last = id;
            }
            for (int id = 1; id <= 4; id++)
            {
                acceptedCount += accepted[id] ? 1 : 0;
                if (verdict == 0 && times[id] > 1)
                {
                    verdict = 4;
                }
                else if (verdict == 0 && accepted[id] && times[id] == 0)
                {
                    verdict = 1;
                }
                else if (verdict == 0 && !accepted[id] && times[id] > 0)
                {
                    verdict = 2;
                }
            }
            r.r1 = verdict;
            r.r2 = acceptedCount;
            r.r3 = takenByConsumer;
        }
    }
}
