package io.ringmq;

import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.List;
import java.util.Map;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: message TTL, where the broker's sweeper ({@link QueueStorage#sweepExpired}, called here
 * directly from an actor) and a consumer's take both remove expired heads of the same queue. Each
 * expired message is removed once — counted once and dead-lettered once with reason expired — a live
 * message is never expired, and an expired one is never delivered. (In package io.ringmq: the
 * sweeper and the counts are package-private.)
 * <p>
 * Expiry is made deterministic with per-message TTLs: {@code expiration "0"} has expired by the time
 * anyone looks; no expiration never expires.
 */
public final class ExpirySweepStress
{
    private static final MessageProperties EXPIRED = MessageProperties.builder().expiration("0").build();

    private ExpirySweepStress()
    {
    }

    /**
     * The queue holds 1, 2 (expired), 3 (no TTL), 4 (expired). The sweeper sweeps once; a getter gets
     * twice (auto-ack), dropping the expired heads it meets. r1: what the getter received (digits in
     * order), r2: dead letters with reason expired per id (after a leading 1, digit n counts id n), r3: the
     * queue's removedCount(expired), r4: what was left.
     */
    @JCStressTest
    @Outcome(id = "3, 11101, 3, 0", expect = ACCEPTABLE, desc = "The getter received 3 only; 1, 2 and 4 expired once each (by the sweeper or the getter) and were dead-lettered once.")
    @Outcome(id = ".*, 1[0-9][0-9][1-9][0-9], .*", expect = FORBIDDEN, desc = "3, which has no TTL, was expired: the sweeper tested one head and removed another.")
    @Outcome(id = "[0-9]*[124][0-9]*, .*", expect = FORBIDDEN, desc = "The getter received a message whose TTL had passed.")
    @Outcome(id = ".*, [0-9]*[2-9][0-9]*, .*, .*", expect = FORBIDDEN, desc = "An expired message was dead-lettered twice: the sweeper and the getter both removed it.")
    @Outcome(expect = FORBIDDEN, desc = "An expired message was lost (neither counted nor dead-lettered), counted twice, or left behind.")
    @State
    public static class SweepRacingGetNeverExpiresALiveMessage
    {
        private final String name = PolicyBroker.uniqueName("ttl");
        private final String dead = name + "-dead";
        private final MessageQueue queue;
        private final QueueStorage store;

        public SweepRacingGetNeverExpiresALiveMessage()
        {
            PolicyBroker.declareDeadLetterQueue(dead);
            queue = PolicyBroker.declare(QueueSpec.builder(name).capacity(8).deadLetterExchange("")
                .deadLetterRoutingKey(dead).build());
            store = queue.storage();
            final Channel channel = PolicyBroker.channel();
            channel.publish("", name, EXPIRED, Probe.body(1));
            channel.publish("", name, EXPIRED, Probe.body(2));
            channel.publish("", name, MessageProperties.EMPTY, Probe.body(3));
            channel.publish("", name, EXPIRED, Probe.body(4));
        }

        @Actor
        public void sweeper()
        {
            store.sweepExpired();
        }

        @Actor
        public void getter(final IIII_Result r)
        {
            r.r1 = takeAll(PolicyBroker.channel(), 2);
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            final Channel channel = PolicyBroker.channel();
            int perId = 10_000; // a leading 1, so that the digits keep their places
            Delivery delivery;
            while ((delivery = channel.get(dead, true)) != null)
            {
                final Object deaths = delivery.properties().headers().get(DeathHistory.X_DEATH);
                final Map<?, ?> death = deaths instanceof List && !((List<?>)deaths).isEmpty() ?
                    (Map<?, ?>)((List<?>)deaths).get(0) : Map.of();
                final int id = Probe.id(delivery);
                if (id >= 1 && id <= 4 && "expired".equals(death.get(DeathHistory.REASON)))
                {
                    perId += (int)Math.pow(10, 4 - id);
                }
                else
                {
                    perId += 1_000_000; // a corrupt dead letter or a wrong reason
                }
            }
            r.r2 = perId;
            r.r3 = (int)queue.removedCount(DeathReason.EXPIRED);
            r.r4 = takeAll(channel, Integer.MAX_VALUE);
            PolicyBroker.delete(name, dead);
        }

        private int takeAll(final Channel channel, final int gets)
        {
            int digits = 0;
            for (int i = 0; i < gets; i++)
            {
                final Delivery delivery = channel.get(name, true);
                if (delivery == null)
                {
                    if (gets == Integer.MAX_VALUE)
                    {
                        break;
                    }
                    continue;
                }
                digits = digits * 10 + Probe.id(delivery);
            }
            return digits;
        }
    }
}
