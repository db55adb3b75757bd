package io.ringmq.routing;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeSpecTest
{
    @Test
    void exchangeTypesRoundTripThroughTheirAmqpNames()
    {
        for (final ExchangeType type : ExchangeType.values())
        {
            assertEquals(type, ExchangeType.fromAmqpName(type.amqpName()));
        }
        assertEquals("direct", ExchangeType.DIRECT.amqpName());
        assertEquals("fanout", ExchangeType.FANOUT.amqpName());
        assertEquals("topic", ExchangeType.TOPIC.amqpName());
        assertEquals("headers", ExchangeType.HEADERS.amqpName());
    }

    @Test
    void unknownExchangeTypeNamesAreRefusedNamingTheValue()
    {
        final InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> ExchangeType.fromAmqpName("x-delayed-message"));
        assertTrue(e.getMessage().contains("x-delayed-message"), e.getMessage());
        assertThrows(InvalidArgumentException.class, () -> ExchangeType.fromAmqpName("Direct"));
        assertThrows(InvalidArgumentException.class, () -> ExchangeType.fromAmqpName(null));
    }

    @Test
    void builderDefaultsAreAmqpDefaults()
    {
        final ExchangeSpec spec = ExchangeSpec.builder("x", ExchangeType.TOPIC).build();
        assertEquals("x", spec.name());
        assertEquals(ExchangeType.TOPIC, spec.type());
        assertFalse(spec.durable());
        assertFalse(spec.autoDelete());
        assertFalse(spec.internal());
        assertTrue(spec.arguments().isEmpty());
        assertNull(spec.alternateExchange());
    }

    @Test
    void alternateExchangeIsStoredAsTheRabbitMqArgument()
    {
        final ExchangeSpec spec = ExchangeSpec.builder("x", ExchangeType.DIRECT).alternateExchange("ae").build();
        assertEquals("ae", spec.alternateExchange());
        assertEquals(Map.of("alternate-exchange", "ae"), spec.arguments());
        assertEquals("ae", ExchangeSpec.builder("x", ExchangeType.DIRECT).argument("alternate-exchange", "ae").build().alternateExchange());
    }

    @Test
    void argumentsAreAnUnmodifiableCopy()
    {
        final Map<String, Object> source = new HashMap<>();
        source.put("k", 1);
        final byte[] bytes = {1, 2};
        final ExchangeSpec spec = ExchangeSpec.builder("x", ExchangeType.DIRECT).arguments(source).argument("b", bytes).build();
        source.put("k", 2);
        bytes[0] = 9;
        assertEquals(1, spec.arguments().get("k"));
        assertEquals(1, ((byte[]) spec.arguments().get("b"))[0]);
        assertThrows(UnsupportedOperationException.class, () -> spec.arguments().put("z", 1));
    }

    @Test
    void equalityComparesEveryFieldWithByteArraysByContent()
    {
        final ExchangeSpec a = ExchangeSpec.builder("x", ExchangeType.HEADERS).durable(true).argument("b", new byte[] {1}).build();
        final ExchangeSpec b = ExchangeSpec.builder("x", ExchangeType.HEADERS).durable(true).argument("b", new byte[] {1}).build();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, ExchangeSpec.builder("y", ExchangeType.HEADERS).durable(true).argument("b", new byte[] {1}).build());
        assertNotEquals(a, ExchangeSpec.builder("x", ExchangeType.HEADERS).durable(true).argument("b", new byte[] {2}).build());
        assertNotEquals(a, ExchangeSpec.builder("x", ExchangeType.HEADERS).argument("b", new byte[] {1}).build());
        // Integer 1 and Long 1 are different AMQP field types.
        assertNotEquals(
            ExchangeSpec.builder("x", ExchangeType.DIRECT).argument("n", 1).build(),
            ExchangeSpec.builder("x", ExchangeType.DIRECT).argument("n", 1L).build());
    }

    @Test
    void toStringShowsTheDeclaration()
    {
        final String s = ExchangeSpec.builder("x", ExchangeType.TOPIC).autoDelete(true).alternateExchange("ae").build().toString();
        assertTrue(s.contains("'x'") && s.contains("topic") && s.contains("autoDelete=true") && s.contains("alternate-exchange='ae'"), s);
    }
}
