package io.ringmq;

import io.ringmq.error.NotFoundException;
import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: deleting a queue while messages move through it. A message racing the deletion ends
 * refused (or unroutable), delivered, or discarded with the queue and counted in
 * {@code MessageQueue.discardedCount()} — never accepted and then nowhere. (In package io.ringmq:
 * the count is package-private.)
 */
public final class QueueDeletionStress
{
    private QueueDeletionStress()
    {
    }

    /**
     * One thread publishes X to q while another deletes q. r1: the publish's acceptedQueues (-1 if it
     * threw), r2: what queueDelete returned, r3: the queue's discardedCount afterwards.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The publish came after the delete: unroutable or refused; nothing to count.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The publish came first: the delete removed X and counted it.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "X was offered after the delete's drain: the publisher's fenced re-check discarded it (counted only in discardedCount, not in queueDelete's return).")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "X was accepted but neither delivered, removed by the delete, nor discarded: an accepted message vanished.")
    @Outcome(expect = FORBIDDEN, desc = "X was counted twice, or the publish failed with an error.")
    @State
    public static class PublishRacingDeleteIsDeliveredOrCounted
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel admin = broker.openChannel();
        private final MessageQueue queue;

        public PublishRacingDeleteIsDeliveredOrCounted()
        {
            Probe.declare(admin, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            queue = Internals.queue(broker, "q");
        }

        @Actor
        public void publish(final III_Result r)
        {
            try
            {
                r.r1 = publisher.publish("", "q", Probe.body(1)).acceptedQueues();
            }
            catch (final RuntimeException ex)
            {
                r.r1 = -1;
            }
        }

        @Actor
        public void delete(final III_Result r)
        {
            r.r2 = admin.queueDelete("q");
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = (int)queue.discardedCount();
            broker.close();
        }
    }

    /**
     * One thread publishes a batch of three (one run: {@code Channel.publishBatch} claims their slots with
     * one CAS) to q while another deletes q. r1: the batch's acceptedQueues (-1 if it threw), r2: what
     * queueDelete returned, r3: the queue's discardedCount afterwards. With no consumer, whatever the
     * batch got in must be discarded with the queue and counted: r3 == r1.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "The batch came after the delete: unroutable or refused, every message; nothing to count.")
    @Outcome(id = "3, 3, 3", expect = ACCEPTABLE, desc = "The batch came first: the delete removed all three and counted them.")
    @Outcome(id = "3, [0-2], 3", expect = ACCEPTABLE_INTERESTING, desc = "The run landed during or after the delete's drain: the publisher's fenced re-check discarded the rest (counted only in discardedCount).")
    @Outcome(id = "1, [01], 1", expect = ACCEPTABLE_INTERESTING, desc = "Only the first got in before the delete (messages offered one at a time); it was discarded and counted.")
    @Outcome(id = "2, [0-2], 2", expect = ACCEPTABLE_INTERESTING, desc = "Two got in before the delete; both discarded and counted.")
    @Outcome(expect = FORBIDDEN, desc = "Any other: what the batch got in was not all discarded and counted (a message vanished, or was counted twice), or the publish failed with an error.")
    @State
    public static class BatchRacingDeleteIsDiscardedAndCountedWhole
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel admin = broker.openChannel();
        private final MessageQueue queue;
        private final byte[][] bodies = {Probe.body(1), Probe.body(2), Probe.body(3)};

        public BatchRacingDeleteIsDiscardedAndCountedWhole()
        {
            Probe.declare(admin, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            queue = Internals.queue(broker, "q");
        }

        @Actor
        public void publish(final III_Result r)
        {
            try
            {
                r.r1 = publisher.publishBatch("", "q", false, null, bodies, 0, bodies.length).acceptedQueues();
            }
            catch (final RuntimeException ex)
            {
                r.r1 = -1;
            }
        }

        @Actor
        public void delete(final III_Result r)
        {
            r.r2 = admin.queueDelete("q");
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = (int)queue.discardedCount();
            broker.close();
        }
    }

    /**
     * X waits in q. One thread takes it (auto-ack) while another deletes q. r1: 1 when the take got
     * X (0 empty or NOT_FOUND), r2: queueDelete's return, r3: discardedCount.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The take won: X was delivered, the delete found nothing.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The delete won: X was removed and counted.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "X was both delivered and removed by the delete: duplicated.")
    @Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "X was neither delivered nor removed: it vanished.")
    @Outcome(expect = FORBIDDEN, desc = "The counts disagree: X was counted twice or not at all.")
    @State
    public static class GetRacingDeleteTakesOrCounts
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel taker = broker.openChannel();
        private final Channel admin = broker.openChannel();
        private final MessageQueue queue;

        public GetRacingDeleteTakesOrCounts()
        {
            Probe.declare(admin, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            admin.publish("", "q", Probe.body(1));
            queue = Internals.queue(broker, "q");
        }

        @Actor
        public void take(final III_Result r)
        {
            try
            {
                final Delivery delivery = taker.get("q", true);
                r.r1 = delivery != null && Probe.id(delivery) == 1 ? 1 : 0;
            }
            catch (final NotFoundException ex)
            {
                r.r1 = 0;
            }
        }

        @Actor
        public void delete(final III_Result r)
        {
            r.r2 = admin.queueDelete("q");
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = (int)queue.discardedCount();
            broker.close();
        }
    }

    /**
     * X was taken from q and is unacked. One thread nacks it with requeue while another deletes q.
     * r1: the nack (1 settled), r2: queueDelete's return, r3: discardedCount.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The requeue came first: the delete removed X and counted it.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "The requeue came after the delete: X was discarded on its way back and counted.")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "X was requeued into the deleted queue and stranded there, uncounted: lost.")
    @Outcome(expect = FORBIDDEN, desc = "X was counted twice, or the nack failed.")
    @State
    public static class RequeueRacingDeleteIsCountedOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel owner = broker.openChannel();
        private final Channel admin = broker.openChannel();
        private final MessageQueue queue;
        private final long tag;

        public RequeueRacingDeleteIsCountedOnce()
        {
            Probe.declare(admin, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            admin.publish("", "q", Probe.body(1));
            queue = Internals.queue(broker, "q");
            tag = owner.get("q", false).deliveryTag();
        }

        @Actor
        public void nackRequeue(final III_Result r)
        {
            owner.nack(tag, false, true);
            r.r1 = 1;
        }

        @Actor
        public void delete(final III_Result r)
        {
            r.r2 = admin.queueDelete("q");
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = (int)queue.discardedCount();
            broker.close();
        }
    }
}
