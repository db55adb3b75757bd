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
