package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Objects;

/**
 * When redeclaring an existing exchange is a no-op, and how a refusal is worded: the rule
 * {@link RoutingTable#declareExchange} applies to an {@link ExchangeSpec}, kept here (through the
 * spec's public getters) so that the spec itself stays a plain value.
 *
 * <p>The rule is RabbitMQ's ({@code rabbit_exchange:assert_equivalence}): type, durable,
 * auto-delete and internal must agree, and of the arguments only {@code alternate-exchange}, the
 * one argument an exchange gives a meaning to ({@code rabbit_exchange:assert_args_equivalence}
 * passes {@code [<<"alternate-exchange">>]} to {@code rabbit_misc:assert_args_equivalence}). Any
 * other argument may differ: the redeclaration is accepted and the existing declaration, with its
 * arguments, stays as it was.
 *
 * <p>Public only for {@link #ALTERNATE_EXCHANGE}, which {@code ExchangeSpec} names from its own
 * package; the rule itself is package-private.
 */
public final class ExchangeEquivalence
{
    /** The argument that names an alternate exchange, as in RabbitMQ; the only argument a redeclaration compares. */
    public static final String ALTERNATE_EXCHANGE = "alternate-exchange";

    private ExchangeEquivalence()
    {
    }

    /**
     * @param current  the existing declaration.
     * @param received a declaration of the same name whose {@code alternate-exchange}, if present,
     *                 {@link RoutingTable#declareExchange} has checked to be a {@code String}.
     * @return RabbitMQ's wording of the first field in which {@code received} differs from
     *         {@code current}, in RabbitMQ's order (type, durable, auto_delete, internal,
     *         alternate-exchange), or {@code null} when redeclaring {@code received} is a no-op.
     */
    static String difference(final ExchangeSpec current, final ExchangeSpec received)
    {
        if (current.type() != received.type())
        {
            return inequivalent(current, "type", quoted(amqpName(received)), quoted(amqpName(current)));
        }
        if (current.durable() != received.durable())
        {
            return inequivalent(current, "durable", quoted(received.durable()), quoted(current.durable()));
        }
        if (current.autoDelete() != received.autoDelete())
        {
            return inequivalent(current, "auto_delete", quoted(received.autoDelete()), quoted(current.autoDelete()));
        }
        if (current.internal() != received.internal())
        {
            return inequivalent(current, "internal", quoted(received.internal()), quoted(current.internal()));
        }
        // Both are a String or absent (declareExchange refuses any other value), so plain equality
        // is RabbitMQ's comparison by type class and value: a longstr against a longstr.
        final String receivedAlternate = (String) received.arguments().get(ALTERNATE_EXCHANGE);
        final String currentAlternate = (String) current.arguments().get(ALTERNATE_EXCHANGE);
        if (!Objects.equals(receivedAlternate, currentAlternate))
        {
            return inequivalent(current, ALTERNATE_EXCHANGE, argumentValue(receivedAlternate), argumentValue(currentAlternate));
        }
        return null;
    }

    private static String inequivalent(final ExchangeSpec current, final String field, final String received, final String existing)
    {
        return "inequivalent arg '" + field + "' for exchange " + Names.quote(current.name()) + " in vhost '/': received "
            + received + " but current is " + existing;
    }

    private static String amqpName(final ExchangeSpec spec)
    {
        return spec.type() == null ? null : spec.type().amqpName();
    }

    /** A declaration field as RabbitMQ renders it: {@code 'true'}, {@code 'fanout'}. */
    private static String quoted(final Object value)
    {
        return "'" + value + "'";
    }

    /** A table argument as RabbitMQ renders it: {@code none} when absent, else its value and AMQP type. */
    private static String argumentValue(final String value)
    {
        return value == null ? "none" : "the value " + Names.quote(value) + " of type 'longstr'";
    }
}
