package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.OverflowPolicy;
import io.ringmq.routing.ExchangeType;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: no loss, no duplication. Every message a queue accepted is taken from it exactly once,
 * with publishers and competing consumers racing. Results count takes per id in a tally: id
 * {@code n} adds {@code 10^(n-1)}, so "1111" is four ids taken once each, a "2" digit is a duplicate
 * and a "0" digit a loss.
 */
public final class ExactlyOnceStress
{
    private ExactlyOnceStress()
    {
    }

    /**
     * Messages 1 and 2 wait in the queue; two actors each take, publish one more (3, 4) and take
     * again, competing for every message; the arbiter takes the rest.
     * r1: the tally of all takes, r2: how many the actors' takes got, r3: corrupt bodies seen.
     */
    @JCStressTest
    @Outcome(id = "1111, [0-4], 0", expect = ACCEPTABLE, desc = "Each of the four messages was taken exactly once.")
    @Outcome(id = ".*[2-9].*, .*, .*", expect = FORBIDDEN, desc = "A message was taken twice: two competing consumers got the same message.")
    @Outcome(id = ".*0.*, .*, .*", expect = FORBIDDEN, desc = "An accepted message was never taken: lost.")
    @Outcome(expect = FORBIDDEN, desc = "A taken body was not one that was published: the message was corrupted.")
    @State
    public static class CompetingConsumersTakeEachMessageOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final Tally tally = new Tally();

        public CompetingConsumersTakeEachMessageOnce()
        {
            Probe.declare(first, "q", 8, OverflowPolicy.REJECT_PUBLISH);
            first.publish("", "q", Probe.body(1));
            first.publish("", "q", Probe.body(2));
        }

        @Actor
        public void first()
        {
            final int a = Probe.take(first, "q");
            first.publish("", "q", Probe.body(3));
            final int b = Probe.take(first, "q");
            tally.first(a);
            tally.first(b);
        }

        @Actor
        public void second()
        {
            final int a = Probe.take(second, "q");
            second.publish("", "q", Probe.body(4));
            final int b = Probe.take(second, "q");
            tally.second(a);
            tally.second(b);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = tally.byActors();
            int id;
            while ((id = Probe.take(arbiter, "q")) != Probe.EMPTY)
            {
                tally.arbiter(id);
            }
            r.r1 = tally.digits(4);
            r.r3 = tally.corrupt();
            broker.close();
        }
    }

    /**
     * One publish to a fanout exchange reaches two queues; each copy is taken exactly once while
     * both actors take from both queues. The first actor publishes 1 then 2 and takes from q1; the
     * second takes from q2 then q1; the arbiter takes the rest.
     * r1: tally of q1, r2: tally of q2, r3: corrupt bodies, r4: takes the actors got.
     */
    @JCStressTest
    @Outcome(id = "11, 11, 0, [0-4]", expect = ACCEPTABLE, desc = "Each queue's copy of both messages was taken exactly once.")
    @Outcome(id = "(.*[2-9].*, .*|.*, .*[2-9].*), .*, .*", expect = FORBIDDEN, desc = "A queue's copy was taken twice: duplicated delivery.")
    @Outcome(expect = FORBIDDEN, desc = "A queue's copy was lost, or a body was corrupted.")
    @State
    public static class FanoutCopiesAreTakenOncePerQueue
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel first = broker.openChannel();
        private final Channel second = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private final Tally q1 = new Tally();
        private final Tally q2 = new Tally();

        public FanoutCopiesAreTakenOncePerQueue()
        {
            first.exchangeDeclare("f", ExchangeType.FANOUT);
            Probe.declare(first, "q1", 8, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(first, "q2", 8, OverflowPolicy.REJECT_PUBLISH);
            first.queueBind("q1", "f", "");
            first.queueBind("q2", "f", "");
        }

        @Actor
        public void publishThenTakeFromQ1()
        {
            first.publish("f", "", Probe.body(1));
            first.publish("f", "", Probe.body(2));
            q1.first(Probe.take(first, "q1"));
        }

        @Actor
        public void takeFromQ2ThenQ1()
        {
            q2.second(Probe.take(second, "q2"));
            q2.second(Probe.take(second, "q2"));
            q1.second(Probe.take(second, "q1"));
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            r.r4 = q1.byActors() + q2.byActors();
            int id;
            while ((id = Probe.take(arbiter, "q1")) != Probe.EMPTY)
            {
                q1.arbiter(id);
            }
            while ((id = Probe.take(arbiter, "q2")) != Probe.EMPTY)
            {
                q2.arbiter(id);
            }
            r.r1 = q1.digits(2);
            r.r2 = q2.digits(2);
            r.r3 = q1.corrupt() + q2.corrupt();
            broker.close();
        }
    }
}
