package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.ringmq.routing.table.Tables.declare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only listings of exchanges and bindings that the engine's monitoring reads. */
class ListingTest
{
    @Test
    void aNewTableListsTheDefaultAndTheAmqExchanges()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        final Set<String> names = new TreeSet<>();
        table.exchanges().forEach(spec -> names.add(spec.name()));
        assertEquals(Set.of("", "amq.direct", "amq.fanout", "amq.topic", "amq.headers", "amq.match"), names);
        assertEquals(6, table.exchangeCount());
        assertEquals(0, table.bindingCount());
    }

    @Test
    void exchangesAreListedWithTheirDeclarations()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        final ExchangeSpec spec = ExchangeSpec.builder("events", ExchangeType.TOPIC).durable(true).autoDelete(true)
            .internal(true).argument("alternate-exchange", "unrouted").build();
        table.declareExchange(spec);
        final ExchangeSpec listed = table.exchanges().stream().filter(s -> s.name().equals("events")).findFirst().orElseThrow();
        assertEquals(spec, listed);
        assertEquals(7, table.exchangeCount());
    }

    @Test
    void everyBindingIsListedOnceWithTheDefaultExchangesImplicitOnes()
    {
        final RoutingTable<String> table = Tables.withQueues("q1", "q2");
        declare(table, "direct", ExchangeType.DIRECT);
        declare(table, "fan", ExchangeType.FANOUT);
        declare(table, "topic", ExchangeType.TOPIC);
        declare(table, "hdr", ExchangeType.HEADERS);
        table.bindQueue("direct", "q1", "k1", null);
        table.bindQueue("direct", "q2", "k1", null);
        table.bindQueue("fan", "q1", "", null);
        table.bindQueue("topic", "q1", "a.*.c", null);
        table.bindQueue("topic", "q2", "#", null);
        table.bindQueue("topic", "q2", "a.#.z", null);
        table.bindQueue("hdr", "q2", "", Map.of("x-match", "any", "kind", "x"));
        table.bindExchange("direct", "fan", "route", null);
        table.bindExchange("fan", "topic", "", null);

        final List<String> listed = list(table);
        assertEquals(List.of(
            "'' -> queue q1 key q1 {}",
            "'' -> queue q2 key q2 {}",
            "direct -> exchange fan key route {}",
            "direct -> queue q1 key k1 {}",
            "direct -> queue q2 key k1 {}",
            "fan -> exchange topic key  {}",
            "fan -> queue q1 key  {}",
            "hdr -> queue q2 key  {kind=x, x-match=any}",
            "topic -> queue q1 key a.*.c {}",
            "topic -> queue q2 key # {}",
            "topic -> queue q2 key a.#.z {}"), listed);
        assertEquals(listed.size(), table.bindingCount());
    }

    @Test
    void unbindingAndDeletingRemoveBindingsFromTheListing()
    {
        final RoutingTable<String> table = Tables.withQueues("q1", "q2");
        declare(table, "x", ExchangeType.DIRECT);
        declare(table, "y", ExchangeType.FANOUT);
        table.bindQueue("x", "q1", "a", null);
        table.bindQueue("x", "q2", "b", null);
        table.bindExchange("x", "y", "c", null);
        table.bindQueue("y", "q2", "", null);
        table.unbindQueue("x", "q1", "a", null);
        table.deleteQueue("q2");
        assertEquals(List.of("'' -> queue q1 key q1 {}", "x -> exchange y key c {}"), list(table));
        table.deleteExchange("y", false);
        assertEquals(List.of("'' -> queue q1 key q1 {}"), list(table));
        assertEquals(1, table.bindingCount());
    }

    @Test
    void listedArgumentsAreUnmodifiableCopies()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        declare(table, "hdr", ExchangeType.HEADERS);
        final byte[] value = {1, 2, 3};
        table.bindQueue("hdr", "q", "", Map.of("x-match", "all", "blob", value));
        final AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
        table.forEachBinding((source, destination, toQueue, key, arguments) ->
        {
            if (source.equals("hdr"))
            {
                seen.set(arguments);
            }
        });
        final byte[] listed = (byte[]) seen.get().get("blob");
        assertArrayEquals(value, listed);
        assertNotSame(value, listed);
        listed[0] = 9; // changing the copy changes nothing in the table
        table.unbindQueue("hdr", "q", "", Map.of("x-match", "all", "blob", value));
        final AtomicBoolean stillBound = new AtomicBoolean();
        table.forEachBinding((source, destination, toQueue, key, arguments) -> stillBound.compareAndSet(false, source.equals("hdr")));
        assertTrue(!stillBound.get(), "the binding was found by its original arguments and removed");
        assertThrows(UnsupportedOperationException.class, () -> seen.get().put("k", "v"));
        assertNull(seen.get().get("absent"));
    }

    /** @return the listing as sorted lines "source -> kind destination key K args". */
    private static List<String> list(final RoutingTable<String> table)
    {
        final List<String> lines = new ArrayList<>();
        table.forEachBinding((source, destination, toQueue, key, arguments) ->
            lines.add((source.isEmpty() ? "''" : source) + " -> " + (toQueue ? "queue " : "exchange ") + destination + " key " + key +
                " " + new java.util.TreeMap<>(arguments)));
        lines.sort(null);
        return lines;
    }
}
