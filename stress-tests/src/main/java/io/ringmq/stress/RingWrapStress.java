package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.OverflowPolicy;
import io.ringmq.PublishResult;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.time.Duration;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: a queue ring of capacity 2, so that four publishes wrap it while a consumer takes. Under
 * every overflow policy the publisher's own counts must match what the consumer gets: each accepted
 * message taken once, in publish order; each refused message never taken; with drop-head, each
 * message taken or counted as dropped.
 * <p>
 * Verdicts: 0 consistent, 1 an accepted message was never taken, 2 a refused message was taken,
 * 3 taken out of publish order, 4 a message taken twice, 5 a drop-head count that does not add up,
 * 6 a corrupt body.
 */
public final class RingWrapStress
{
    private static final int MESSAGES = 4;

    private RingWrapStress()
    {
    }

    /** Shared by the three policies: publishes 1..4 on one channel, takes on another. */
    abstract static class Wrap
    {
        final Broker broker = Probe.smallBroker();
        final Channel publisher = broker.openChannel();
        final Channel consumer = broker.openChannel();
        final Channel arbiter = broker.openChannel();
        final boolean[] accepted = new boolean[MESSAGES + 1];
        final int[] taken = new int[MESSAGES + 1];
        int dropped;
        int takenByConsumer;
        int verdict;
        int last;

        Wrap(final OverflowPolicy overflow)
        {
            Probe.declare(publisher, "q", 2, overflow);
            publisher.setPublishTimeout(Duration.ofNanos(20_000), false); // a refusal is an outcome here, read from the result
        }

        void publishAll()
        {
            for (int id = 1; id <= MESSAGES; id++)
            {
                final PublishResult result = publisher.publish("", "q", Probe.body(id));
                accepted[id] = result.acceptedQueues() == 1;
                dropped += result.droppedMessages();
            }
        }

        void takeThree()
        {
            for (int i = 0; i < 3; i++)
            {
                final int id = Probe.take(consumer, "q");
                if (id != Probe.EMPTY)
                {
                    takenByConsumer++;
                    record(id);
                }
            }
        }

        /** Drains the rest and judges; returns the verdict. */
        int judge(final boolean dropHead)
        {
            int id;
            while ((id = Probe.take(arbiter, "q")) != Probe.EMPTY)
            {
                record(id);
            }
            broker.close();
            if (verdict != 0)
            {
                return verdict;
            }
            int takenCount = 0;
            for (int m = 1; m <= MESSAGES; m++)
            {
                if (taken[m] > 1)
                {
                    return 4;
                }
                if (taken[m] == 1 && !accepted[m])
                {
                    return 2;
                }
                if (!dropHead && accepted[m] && taken[m] == 0)
                {
                    return 1;
                }
                takenCount += taken[m];
            }
            if (dropHead && takenCount + dropped != MESSAGES)
            {
                return 5;
            }
            return 0;
        }

        private void record(final int id)
        {
            if (id < 1 || id > MESSAGES)
            {
                verdict = 6;
                return;
            }
            if (id < last)
            {
                verdict = 3;
            }
            last = id;
            taken[id]++;
        }

        int acceptedCount()
        {
            int n = 0;
            for (int m = 1; m <= MESSAGES; m++)
            {
                n += accepted[m] ? 1 : 0;
            }
            return n;
        }
    }

    /**
     * reject-publish: a full ring refuses. r1: verdict, r2: messages accepted, r3: taken by the racing consumer.
     */
    @JCStressTest
    @Outcome(id = "0, [2-4], [0-3]", expect = ACCEPTABLE, desc = "Every accepted message was taken once, in order; no refused one was taken.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An accepted message was never taken: lost at the ring's wrap-around.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "A message the publisher was told was refused was delivered anyway.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "Messages were taken out of publish order across the wrap-around.")
    @Outcome(id = "4, .*", expect = FORBIDDEN, desc = "A message was taken twice: a ring slot was read twice.")
    @Outcome(expect = FORBIDDEN, desc = "A body was corrupted, or fewer than two were accepted into an empty ring of two.")
    @State
    public static class RejectPublishKeepsCountsAndOrder extends Wrap
    {
        public RejectPublishKeepsCountsAndOrder()
        {
            super(OverflowPolicy.REJECT_PUBLISH);
        }

        @Actor
        public void publish()
        {
            publishAll();
        }

        @Actor
        public void consume()
        {
            takeThree();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = judge(false);
            r.r2 = acceptedCount();
            r.r3 = takenByConsumer;
        }
    }

    /**
     * drop-head: a full ring drops its oldest to take the new one. r1: verdict, r2: dropped
     * (from PublishResult.droppedMessages), r3: taken by the racing consumer.
     */
    @JCStressTest
    @Outcome(id = "0, [0-2], [0-3]", expect = ACCEPTABLE, desc = "Each message was taken once in order or counted as dropped; the last two always survive.")
    @Outcome(id = "5, .*", expect = FORBIDDEN, desc = "Taken plus dropped is not four: a drop went uncounted, or was counted and delivered too.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "Messages were taken out of publish order across the wrap-around.")
    @Outcome(id = "4, .*", expect = FORBIDDEN, desc = "A message was taken twice.")
    @Outcome(expect = FORBIDDEN, desc = "A message was refused by drop-head, a body was corrupted, or more than two were dropped from a ring of two.")
    @State
    public static class DropHeadCountsEveryDrop extends Wrap
    {
        public DropHeadCountsEveryDrop()
        {
            super(OverflowPolicy.DROP_HEAD);
        }

        @Actor
        public void publish()
        {
            publishAll();
        }

        @Actor
        public void consume()
        {
            takeThree();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final int verdict = judge(true);
            r.r1 = acceptedCount() == MESSAGES ? verdict : 2;
            r.r2 = dropped;
            r.r3 = takenByConsumer;
        }
    }

    /**
     * block with a 20 µs timeout: a full ring makes the publisher wait for the consumer, then
     * refuse. r1: verdict, r2: messages accepted, r3: taken by the racing consumer.
     */
    @JCStressTest
    @Outcome(id = "0, [2-4], [0-3]", expect = ACCEPTABLE, desc = "Every accepted message was taken once, in order; no refused one was taken.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "An accepted message was never taken: lost at the ring's wrap-around.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "A message whose blocked publish timed out was delivered anyway.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "Messages were taken out of publish order across the wrap-around.")
    @Outcome(id = "4, .*", expect = FORBIDDEN, desc = "A message was taken twice.")
    @Outcome(expect = FORBIDDEN, desc = "A body was corrupted, or fewer than two were accepted into an empty ring of two.")
    @State
    public static class BlockKeepsCountsAndOrder extends Wrap
    {
        public BlockKeepsCountsAndOrder()
        {
            super(OverflowPolicy.BLOCK);
        }

        @Actor
        public void publish()
        {
            publishAll();
        }

        @Actor
        public void consume()
        {
            takeThree();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = judge(false);
            r.r2 = acceptedCount();
            r.r3 = takenByConsumer;
        }
    }
}
