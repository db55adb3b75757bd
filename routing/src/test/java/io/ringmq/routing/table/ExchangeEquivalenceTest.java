package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeEquivalenceTest
{
    private static final ExchangeSpec CURRENT = ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).build();

    @Test
    void differenceNamesTheFirstInequivalentField()
    {
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true)).contains("'type'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT)).contains("'durable'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).autoDelete(true)).contains("'auto_delete'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).internal(true)).contains("'internal'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).alternateExchange("ae"))
            .contains("'alternate-exchange'"));
        assertNull(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true)));
    }

    @Test
    void fieldsAreComparedInRabbitMqsOrderSoTheFirstDifferenceIsReported()
    {
        // rabbit_exchange:assert_equivalence: type, durable, auto_delete, internal, then the arguments.
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.TOPIC).internal(true).alternateExchange("ae")).contains("'type'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).autoDelete(true).alternateExchange("ae")).contains("'durable'"));
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).internal(true).alternateExchange("ae"))
            .contains("'internal'"));
    }

    @Test
    void argumentsOtherThanTheAlternateExchangeAreNotCompared()
    {
        final ExchangeSpec current = ExchangeSpec.builder("x", ExchangeType.HEADERS).alternateExchange("ae")
            .argument("x-custom", 1).argument("bytes", new byte[] {1}).build();
        assertNull(ExchangeEquivalence.difference(current, ExchangeSpec.builder("x", ExchangeType.HEADERS).alternateExchange("ae").build()));
        assertNull(ExchangeEquivalence.difference(current, ExchangeSpec.builder("x", ExchangeType.HEADERS).alternateExchange("ae")
            .argument("x-custom", 1L).argument("bytes", new byte[] {2}).argument("more", "v").build()));
        assertTrue(ExchangeEquivalence.difference(current, ExchangeSpec.builder("x", ExchangeType.HEADERS).alternateExchange("AE")
            .argument("x-custom", 1).argument("bytes", new byte[] {1}).build()).contains("'alternate-exchange'"));
    }

    @Test
    void flagDifferencesAreWordedAsRabbitMqDoes()
    {
        assertEquals("inequivalent arg 'durable' for exchange 'x' in vhost '/': received 'false' but current is 'true'",
            difference(ExchangeSpec.builder("x", ExchangeType.DIRECT)));
        assertEquals("inequivalent arg 'type' for exchange 'x' in vhost '/': received 'fanout' but current is 'direct'",
            difference(ExchangeSpec.builder("x", ExchangeType.FANOUT).durable(true)));
    }

    private static String difference(final ExchangeSpec.Builder received)
    {
        return ExchangeEquivalence.difference(CURRENT, received.build());
    }
}
