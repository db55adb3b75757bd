package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Delivery;
import io.ringmq.OverflowPolicy;
import io.ringmq.error.PreconditionFailedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: acknowledgement accounting. Each delivery tag is settled exactly once, whichever threads
 * race to ack, nack or reject it; a requeued message comes back exactly once, flagged redelivered,
 * ahead of messages never delivered; an acked or rejected message never comes back.
 * <p>
 * The tags come from {@link Channel#get} with manual ack, whose scope is the same
 * {@code AckScope}/{@code UnackedTable} a push consumer uses. Settling results: 1 settled,
 * 0 refused with PRECONDITION_FAILED (unknown tag), 2 an IllegalStateException (an envelope
 * released more often than held).
 */
public final class AckStress
{
    static final int SETTLED = 1;
    static final int UNKNOWN_TAG = 0;
    static final int OVER_RELEASED = 2;

    private AckStress()
    {
    }

    /** Runs one settle action and classifies how it ended. */
    static int settle(final Runnable action)
    {
        try
        {
            action.run();
            return SETTLED;
        }
        catch (final PreconditionFailedException ex)
        {
            return UNKNOWN_TAG;
        }
        catch (final IllegalStateException ex)
        {
            return OVER_RELEASED;
        }
    }

    /**
     * Two threads ack the same tag. r1, r2: each ack's result; r3: messages the queue still holds.
     */
    @JCStressTest
    @Outcome(id = {"1, 0, 0", "0, 1, 0"}, expect = ACCEPTABLE, desc = "Exactly one ack settled the tag; the other got PRECONDITION_FAILED.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both acks succeeded: one delivery was settled twice.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Neither ack succeeded: an outstanding tag was not found.")
    @Outcome(expect = FORBIDDEN, desc = "An envelope was released twice, or an acked message came back.")
    @State
    public static class RacingAcksOfOneTagSettleItOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final long tag;

        public RacingAcksOfOneTagSettleItOnce()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            tag = channel.get("q", false).deliveryTag();
        }

        @Actor
        public void first(final III_Result r)
        {
            r.r1 = settle(() -> channel.ack(tag, false));
        }

        @Actor
        public void second(final III_Result r)
        {
            r.r2 = settle(() -> channel.ack(tag, false));
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = channel.queueDeclarePassive("q").messageCount();
            broker.close();
        }
    }

    /**
     * One thread acks a tag while another nacks it with requeue. r1: the ack, r2: the nack,
     * r3: what the queue gives back afterwards: 0 nothing, 1 the message flagged redelivered,
     * 2 the message not flagged, 3 more than one copy.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The ack won: the message is gone for good.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The nack won: the message came back once, flagged redelivered.")
    @Outcome(id = "1, 0, [1-3]", expect = FORBIDDEN, desc = "The ack won but the message came back: an acked message was redelivered.")
    @Outcome(id = "0, 1, 2", expect = FORBIDDEN, desc = "The requeued message came back without the redelivered flag.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both the ack and the nack settled the same tag.")
    @Outcome(expect = FORBIDDEN, desc = "The tag was lost, settled twice, or the message duplicated.")
    @State
    public static class AckRacingRequeueSettlesOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final long tag;

        public AckRacingRequeueSettlesOnce()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            tag = channel.get("q", false).deliveryTag();
        }

        @Actor
        public void ack(final III_Result r)
        {
            r.r1 = settle(() -> channel.ack(tag, false));
        }

        @Actor
        public void nackRequeue(final III_Result r)
        {
            r.r2 = settle(() -> channel.nack(tag, false, true));
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            int copies = 0;
            boolean flagged = true;
            Delivery delivery;
            while ((delivery = arbiter.get("q", true)) != null)
            {
                copies++;
                flagged &= delivery.redelivered() && Probe.id(delivery) == 1;
            }
            r.r3 = copies == 0 ? 0 : copies > 1 ? 3 : flagged ? 1 : 2;
            broker.close();
        }
    }

    /**
     * Message 1 is delivered and unacked. One thread nacks it with requeue and then publishes 2;
     * another takes twice. r1: times 1 was taken, r2: times 1 was taken flagged redelivered,
     * r3: times 2 was taken (tens) and flagged (units), r4: the arbiter's takes in order.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 10, (0|1|2|12)", expect = ACCEPTABLE, desc = "The requeued message came back once, flagged; the new one once, unflagged.")
    @Outcome(id = ".*, 21", expect = FORBIDDEN, desc = "The arbiter found the new message ahead of the requeued one: requeued messages must go first.")
    @Outcome(id = "[02-9], .*", expect = FORBIDDEN, desc = "The requeued message was lost or came back more than once.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "The requeued message came back without the redelivered flag.")
    @Outcome(expect = FORBIDDEN, desc = "The new message was lost, duplicated or flagged redelivered.")
    @State
    public static class RequeuedMessageComesBackOnceFlagged
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final long tag;
        private int requeuedTaken;
        private int requeuedFlagged;
        private int newTaken;
        private int newFlagged;

        public RequeuedMessageComesBackOnceFlagged()
        {
            Probe.declare(first, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            first.publish("", "q", Probe.body(1));
            tag = first.get("q", false).deliveryTag();
        }

        @Actor
        public void nackThenPublish()
        {
            first.nack(tag, false, true);
            first.publish("", "q", Probe.body(2));
        }

        @Actor
        public void take()
        {
            record(second.get("q", true));
            record(second.get("q", true));
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            int order = 0;
            Delivery delivery;
            while ((delivery = arbiter.get("q", true)) != null)
            {
                order = order * 10 + Probe.id(delivery);
                record(delivery);
            }
            r.r1 = requeuedTaken;
            r.r2 = requeuedFlagged;
            r.r3 = newTaken * 10 + newFlagged;
            r.r4 = order;
            broker.close();
        }

        private void record(final Delivery delivery)
        {
            if (delivery == null)
            {
                return;
            }
            final boolean redelivered = delivery.redelivered();
            if (Probe.id(delivery) == 1)
            {
                requeuedTaken++;
                requeuedFlagged += redelivered ? 1 : 0;
            }
            else
            {
                newTaken++;
                newFlagged += redelivered ? 1 : 0;
            }
        }
    }

    /**
     * Messages 1 and 2 are delivered and unacked. One thread acks 1 and then publishes 3; another
     * rejects 2 without requeue and takes twice. r1: the ack, r2: the reject, r3: every id taken
     * after, in order (actor then arbiter).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 3", expect = ACCEPTABLE, desc = "Only the new message was taken: the acked and the rejected one never came back.")
    @Outcome(id = ".*, .*, .*[12].*", expect = FORBIDDEN, desc = "An acked or rejected (no requeue) message came back.")
    @Outcome(expect = FORBIDDEN, desc = "A settle failed, or the new message was lost or duplicated.")
    @State
    public static class SettledMessageNeverComesBack
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel owner = broker.openChannel();
        private final Channel publisher = broker.openChannel();
        private final Channel taker = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final long tag1;
        private final long tag2;
        private int taken;

        public SettledMessageNeverComesBack()
        {
            Probe.declare(owner, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            owner.publish("", "q", Probe.body(1));
            owner.publish("", "q", Probe.body(2));
            tag1 = owner.get("q", false).deliveryTag();
            tag2 = owner.get("q", false).deliveryTag();
        }

        @Actor
        public void ackThenPublish(final III_Result r)
        {
            r.r1 = settle(() -> owner.ack(tag1, false));
            publisher.publish("", "q", Probe.body(3));
        }

        @Actor
        public void rejectThenTake(final III_Result r)
        {
            r.r2 = settle(() -> owner.reject(tag2, false));
            taken = Probe.drainDigits(taker, "q", 0);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = Probe.drainDigits(arbiter, "q", taken);
            broker.close();
        }
    }

    /**
     * Tags 1 and 2 are outstanding. One thread acks 2 with multiple (so 1 as well), another acks 1
     * alone. r1: the multiple ack, r2: the single ack, r3: messages back in the queue once the
     * channel closed (close requeues whatever is still unacked).
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The single ack took tag 1 first; the multiple ack settled only tag 2.")
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The multiple ack settled both; the single ack found tag 1 gone.")
    @Outcome(id = "0, .*, .*", expect = FORBIDDEN, desc = "The multiple ack did not find tag 2, which nobody else settled.")
    @Outcome(id = ".*, .*, [1-9]", expect = FORBIDDEN, desc = "A tag stayed unsettled and was requeued on close: an ack was lost.")
    @Outcome(expect = FORBIDDEN, desc = "A tag was settled twice (an envelope released twice).")
    @State
    public static class MultipleAckRacingSingleAckSettlesEachTagOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final long tag1;
        private final long tag2;

        public MultipleAckRacingSingleAckSettlesEachTagOnce()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            channel.publish("", "q", Probe.body(2));
            tag1 = channel.get("q", false).deliveryTag();
            tag2 = channel.get("q", false).deliveryTag();
        }

        @Actor
        public void ackMultiple(final III_Result r)
        {
            r.r1 = settle(() -> channel.ack(tag2, true));
        }

        @Actor
        public void ackSingle(final III_Result r)
        {
            r.r2 = settle(() -> channel.ack(tag1, false));
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            channel.close();
            r.r3 = arbiter.queueDeclarePassive("q").messageCount();
            broker.close();
        }
    }

    /**
     * Tags 1, 2 and 3 are outstanding. One thread nacks 3 with multiple and requeue; another takes
     * once, racing the requeue. r1: what the racing take got (0 nothing), r2: every id taken, in
     * order, r3: how many of those were flagged redelivered.
     */
    @JCStressTest
    @Outcome(id = "0, 123, 3", expect = ACCEPTABLE, desc = "The take ran before the requeue; all three came back in tag order, flagged.")
    @Outcome(id = "1, 123, 3", expect = ACCEPTABLE_INTERESTING, desc = "The take got the first requeued message; tag order kept.")
    @Outcome(id = "[23], .*", expect = FORBIDDEN, desc = "The racing take got a later tag before the first: nack multiple requeued out of order.")
    @Outcome(expect = FORBIDDEN, desc = "Requeued messages were reordered, lost, duplicated or not flagged redelivered.")
    @State
    public static class NackMultipleRequeuesInTagOrder
    {
        private final ThreeOutstanding three = new ThreeOutstanding();

        @Actor
        public void nackMultiple()
        {
            three.channel.nack(three.tag3, true, true);
        }

        @Actor
        public void take(final III_Result r)
        {
            three.take(r);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            three.takeTheRest(r);
        }
    }

    /**
     * Tags 1, 2 and 3 are outstanding on a channel that closes (which requeues them) while another
     * channel takes once. Same results as {@link NackMultipleRequeuesInTagOrder}.
     */
    @JCStressTest
    @Outcome(id = "0, 123, 3", expect = ACCEPTABLE, desc = "The take ran before the close; all three came back in tag order, flagged.")
    @Outcome(id = "1, 123, 3", expect = ACCEPTABLE_INTERESTING, desc = "The take got the first requeued message; tag order kept.")
    @Outcome(id = "[23], .*", expect = FORBIDDEN, desc = "The racing take got a later tag before the first: close requeued out of order.")
    @Outcome(expect = FORBIDDEN, desc = "Requeued messages were reordered, lost, duplicated or not flagged redelivered.")
    @State
    public static class ChannelCloseRequeuesInTagOrder
    {
        private final ThreeOutstanding three = new ThreeOutstanding();

        @Actor
        public void close()
        {
            three.channel.close();
        }

        @Actor
        public void take(final III_Result r)
        {
            three.take(r);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            three.takeTheRest(r);
        }
    }

    /**
     * The state of the two requeue-order tests: messages 1, 2 and 3 delivered on {@code channel} and
     * outstanding (tags 1, 2, 3); something requeues them while {@link #take} races it on another
     * channel, and {@link #takeTheRest} drains the queue. r1: what the racing take got (0 nothing),
     * r2: every id taken, in order, r3: how many of those were flagged redelivered.
     */
    static final class ThreeOutstanding
    {
        final Broker broker = Probe.smallBroker();
        final Channel channel = broker.openChannel();
        final long tag3;
        private final Channel taker = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        /** Written by the taking actor, then by the arbiter, which jcstress runs after the actors. */
        private int flagged;

        ThreeOutstanding()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            channel.publish("", "q", Probe.body(2));
            channel.publish("", "q", Probe.body(3));
            channel.get("q", false);
            channel.get("q", false);
            tag3 = channel.get("q", false).deliveryTag();
        }

        void take(final III_Result r)
        {
            final Delivery delivery = taker.get("q", true);
            if (delivery != null)
            {
                r.r1 = Probe.id(delivery);
                flagged += delivery.redelivered() ? 1 : 0;
            }
        }

        void takeTheRest(final III_Result r)
        {
            int order = r.r1;
            Delivery delivery;
            while ((delivery = arbiter.get("q", true)) != null)
            {
                order = order * 10 + Probe.id(delivery);
                flagged += delivery.redelivered() ? 1 : 0;
            }
            r.r2 = order;
            r.r3 = flagged;
            broker.close();
        }
    }
}
