package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Writers cost {@code O(log n)} per binding, not a copy of the table: 100,000 bindings declared one
 * by one. The time limit is deliberately loose (a quadratic writer would need minutes, the
 * persistent one takes a fraction of a second); {@code RoutingBenchmark.declareBindings} measures it.
 */
class BulkBindingTest
{
    private static final int BINDINGS = 100_000;
    private static final int QUEUES = 1_000;

    @Test
    void aHundredThousandDirectAndTopicBindingsOneByOneStayCheapAndCorrect()
    {
        final RoutingTable<String> table = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            final RoutingTable<String> t = new RoutingTable<>();
            for (int q = 0; q < QUEUES; q++)
            {
                t.declareQueue("q" + q, "q" + q);
            }
            for (int i = 0; i < BINDINGS; i++)
            {
                t.bindQueue("amq.direct", "q" + (i % QUEUES), "key." + i, null);
                t.bindQueue("amq.topic", "q" + (i % QUEUES), "stock." + i + ".*", null);
            }
            return t;
        });
        assertEquals(BINDINGS, table.bindingCount("amq.direct"));
        assertEquals(BINDINGS, table.bindingCount("amq.topic"));
        assertEquals(set("q123"), Tables.route(table, "amq.direct", "key.99123"));
        assertEquals(set("q456"), Tables.route(table, "amq.topic", "stock.12456.nyse"));
        assertEquals(set(), Tables.route(table, "amq.topic", "stock.12456"));

        assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        {
            for (int i = 0; i < BINDINGS; i++)
            {
                table.unbindQueue("amq.direct", "q" + (i % QUEUES), "key." + i, null);
                table.unbindQueue("amq.topic", "q" + (i % QUEUES), "stock." + i + ".*", null);
            }
        });
        assertEquals(0, table.bindingCount("amq.direct"));
        assertEquals(0, table.bindingCount("amq.topic"));
    }
}
