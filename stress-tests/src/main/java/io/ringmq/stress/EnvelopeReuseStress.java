package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Delivery;
import io.ringmq.OverflowPolicy;
import io.ringmq.routing.ExchangeType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: envelope reuse. A message is stored once in a pooled envelope however many queues it
 * reaches; the envelope goes back to the pool only when its last holder lets go. With a pool of
 * four, an envelope released too early is cleared at once (its body becomes null) and handed to
 * the next publish (its body becomes that message's), so a reader of the other copy sees either.
 * Body readings: 1 message X intact, 2 message Y's body (X's envelope reused), -1 cleared or corrupt,
 * 0 nothing taken. Readers read the body twice around a yield, so a reuse in between shows.
 */
public final class EnvelopeReuseStress
{
    private EnvelopeReuseStress()
    {
    }

    /** @return both readings of a body as two digits, or a negative code when either is cleared. */
    static int readTwice(final Delivery delivery)
    {
        final int first = Probe.id(delivery);
        Thread.onSpinWait();
        final int second = Probe.id(delivery);
        return first < 0 || second < 0 ? Probe.CORRUPT : first * 10 + second;
    }

    /**
     * X was published through fanout f to q1 and q2. The first actor takes and acks q1's copy, then
     * publishes Y to q3; the second takes q2's copy, reads it twice, then acks it.
     * r1: what the first reader saw, r2: the second, r3: Y as the arbiter takes it from q3.
     */
    @JCStressTest
    @Outcome(id = "11, 11, 2", expect = ACCEPTABLE, desc = "Both readers saw X intact; Y arrived intact.")
    @Outcome(id = ".*, (12|21|22|-1), .*", expect = FORBIDDEN, desc = "q2's copy of X changed under its reader: the envelope was recycled while q2's delivery still held it.")
    @Outcome(expect = FORBIDDEN, desc = "A copy of X or Y was corrupted, lost or duplicated.")
    @State
    public static class FanoutCopyStaysIntactWhileTheOtherIsAcked
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final Channel arbiter = broker.openChannel();

        public FanoutCopyStaysIntactWhileTheOtherIsAcked()
        {
            first.exchangeDeclare("f", ExchangeType.FANOUT);
            Probe.declare(first, "q1", 4, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(first, "q2", 4, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(first, "q3", 4, OverflowPolicy.REJECT_PUBLISH);
            first.queueBind("q1", "f", "");
            first.queueBind("q2", "f", "");
            first.publish("f", "", Probe.body(1));
        }

        @Actor
        public void ackQ1ThenPublish(final III_Result r)
        {
            final Delivery delivery = first.get("q1", false);
            r.r1 = delivery == null ? 0 : readTwice(delivery);
            if (delivery != null)
            {
                delivery.ack();
            }
            first.publish("", "q3", Probe.body(2));
        }

        @Actor
        public void readQ2(final III_Result r)
        {
            final Delivery delivery = second.get("q2", false);
            r.r2 = delivery == null ? 0 : readTwice(delivery);
            if (delivery != null)
            {
                delivery.ack();
            }
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final Delivery y = arbiter.get("q3", true);
            r.r3 = y == null ? 0 : Probe.id(y);
            if (arbiter.get("q1", true) != null || arbiter.get("q2", true) != null || arbiter.get("q3", true) != null)
            {
                r.r3 = 9; // a copy came back after its ack
            }
            broker.close();
        }
    }

    /**
     * X went through fanout f to q1 and q2. The first actor takes q1's copy with auto-ack (the
     * delivery stays valid until the channel's next get), reads it twice, takes again (which
     * releases X) and publishes Y to q3. The second actor takes q2's copy with auto-ack and reads it.
     * r1, r2: what each reader saw, r3: Y as the arbiter takes it.
     */
    @JCStressTest
    @Outcome(id = "11, 11, 2", expect = ACCEPTABLE, desc = "Both auto-ack readers saw X intact; Y arrived intact.")
    @Outcome(id = ".*, (12|21|22|-1), .*", expect = FORBIDDEN, desc = "q2's auto-ack copy of X changed under its reader: X's envelope was recycled while that delivery was still valid.")
    @Outcome(expect = FORBIDDEN, desc = "A copy of X or Y was corrupted, lost or duplicated.")
    @State
    public static class AutoAckCopyStaysIntactUntilTheNextGet
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final Channel arbiter = broker.openChannel();

        public AutoAckCopyStaysIntactUntilTheNextGet()
        {
            first.exchangeDeclare("f", ExchangeType.FANOUT);
            Probe.declare(first, "q1", 4, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(first, "q2", 4, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(first, "q3", 4, OverflowPolicy.REJECT_PUBLISH);
            first.queueBind("q1", "f", "");
            first.queueBind("q2", "f", "");
            first.publish("f", "", Probe.body(1));
        }

        @Actor
        public void readQ1ThenGetAgainThenPublish(final III_Result r)
        {
            final Delivery delivery = first.get("q1", true);
            r.r1 = delivery == null ? 0 : readTwice(delivery);
            first.get("q1", true);
            first.publish("", "q3", Probe.body(2));
        }

        @Actor
        public void readQ2(final III_Result r)
        {
            final Delivery delivery = second.get("q2", true);
            r.r2 = delivery == null ? 0 : readTwice(delivery);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final Delivery y = arbiter.get("q3", true);
            r.r3 = y == null ? 0 : Probe.id(y);
            broker.close();
        }
    }
}
