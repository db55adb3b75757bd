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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: the prefetch bound of a push {@link Consumer}. It never holds more unacknowledged
 * deliveries than its prefetch, while acks from other threads race with its deliveries.
 * <p>
 * Push consumers run on their own thread, so this is the one subject whose state starts a thread
 * per iteration (in the first actor, stopped by the arbiter): the credit check is in
 * {@code Consumer.run} and can only be reached through it.
 */
public final class PrefetchStress
{
    /** How long an acker waits for a delivery before it gives up and reports a stall. */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private PrefetchStress()
    {
    }

    /**
     * Four messages wait for a consumer with prefetch 2. The first actor starts it and acks the
     * 1st and 3rd deliveries, the second acks the 2nd and 4th, each as soon as it is handed over.
     * The handler records the consumer's unacked count at every delivery (its own tag included).
     * r1: the largest count seen, r2: deliveries, r3: acks that found no delivery in time.
     */
    @JCStressTest
    @Outcome(id = "1, 4, 0", expect = ACCEPTABLE, desc = "Every ack beat the next delivery: never more than one held.")
    @Outcome(id = "2, 4, 0", expect = ACCEPTABLE, desc = "The consumer filled its prefetch window of 2 and waited for credit.")
    @Outcome(id = "([3-9]|[1-9][0-9]+), .*", expect = FORBIDDEN, desc = "The consumer held more unacked deliveries than its prefetch of 2: the credit check raced an ack or a delivery.")
    @Outcome(expect = FORBIDDEN, desc = "A delivery was lost or duplicated, or credit returned by an ack never restarted deliveries.")
    @State
    public static class UnackedNeverExceedsPrefetch
    {
        private static final int PREFETCH = 2;
        private static final int MESSAGES = 4;

        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        /** Tags by delivery order, 0 until delivered: written by the consumer thread, read by the ackers. */
        private final AtomicLongArray tags = new AtomicLongArray(MESSAGES);
        /** Set by the first actor once consume returned; the handler and the second actor wait for it. */
        private volatile Consumer consumer;
        /** Consumer thread only, until the arbiter stops it. */
        private int delivered;
        private int largestUnacked;
        private final AtomicInteger stalls = new AtomicInteger();

        public UnackedNeverExceedsPrefetch()
        {
            Probe.declare(channel, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            for (int id = 1; id <= MESSAGES; id++)
            {
                channel.publish("", "q", Probe.body(id));
            }
        }

        @Actor
        public void startAndAckOdd()
        {
            consumer = channel.consume("q",
                ConsumeOptions.builder().prefetch(PREFETCH).waitStrategy(WaitStrategy.BLOCKING).build(),
                this::handle);
            ack(0);
            ack(2);
        }

        @Actor
        public void ackEven()
        {
            ack(1);
            ack(3);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final Consumer c = consumer;
            if (c != null)
            {
                c.cancel(); // joins the consumer thread: its plain fields are visible below
            }
            r.r1 = largestUnacked;
            r.r2 = delivered;
            r.r3 = stalls.get();
            broker.close();
        }

        private void handle(final Delivery delivery)
        {
            final Consumer c = awaitConsumer();
            final int unacked = c == null ? Integer.MAX_VALUE : c.unackedCount();
            largestUnacked = Math.max(largestUnacked, unacked);
            if (delivered < MESSAGES)
            {
                tags.set(delivered, delivery.deliveryTag());
            }
            delivered++;
        }

        /** Acks the {@code index}th delivery once the consumer thread has handed it over. */
        private void ack(final int index)
        {
            final Consumer c = awaitConsumer();
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            long tag;
            while ((tag = tags.get(index)) == 0)
            {
                if (c == null || System.nanoTime() - deadline > 0)
                {
                    stalls.incrementAndGet();
                    return;
                }
                Thread.onSpinWait();
            }
            c.ack(tag, false);
        }

        private Consumer awaitConsumer()
        {
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            Consumer c;
            while ((c = consumer) == null && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
            return c;
        }
    }
}
