package io.ringmq.stress;

import io.ringmq.internal.LinkedMpmcQueue;
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
 * Subject: {@link LinkedMpmcQueue}, the unbounded queue of returned (requeued) messages of a queue
 * with policies: Michael and Scott's linked queue plus a conditional poll. A requeue must never be
 * lost or duplicated, returned messages must come back in the order they were returned, and the TTL
 * sweeper's pollIf must never take a head its condition refused.
 * <p>
 * Results fold the ids each side took into decimal digits, in the order taken (0: none).
 */
public final class LinkedMpmcQueueStress
{
    private LinkedMpmcQueueStress()
    {
    }

    static int drain(final LinkedMpmcQueue<Integer> queue)
    {
        int digits = 0;
        Integer id;
        while ((id = queue.poll()) != null)
        {
            digits = digits * 10 + id;
        }
        return digits;
    }

    static int poll(final LinkedMpmcQueue<Integer> queue, final int times)
    {
        int digits = 0;
        for (int i = 0; i < times; i++)
        {
            final Integer id = queue.poll();
            if (id != null)
            {
                digits = digits * 10 + id;
            }
        }
        return digits;
    }

    /**
     * The queue holds 1; a producer offers 2 and 3 while a consumer polls three times (its polls meet
     * the tail while the producer links behind it). r1: what the consumer took, r2: what was left.
     */
    @JCStressTest
    @Outcome(id = "1, 23", expect = ACCEPTABLE, desc = "The consumer took 1 before the offers were linked.")
    @Outcome(id = "12, 3", expect = ACCEPTABLE, desc = "The consumer took 1 and 2; 3 came after its last poll.")
    @Outcome(id = "123, 0", expect = ACCEPTABLE, desc = "The consumer took everything, in order.")
    @Outcome(id = "13, 2", expect = FORBIDDEN, desc = "3 was taken before 2: one producer's order broke (FIFO lost).")
    @Outcome(expect = FORBIDDEN, desc = "An element was lost (an offer linked onto an unlinked node) or taken twice.")
    @State
    public static class OfferRacingPollTakesEachOnceInOrder
    {
        private final LinkedMpmcQueue<Integer> queue = new LinkedMpmcQueue<>();

        public OfferRacingPollTakesEachOnceInOrder()
        {
            queue.offer(1);
        }

        @Actor
        public void producer()
        {
            queue.offer(2);
            queue.offer(3);
        }

        @Actor
        public void consumer(final II_Result r)
        {
            r.r1 = poll(queue, 3);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = drain(queue);
        }
    }

    /**
     * The queue holds 1 and 2. One consumer polls; the other polls and then offers 3, which must link
     * behind whatever node is last while the first consumer may be unlinking it. r1, r2: what each
     * consumer's poll took, r3: what was left.
     */
    @JCStressTest
    @Outcome(id = "1, 2, 3", expect = ACCEPTABLE, desc = "The first consumer took 1, the second 2; 3 waits.")
    @Outcome(id = "2, 1, 3", expect = ACCEPTABLE, desc = "The second consumer took 1, the first 2; 3 waits.")
    @Outcome(id = "[12], [12], 0", expect = FORBIDDEN, desc = "The offer of 3 was lost: it was linked behind a node already unlinked.")
    @Outcome(expect = FORBIDDEN, desc = "Both consumers took the same element, or one got nothing from a queue of two.")
    @State
    public static class RacingPollsAndAnOfferAtTheTail
    {
        private final LinkedMpmcQueue<Integer> queue = new LinkedMpmcQueue<>();

        public RacingPollsAndAnOfferAtTheTail()
        {
            queue.offer(1);
            queue.offer(2);
        }

        @Actor
        public void first(final III_Result r)
        {
            r.r1 = poll(queue, 1);
        }

        @Actor
        public void second(final III_Result r)
        {
            r.r2 = poll(queue, 1);
            queue.offer(3);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = drain(queue);
        }
    }

    /**
     * The queue holds 1, 2 (expired), 3, 4 (alive). A sweeper calls pollIf until it refuses; a consumer
     * polls twice. r1: what the sweeper took, r2: what the consumer took, r3: what was left.
     */
    @JCStressTest
    @Outcome(id = "12, 34, 0", expect = ACCEPTABLE, desc = "The sweeper removed both expired heads, the consumer took the live ones.")
    @Outcome(id = "1, 23, 4", expect = ACCEPTABLE, desc = "The consumer took 2 before the sweeper reached it; the sweeper stopped at 3.")
    @Outcome(id = "2, 13, 4", expect = ACCEPTABLE, desc = "The consumer took 1, the sweeper 2, the consumer 3.")
    @Outcome(id = "0, 12, 34", expect = ACCEPTABLE, desc = "The consumer took both expired heads before the sweeper looked; 3 stopped it.")
    @Outcome(id = "[0-9]*[34][0-9]*, .*, .*", expect = FORBIDDEN, desc = "The sweeper's pollIf took a live element (3 or 4): it tested one head and took another, so a TTL sweep would expire a requeued message that had not expired.")
    @Outcome(expect = FORBIDDEN, desc = "An element was taken twice or lost, or taken out of FIFO order.")
    @State
    public static class PollIfRacingPollTakesOnlyExpiredHeads
    {
        private final LinkedMpmcQueue<Integer> queue = new LinkedMpmcQueue<>();

        public PollIfRacingPollTakesOnlyExpiredHeads()
        {
            for (int id = 1; id <= 4; id++)
            {
                queue.offer(id);
            }
        }

        @Actor
        public void sweeper(final III_Result r)
        {
            int digits = 0;
            Integer id;
            while ((id = queue.pollIf(MpmcRingStress.EXPIRED)) != null)
            {
                digits = digits * 10 + id;
            }
            r.r1 = digits;
        }

        @Actor
        public void consumer(final III_Result r)
        {
            r.r2 = poll(queue, 2);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = drain(queue);
        }
    }
}
