package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.OverflowPolicy;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: per-publisher FIFO of one queue. Messages one publisher (one channel) sends to a queue
 * are taken from it in the order they were published, whatever other publishers and consumers do
 * meanwhile. Ids are folded into decimal digits in the order they were taken: "123" is in order.
 */
public final class PublishOrderStress
{
    private PublishOrderStress()
    {
    }

    /**
     * One publisher sends 1, 2, 3 while one consumer gets three times; the arbiter takes the rest.
     * r1: what the racing consumer took, r2: everything, in the order taken.
     */
    @JCStressTest
    @Outcome(id = "0, 123", expect = ACCEPTABLE, desc = "The consumer ran before the first publish; all arrived in order.")
    @Outcome(id = "(1|12|123), 123", expect = ACCEPTABLE_INTERESTING, desc = "The consumer took a prefix while publishing ran, in order.")
    @Outcome(expect = FORBIDDEN, desc = "Messages of one publisher were taken out of order, lost or duplicated: per-publisher FIFO broken.")
    @State
    public static class OnePublishersMessagesArriveInOrder
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel consumer = broker.openChannel();
        private final Channel arbiter = broker.openChannel();

        public OnePublishersMessagesArriveInOrder()
        {
            Probe.declare(publisher, "q", 8, OverflowPolicy.REJECT_PUBLISH);
        }

        @Actor
        public void publish()
        {
            publisher.publish("", "q", Probe.body(1));
            publisher.publish("", "q", Probe.body(2));
            publisher.publish("", "q", Probe.body(3));
        }

        @Actor
        public void consume(final II_Result r)
        {
            int digits = 0;
            for (int i = 0; i < 3; i++)
            {
                final int id = Probe.take(consumer, "q");
                if (id != Probe.EMPTY)
                {
                    digits = digits * 10 + id;
                }
            }
            r.r1 = digits;
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = Probe.drainDigits(arbiter, "q", r.r1);
            broker.close();
        }
    }

    /**
     * Publisher A sends 1, 2 while publisher B (on another channel) sends 3, takes, sends 4 and takes
     * twice more; the arbiter takes the rest. jcstress needs a CPU per actor and CI has two, so B is
     * both the second publisher and the consumer: A's messages still race B's publishes and takes.
     * r1: A's ids in the order taken, r2: B's, r3: how many B's takes got.
     */
    @JCStressTest
    @Outcome(id = "12, 34, 0", expect = ACCEPTABLE, desc = "B took nothing of its own or A's; each publisher's order kept.")
    @Outcome(id = "12, 34, [1-4]", expect = ACCEPTABLE_INTERESTING, desc = "B's takes raced both publishers; each publisher's order kept.")
    @Outcome(id = "21, .*", expect = FORBIDDEN, desc = "Publisher A's second message was taken before its first: per-publisher FIFO broken.")
    @Outcome(id = ".*, 43, .*", expect = FORBIDDEN, desc = "Publisher B's second message was taken before its first: per-publisher FIFO broken.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost or taken twice.")
    @State
    public static class EachOfTwoPublishersKeepsItsOrder
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisherA = broker.openChannel();
        private final Channel publisherB = broker.openChannel();
        private final Channel arbiter = broker.openChannel();
        private int takenOfA;
        private int takenOfB;

        public EachOfTwoPublishersKeepsItsOrder()
        {
            Probe.declare(publisherA, "q", 8, OverflowPolicy.REJECT_PUBLISH);
        }

        @Actor
        public void publishA()
        {
            publisherA.publish("", "q", Probe.body(1));
            publisherA.publish("", "q", Probe.body(2));
        }

        @Actor
        public void publishAndConsumeB(final III_Result r)
        {
            int taken = 0;
            publisherB.publish("", "q", Probe.body(3));
            taken += record(Probe.take(publisherB, "q"));
            publisherB.publish("", "q", Probe.body(4));
            taken += record(Probe.take(publisherB, "q"));
            taken += record(Probe.take(publisherB, "q"));
            taken += record(Probe.take(publisherB, "q"));
            r.r3 = taken;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            while (record(Probe.take(arbiter, "q")) != 0)
            {
                // drained one more
            }
            r.r1 = takenOfA;
            r.r2 = takenOfB;
            broker.close();
        }

        /** @return 1 when {@code id} is a message, 0 when the take found the queue empty. */
        private int record(final int id)
        {
            if (id == Probe.EMPTY)
            {
                return 0;
            }
            if (id == 1 || id == 2)
            {
                takenOfA = takenOfA * 10 + id;
            }
            else
            {
                takenOfB = takenOfB * 10 + id;
            }
            return 1;
        }
    }
}
