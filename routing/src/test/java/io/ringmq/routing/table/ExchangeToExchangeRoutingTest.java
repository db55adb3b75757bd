package io.ringmq.routing.table;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.NotFoundException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import static io.ringmq.routing.table.Tables.declare;
import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeToExchangeRoutingTest
{
    @Test
    void aChainOfExchangesReachesTheQueueAtItsEnd()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        declare(table, "x1", ExchangeType.TOPIC);
        declare(table, "x2", ExchangeType.DIRECT);
        declare(table, "x3", ExchangeType.FANOUT);
        table.bindExchange("x1", "x2", "order.*", null);
        table.bindExchange("x2", "x3", "order.new", null);
        table.bindQueue("x3", "q", "", null);
        assertEquals(set("q"), route(table, "x1", "order.new"));
        // Each hop matches the same routing key with its own type.
        assertEquals(set(), route(table, "x1", "order.old"));
        assertEquals(set(), route(table, "x1", "invoice.new"));
    }

    @Test
    void cyclesTerminateAndEveryQueueOnThemIsReached()
    {
        final RoutingTable<String> table = Tables.withQueues("qa", "qb");
        declare(table, "a", ExchangeType.FANOUT);
        declare(table, "b", ExchangeType.FANOUT);
        table.bindExchange("a", "b", "", null);
        table.bindExchange("b", "a", "", null);
        table.bindExchange("a", "a", "", null);
        table.bindQueue("a", "qa", "", null);
        table.bindQueue("b", "qb", "", null);
        assertEquals(set("qa", "qb"), route(table, "a", "k"));
        assertEquals(set("qa", "qb"), route(table, "b", "k"));
    }

    @Test
    void aQueueReachedOnTwoPathsIsDeliveredOnce()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        declare(table, "top", ExchangeType.FANOUT);
        declare(table, "left", ExchangeType.FANOUT);
        declare(table, "right", ExchangeType.TOPIC);
        table.bindExchange("top", "left", "", null);
        table.bindExchange("top", "right", "", null);
        table.bindQueue("left", "q", "", null);
        table.bindQueue("right", "q", "#", null);
        table.bindQueue("top", "q", "", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("top", "x.y", null, out));
        assertEquals("q", out.get(0));
    }

    @Test
    void internalExchangesWorkAsDestinations()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        declare(table, "public", ExchangeType.DIRECT);
        table.declareExchange(ExchangeSpec.builder("hidden", ExchangeType.FANOUT).internal(true).build());
        table.bindExchange("public", "hidden", "k", null);
        table.bindQueue("hidden", "q", "", null);
        assertEquals(set("q"), route(table, "public", "k"));
        assertThrows(AccessRefusedException.class, () -> route(table, "hidden", "k"));
    }

    @Test
    void unmatchedMessagesGoToTheAlternateExchange()
    {
        final RoutingTable<String> table = Tables.withQueues("matched", "unrouted");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae").build());
        declare(table, "ae", ExchangeType.FANOUT);
        table.bindQueue("x", "matched", "k", null);
        table.bindQueue("ae", "unrouted", "", null);
        assertEquals(set("matched"), route(table, "x", "k"));
        assertEquals(set("unrouted"), route(table, "x", "other"));
    }

    @Test
    void aMatchOnAnExchangeDestinationCountsAsAMatchEvenIfItLeadsNowhere()
    {
        // rabbit_exchange:route consults the alternate only when the exchange's own match, queues
        // and exchanges alike, is empty.
        final RoutingTable<String> table = Tables.withQueues("unrouted");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae").build());
        declare(table, "ae", ExchangeType.FANOUT);
        declare(table, "sink", ExchangeType.FANOUT);
        table.bindExchange("x", "sink", "k", null);
        table.bindQueue("ae", "unrouted", "", null);
        assertEquals(set(), route(table, "x", "k"));
        assertEquals(set("unrouted"), route(table, "x", "other"));
    }

    @Test
    void anInternalAlternateExchangeIsUsed()
    {
        final RoutingTable<String> table = Tables.withQueues("unrouted");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.TOPIC).alternateExchange("ae").build());
        table.declareExchange(ExchangeSpec.builder("ae", ExchangeType.FANOUT).internal(true).build());
        table.bindQueue("ae", "unrouted", "", null);
        assertEquals(set("unrouted"), route(table, "x", "a.b"));
    }

    @Test
    void aMissingAlternateExchangeIsIgnored()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("not-declared").build());
        assertEquals(set(), route(table, "x", "k"));
        // ...and is used as soon as it exists, without redeclaring x.
        declare(table, "not-declared", ExchangeType.FANOUT);
        table.bindQueue("not-declared", "q", "", null);
        assertEquals(set("q"), route(table, "x", "k"));
    }

    @Test
    void alternateExchangesChainAndTheirCyclesTerminate()
    {
        final RoutingTable<String> table = Tables.withQueues("end");
        table.declareExchange(ExchangeSpec.builder("a", ExchangeType.DIRECT).alternateExchange("b").build());
        table.declareExchange(ExchangeSpec.builder("b", ExchangeType.DIRECT).alternateExchange("a").build());
        assertEquals(set(), route(table, "a", "k"));
        table.declareExchange(ExchangeSpec.builder("c", ExchangeType.DIRECT).alternateExchange("d").build());
        table.declareExchange(ExchangeSpec.builder("d", ExchangeType.DIRECT).alternateExchange("e").build());
        declare(table, "e", ExchangeType.FANOUT);
        table.bindQueue("e", "end", "", null);
        assertEquals(set("end"), route(table, "c", "k"));
    }

    @Test
    void exchangesReachedByBindingsUseTheirOwnAlternateExchange()
    {
        final RoutingTable<String> table = Tables.withQueues("fallback");
        declare(table, "front", ExchangeType.FANOUT);
        table.declareExchange(ExchangeSpec.builder("inner", ExchangeType.DIRECT).alternateExchange("ae").build());
        declare(table, "ae", ExchangeType.FANOUT);
        table.bindExchange("front", "inner", "", null);
        table.bindQueue("ae", "fallback", "", null);
        assertEquals(set("fallback"), route(table, "front", "unbound-key"));
    }

    @Test
    void anAlternateExchangeAlreadyVisitedIsNotWalkedAgain()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).alternateExchange("y").build());
        table.declareExchange(ExchangeSpec.builder("y", ExchangeType.DIRECT).alternateExchange("x").build());
        table.bindExchange("x", "y", "", null);
        table.bindQueue("y", "q", "k", null);
        assertEquals(set("q"), route(table, "x", "k"));
        assertEquals(set(), route(table, "x", "other"));
    }

    @Test
    void theDefaultExchangeCanBeNeitherEndOfAnExchangeBinding()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        final AccessRefusedException source = assertThrows(AccessRefusedException.class, () -> table.bindExchange("", "amq.direct", "k", null));
        assertTrue(source.getMessage().contains("default exchange"), source.getMessage());
        assertThrows(AccessRefusedException.class, () -> table.bindExchange("amq.direct", "", "k", null));
        assertThrows(AccessRefusedException.class, () -> table.unbindExchange("amq.direct", "", "k", null));
    }

    @Test
    void bindingToAMissingExchangeIsNotFoundNamingIt()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        assertTrue(assertThrows(NotFoundException.class, () -> table.bindExchange("amq.direct", "ghost", "k", null))
            .getMessage().contains("'ghost'"));
        assertTrue(assertThrows(NotFoundException.class, () -> table.bindExchange("ghost", "amq.direct", "k", null))
            .getMessage().contains("'ghost'"));
        assertTrue(assertThrows(NotFoundException.class, () -> table.unbindExchange("amq.direct", "ghost", "k", null))
            .getMessage().contains("'ghost'"));
    }

    @Test
    void unbindingAnExchangeBindingStopsTheFlow()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        declare(table, "a", ExchangeType.FANOUT);
        declare(table, "b", ExchangeType.FANOUT);
        table.bindExchange("a", "b", "", null);
        table.bindQueue("b", "q", "", null);
        table.unbindExchange("a", "b", "", null);
        assertEquals(set(), route(table, "a", "k"));
        assertEquals(0, table.bindingCount("a"));
    }
}
