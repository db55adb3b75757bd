package io.ringmq;

import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;

import java.util.List;
import java.util.Map;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@code x-delivery-limit}. A message's count of returns is a {@link DeliveryCount} that
 * travels with it — written by the thread that returns it, read by the next one that takes it, handed
 * over by the requeue list's volatile link — so returns from different threads are all counted, the
 * message is delivered at most {@code limit + 1} times, and the return past the limit dead-letters it
 * exactly once. (In package io.ringmq: the queue's removedCount is package-private.)
 */
public final class DeliveryLimitStress
{
    private static final int LIMIT = 2;

    private DeliveryLimitStress()
    {
    }

    /**
     * One message in a queue with x-delivery-limit 2; two threads each get it (manual ack) and nack it
     * with requeue, three times, racing. r1: deliveries, r2: dead letters received with reason
     * delivery_limit, r3: the queue's removedCount(delivery_limit), r4: messages left ready, r5: 0 when
     * exactly the first delivery was unflagged and every later one flagged redelivered.
     */
    @JCStressTest
    @Outcome(id = "3, 1, 1, 0, 0", expect = ACCEPTABLE, desc = "Delivered limit + 1 = 3 times; the third return dead-lettered it, counted once.")
    @Outcome(id = "2, 0, 0, 1, 0", expect = ACCEPTABLE, desc = "Each thread's last gets came while the other held it: delivered twice, returned twice, still ready.")
    @Outcome(id = "[4-9], .*", expect = FORBIDDEN, desc = "Delivered more than limit + 1 times: a return by the other thread was not counted (the count did not travel with the message).")
    @Outcome(id = "3, 0, .*", expect = FORBIDDEN, desc = "The third return neither requeued nor dead-lettered the message: lost.")
    @Outcome(id = ".*, 1", expect = FORBIDDEN, desc = "A redelivery was not flagged redelivered, or the first delivery was.")
    @Outcome(expect = FORBIDDEN, desc = "The message was dead-lettered twice, dead-lettered and still ready, or counted without a dead letter.")
    @State
    public static class RacingRequeuesCountEveryReturn
    {
        private final String name = PolicyBroker.uniqueName("delivery-limit");
        private final String dead = name + "-dead";
        private final MessageQueue queue;
        private int deliveriesFirst;
        private int deliveriesSecond;
        private int unflaggedFirst;
        private int unflaggedSecond;

        public RacingRequeuesCountEveryReturn()
        {
            PolicyBroker.declareDeadLetterQueue(dead);
            queue = PolicyBroker.declare(QueueSpec.builder(name).capacity(4).deliveryLimit(LIMIT)
                .deadLetterExchange("").deadLetterRoutingKey(dead).build());
            PolicyBroker.channel().publish("", name, Probe.body(1));
        }

        /** @return {deliveries, unflagged deliveries} of three get-and-nack rounds on this thread's channel. */
        private int[] getAndReturnThrice()
        {
            final Channel channel = PolicyBroker.channel();
            final int[] seen = new int[2];
            for (int i = 0; i < 3; i++)
            {
                final Delivery delivery = channel.get(name, false);
                if (delivery != null)
                {
                    seen[0]++;
                    seen[1] += delivery.redelivered() ? 0 : 1;
                    channel.nack(delivery.deliveryTag(), false, true);
                }
            }
            return seen;
        }

        @Actor
        public void first()
        {
            final int[] seen = getAndReturnThrice();
            deliveriesFirst = seen[0];
            unflaggedFirst = seen[1];
        }

        @Actor
        public void second()
        {
            final int[] seen = getAndReturnThrice();
            deliveriesSecond = seen[0];
            unflaggedSecond = seen[1];
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            r.r1 = deliveriesFirst + deliveriesSecond;
            final Channel channel = PolicyBroker.channel();
            int deadLetters = 0;
            Delivery delivery;
            while ((delivery = channel.get(dead, true)) != null)
            {
                final Object deaths = delivery.properties().headers().get(DeathHistory.X_DEATH);
                final Map<?, ?> death = deaths instanceof List && !((List<?>)deaths).isEmpty() ?
                    (Map<?, ?>)((List<?>)deaths).get(0) : Map.of();
                deadLetters += "delivery_limit".equals(death.get(DeathHistory.REASON)) && Probe.id(delivery) == 1 ? 1 : 100;
            }
            r.r2 = deadLetters;
            r.r3 = (int)queue.removedCount(DeathReason.DELIVERY_LIMIT);
            r.r4 = queue.messageCount();
            r.r5 = unflaggedFirst + unflaggedSecond == 1 ? 0 : 1;
            PolicyBroker.delete(name, dead);
        }
    }
}
