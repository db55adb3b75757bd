package io.ringmq.routing.table;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.ReplyCode;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import static io.ringmq.routing.table.Tables.declare;
import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeLifecycleTest
{
    private final RoutingTable<String> table = Tables.withQueues("q", "r");

    @Test
    void theStandardExchangesArePredeclared()
    {
        assertEquals(ExchangeType.DIRECT, table.exchange("").type());
        assertEquals(ExchangeType.DIRECT, table.exchange("amq.direct").type());
        assertEquals(ExchangeType.FANOUT, table.exchange("amq.fanout").type());
        assertEquals(ExchangeType.TOPIC, table.exchange("amq.topic").type());
        assertEquals(ExchangeType.HEADERS, table.exchange("amq.headers").type());
        assertEquals(ExchangeType.HEADERS, table.exchange("amq.match").type());
        for (final String name : new String[] {"", "amq.direct", "amq.fanout", "amq.topic", "amq.headers"})
        {
            assertTrue(table.exchange(name).durable(), name);
        }
    }

    @Test
    void passiveLookupOfAMissingExchangeIsNull()
    {
        assertNull(table.exchange("missing"));
        assertThrows(InvalidArgumentException.class, () -> table.exchange(null));
    }

    @Test
    void redeclaringWithAnEquivalentSpecIsANoOp()
    {
        final ExchangeSpec spec = ExchangeSpec.builder("x", ExchangeType.TOPIC).durable(true).argument("a", new byte[] {1}).build();
        table.declareExchange(spec);
        table.bindQueue("x", "q", "#", null);
        final Snapshot<String> before = table.lpSnapshot();
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.TOPIC).durable(true).argument("a", new byte[] {1}).build());
        assertSame(before, table.lpSnapshot());
        assertEquals(1, table.bindingCount("x"));
        assertEquals(spec, table.exchange("x"));
        // The predeclared ones too, when equivalent.
        assertDoesNotThrow(() -> table.declareExchange(ExchangeSpec.builder("amq.topic", ExchangeType.TOPIC).durable(true).build()));
    }

    @Test
    void redeclaringWithOtherTypeFlagsOrAlternateExchangeFailsNamingTheField()
    {
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).build());
        final Snapshot<String> before = table.lpSnapshot();
        final PreconditionFailedException type = assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).build()));
        assertTrue(type.getMessage().contains("'type'") && type.getMessage().contains("'x'")
            && type.getMessage().contains("fanout") && type.getMessage().contains("direct"), type.getMessage());
        assertEquals(ReplyCode.PRECONDITION_FAILED, type.replyCode());
        assertTrue(assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).build())).getMessage().contains("durable"));
        assertTrue(assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).autoDelete(true).build())).getMessage().contains("auto_delete"));
        assertTrue(assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).internal(true).build())).getMessage().contains("internal"));
        assertTrue(assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae").build()))
            .getMessage().contains("'alternate-exchange'"));
        assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("amq.direct", ExchangeType.DIRECT).build()));
        assertSame(before, table.lpSnapshot());
        assertEquals(ExchangeType.DIRECT, table.exchange("x").type());
    }

    @Test
    void redeclareWithOtherNonAlternateArgumentsIsEquivalentAndKeepsTheOriginal()
    {
        final ExchangeSpec original = ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true)
            .alternateExchange("ae").argument("x-custom", 1).argument("bytes", new byte[] {1}).build();
        table.declareExchange(original);
        declare(table, "ae", ExchangeType.FANOUT);
        table.bindQueue("ae", "r", "", null);
        final Snapshot<String> before = table.lpSnapshot();

        // Another value, another argument, none but the alternate: all equivalent (RabbitMQ compares
        // only alternate-exchange), and none of them changes what was declared first.
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true)
            .alternateExchange("ae").argument("x-custom", 2).argument("bytes", new byte[] {2}).build());
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true)
            .alternateExchange("ae").argument("x-other", "v").build());
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true).alternateExchange("ae").build());

        assertSame(before, table.lpSnapshot());
        assertSame(original, table.exchange("x"));
        assertEquals(set("r"), route(table, "x", ""), "the original alternate exchange still catches the unrouted");
    }

    @Test
    void redeclareWithAnotherAlternateExchangeFails()
    {
        table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae1").build());
        final Snapshot<String> before = table.lpSnapshot();
        final PreconditionFailedException e = assertThrows(PreconditionFailedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae2").build()));
        assertEquals(ReplyCode.PRECONDITION_FAILED, e.replyCode());
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange 'x' in vhost '/': received the value 'ae2' of type "
            + "'longstr' but current is the value 'ae1' of type 'longstr'", e.getMessage());
        assertSame(before, table.lpSnapshot());
        assertEquals("ae1", table.exchange("x").alternateExchange());
    }

    @Test
    void redeclareAddingOrDroppingTheAlternateExchangeFails()
    {
        table.declareExchange(ExchangeSpec.builder("plain", ExchangeType.DIRECT).argument("x-custom", 1).build());
        table.declareExchange(ExchangeSpec.builder("with-ae", ExchangeType.DIRECT).alternateExchange("ae").build());
        final Snapshot<String> before = table.lpSnapshot();
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange 'plain' in vhost '/': received the value 'ae' of type "
            + "'longstr' but current is none",
            assertThrows(PreconditionFailedException.class,
                () -> table.declareExchange(ExchangeSpec.builder("plain", ExchangeType.DIRECT).alternateExchange("ae").build())).getMessage());
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'alternate-exchange' for exchange 'with-ae' in vhost '/': received none but current is "
            + "the value 'ae' of type 'longstr'",
            assertThrows(PreconditionFailedException.class,
                () -> table.declareExchange(ExchangeSpec.builder("with-ae", ExchangeType.DIRECT).argument("x-custom", 1).build())).getMessage());
        assertSame(before, table.lpSnapshot());
    }

    @Test
    void theDefaultExchangeCannotBeDeclaredOrDeleted()
    {
        final AccessRefusedException declare = assertThrows(AccessRefusedException.class,
            () -> table.declareExchange(ExchangeSpec.builder("", ExchangeType.DIRECT).durable(true).build()));
        assertTrue(declare.getMessage().contains("default exchange"), declare.getMessage());
        assertEquals(ReplyCode.ACCESS_REFUSED, declare.replyCode());
        assertTrue(assertThrows(AccessRefusedException.class, () -> table.deleteExchange("", false)).getMessage().contains("default exchange"));
    }

    @Test
    void newAmqNamesAreReservedAndPredeclaredOnesCannotBeDeleted()
    {
        final AccessRefusedException declare = assertThrows(AccessRefusedException.class,
            () -> declare(table, "amq.custom", ExchangeType.DIRECT));
        assertTrue(declare.getMessage().contains("'amq.custom'") && declare.getMessage().contains("amq."), declare.getMessage());
        final AccessRefusedException delete = assertThrows(AccessRefusedException.class, () -> table.deleteExchange("amq.direct", false));
        assertTrue(delete.getMessage().contains("'amq.direct'"), delete.getMessage());
        assertNotNull(table.exchange("amq.direct"));
    }

    @Test
    void invalidDeclarationsAreRefusedNamingTheProblem()
    {
        assertThrows(InvalidArgumentException.class, () -> table.declareExchange(null));
        assertTrue(assertThrows(InvalidArgumentException.class,
            () -> table.declareExchange(ExchangeSpec.builder(null, ExchangeType.DIRECT).build())).getMessage().contains("exchange name"));
        assertTrue(assertThrows(InvalidArgumentException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", null).build())).getMessage().contains("type"));
        assertTrue(assertThrows(InvalidArgumentException.class,
            () -> declare(table, "x".repeat(256), ExchangeType.DIRECT)).getMessage().contains("256 UTF-8 bytes"));
        final InvalidArgumentException ae = assertThrows(InvalidArgumentException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).argument("alternate-exchange", 7).build()));
        assertTrue(ae.getMessage().contains("alternate-exchange") && ae.getMessage().contains("Integer"), ae.getMessage());
        assertThrows(InvalidArgumentException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).argument("alternate-exchange", null).build()));
        assertThrows(InvalidArgumentException.class,
            () -> table.declareExchange(ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("a".repeat(300)).build()));
        assertNull(table.exchange("x"));
    }

    @Test
    void deletingAMissingExchangeSucceedsAsInRabbitMq()
    {
        assertFalse(table.deleteExchange("ghost", false), "nothing deleted, and no error: RabbitMQ answers delete-ok");
        assertNull(table.exchange("ghost"));
    }

    @Test
    void ifUnusedRefusesToDeleteASourceOfBindingsButNotAMereDestination()
    {
        declare(table, "src", ExchangeType.FANOUT);
        declare(table, "dst", ExchangeType.FANOUT);
        table.bindExchange("src", "dst", "", null);
        final PreconditionFailedException e = assertThrows(PreconditionFailedException.class, () -> table.deleteExchange("src", true));
        assertTrue(e.getMessage().contains("'src'") && e.getMessage().contains("in use"), e.getMessage());
        assertNotNull(table.exchange("src"));
        table.deleteExchange("dst", true);
        assertNull(table.exchange("dst"));
        assertEquals(0, table.bindingCount("src"));
        table.deleteExchange("src", true);
        assertNull(table.exchange("src"));
    }

    @Test
    void deletingAnExchangeRemovesTheBindingsItIsSourceAndDestinationOf()
    {
        declare(table, "a", ExchangeType.FANOUT);
        declare(table, "mid", ExchangeType.FANOUT);
        table.bindExchange("a", "mid", "", null);
        table.bindQueue("mid", "q", "", null);
        table.bindQueue("a", "r", "", null);
        assertEquals(set("q", "r"), route(table, "a", ""));
        table.deleteExchange("mid", false);
        assertEquals(1, table.bindingCount("a"));
        assertEquals(set("r"), route(table, "a", ""));
        // Redeclaring the name starts empty: the old bindings do not come back.
        declare(table, "mid", ExchangeType.FANOUT);
        assertEquals(0, table.bindingCount("mid"));
        assertEquals(set("r"), route(table, "a", ""));
    }

    @Test
    void anAutoDeleteExchangeGoesWithItsLastSourceBindingOnUnbind()
    {
        table.declareExchange(ExchangeSpec.builder("auto", ExchangeType.DIRECT).autoDelete(true).build());
        table.bindQueue("auto", "q", "k1", null);
        table.bindQueue("auto", "q", "k2", null);
        table.unbindQueue("auto", "q", "k1", null);
        assertNotNull(table.exchange("auto"));
        table.unbindQueue("auto", "q", "k2", null);
        assertNull(table.exchange("auto"));
    }

    @Test
    void anAutoDeleteExchangeThatNeverHadBindingsStays()
    {
        table.declareExchange(ExchangeSpec.builder("auto", ExchangeType.DIRECT).autoDelete(true).build());
        table.unbindQueue("auto", "q", "never-bound", null);
        assertNotNull(table.exchange("auto"));
        // Being a destination does not count as a source binding.
        declare(table, "other", ExchangeType.FANOUT);
        table.bindExchange("other", "auto", "", null);
        table.unbindExchange("other", "auto", "", null);
        assertNotNull(table.exchange("auto"));
    }

    @Test
    void anAutoDeleteExchangeGoesWhenItsLastQueueIsDeleted()
    {
        table.declareExchange(ExchangeSpec.builder("auto", ExchangeType.FANOUT).autoDelete(true).build());
        table.bindQueue("auto", "q", "", null);
        table.bindQueue("auto", "q", "", java.util.Map.of("v", 1));
        table.deleteQueue("q");
        assertNull(table.exchange("auto"));
    }

    @Test
    void anAutoDeleteExchangeGoesWhenItsLastDestinationExchangeIsDeleted()
    {
        table.declareExchange(ExchangeSpec.builder("auto", ExchangeType.FANOUT).autoDelete(true).build());
        declare(table, "dst", ExchangeType.FANOUT);
        table.bindExchange("auto", "dst", "", null);
        table.deleteExchange("dst", false);
        assertNull(table.exchange("auto"));
    }

    @Test
    void autoDeleteCascadesUpAChainAsRabbitMqDoes()
    {
        table.declareExchange(ExchangeSpec.builder("top", ExchangeType.FANOUT).autoDelete(true).build());
        table.declareExchange(ExchangeSpec.builder("middle", ExchangeType.FANOUT).autoDelete(true).build());
        declare(table, "keeper", ExchangeType.FANOUT);
        table.bindExchange("top", "middle", "", null);
        table.bindExchange("keeper", "middle", "", null);
        table.bindQueue("middle", "q", "", null);
        table.deleteQueue("q");
        // middle lost its last source binding; that deleted it, which removed top's last one.
        assertNull(table.exchange("middle"));
        assertNull(table.exchange("top"));
        assertNotNull(table.exchange("keeper"));
        assertEquals(0, table.bindingCount("keeper"));
    }

    @Test
    void anAutoDeleteExchangeBoundToItselfIsDeletedCleanly()
    {
        table.declareExchange(ExchangeSpec.builder("loop", ExchangeType.FANOUT).autoDelete(true).build());
        table.bindExchange("loop", "loop", "", null);
        table.bindQueue("loop", "q", "", null);
        table.unbindExchange("loop", "loop", "", null);
        assertNotNull(table.exchange("loop"));
        table.bindExchange("loop", "loop", "", null);
        table.deleteExchange("loop", false);
        assertNull(table.exchange("loop"));
        assertEquals(set("q"), route(table, "", "q"));
    }

    @Test
    void exchangeIdsAreRecycledSoStampArraysStaySmall()
    {
        for (int i = 0; i < 1000; i++)
        {
            declare(table, "temp", ExchangeType.FANOUT);
            table.bindQueue("temp", "q", "", null);
            assertEquals(set("q"), route(table, "temp", ""));
            table.deleteExchange("temp", false);
        }
        // Six predeclared exchanges plus one reused slot.
        assertEquals(7, table.writerState().exchangeIdHighWaterMark());
        assertEquals(6, table.writerState().exchangeCount());
    }
}
