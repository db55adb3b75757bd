package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Behavioural check of the zero-allocation claim: after warm-up, 10,000 routes of each kind allocate
 * zero bytes on the routing thread, by {@code com.sun.management.ThreadMXBean}'s per-thread counter.
 * Not a timing test; the JMH benchmark with {@code -prof gc} is the measurement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZeroAllocationRouteTest
{
    private static final int WARM_UP = 30_000;
    private static final int MEASURED = 10_000;
    private static final int ROUNDS = 5;
    /** Keys are built once: building them per route would be the test's own allocation. */
    private static final String[] DIRECT_KEYS = new String[64];
    private static final String[] TOPIC_KEYS = {"stock.7.nyse", "a.b.c.7", "stock.42.x", "nothing.matches.this.key"};
    private static final String[] DEFAULT_KEYS = {"q1", "q99", "missing", "q50"};
    /** Keys of a topic exchange whose patterns have no wildcard (routed by its exact-key index). */
    private static final String[] TOPIC_EXACT_KEYS = {"a.b.1", "a.b.42", "a.b.missing", "a.b.99"};

    static
    {
        for (int i = 0; i < DIRECT_KEYS.length; i++)
        {
            DIRECT_KEYS[i] = "key-" + i;
        }
    }

    private final RoutingTable<String> table = new RoutingTable<>();
    private final DestinationSet<String> out = new DestinationSet<>();
    private final Map<String, Object> headers = new HashMap<>();
    private AllocationCounter threads;

    @BeforeAll
    void buildTable()
    {
        threads = AllocationCounter.create();
        assumeTrue(threads != null, "needs HotSpot's com.sun.management.ThreadMXBean");

        for (int i = 0; i < 100; i++)
        {
            table.declareQueue("q" + i, "q" + i);
            table.bindQueue("amq.direct", "q" + i, "key-" + i, null);
            table.bindQueue("amq.topic", "q" + i, "stock." + i + ".*", null);
            table.bindQueue("amq.topic", "q" + i, "#." + i, null);
        }
        Tables.declare(table, "exact-topic", ExchangeType.TOPIC);
        for (int i = 0; i < 100; i++)
        {
            table.bindQueue("exact-topic", "q" + i, "a.b." + i, null);
        }
        for (int i = 0; i < 10; i++)
        {
            table.bindQueue("amq.fanout", "q" + i, "", null);
            table.bindQueue("amq.headers", "q" + i, "", Map.of("x-match", "all", "format", "pdf", "n", i));
            table.bindQueue("amq.match", "q" + i, "", Map.of("x-match", "any", "format", "zip", "n", i));
        }
        for (final String x : new String[] {"chain1", "chain2", "chain3"})
        {
            Tables.declare(table, x, ExchangeType.TOPIC);
        }
        table.bindExchange("chain1", "chain2", "order.#", null);
        table.bindExchange("chain2", "chain3", "*.new", null);
        table.bindExchange("chain3", "chain1", "#", null);
        table.bindQueue("chain3", "q1", "order.*", null);
        table.bindQueue("chain2", "q2", "#", null);
        table.declareExchange(ExchangeSpec.builder("with-ae", ExchangeType.DIRECT).alternateExchange("ae").build());
        table.declareExchange(ExchangeSpec.builder("ae", ExchangeType.FANOUT).internal(true).build());
        table.bindQueue("ae", "q3", "", null);
        headers.put("format", "pdf");
        headers.put("n", 7L);
    }

    private int routeOnce(final String kind, final int i)
    {
        switch (kind)
        {
            case "direct":
                return table.route("amq.direct", DIRECT_KEYS[i & 63], null, out);
            case "fanout":
                return table.route("amq.fanout", "ignored", null, out);
            case "topic":
                return table.route("amq.topic", TOPIC_KEYS[i & 3], null, out);
            case "topic-exact":
                return table.route("exact-topic", TOPIC_EXACT_KEYS[i & 3], null, out);
            case "headers-all":
                return table.route("amq.headers", "", headers, out);
            case "headers-any":
                return table.route("amq.match", "", headers, out);
            case "e2e-chain":
                return table.route("chain1", "order.new", null, out);
            case "alternate":
                return table.route("with-ae", "unbound", null, out);
            case "default":
                return table.route("", DEFAULT_KEYS[i & 3], null, out);
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Any allocation on the route path would cost at least 16 bytes per route, 160 KB per round, in
     * every round. The JVM itself now and then allocates a few bytes on a running thread (for
     * instance when deoptimization re-materializes objects), so the proof is: some round of 10,000
     * routes allocates exactly zero bytes, and no round comes near one byte per route.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "fanout", "topic", "topic-exact", "headers-all", "headers-any", "e2e-chain", "alternate", "default"})
    void warmRoutesAllocateNothing(final String kind)
    {
        final long threadId = Thread.currentThread().getId();
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++)
        {
            sink += routeOnce(kind, i);
        }
        long fewest = Long.MAX_VALUE;
        long most = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final long before = threads.allocatedBytes(threadId);
            for (int i = 0; i < MEASURED; i++)
            {
                sink += routeOnce(kind, i);
            }
            final long allocated = threads.allocatedBytes(threadId) - before;
            fewest = Math.min(fewest, allocated);
            most = Math.max(most, allocated);
        }
        assertEquals(0, fewest, kind + ": every round of " + MEASURED + " routes allocated; fewest bytes " + fewest);
        assertTrue(most < MEASURED, kind + ": a round of " + MEASURED + " routes allocated " + most + " bytes");
        assertTrue(sink > 0, kind + ": the fixture routes reached no queue at all");
    }

    @Test
    void theFixtureRoutesWhereItShould()
    {
        assertEquals(1, table.route("amq.direct", "key-5", null, out));
        assertEquals(1, table.route("amq.topic", "stock.7.nyse", null, out));
        assertEquals(1, table.route("exact-topic", "a.b.42", null, out));
        assertEquals(1, table.route("amq.headers", "", headers, out));
        assertEquals(10, table.route("amq.match", "", Map.of("format", "zip"), out));
        assertEquals(2, table.route("chain1", "order.new", null, out));
        assertEquals(1, table.route("with-ae", "unbound", null, out));
        assertEquals(10, table.route("amq.fanout", "", null, out));
    }
}
