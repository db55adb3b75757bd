package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

/**
 * When redeclaring an existing exchange is a no-op, and how a refusal is worded: the rule
 * {@link RoutingTable#declareExchange} applies to an {@link ExchangeSpec}, kept here (through the
 * spec's public getters) so that the spec itself stays a plain value.
 *
 * <p>Public only for {@link #ALTERNATE_EXCHANGE}, which {@code ExchangeSpec} names from its own
 * package; the rule itself is package-private.
 */
public final class ExchangeEquivalence
{
    /** The argument that names an alternate exchange, as in RabbitMQ. */
    public static final String ALTERNATE_EXCHANGE = "alternate-exchange";

    private ExchangeEquivalence()
    {
    }

    /**
     * @return RabbitMQ's wording of the first field in which {@code received} differs from
     *         {@code current} (the existing declaration of the same name), or {@code null} when
     *         redeclaring {@code received} is a no-op.
     */
    static String difference(final ExchangeSpec current, final ExchangeSpec received)
    {
        final String field;
        final Object receivedValue;
        final Object currentValue;
        if (current.type() != received.type())
        {
            field = "type";
            receivedValue = received.type() == null ? null : received.type().amqpName();
            currentValue = current.type() == null ? null : current.type().amqpName();
        }
        else if (current.durable() != received.durable())
        {
            field = "durable";
            receivedValue = received.durable();
            currentValue = current.durable();
        }
        else if (current.autoDelete() != received.autoDelete())
        {
            field = "auto_delete";
            receivedValue = received.autoDelete();
            currentValue = current.autoDelete();
        }
        else if (current.internal() != received.internal())
        {
            field = "internal";
            receivedValue = received.internal();
            currentValue = current.internal();
        }
        else if (!ArgumentValues.mapsDeepEqual(current.arguments(), received.arguments()))
        {
            field = "arguments";
            receivedValue = received.arguments();
            currentValue = current.arguments();
        }
        else
        {
            return null;
        }
        return "inequivalent arg '" + field + "' for exchange " + Names.quote(current.name()) + " in vhost '/': received '"
            + receivedValue + "' but current is '" + currentValue + "'";
    }
}
