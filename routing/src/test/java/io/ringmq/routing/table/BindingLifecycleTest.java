package io.ringmq.routing.table;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.RingMqException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.ringmq.routing.table.Tables.declare;
import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindingLifecycleTest
{
    private final RoutingTable<String> table = Tables.withQueues("q", "r");

    @Test
    void bindingTwiceIsIdempotentAndPublishesNothing()
    {
        table.bindQueue("amq.direct", "q", "k", Map.of("a", 1));
        final Snapshot<String> before = table.lpSnapshot();
        table.bindQueue("amq.direct", "q", "k", Map.of("a", 1));
        assertSame(before, table.lpSnapshot());
        assertEquals(1, table.bindingCount("amq.direct"));
    }

    @Test
    void bindingsThatDifferOnlyInArgumentsAreDistinctAndBothRoute()
    {
        table.bindQueue("amq.direct", "q", "k", null);
        table.bindQueue("amq.direct", "q", "k", Map.of("v", 1));
        table.bindQueue("amq.direct", "q", "k", Map.of("v", 1L));
        assertEquals(3, table.bindingCount("amq.direct"));
        table.unbindQueue("amq.direct", "q", "k", Map.of());
        assertEquals(set("q"), route(table, "amq.direct", "k"));
        table.unbindQueue("amq.direct", "q", "k", Map.of("v", 1));
        assertEquals(set("q"), route(table, "amq.direct", "k"));
        table.unbindQueue("amq.direct", "q", "k", Map.of("v", 1L));
        assertEquals(set(), route(table, "amq.direct", "k"));
        assertEquals(0, table.bindingCount("amq.direct"));
    }

    @Test
    void nullAndEmptyArgumentsAreTheSameBinding()
    {
        table.bindQueue("amq.direct", "q", "k", null);
        table.bindQueue("amq.direct", "q", "k", Map.of());
        assertEquals(1, table.bindingCount("amq.direct"));
    }

    @Test
    void byteArrayArgumentsIdentifyABindingByContent()
    {
        table.bindQueue("amq.direct", "q", "k", Map.of("b", new byte[] {1, 2}));
        table.bindQueue("amq.direct", "q", "k", Map.of("b", new byte[] {1, 2}));
        assertEquals(1, table.bindingCount("amq.direct"));
        table.unbindQueue("amq.direct", "q", "k", Map.of("b", new byte[] {1, 2}));
        assertEquals(0, table.bindingCount("amq.direct"));
    }

    @Test
    void aBindingIsNotChangedByLaterMutationOfTheCallersArguments()
    {
        final byte[] value = {1};
        final Map<String, Object> arguments = new HashMap<>(Map.of("x-match", "all", "b", value));
        table.bindQueue("amq.headers", "q", "", arguments);
        value[0] = 9;
        arguments.put("other", 1);
        assertEquals(set("q"), route(table, "amq.headers", "", Map.of("b", new byte[] {1})));
        table.unbindQueue("amq.headers", "q", "", Map.of("x-match", "all", "b", new byte[] {1}));
        assertEquals(0, table.bindingCount("amq.headers"));
    }

    @Test
    void unbindingABindingThatDoesNotExistIsANoOp()
    {
        table.bindQueue("amq.direct", "q", "k", null);
        final Snapshot<String> before = table.lpSnapshot();
        table.unbindQueue("amq.direct", "q", "other", null);
        table.unbindQueue("amq.direct", "r", "k", null);
        table.unbindQueue("amq.direct", "q", "k", Map.of("a", 1));
        table.unbindExchange("amq.direct", "amq.fanout", "k", null);
        assertSame(before, table.lpSnapshot());
        assertEquals(set("q"), route(table, "amq.direct", "k"));
    }

    @Test
    void bindingAQueueToTheDefaultExchangeIsRefused()
    {
        final AccessRefusedException e = assertThrows(AccessRefusedException.class, () -> table.bindQueue("", "q", "q", null));
        assertTrue(e.getMessage().contains("operation not permitted on the default exchange"), e.getMessage());
        assertThrows(AccessRefusedException.class, () -> table.unbindQueue("", "q", "q", null));
    }

    @Test
    void bindingToAMissingExchangeOrQueueIsNotFoundNamingIt()
    {
        final NotFoundException exchange = assertThrows(NotFoundException.class, () -> table.bindQueue("ghost-x", "q", "k", null));
        assertTrue(exchange.getMessage().contains("exchange") && exchange.getMessage().contains("'ghost-x'"), exchange.getMessage());
        final NotFoundException queue = assertThrows(NotFoundException.class, () -> table.bindQueue("amq.direct", "ghost-q", "k", null));
        assertTrue(queue.getMessage().contains("queue") && queue.getMessage().contains("'ghost-q'"), queue.getMessage());
        assertThrows(NotFoundException.class, () -> table.unbindQueue("ghost-x", "q", "k", null));
        assertThrows(NotFoundException.class, () -> table.unbindQueue("amq.direct", "ghost-q", "k", null));
    }

    @Test
    void invalidNamesKeysAndArgumentsAreRefusedNamingTheProblem()
    {
        assertMessage(InvalidArgumentException.class, "exchange name", () -> table.bindQueue(null, "q", "k", null));
        assertMessage(InvalidArgumentException.class, "queue name", () -> table.bindQueue("amq.direct", null, "k", null));
        assertMessage(InvalidArgumentException.class, "blank", () -> table.bindQueue("amq.direct", " ", "k", null));
        assertMessage(InvalidArgumentException.class, "binding key", () -> table.bindQueue("amq.direct", "q", null, null));
        assertMessage(InvalidArgumentException.class, "binding key", () -> table.bindQueue("amq.direct", "q", "k".repeat(256), null));
        assertMessage(InvalidArgumentException.class, "exchange name", () -> table.bindQueue("x".repeat(300), "q", "k", null));
        final Map<String, Object> nullKey = new HashMap<>();
        nullKey.put(null, 1);
        assertMessage(InvalidArgumentException.class, "argument names", () -> table.bindQueue("amq.direct", "q", "k", nullKey));
        assertMessage(InvalidArgumentException.class, "binding key", () -> table.bindExchange("amq.direct", "amq.fanout", null, null));
    }

    @Test
    void aFailedWriterCallChangesNothing()
    {
        declare(table, "x", ExchangeType.TOPIC);
        table.bindQueue("x", "q", "a.*", null);
        table.bindQueue("amq.headers", "r", "", Map.of("h", 1));
        final Snapshot<String> before = table.lpSnapshot();
        final List<Executable> failures = List.of(
            () -> table.bindQueue("amq.headers", "q", "", Map.of("x-match", "most")),
            () -> table.bindQueue("x", "ghost", "a.b", null),
            () -> table.bindQueue("ghost", "q", "a.b", null),
            () -> table.bindExchange("x", "ghost", "#", null),
            () -> table.declareQueue("q", "again"),
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).build()),
            () -> table.deleteExchange("x", true),
            () -> table.deleteExchange("amq.topic", false),
            () -> table.deleteQueue("ghost"),
            () -> table.declareExchange(ExchangeSpec.builder("y", ExchangeType.DIRECT).argument("alternate-exchange", 1).build()));
        for (final Executable failure : failures)
        {
            assertThrows(RingMqException.class, failure);
            assertSame(before, table.lpSnapshot(), "a failed call published a snapshot");
        }
        // The writer's own bookkeeping is untouched too: later changes build on the old state.
        table.bindQueue("x", "r", "b.*", null);
        assertEquals(set("q"), route(table, "x", "a.b"));
        assertEquals(set("r"), route(table, "x", "b.b"));
        assertEquals(2, table.bindingCount("x"));
        assertEquals(1, table.bindingCount("amq.headers"));
        assertEquals(set("q"), route(table, "", "q"));
    }

    @Test
    void declaringARegisteredQueueAgainIsAPreconditionFailure()
    {
        final PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> table.declareQueue("q", "other"));
        assertTrue(e.getMessage().contains("'q'"), e.getMessage());
        assertEquals(set("q"), route(table, "", "q"));
        assertMessage(InvalidArgumentException.class, "must not be null", () -> table.declareQueue("new", null));
        assertMessage(InvalidArgumentException.class, "blank", () -> table.declareQueue("", "x"));
        assertMessage(NotFoundException.class, "'ghost'", () -> table.deleteQueue("ghost"));
    }

    @Test
    void deletingAQueueRemovesEveryBindingToItAndRedeclaringStartsClean()
    {
        declare(table, "t", ExchangeType.TOPIC);
        table.bindQueue("t", "q", "#", null);
        table.bindQueue("amq.direct", "q", "k", null);
        table.bindQueue("amq.fanout", "q", "", null);
        table.bindQueue("amq.fanout", "r", "", null);
        table.deleteQueue("q");
        assertEquals(0, table.bindingCount("t"));
        assertEquals(0, table.bindingCount("amq.direct"));
        assertEquals(1, table.bindingCount("amq.fanout"));
        table.declareQueue("q", "q-reborn");
        assertEquals(Set.of(), route(table, "t", "a"));
        assertEquals(set("r"), route(table, "amq.fanout", ""));
        assertEquals(set("q-reborn"), route(table, "", "q"));
    }

    @Test
    void queueIdsAreRecycledAndAReusedIdNeverConfusesDeduplication()
    {
        final DestinationSet<String> out = new DestinationSet<>();
        for (int i = 0; i < 1000; i++)
        {
            table.declareQueue("temp", "temp" + i);
            table.bindQueue("amq.fanout", "temp", "", null);
            table.bindQueue("amq.fanout", "r", "", null);
            assertEquals(2, table.route("amq.fanout", "", null, out));
            table.deleteQueue("temp");
        }
        // q, r and the one reused slot.
        assertEquals(3, table.writerState().queueIdHighWaterMark());
    }

    private static void assertMessage(final Class<? extends RingMqException> type, final String fragment, final Executable call)
    {
        final RingMqException e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(fragment), () -> "expected '" + fragment + "' in: " + e.getMessage());
    }
}
