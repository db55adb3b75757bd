package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A publisher's repeated route is reused only while nothing that decides it can have changed. */
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
}
