package io.ringmq.routing;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.Names;

/**
 * The four AMQP 0-9-1 exchange types, each with the name a client sends in {@code exchange.declare}.
 */
public enum ExchangeType
{
    /** Routes to bindings whose key equals the routing key. */
    DIRECT("direct"),
    /** Routes to every binding; the routing key is ignored. */
    FANOUT("fanout"),
    /** Routes by pattern: binding keys are dot-separated words where {@code *} is one word and {@code #} zero or more. */
    TOPIC("topic"),
    /** Routes by message headers against binding arguments, as {@code x-match} says. */
    HEADERS("headers");

    private final String amqpName;

    ExchangeType(final String amqpName)
    {
        this.amqpName = amqpName;
    }

    /** @return the protocol name of this type: {@code "direct"}, {@code "fanout"}, {@code "topic"} or {@code "headers"}. */
    public String amqpName()
    {
        return amqpName;
    }

    /**
     * @param amqpName the type name as sent by a client (case-sensitive, as RabbitMQ).
     * @return the matching type.
     * @throws InvalidArgumentException for {@code null} or an unknown name.
     */
    public static ExchangeType fromAmqpName(final String amqpName)
    {
        if (amqpName != null)
        {
            for (final ExchangeType type : values())
            {
                if (type.amqpName.equals(amqpName))
                {
                    return type;
                }
            }
        }
        throw new InvalidArgumentException("unknown exchange type " + (amqpName == null ? "null" : Names.quote(amqpName))
            + "; expected direct, fanout, topic or headers");
    }
}
