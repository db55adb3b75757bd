package io.ringmq.routing.table;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectFanoutDefaultRoutingTest
{
    @Test
    void directMatchesTheExactKeyOnly()
    {
        final RoutingTable<String> table = Tables.withQueues("red", "any", "empty");
        table.bindQueue("amq.direct", "red", "red", null);
        table.bindQueue("amq.direct", "any", "red", null);
        table.bindQueue("amq.direct", "empty", "", null);
        assertEquals(set("any", "red"), route(table, "amq.direct", "red"));
        assertEquals(set(), route(table, "amq.direct", "Red"));
        assertEquals(set(), route(table, "amq.direct", "red."));
        assertEquals(set(), route(table, "amq.direct", "*"));
        assertEquals(set("empty"), route(table, "amq.direct", ""));
    }

    @Test
    void aQueueBoundUnderSeveralKeysOrArgumentsIsDeliveredOnce()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.bindQueue("amq.direct", "q", "k", null);
        table.bindQueue("amq.direct", "q", "k", Map.of("v", 2));
        table.bindQueue("amq.fanout", "q", "a", null);
        table.bindQueue("amq.fanout", "q", "b", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("amq.direct", "k", null, out));
        assertEquals(1, table.route("amq.fanout", "k", null, out));
    }

    @Test
    void fanoutIgnoresTheRoutingKey()
    {
        final RoutingTable<String> table = Tables.withQueues("a", "b");
        table.bindQueue("amq.fanout", "a", "ignored", null);
        table.bindQueue("amq.fanout", "b", "", null);
        assertEquals(set("a", "b"), route(table, "amq.fanout", ""));
        assertEquals(set("a", "b"), route(table, "amq.fanout", "anything.at.all"));
    }

    @Test
    void theDefaultExchangeReachesEveryQueueByItsName()
    {
        final RoutingTable<String> table = Tables.withQueues("orders", "a.b", "#");
        assertEquals(set("orders"), route(table, "", "orders"));
        assertEquals(set("a.b"), route(table, "", "a.b"));
        assertEquals(set("#"), route(table, "", "#"));
        assertEquals(set(), route(table, "", "a.*"));
        assertEquals(set(), route(table, "", "nope"));
        assertEquals(3, table.bindingCount(""));
        table.deleteQueue("orders");
        assertEquals(set(), route(table, "", "orders"));
        assertEquals(2, table.bindingCount(""));
    }

    @Test
    void routingToAnUnknownExchangeIsNotFoundNamingIt()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        final NotFoundException e = assertThrows(NotFoundException.class, () -> route(table, "nowhere", "k"));
        assertTrue(e.getMessage().contains("'nowhere'"), e.getMessage());
    }

    @Test
    void routingToAnInternalExchangeIsRefused()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.declareExchange(ExchangeSpec.builder("inner", ExchangeType.FANOUT).internal(true).build());
        table.bindQueue("inner", "q", "", null);
        final AccessRefusedException e = assertThrows(AccessRefusedException.class, () -> route(table, "inner", "k"));
        assertTrue(e.getMessage().contains("internal") && e.getMessage().contains("'inner'"), e.getMessage());
    }

    @Test
    void theBrokerItselfMayRouteFromAnInternalExchange()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.declareExchange(ExchangeSpec.builder("inner", ExchangeType.FANOUT).internal(true).build());
        table.bindQueue("inner", "q", "", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.routeFromBroker("inner", "k", null, out));
        assertEquals("q", out.get(0));
    }

    @Test
    void invalidRoutingKeysAreRefusedBeforeAnyLookup()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        assertTrue(assertThrows(InvalidArgumentException.class, () -> route(table, "amq.direct", null))
            .getMessage().contains("routing key"));
        assertTrue(assertThrows(InvalidArgumentException.class, () -> route(table, "amq.direct", "k".repeat(256)))
            .getMessage().contains("256 UTF-8 bytes"));
        // Even for an exchange that does not exist: the key is checked first.
        assertThrows(InvalidArgumentException.class, () -> route(table, "nowhere", "\u20ac".repeat(86)));
        assertThrows(InvalidArgumentException.class, () -> route(table, null, "k"));
    }

    @Test
    void aFailedRouteLeavesTheSetEmptyRatherThanStale()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("", "q", null, out));
        assertThrows(NotFoundException.class, () -> table.route("nowhere", "q", null, out));
        assertEquals(0, out.size());
        assertTrue(out.isEmpty());
    }
}
