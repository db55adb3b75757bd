package io.ringmq;

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
 * Subject: folding a consumer's counts ({@code ConsumerCounts}) into its queue's retired totals
 * ({@code QueueStatistics}) once the consumer is cancelled and its scope has nothing outstanding. The
 * acknowledgement that settles the scope's last delivery may count itself just after the fold: the
 * Dekker pair of {@code faaAcked} then {@code lvFolded} against {@code svFolded} then {@code xchgAcked}
 * must move it into the totals exactly once. Caller-driven consumers, so the actors are the only
 * threads. (In package io.ringmq: the cell count is package-private.)
 */
public final class CountFoldStress
{
    private CountFoldStress()
    {
    }

    /** A queue whose caller-driven consumer holds X unacknowledged under tag 1. */
    abstract static class OneOutstanding
    {
        final Broker broker = Probe.smallBroker();
        final Channel channel = broker.openChannel();
        final Consumer consumer;
        final MessageQueue queue;

        OneOutstanding()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            consumer = channel.consume("q", ConsumeOptions.builder().prefetch(1).callerDriven(() -> { }).build(), d -> { });
            if (consumer.deliver(1) != 1)
            {
                throw new IllegalStateException("X was not delivered");
            }
            queue = Internals.queue(broker, "q");
        }

        /** r2 and r3 of the arbiter: acknowledged count, live cells; then closes the broker. */
        void settle(final III_Result r)
        {
            final QueueInfo info = queue.info();
            r.r2 = (int)info.acknowledgedCount() * 10 + info.unackedCount();
            r.r3 = queue.statistics().liveCells();
            broker.close();
        }
    }

    /**
     * One thread acknowledges X while another cancels its consumer (whose scope then retires and, once
     * empty, is dropped and folded, by whichever of the two comes last). r1: 1 when the ack succeeded;
     * r2: acknowledged × 10 + unacked afterwards; r3: consumer cells not folded.
     */
    @JCStressTest
    @Outcome(id = "1, 10, 0", expect = ACCEPTABLE, desc = "X acknowledged once, nothing outstanding, the cell folded.")
    @Outcome(id = "1, 0, 0", expect = FORBIDDEN, desc = "The ack landed after the fold and was lost: a count went missing.")
    @Outcome(id = "1, 20, 0", expect = FORBIDDEN, desc = "The late ack was moved twice: counted twice.")
    @Outcome(id = "1, 10, 1", expect = FORBIDDEN, desc = "The cell of a cancelled, settled consumer was never folded: it leaks.")
    @Outcome(expect = FORBIDDEN, desc = "The ack failed, or the counts are wrong.")
    @State
    public static class AckRacingCancelIsCountedOnce extends OneOutstanding
    {
        @Actor
        public void ack(final III_Result r)
        {
            channel.ack(1, false);
            r.r1 = 1;
        }

        @Actor
        public void cancel()
        {
            consumer.cancel();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            settle(r);
        }
    }

    /**
     * The consumer is cancelled first, X still outstanding. One thread acknowledges X (which drops the
     * scope and folds the cell) while another reads the queue's counts. r1: acknowledged × 10 + unacked
     * as the reader saw them; r2: the same afterwards; r3: cells not folded.
     */
    @JCStressTest
    @Outcome(id = "1, 10, 0", expect = ACCEPTABLE, desc = "The read came before the ack: X outstanding.")
    @Outcome(id = "10, 10, 0", expect = ACCEPTABLE, desc = "The read came after the ack (from the cell, or from the folded totals).")
    @Outcome(id = "0, 10, 0", expect = ACCEPTABLE_INTERESTING, desc = "The read came between the claim and its count: X neither outstanding nor counted yet (a weakly consistent snapshot).")
    @Outcome(id = "11, .*", expect = FORBIDDEN, desc = "X seen both acknowledged and outstanding: the count came before the claim.")
    @Outcome(id = "20, .*", expect = FORBIDDEN, desc = "The read counted X twice: in the cell and in the folded totals.")
    @Outcome(expect = FORBIDDEN, desc = "The final counts are wrong, or the cell leaked.")
    @State
    public static class ReadRacingTheFoldSeesEachAckOnce extends OneOutstanding
    {
        public ReadRacingTheFoldSeesEachAckOnce()
        {
            consumer.cancel();
        }

        @Actor
        public void ack()
        {
            channel.ack(1, false);
        }

        @Actor
        public void read(final III_Result r)
        {
            final QueueInfo info = queue.info();
            r.r1 = (int)info.acknowledgedCount() * 10 + info.unackedCount();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            settle(r);
        }
    }
}
