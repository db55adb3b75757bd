package io.ringmq.routing.table;

import io.ringmq.error.NotFoundException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A publisher's repeated route, and the exchange it starts from, are reused only while nothing that
 * decides them can have changed.
 */
class RouteMemoTest
{
    @Test
    void aRepeatedRouteSeesABindingMadeSinceTheLastOne()
    {
        final RoutingTable<String> table = Tables.withQueues("a", "b");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).build());
        table.bindQueue("x", "a", "k", null);
        final DestinationSet<String> out = new DestinationSet<>();
        final String key = "k";
        assertEquals(1, table.route("x", key, null, out));
        assertEquals(1, table.route("x", key, null, out)); // reused
        table.bindQueue("x", "b", "k", null);
        assertEquals(2, table.route("x", key, null, out), "a new snapshot: routed again");
        table.unbindQueue("x", "a", "k", null);
        table.unbindQueue("x", "b", "k", null);
        assertEquals(0, table.route("x", key, null, out));
    }

    @Test
    void aHeadersRouteIsNeverReusedForOtherHeaders()
    {
        final RoutingTable<String> table = Tables.withQueues("pdf");
        table.declareExchange(ExchangeSpec.builder("h", ExchangeType.HEADERS).build());
        table.bindQueue("h", "pdf", "", Map.of("format", "pdf"));
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("h", "", Map.of("format", "pdf"), out));
        assertEquals(0, table.route("h", "", Map.of("format", "zip"), out));
        assertEquals(1, table.route("h", "", Map.of("format", "pdf"), out));
    }

    @Test
    void anEqualButDistinctKeyIsRoutedAfreshAndAgrees()
    {
        final RoutingTable<String> table = Tables.withQueues("a");
        table.declareExchange(ExchangeSpec.builder("t", ExchangeType.TOPIC).build());
        table.bindQueue("t", "a", "a.*", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("t", new String("a.b"), null, out));
        assertEquals(1, table.route("t", new String("a.b"), null, out));
        assertEquals(0, table.route("t", new String("b.b"), null, out));
    }

    @Test
    void theRememberedExchangeIsLookedUpAgainOnceAWriterPublishedAnotherSnapshot()
    {
        final RoutingTable<String> table = Tables.withQueues("a", "b");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).build());
        table.bindQueue("x", "a", "k", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(Tables.set("a"), Tables.contents(out, table.route(new String("x"), new String("k"), null, out)));

        table.deleteExchange("x", false);
        assertThrows(NotFoundException.class, () -> table.route(new String("x"), new String("k"), null, out),
            "deleted since the last route: the remembered node must not answer");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).build());
        table.bindQueue("x", "b", "", null);
        assertEquals(Tables.set("b"), Tables.contents(out, table.route(new String("x"), new String("k"), null, out)),
            "redeclared with another type: routed by the new exchange");
    }

    @Test
    void aNameDecodedAfreshForEveryPublishFindsTheSameExchangeAndAnotherNameItsOwn()
    {
        final RoutingTable<String> table = Tables.withQueues("a", "b");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).build());
        table.declareExchange(ExchangeSpec.builder("y", ExchangeType.DIRECT).build());
        table.bindQueue("x", "a", "k", null);
        table.bindQueue("y", "b", "k", null);
        final Snapshot<String> snapshot = table.lpSnapshot();
        final DestinationSet<String> out = new DestinationSet<>();
        final ExchangeNode<String> x = out.firstExchange(snapshot, new String("x"));
        assertSame(x, out.firstExchange(snapshot, new String("x")));
        assertSame(snapshot.exchanges.get("y"), out.firstExchange(snapshot, "y"));
        assertSame(x, out.firstExchange(snapshot, "x"));
        assertEquals(null, out.firstExchange(snapshot, "z"));
        assertEquals(Tables.set("b"), Tables.contents(out, table.route("y", "k", null, out)));
        assertEquals(Tables.set("a"), Tables.contents(out, table.route(new String("x"), "k", null, out)));
    }

    @Test
    void oneSetRoutingThroughTwoTablesReadsEachTablesOwnExchange()
    {
        final RoutingTable<String> first = Tables.withQueues("a");
        final RoutingTable<String> second = Tables.withQueues("b");
        first.bindQueue("amq.direct", "a", "k", null);
        second.bindQueue("amq.direct", "b", "k", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(Tables.set("a"), Tables.contents(out, first.route("amq.direct", "k", null, out)));
        assertEquals(Tables.set("b"), Tables.contents(out, second.route("amq.direct", "k", null, out)));
        assertEquals(Tables.set("a"), Tables.contents(out, first.route("amq.direct", "k", null, out)));
    }
}
