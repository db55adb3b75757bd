package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.Delivery;
import io.ringmq.OverflowPolicy;
import io.ringmq.WaitStrategy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: round-robin dispatch among competing push consumers ({@code RoundRobinDispatcher} and
 * each consumer's {@code Mailbox}). The dispatch role moves messages into mailboxes while publishers
 * publish, consumers take and acknowledge, and a consumer is cancelled: no message is lost in a
 * mailbox or handed out twice, and no consumer exceeds its prefetch counting what waits for it.
 * <p>
 * Like {@link PrefetchStress}, each state starts consumer threads (two here): dispatch happens only
 * on them. They use the BLOCKING wait, so parked consumers leave the two cores to the actors.
 * Acknowledged ids are folded into decimal digits: id {@code n} adds {@code 10^(n-1)}, so "1111" is
 * four ids acknowledged once each, a "0" digit a loss and a "2" a duplicate.
 */
public final class RoundRobinStress
{
    /** How long the arbiter waits for the consumers to acknowledge everything. */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MESSAGES = 4;

    private RoundRobinStress()
    {
    }

    /**
     * Two consumers with prefetch 1 ack in their handlers; two actors publish two messages each.
     * r1: acknowledged ids as digits, r2: the largest unacked count a handler saw (its own delivery included).
     */
    @JCStressTest
    @Outcome(id = "1111, 1", expect = ACCEPTABLE, desc = "Each message went to one consumer, once, within its prefetch of 1.")
    @Outcome(id = "1111, ([2-9]|[1-9][0-9]+)", expect = FORBIDDEN, desc = "A consumer held more than its prefetch: the dispatcher counted its mailbox or its unacked wrong.")
    @Outcome(id = ".*2.*, .*", expect = FORBIDDEN, desc = "A message was delivered to two consumers, or twice to one.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost between queue, dispatcher and mailbox, or dispatch stalled.")
    @State
    public static class EachMessageOnceWithinPrefetch
    {
        private final Broker broker = Probe.smallBroker();
        /** The consumers' channel; each publisher has its own, as channels are single-threaded. */
        private final Channel channel = broker.openChannel();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final AtomicIntegerArray acked = new AtomicIntegerArray(MESSAGES + 1);
        private final AtomicInteger largestUnacked = new AtomicInteger();
        /** Set as consume() returns, before any message is published. */
        private final AtomicReferenceArray<Consumer> consumers = new AtomicReferenceArray<>(2);

        public EachMessageOnceWithinPrefetch()
        {
            Probe.declare(channel, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            for (int c = 0; c < consumers.length(); c++)
            {
                final int index = c;
                consumers.set(c, channel.consume("q",
                    ConsumeOptions.builder().prefetch(1).waitStrategy(WaitStrategy.BLOCKING).build(),
                    delivery -> handle(consumers.get(index), delivery)));
            }
        }

        @Actor
        public void publishOneAndTwo()
        {
            first.publish("", "q", Probe.body(1));
            first.publish("", "q", Probe.body(2));
        }

        @Actor
        public void publishThreeAndFour()
        {
            second.publish("", "q", Probe.body(3));
            second.publish("", "q", Probe.body(4));
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            awaitAcked(acked);
            r.r1 = digits(acked);
            r.r2 = largestUnacked.get();
            broker.close();
        }

        private void handle(final Consumer self, final Delivery delivery)
        {
            // Messages are published only after both consume() calls returned, so self is set.
            final int unacked = self == null ? Integer.MAX_VALUE : self.unackedCount();
            largestUnacked.accumulateAndGet(unacked, Math::max);
            final int id = Probe.id(delivery);
            delivery.ack();
            if (id >= 1 && id <= MESSAGES)
            {
                acked.incrementAndGet(id);
            }
        }
    }

    /**
     * Two consumers with no prefetch limit; the first never acknowledges, so whatever reaches it must
     * come back: what waits in its mailbox when the second actor cancels it (while the first actor
     * publishes), and what reached its handler when the arbiter then closes its channel (a cancelled
     * consumer's deliveries stay outstanding on its channel until then, as in AMQP). The second
     * consumer acknowledges everything it gets.
     * r1: ids the second consumer acknowledged, as digits; r2: deliveries to the first consumer;
     * r3: redelivered messages the second consumer got.
     */
    @JCStressTest
    @Outcome(id = "1111, [0-4], [0-4]", expect = ACCEPTABLE, desc = "Every message was acknowledged once by the second consumer; what the cancelled one had came back (its mailbox at the cancel, its unacked ones at its channel's close).")
    @Outcome(id = ".*0.*, .*, .*", expect = FORBIDDEN, desc = "A message was lost: left in the cancelled consumer's mailbox, or put there after it was emptied.")
    @Outcome(id = ".*2.*, .*, .*", expect = FORBIDDEN, desc = "A message was acknowledged twice: returned from the mailbox and delivered too.")
    @Outcome(expect = FORBIDDEN, desc = "Something else: a corrupt body or a stall.")
    @State
    public static class CancelReturnsWhatWaitsInTheMailbox
    {
        private final Broker broker = Probe.smallBroker();
        /** The second consumer's channel; the cancelled one and the publisher have their own. */
        private final Channel channel = broker.openChannel();
        private final Channel cancelledChannel = broker.openChannel();
        private final Channel publisher = broker.openChannel();
        private final AtomicIntegerArray acked = new AtomicIntegerArray(MESSAGES + 1);
        private final AtomicInteger toCancelled = new AtomicInteger();
        private final AtomicInteger redelivered = new AtomicInteger();
        private final Consumer cancelled;

        public CancelReturnsWhatWaitsInTheMailbox()
        {
            Probe.declare(channel, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            cancelled = cancelledChannel.consume("q",
                ConsumeOptions.builder().prefetch(0).waitStrategy(WaitStrategy.BLOCKING).build(),
                delivery -> toCancelled.incrementAndGet());
            channel.consume("q", ConsumeOptions.builder().prefetch(0).waitStrategy(WaitStrategy.BLOCKING).build(),
                delivery ->
                {
                    if (delivery.redelivered())
                    {
                        redelivered.incrementAndGet();
                    }
                    final int id = Probe.id(delivery);
                    delivery.ack();
                    if (id >= 1 && id <= MESSAGES)
                    {
                        acked.incrementAndGet(id);
                    }
                });
        }

        @Actor
        public void publish()
        {
            for (int id = 1; id <= MESSAGES; id++)
            {
                publisher.publish("", "q", Probe.body(id));
            }
        }

        @Actor
        public void cancel()
        {
            cancelled.cancel();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            cancelledChannel.close(); // requeues what reached the cancelled consumer's handler
            awaitAcked(acked);
            r.r1 = digits(acked);
            r.r2 = toCancelled.get();
            r.r3 = redelivered.get();
            broker.close();
        }
    }

    /**
     * A turn's batch claim racing a cancel. Two caller-driven auto-ack consumers, A then B; ids 1..4 are
     * published before the race. The first actor drives A, whose turn claims all four at once and stages
     * them in rotation (1 and 3 to A, 2 and 4 to B) unless B has stopped; the second cancels B, which waits
     * for a turn in progress ({@code acquireRole}) and returns what its mailbox holds. B's handler never
     * runs: it is never driven. r1: ids seen by A's handler or left in the queue, counted as digits (id 4
     * first); r2: what A's handler saw, in order; r3: what the arbiter then finds in the queue, in order.
     */
    @JCStressTest
    @Outcome(id = "1111, 1234, 0", expect = ACCEPTABLE, desc = "The cancel came first: A, alone, took all four, in order.")
    @Outcome(id = "1111, 1324, 0", expect = ACCEPTABLE_INTERESTING, desc = "The turn placed 2 and 4 with B; the cancel returned them in order and A took them after its own 1 and 3.")
    @Outcome(id = "1111, 132, 4", expect = ACCEPTABLE_INTERESTING, desc = "As above, but A found only 2 back before it stopped looking: 4 came back just after, and waits in the queue.")
    @Outcome(id = "1111, 13, 24", expect = ACCEPTABLE_INTERESTING, desc = "The turn placed 2 and 4 with B; the cancel returned them in order after A stopped looking.")
    @Outcome(id = ".*0.*, .*, .*", expect = FORBIDDEN, desc = "A message was lost: claimed and never staged, or staged in B's mailbox after the cancel emptied it.")
    @Outcome(id = ".*2.*, .*, .*", expect = FORBIDDEN, desc = "A message was seen twice: staged and also left in (or returned to) the queue.")
    @Outcome(expect = FORBIDDEN, desc = "Each message once but out of order (a claim, a mailbox or the return of B's mailbox reordered one publisher's messages), or a corrupt body.")
    @State
    public static class ATurnsBatchClaimRacingACancelPlacesEachMessageOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel observer = broker.openChannel();
        private final Channel channelA = broker.openChannel();
        private final Channel channelB = broker.openChannel();
        private final AtomicIntegerArray seen = new AtomicIntegerArray(MESSAGES + 1);
        private final Consumer a;
        private final Consumer b;
        /** A's handler runs on the first actor only. */
        private int seenByA;

        public ATurnsBatchClaimRacingACancelPlacesEachMessageOnce()
        {
            Probe.declare(observer, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            final ConsumeOptions driven = ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build();
            a = channelA.consume("q", driven, delivery ->
            {
                final int id = Probe.id(delivery);
                seenByA = seenByA * 10 + id;
                count(seen, id);
            });
            b = channelB.consume("q", driven, delivery -> count(seen, Probe.id(delivery)));
            for (int id = 1; id <= MESSAGES; id++)
            {
                observer.publish("", "q", Probe.body(id));
            }
        }

        @Actor
        public void driveA(final III_Result r)
        {
            a.deliver(16);
            r.r2 = seenByA;
        }

        @Actor
        public void cancelB()
        {
            b.cancel();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            int left = 0;
            int id;
            while ((id = Probe.take(observer, "q")) != Probe.EMPTY)
            {
                left = left * 10 + id;
                count(seen, id);
            }
            r.r1 = digits(seen);
            r.r3 = left;
            broker.close();
        }
    }

    /**
     * A turn's claim racing a requeue. Id 1 is published and taken by a manual-ack get before two
     * caller-driven auto-ack consumers, A then B, come; then 2 and 3 are published. The first actor drives A,
     * whose turns claim what is ready; the second nacks 1 with requeue, which puts it back ahead of the
     * never-delivered ones. The arbiter then drives both consumers until nothing moves and empties the
     * queue. r1: ids delivered or left, counted as digits (id 3 first); r2: the redelivered flag each id
     * came with, as digits (id 1 first); r3: what A's handler saw during the race, in order.
     */
    @JCStressTest
    @Outcome(id = "111, 100, 13", expect = ACCEPTABLE, desc = "The requeue came first: the claim took the returned 1 ahead of 2 and 3, and the rotation gave 1 and 3 to A, 2 to B.")
    @Outcome(id = "111, 100, 21", expect = ACCEPTABLE_INTERESTING, desc = "The claim took 2 and 3 (2 to A, 3 to B) before the requeue; A's next turn claimed the returned 1, and the rotation's turn was A's.")
    @Outcome(id = "111, 100, 2", expect = ACCEPTABLE_INTERESTING, desc = "The claim took 2 and 3 before the requeue, which came after A stopped looking: 1 went out in the arbiter's turns.")
    @Outcome(id = "111, (?!100,).*", expect = FORBIDDEN, desc = "A redelivered flag is wrong: the requeued 1 came unflagged, or a fresh message flagged.")
    @Outcome(id = ".*0.*, .*, .*", expect = FORBIDDEN, desc = "A message was lost between the requeue, the claim and the mailboxes.")
    @Outcome(id = ".*2.*, .*, .*", expect = FORBIDDEN, desc = "A message was delivered twice: claimed while also requeued, or staged twice.")
    @Outcome(expect = FORBIDDEN, desc = "Each message once, flagged right, but A's share is out of the rotation's order or a fresh message was claimed ahead of the returned one; or a corrupt body.")
    @State
    public static class ATurnsClaimRacingARequeueTakesEachMessageOnceReturnedFirst
    {
        private static final int IDS = 3;

        private final Broker broker = Probe.smallBroker();
        private final Channel observer = broker.openChannel();
        private final Channel getter = broker.openChannel();
        private final Channel channelA = broker.openChannel();
        private final Channel channelB = broker.openChannel();
        private final AtomicIntegerArray seen = new AtomicIntegerArray(IDS + 1);
        private final AtomicIntegerArray flagged = new AtomicIntegerArray(IDS + 1);
        private final Consumer a;
        private final Consumer b;
        private final long outstanding;
        /** A's handler runs on the first actor during the race, then on the arbiter. */
        private int seenByA;

        public ATurnsClaimRacingARequeueTakesEachMessageOnceReturnedFirst()
        {
            Probe.declare(observer, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            observer.publish("", "q", Probe.body(1));
            outstanding = getter.get("q", false).deliveryTag();
            final ConsumeOptions driven = ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build();
            a = channelA.consume("q", driven, delivery ->
            {
                seenByA = seenByA * 10 + Probe.id(delivery);
                record(delivery);
            });
            b = channelB.consume("q", driven, this::record);
            observer.publish("", "q", Probe.body(2));
            observer.publish("", "q", Probe.body(3));
        }

        @Actor
        public void driveA(final III_Result r)
        {
            a.deliver(16);
            r.r3 = seenByA;
        }

        @Actor
        public void requeueOne()
        {
            getter.nack(outstanding, false, true);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            for (int round = 0; round < 4; round++)
            {
                a.deliver(16);
                b.deliver(16);
            }
            Delivery left;
            while ((left = observer.get("q", true)) != null)
            {
                record(left);
            }
            int counts = 0;
            int flags = 0;
            for (int id = IDS; id >= 1; id--)
            {
                counts = counts * 10 + Math.min(9, seen.get(id));
            }
            for (int id = 1; id <= IDS; id++)
            {
                flags = flags * 10 + flagged.get(id);
            }
            r.r1 = counts;
            r.r2 = flags;
            broker.close();
        }

        private void record(final Delivery delivery)
        {
            final int id = Probe.id(delivery);
            if (id >= 1 && id <= IDS)
            {
                seen.incrementAndGet(id);
                if (delivery.redelivered())
                {
                    flagged.set(id, 1);
                }
            }
        }
    }

    private static void count(final AtomicIntegerArray seen, final int id)
    {
        if (id >= 1 && id < seen.length())
        {
            seen.incrementAndGet(id);
        }
    }

    private static void awaitAcked(final AtomicIntegerArray acked)
    {
        final long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (System.nanoTime() - deadline < 0)
        {
            int sum = 0;
            for (int id = 1; id <= MESSAGES; id++)
            {
                sum += acked.get(id);
            }
            if (sum >= MESSAGES)
            {
                return;
            }
            Thread.yield();
        }
    }

    private static int digits(final AtomicIntegerArray acked)
    {
        int digits = 0;
        for (int id = MESSAGES; id >= 1; id--)
        {
            digits = digits * 10 + Math.min(9, acked.get(id));
        }
        return digits;
    }
}
