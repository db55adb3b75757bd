package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.OverflowPolicy;
import io.ringmq.WaitStrategy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import java.util.concurrent.TimeUnit;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: cancelling a push {@link Consumer} while its channel closes. A cancel leaves the consumer's
 * unacknowledged deliveries outstanding on the channel (as AMQP does); when the channel's
 * {@code close()} returns they are back in the queue, even when another thread is cancelling the
 * consumer at the same time and the close has to wait for that cancel.
 * <p>
 * Like {@link PrefetchStress} this starts a consumer thread per iteration (in the first actor);
 * both actors wait for its one delivery, then race to stop it.
 */
public final class ConsumerCancelStress
{
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private ConsumerCancelStress()
    {
    }

    /**
     * A consumer holds message 1 unacked. One thread cancels it while another closes its channel.
     * r1, r2: the queue's message count right after cancel() and after close() returned (-1 when
     * the delivery never came), r3: the count at the end.
     */
    @JCStressTest
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "cancel() returned before the close requeued: the delivery was still outstanding on the channel, as AMQP wants.")
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The close stopped the consumer and requeued first; the cancel waited for it.")
    @Outcome(id = ".*, 0, .*", expect = FORBIDDEN, desc = "close() returned before the channel's outstanding delivery was requeued: the concurrent cancel was still stopping the consumer.")
    @Outcome(expect = FORBIDDEN, desc = "The message was lost or duplicated, or never delivered.")
    @State
    public static class CloseRequeuesOutstandingEvenWhenRacingACancel
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel observer = broker.openChannel();
        private volatile Consumer consumer;
        private volatile long deliveredTag;

        public CloseRequeuesOutstandingEvenWhenRacingACancel()
        {
            Probe.declare(observer, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            observer.publish("", "q", Probe.body(1));
        }

        @Actor
        public void cancel(final III_Result r)
        {
            consumer = channel.consume("q",
                ConsumeOptions.builder().prefetch(1).waitStrategy(WaitStrategy.BLOCKING).build(),
                delivery -> deliveredTag = delivery.deliveryTag());
            if (!awaitDelivery())
            {
                r.r1 = -1;
                return;
            }
            consumer.cancel();
            r.r1 = observer.queueDeclarePassive("q").messageCount();
        }

        @Actor
        public void closeChannel(final III_Result r)
        {
            if (!awaitDelivery())
            {
                r.r2 = -1;
                return;
            }
            channel.close();
            r.r2 = observer.queueDeclarePassive("q").messageCount();
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = observer.queueDeclarePassive("q").messageCount();
            broker.close();
        }

        private boolean awaitDelivery()
        {
            final long deadline = System.nanoTime() + PATIENCE_NANOS;
            while (deliveredTag == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        }
    }
}
