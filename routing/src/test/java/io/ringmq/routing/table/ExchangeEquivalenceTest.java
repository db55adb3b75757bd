package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

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
        assertTrue(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true).argument("a", 1)).contains("'arguments'"));
        assertNull(difference(ExchangeSpec.builder("x", ExchangeType.DIRECT).durable(true)));
    }

    private static String difference(final ExchangeSpec.Builder received)
    {
        return ExchangeEquivalence.difference(CURRENT, received.build());
    }
}
