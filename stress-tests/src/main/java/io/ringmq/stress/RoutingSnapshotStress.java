package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.OverflowPolicy;
import io.ringmq.PublishResult;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import io.ringmq.routing.table.DestinationSet;
import io.ringmq.routing.table.RoutingTable;
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
 * Subject: routing snapshots. A route racing with bind and unbind reads one immutable snapshot, so
 * it sees each writer call whole or not at all, never a snapshot older than one it already saw,
 * and never one queue twice however many paths lead to it. Most tests use {@link RoutingTable}
 * directly (with strings for queues): it is the production class and far cheaper than a broker.
 */
public final class RoutingSnapshotStress
{
    private RoutingSnapshotStress()
    {
    }

    static RoutingTable<String> table(final String... queues)
    {
        final RoutingTable<String> table = new RoutingTable<>();
        for (final String queue : queues)
        {
            table.declareQueue(queue, queue);
        }
        return table;
    }

    static void declare(final RoutingTable<String> table, final String exchange, final ExchangeType type)
    {
        table.declareExchange(ExchangeSpec.builder(exchange, type).build());
    }

    /** @return how many times {@code queue} appears in the last route's result. */
    static int count(final DestinationSet<String> routed, final String queue)
    {
        int n = 0;
        for (int i = 0; i < routed.size(); i++)
        {
            if (queue.equals(routed.get(i)))
            {
                n++;
            }
        }
        return n;
    }

    /**
     * Fanout f reaches q3 directly and q1, q2 through fanout e (an exchange-to-exchange binding);
     * one writer call unbinds e from f. r1, r2, r3: times q1, q2, q3 were routed to.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "The route read the snapshot before the unbind: all three queues.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "The route read the snapshot after the unbind: only q3.")
    @Outcome(id = {"1, 0, .*", "0, 1, .*"}, expect = FORBIDDEN, desc = "The route saw half of one unbind: one of two queues changed together lost its copy.")
    @Outcome(expect = FORBIDDEN, desc = "A queue no writer touched was lost, or a queue was routed to twice.")
    @State
    public static class OneWriterCallIsSeenWhole
    {
        private final RoutingTable<String> table = table("q1", "q2", "q3");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public OneWriterCallIsSeenWhole()
        {
            declare(table, "f", ExchangeType.FANOUT);
            declare(table, "e", ExchangeType.FANOUT);
            table.bindExchange("f", "e", "", null);
            table.bindQueue("e", "q1", "", null);
            table.bindQueue("e", "q2", "", null);
            table.bindQueue("f", "q3", "", null);
        }

        @Actor
        public void unbind()
        {
            table.unbindExchange("f", "e", "", null);
        }

        @Actor
        public void route(final III_Result r)
        {
            table.route("f", "", null, routed);
            r.r1 = count(routed, "q1");
            r.r2 = count(routed, "q2");
            r.r3 = count(routed, "q3");
        }
    }

    /**
     * q is bound to direct exchange d with key a. A writer rebinds it to key b: bind b, then unbind
     * a. A reader routes key a, then key b. r1, r2: whether each route reached q.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "Both routes ran before the bind of b.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "The second route saw the bind of b (and possibly the unbind of a).")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Both routes ran after the unbind of a.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "The first route saw a unbound, the later one did not see b bound before it: a snapshot went backwards and a message was lost in a rebind.")
    @State
    public static class RebindIsNeverSeenBackwards
    {
        private final RoutingTable<String> table = table("q");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public RebindIsNeverSeenBackwards()
        {
            declare(table, "d", ExchangeType.DIRECT);
            table.bindQueue("d", "q", "a", null);
        }

        @Actor
        public void rebind()
        {
            table.bindQueue("d", "q", "b", null);
            table.unbindQueue("d", "q", "a", null);
        }

        @Actor
        public void route(final II_Result r)
        {
            table.route("d", "a", null, routed);
            r.r1 = count(routed, "q");
            table.route("d", "b", null, routed);
            r.r2 = count(routed, "q");
        }
    }

    /**
     * Topic t reaches q through "a.*"; a writer adds "#", adds a path through fanout e, and then
     * removes "a.*", so at every moment one to three bindings lead to q. A reader routes "a.b"
     * twice. r1, r2: times q appeared in each route.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Each route reached q exactly once, however many of its bindings it saw.")
    @Outcome(id = {"([2-9]), .*", ".*, [2-9]"}, expect = FORBIDDEN, desc = "A route listed q twice: a message reaching a queue by two bindings would be delivered twice.")
    @Outcome(expect = FORBIDDEN, desc = "A route missed q, though some binding led to it in every snapshot: a message was lost.")
    @State
    public static class QueueReachedTwiceIsRoutedOnce
    {
        private final RoutingTable<String> table = table("q");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public QueueReachedTwiceIsRoutedOnce()
        {
            declare(table, "t", ExchangeType.TOPIC);
            declare(table, "e", ExchangeType.FANOUT);
            table.bindQueue("e", "q", "", null);
            table.bindQueue("t", "q", "a.*", null);
        }

        @Actor
        public void rebind()
        {
            table.bindQueue("t", "q", "#", null);
            table.bindExchange("t", "e", "a.b", null);
            table.unbindQueue("t", "q", "a.*", null);
        }

        @Actor
        public void route(final II_Result r)
        {
            table.route("t", "a.b", null, routed);
            r.r1 = count(routed, "q");
            table.route("t", "a.b", null, routed);
            r.r2 = count(routed, "q");
        }
    }

    /**
     * Through the broker: q is bound to direct exchange x with key k; a writer adds the path
     * x -k-> fanout f -> q, then removes the direct binding. A publish to x with key k races it.
     * r1: the publish's acceptedQueues, r2: copies found in q afterwards.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The message reached q once, by the old path, the new one, or both (deduplicated).")
    @Outcome(id = {"[2-9], .*", ".*, [2-9]"}, expect = FORBIDDEN, desc = "The message reached q twice during the rebind: duplicated delivery.")
    @Outcome(expect = FORBIDDEN, desc = "The message was lost during the rebind, though q was reachable in every snapshot.")
    @State
    public static class PublishDuringRebindIsDeliveredOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel admin = broker.openChannel();

        public PublishDuringRebindIsDeliveredOnce()
        {
            admin.exchangeDeclare("x", ExchangeType.DIRECT);
            admin.exchangeDeclare("f", ExchangeType.FANOUT);
            Probe.declare(admin, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            admin.queueBind("q", "x", "k");
            admin.queueBind("q", "f", "");
        }

        @Actor
        public void rebind()
        {
            admin.exchangeBind("f", "x", "k");
            admin.queueUnbind("q", "x", "k");
        }

        @Actor
        public void publish(final II_Result r)
        {
            final PublishResult result = publisher.publish("x", "k", Probe.body(1));
            r.r1 = result.acceptedQueues();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = admin.queueDeclarePassive("q").messageCount();
            broker.close();
        }
    }
}
