package io.ringmq;

import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@code x-single-active-consumer} handover. When the active consumer's channel closes, its
 * unacknowledged messages are requeued first, and only then does the next consumer become active; so
 * the next one receives them first, in order, flagged redelivered, then the rest. The race: the next
 * consumer registering while the active one's channel is closing. (A plain cancel hands over at once
 * and leaves the leaver's deliveries outstanding on its channel, as RabbitMQ does: engine tests.)
 * <p>
 * Each iteration starts two push consumers (and the arbiter stops them), as {@code PrefetchStress}
 * does; the queue lives on the {@link PolicyBroker}.
 */
public final class SingleActiveConsumerStress
{
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SingleActiveConsumerStress()
    {
    }

    /**
     * A single-active-consumer queue holds 1..4. The first actor starts consumer A (manual ack,
     * prefetch 2) on a channel of its own, waits until it holds 1 and 2, and closes that channel; the second actor, once A is registered,
     * starts consumer B (auto-ack). r1: the ids B received, in order; r2: B's redelivered flags as digits
     * (1 flagged); r3: the ids A received; r4: 1 when a step did not happen within 5 s (a stall).
     */
    @JCStressTest
    @Outcome(id = "1234, 1100, 12, 0", expect = ACCEPTABLE, desc = "B got A's two unacked messages first, in order and flagged, then the rest.")
    @Outcome(id = "[34].*, .*", expect = FORBIDDEN, desc = "B took a message before A's unacked ones were requeued: it became active before the leaver's requeue.")
    @Outcome(id = "2.*, .*", expect = FORBIDDEN, desc = "A's unacked messages were requeued out of order.")
    @Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "A never held its two messages, or B never got its turn (or all four messages) after A left: the election or its wake-up was lost.")
    @Outcome(expect = FORBIDDEN, desc = "B's redelivered flags were wrong, a message was lost or duplicated, or B received while A was active.")
    @State
    public static class HandoverRedeliversTheLeaversUnackedFirstInOrder
    {
        private final String name = PolicyBroker.uniqueName("sac");
        /** Written by A's and B's handlers; read after cancel, which waits until no delivery is in progress. */
        private int aDigits;
        private int bDigits;
        private int bFlags;
        private volatile int bReceived;
        private volatile Consumer a;
        private volatile Consumer b;
        private volatile boolean stalled;

        public HandoverRedeliversTheLeaversUnackedFirstInOrder()
        {
            PolicyBroker.declare(QueueSpec.builder(name).capacity(8).singleActiveConsumer(true).build());
            final Channel channel = PolicyBroker.channel();
            for (int id = 1; id <= 4; id++)
            {
                channel.publish("", name, Probe.body(id));
            }
        }

        @Actor
        public void startAndCancelTheActiveOne()
        {
            final Channel own = PolicyBroker.openChannel();
            final Consumer active = own.consume(name, ConsumeOptions.manualAck(2),
                delivery -> aDigits = aDigits * 10 + Probe.id(delivery));
            a = active;
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (active.unackedCount() < 2)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    stalled = true;
                    break;
                }
                Thread.onSpinWait();
            }
            own.close(); // requeues 1 and 2, then hands over
        }

        @Actor
        public void startTheNextOne()
        {
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (a == null)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    stalled = true;
                    return;
                }
                Thread.onSpinWait();
            }
            b = PolicyBroker.channel().consume(name, ConsumeOptions.autoAck(), delivery ->
            {
                bDigits = bDigits * 10 + Probe.id(delivery);
                bFlags = bFlags * 10 + (delivery.redelivered() ? 1 : 0);
                bReceived++; // one writer: the consumer thread
            });
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (b != null && bReceived < 4 && System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
            final Consumer next = b;
            if (next == null || bReceived < 4)
            {
                stalled = true;
            }
            if (next != null)
            {
                next.cancel(); // waits for B's delivery in progress: its fields are visible below
            }
            if (a != null)
            {
                a.cancel(); // already cancelled: returns once it is stopped
            }
            r.r1 = bDigits;
            r.r2 = bFlags;
            r.r3 = aDigits;
            r.r4 = stalled ? 1 : 0;
            PolicyBroker.delete(name);
        }
    }
}
