package io.ringmq;

/**
 * An immutable message, detached from the broker: what {@link Delivery#copy()} returns when a
 * delivery must outlive its callback, and what a {@link ReturnListener} receives.
 * <p>
 * The body array and payload object are the ones the publisher handed over (RingMQ never copies
 * them); treat them as read-only.
 */
public final class Message
{
    private final String exchange;
    private final String routingKey;
    private final MessageProperties properties;
    private final byte[] body;
    private final Object payload;
    private final boolean redelivered;

    Message(
        final String exchange,
        final String routingKey,
        final MessageProperties properties,
        final byte[] body,
        final Object payload,
        final boolean redelivered)
    {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.properties = properties;
        this.body = body;
        this.payload = payload;
        this.redelivered = redelivered;
    }

    /** @return the exchange the message was published to ("" for the default exchange). */
    public String exchange()
    {
        return exchange;
    }

    /** @return the routing key it was published with. */
    public String routingKey()
    {
        return routingKey;
    }

    /** @return its properties, never null. */
    public MessageProperties properties()
    {
        return properties;
    }

    /** @return the body bytes, or null when the message carries a Java object instead. */
    public byte[] body()
    {
        return body;
    }

    /** @return the Java object published in-process, or null when the message carries bytes. */
    public Object payload()
    {
        return payload;
    }

    /** @return true when this copy was taken from a redelivery. */
    public boolean redelivered()
    {
        return redelivered;
    }

    /** @return the body decoded as UTF-8, or {@code String.valueOf(payload)} for an object message. */
    public String bodyAsString()
    {
        return text(body, payload);
    }

    /** The text of a body (UTF-8), or of an in-process payload; "" for none. */
    static String text(final byte[] body, final Object payload)
    {
        if (body != null)
        {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
        return payload == null ? "" : String.valueOf(payload);
    }

    @Override
    public String toString()
    {
        return "Message{exchange='" + exchange + "', routingKey='" + routingKey + "', redelivered=" + redelivered +
            ", body=" + (body != null ? body.length + " bytes" : "object " + payload) + ", " + properties + '}';
    }
}
