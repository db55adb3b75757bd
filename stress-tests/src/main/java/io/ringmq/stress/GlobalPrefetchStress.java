package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Consumer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: a channel's global prefetch ({@code basic.qos} with {@code global}), which bounds the
 * unacknowledged deliveries of all the channel's consumers together while they deliver on threads of
 * their own: the bound holds when two of them race for its last credit, and a consumer refused while
 * another's reservation was in flight is woken when that reservation ends without a delivery.
 * <p>
 * Consumers here are caller-driven, manual ack, with no prefetch of their own: each actor's
 * {@code deliver} is the consumer's whole delivering thread, so the race is exactly the one named.
 */
public final class GlobalPrefetchStress
{
    private GlobalPrefetchStress()
    {
    }

    /** One message in each of queues a and b, and the channel's global prefetch 1. */
    private static void oneCreditForTwoQueues(final Channel channel)
    {
        Probe.oneMessageInEachOfTwoQueues(channel);
        channel.setChannelPrefetch(1);
    }

    /**
     * Global prefetch 1; consumer A on queue a and B on queue b, one message waiting in each; the two
     * actors have A and B deliver at once. r1: A's deliveries; r2: B's; r3: the channel's unacknowledged
     * deliveries at the end.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "A took the channel's one credit; B waits for an ack.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "B took the channel's one credit; A waits for an ack.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both read the credit before either held its delivery: the channel's bound of 1 was exceeded.")
    @Outcome(id = "0, 0, .*", expect = FORBIDDEN, desc = "Each was refused for the other's reservation: no one delivered with a credit free.")
    @Outcome(expect = FORBIDDEN, desc = "The channel's count disagrees with the deliveries made.")
    @State
    public static class TwoConsumersRacingForTheLastCredit
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Consumer a;
        private final Consumer b;
        private int deliveredA;
        private int deliveredB;

        public TwoConsumersRacingForTheLastCredit()
        {
            oneCreditForTwoQueues(channel);
            a = channel.consume("a", Probe.callerDriven(() -> { }), d -> deliveredA++);
            b = channel.consume("b", Probe.callerDriven(() -> { }), d -> deliveredB++);
        }

        @Actor
        public void deliverOnA()
        {
            a.deliver(1);
        }

        @Actor
        public void deliverOnB()
        {
            b.deliver(1);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = deliveredA;
            r.r2 = deliveredB;
            r.r3 = channel.unackedCount();
            broker.close();
        }
    }

    /**
     * Global prefetch 1; consumer A on queue a and B on queue b, one message waiting in each. Actor 1 has
     * A deliver; actor 2 takes a's message with a get on another channel, then has B deliver. When the get
     * wins after A reserved the credit, A's reservation ends with nothing delivered, and B, refused for it
     * meanwhile, must be told. r1: A's deliveries; r2: B's; r3: 1 when B's ready listener was told
     * during the race.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "A delivered and holds the credit; B waits for an ack.")
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "A delivered; B, refused while A's reservation was in flight, was told when it ended (A had used it).")
    @Outcome(id = "0, 1, [01]", expect = ACCEPTABLE, desc = "The get took a's message; B delivered, at once or once told.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE_INTERESTING, desc = "B was refused while A held a reservation that then went unused (the get won): B was told, and delivers on its next deliver.")
    @Outcome(id = "0, 0, 0", expect = FORBIDDEN, desc = "A lost wake-up: the channel's credit is free, B has a message, and no one told B.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "The channel's bound of 1 was exceeded.")
    @Outcome(expect = FORBIDDEN, desc = "Something else.")
    @State
    public static class AnUnusedReservationWakesTheConsumerItRefused
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel getter = broker.openChannel();
        private final Consumer a;
        private final Consumer b;
        private final AtomicInteger toldB = new AtomicInteger();
        private int deliveredA;
        private int deliveredB;

        public AnUnusedReservationWakesTheConsumerItRefused()
        {
            oneCreditForTwoQueues(channel);
            a = channel.consume("a", Probe.callerDriven(() -> { }), d -> deliveredA++);
            b = channel.consume("b", Probe.callerDriven(toldB::incrementAndGet), d -> deliveredB++);
            toldB.set(0); // the start's own signal
        }

        @Actor
        public void deliverOnA()
        {
            a.deliver(1);
        }

        @Actor
        public void getFromAThenDeliverOnB()
        {
            getter.get("a", true);
            b.deliver(1);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = deliveredA;
            r.r2 = deliveredB;
            r.r3 = toldB.get() > 0 ? 1 : 0;
            broker.close();
        }
    }
}
