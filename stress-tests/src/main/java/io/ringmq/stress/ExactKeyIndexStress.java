package io.ringmq.stress;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import io.ringmq.routing.table.DestinationSet;
import io.ringmq.routing.table.RoutingTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static io.ringmq.stress.RoutingSnapshotStress.count;
import static io.ringmq.stress.RoutingSnapshotStress.declare;
import static io.ringmq.stress.RoutingSnapshotStress.table;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: the exact-key index of direct exchanges (and of wildcard-free topic patterns), a hash
 * table the writer updates in place while routes probe it without locking. Each entry is stamped
 * with the version of the first snapshot holding it, and a route whose snapshot is older asks that
 * snapshot instead; these tests race writer calls with routes through the production
 * {@link RoutingTable} and forbid every result no single snapshot could give.
 */
public final class ExactKeyIndexStress
{
    private ExactKeyIndexStress()
    {
    }

    /**
     * Direct exchange d has keys k0..k6 bound to q, so its index has 7 keys in 16 slots; the writer
     * binds k7 and k8, and the second bind grows the index into a new array. A reader routes k0,
     * then k8. r1, r2: whether each route reached q.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "k0 found; the second route ran before the bind of k8.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE_INTERESTING, desc = "k0 found; the second route saw k8, in the grown array.")
    @Outcome(id = {"0, 0", "0, 1"}, expect = FORBIDDEN, desc = "k0, bound in every snapshot, was not found while the index grew: a message lost.")
    @State
    public static class GrowingIndexLosesNoKey
    {
        private final RoutingTable<String> table = table("q");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public GrowingIndexLosesNoKey()
        {
            declare(table, "d", ExchangeType.DIRECT);
            for (int k = 0; k < 7; k++)
            {
                table.bindQueue("d", "q", "k" + k, null);
            }
        }

        @Actor
        public void grow()
        {
            table.bindQueue("d", "q", "k7", null);
            table.bindQueue("d", "q", "k8", null);
        }

        @Actor
        public void route(final II_Result r)
        {
            table.route("d", "k0", null, routed);
            r.r1 = count(routed, "q");
            table.route("d", "k8", null, routed);
            r.r2 = count(routed, "q");
        }
    }

    /**
     * q is bound to direct exchange d by key k; the writer unbinds it, which leaves a tombstone in the
     * index. A reader routes k twice. r1, r2: whether each route reached q.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Both routes ran before the unbind.")
    @Outcome(id = "1, 0", expect = ACCEPTABLE_INTERESTING, desc = "The unbind landed between the two routes.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "Both routes ran after the unbind.")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "A route saw the unbind and a later one did not: the tombstone was missed or a snapshot went backwards.")
    @State
    public static class UnbindIsNeverUndone
    {
        private final RoutingTable<String> table = table("q");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public UnbindIsNeverUndone()
        {
            declare(table, "d", ExchangeType.DIRECT);
            table.bindQueue("d", "q", "k", null);
        }

        @Actor
        public void unbind()
        {
            table.unbindQueue("d", "q", "k", null);
        }

        @Actor
        public void route(final II_Result r)
        {
            table.route("d", "k", null, routed);
            r.r1 = count(routed, "q");
            table.route("d", "k", null, routed);
            r.r2 = count(routed, "q");
        }
    }

    /**
     * Direct exchange d sends key k to q and to direct exchange e; e sends k to q too, and has the
     * alternate exchange ae (fanout, to qa) for what it does not match. Deleting q changes the
     * entries for k in both indexes in one writer call: after it, e matches nothing and the message
     * goes to qa. A reader routes k through d. r1, r2: times q and qa were reached.
     */
    @JCStressTest
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The route read the snapshot before the delete: q, by both paths, once.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The route read the snapshot after the delete: e matched nothing, so ae took it to qa.")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "d's index as before the delete, e's as after: one writer call seen in half.")
    @Outcome(expect = FORBIDDEN, desc = "Lost, or routed to a queue twice.")
    @State
    public static class OneCallAcrossTwoIndexesIsSeenWhole
    {
        private final RoutingTable<String> table = table("q", "qa");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public OneCallAcrossTwoIndexesIsSeenWhole()
        {
            declare(table, "d", ExchangeType.DIRECT);
            table.declareExchange(ExchangeSpec.builder("e", ExchangeType.DIRECT).alternateExchange("ae").build());
            declare(table, "ae", ExchangeType.FANOUT);
            table.bindQueue("ae", "qa", "", null);
            table.bindQueue("d", "q", "k", null);
            table.bindExchange("d", "e", "k", null);
            table.bindQueue("e", "q", "k", null);
        }

        @Actor
        public void deleteQueue()
        {
            table.deleteQueue("q");
        }

        @Actor
        public void route(final II_Result r)
        {
            table.route("d", "k", null, routed);
            r.r1 = count(routed, "q");
            r.r2 = count(routed, "qa");
        }
    }

    /**
     * Queue old is bound to direct exchange d by key k; the writer deletes old and declares new, which
     * takes old's recycled queue id. A route records ids, and its result maps them back to queues
     * through the snapshot it read. A reader routes k, then reads the result. r1: its size; r2: what
     * its first element is (0 none, 1 old, 2 new, 3 anything else, null included).
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "The route ran before the delete and reports old.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The route ran after the delete: no binding left.")
    @Outcome(id = {"1, 2", "1, 3"}, expect = FORBIDDEN,
        desc = "The result was read through a newer snapshot than the route's: the recycled id named another queue.")
    @Outcome(expect = FORBIDDEN, desc = "Anything else.")
    @State
    public static class RecycledQueueIdNamesTheRoutesOwnQueue
    {
        private final RoutingTable<String> table = table("old");
        private final DestinationSet<String> routed = new DestinationSet<>();

        public RecycledQueueIdNamesTheRoutesOwnQueue()
        {
            declare(table, "d", ExchangeType.DIRECT);
            table.bindQueue("d", "old", "k", null);
        }

        @Actor
        public void recycle()
        {
            table.deleteQueue("old");
            table.declareQueue("new", "new");
        }

        @Actor
        public void route(final II_Result r)
        {
            r.r1 = table.route("d", "k", null, routed);
            if (r.r1 == 0)
            {
                r.r2 = 0;
                return;
            }
            final String first = routed.get(0);
            r.r2 = "old".equals(first) ? 1 : "new".equals(first) ? 2 : 3;
        }
    }
}
