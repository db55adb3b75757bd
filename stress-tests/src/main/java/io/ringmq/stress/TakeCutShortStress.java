package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.OverflowPolicy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: a consumer's batched take cut short. A consumer takes every ready message (up to its
 * credit) in one go and hands them over one by one; when it is cancelled in the middle, what it took
 * and has not handed over goes back to the head of the queue, in order, exactly once: either on the
 * delivering thread, or by the canceller once no delivery is in progress. Caller-driven consumers, so
 * that the delivering thread is a jcstress actor. Ids 1..3 are published before the race; results fold
 * ids into digits in the order seen.
 */
public final class TakeCutShortStress
{
    private TakeCutShortStress()
    {
    }

    /**
     * The first actor delivers (one take of 1, 2, 3, auto-ack) while the second cancels the consumer.
     * r1: what the handler saw, r2: what the arbiter then finds in the queue, in order.
     */
    @JCStressTest
    @Outcome(id = "123, 0", expect = ACCEPTABLE, desc = "The take was handed over whole before the cancel.")
    @Outcome(id = "0, 123", expect = ACCEPTABLE, desc = "The cancel came first: nothing was taken.")
    @Outcome(id = {"1, 23", "12, 3"}, expect = ACCEPTABLE_INTERESTING, desc = "The cancel cut the take: the rest went back to the head of the queue, in order.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost, duplicated, or came back out of order: the rest of a cut take was mishandled.")
    @State
    public static class CancelDuringATakeReturnsTheRestInOrder
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel observer = broker.openChannel();
        private final Consumer consumer;
        private int seen;

        public CancelDuringATakeReturnsTheRestInOrder()
        {
            Probe.declare(observer, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            for (int id = 1; id <= 3; id++)
            {
                observer.publish("", "q", Probe.body(id));
            }
            consumer = channel.consumeBatched("q", ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(),
                (delivery, endOfBatch) ->
                {
                    seen = seen * 10 + Probe.id(delivery);
                    Thread.onSpinWait(); // widens the window between deliveries of the take
                });
        }

        @Actor
        public void deliver(final II_Result r)
        {
            consumer.deliver(3);
            r.r1 = seen;
        }

        @Actor
        public void cancel()
        {
            consumer.cancel();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = Probe.drainDigits(observer, "q", 0);
            broker.close();
        }
    }

    /**
     * Manual ack with {@code ack(true)} at the end of each take: the first actor delivers one take of
     * 1, 2, 3 while the second closes the consumer's channel. The close requeues what was delivered and
     * not acknowledged, then the rest of the take goes back behind it: older first, as with a mailbox.
     * r1: what the handler saw, r2: acknowledged (settled by the end-of-batch ack), r3: what the arbiter
     * then finds in the queue, in order.
     */
    @JCStressTest
    @Outcome(id = "123, 3, 0", expect = ACCEPTABLE, desc = "The take was handed over and acked whole before the close.")
    @Outcome(id = "0, 0, 123", expect = ACCEPTABLE, desc = "The close came first: nothing was taken.")
    @Outcome(id = {"1, 0, 123", "12, 0, 123", "123, 0, 123"}, expect = ACCEPTABLE_INTERESTING, desc = "The close cut the take: delivered-unacked ones were requeued first, then the rest, in order.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost, duplicated or came back out of order, or an ack settled the wrong count.")
    @State
    public static class ChannelCloseDuringATakeRequeuesInOrder
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel observer = broker.openChannel();
        private final Consumer consumer;
        private int seen;
        private int acked;

        public ChannelCloseDuringATakeRequeuesInOrder()
        {
            Probe.declare(observer, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            for (int id = 1; id <= 3; id++)
            {
                observer.publish("", "q", Probe.body(id));
            }
            consumer = channel.consumeBatched("q", ConsumeOptions.builder().prefetch(8).callerDriven(() -> { }).build(),
                (delivery, endOfBatch) ->
                {
                    seen = seen * 10 + Probe.id(delivery);
                    Thread.onSpinWait();
                    if (endOfBatch)
                    {
                        try
                        {
                            delivery.ack(true);
                            acked = 3;
                        }
                        catch (final RuntimeException closed)
                        {
                            // the close requeued them first: nothing of this take is outstanding any more
                        }
                    }
                });
        }

        @Actor
        public void deliver(final III_Result r)
        {
            consumer.deliver(3);
            r.r1 = seen;
            r.r2 = acked;
        }

        @Actor
        public void close()
        {
            channel.close();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = Probe.drainDigits(observer, "q", 0);
            broker.close();
        }
    }
}
