package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers route in a loop while a writer changes the table; every result must be one a snapshot
 * could give: the state before or after each writer call, never a mix. Not timed: it checks
 * outcomes, and runs for a fixed number of writer rounds.
 */
class ConcurrentRoutingTest
{
    private static final int READERS = 3;
    private static final int ROUNDS = 3_000;

    @Test
    void routesRacingWithWritersSeeOnlyWholeSnapshots() throws Exception
    {
        final RoutingTable<String> table = Tables.withQueues("base", "a", "b", "t1", "t2");
        Tables.declare(table, "src", ExchangeType.FANOUT);
        Tables.declare(table, "topics", ExchangeType.TOPIC);
        table.bindQueue("src", "base", "", null);
        table.bindQueue("topics", "t1", "x.*", null);

        // src routes to {base}, or to {base, a, b} while "mid" exists and is bound: mid gets both
        // queue bindings before src -> mid is bound, and deleteExchange removes all three at once.
        final Set<Set<String>> validFanout = Set.of(set("base"), set("a", "b", "base"));
        // topics routes "x.y" to {t1} or {t1, t2}; "x.y.z" to {} or {t2}.
        final Set<Set<String>> validTopicXy = Set.of(set("t1"), set("t1", "t2"));
        final Set<Set<String>> validTopicXyz = Set.of(set(), set("t2"));

        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<String> failure = new AtomicReference<>();
        final AtomicLong routes = new AtomicLong();
        final Map<Set<String>, Boolean> seenFanout = new ConcurrentHashMap<>();
        final CountDownLatch started = new CountDownLatch(READERS);
        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++)
        {
            final Thread reader = new Thread(() ->
            {
                final DestinationSet<String> out = new DestinationSet<>();
                started.countDown();
                long n = 0;
                while (!done.get() && failure.get() == null)
                {
                    final Set<String> fanout = Tables.contents(out, table.route("src", "k", null, out));
                    seenFanout.put(fanout, Boolean.TRUE);
                    check(validFanout, fanout, "src", failure);
                    check(validTopicXy, Tables.contents(out, table.route("topics", "x.y", null, out)), "topics x.y", failure);
                    check(validTopicXyz, Tables.contents(out, table.route("topics", "x.y.z", null, out)), "topics x.y.z", failure);
                    n++;
                }
                routes.addAndGet(n);
            }, "reader-" + r);
            reader.start();
            readers.add(reader);
        }
        started.await();

        for (int i = 0; i < ROUNDS && failure.get() == null; i++)
        {
            Tables.declare(table, "mid", ExchangeType.FANOUT);
            table.bindQueue("mid", "a", "", null);
            table.bindQueue("mid", "b", "", null);
            table.bindExchange("src", "mid", "", null);
            table.bindQueue("topics", "t2", "x.#", null);
            table.deleteExchange("mid", false);
            table.unbindQueue("topics", "t2", "x.#", null);
        }
        done.set(true);
        for (final Thread reader : readers)
        {
            reader.join();
        }

        assertNull(failure.get());
        assertTrue(routes.get() > 0);
        assertTrue(seenFanout.containsKey(set("base")));
        assertEquals(set("base"), Tables.route(table, "src", "k"));
    }

    private static void check(final Set<Set<String>> valid, final Set<String> actual, final String what, final AtomicReference<String> failure)
    {
        if (!valid.contains(actual))
        {
            failure.compareAndSet(null, what + " routed to " + actual + ", which no snapshot holds; valid: " + valid);
        }
    }
}
