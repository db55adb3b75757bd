package io.ringmq;

import io.ringmq.error.PreconditionFailedException;

import java.nio.charset.StandardCharsets;

/**
 * One delivered message, as a handler or {@link Channel#get} sees it (AMQP {@code basic.deliver} /
 * {@code basic.get-ok}).
 * <p>
 * <b>Lifetime:</b> a Delivery is a flyweight: each consumer (and each channel, for gets) reuses one
 * instance for every delivery, so delivering allocates nothing. Read it inside the handler (or
 * before the channel's next get). To keep the message longer, call {@link #copy()}. The
 * {@link #deliveryTag()} stays valid for acknowledging after the callback; the flyweight does not.
 */
public final class Delivery
{
    private final String consumerTag;
    private final AckScope scope;
    private Envelope envelope;
    private long deliveryTag;
    private boolean redelivered;
    private String queue;

    /**
     * @param scope where this delivery's tags are settled, or null for automatic acknowledgement.
     */
    Delivery(final String consumerTag, final AckScope scope)
    {
        this.consumerTag = consumerTag;
        this.scope = scope;
    }

    void set(final Envelope envelope, final long deliveryTag, final boolean redelivered, final String queue)
    {
        this.envelope = envelope;
        this.deliveryTag = deliveryTag;
        this.redelivered = redelivered;
        this.queue = queue;
    }

    void clear()
    {
        envelope = null;
    }

    /** @return the tag to acknowledge this delivery with; unique and increasing within its consumer (or channel). */
    public long deliveryTag()
    {
        return deliveryTag;
    }

    /** @return true when the message was delivered before and requeued (AMQP redelivered flag). */
    public boolean redelivered()
    {
        return redelivered;
    }

    /** @return the queue it came from. */
    public String queue()
    {
        return queue;
    }

    /** @return the consumer's tag, or null for a {@link Channel#get}. */
    public String consumerTag()
    {
        return consumerTag;
    }

    /** @return the exchange it was published to ("" for the default exchange). */
    public String exchange()
    {
        return current().exchange;
    }

    /** @return the routing key it was published with. */
    public String routingKey()
    {
        return current().routingKey;
    }

    /** @return its properties, never null. */
    public MessageProperties properties()
    {
        return current().properties;
    }

    /** @return the body bytes as published (not a copy; do not modify), or null for an object message. */
    public byte[] body()
    {
        return current().body;
    }

    /** @return the Java object published in-process, or null for a bytes message. */
    public Object payload()
    {
        return current().payload;
    }

    /** @return the body as UTF-8 text (allocates), or {@code String.valueOf(payload)}. */
    public String bodyAsString()
    {
        final Envelope e = current();
        return text(e.body, e.payload);
    }

    /** @return a detached, immutable copy that stays valid after the callback. */
    public Message copy()
    {
        return current().toMessage(redelivered);
    }

    /** Acknowledges this delivery (AMQP {@code basic.ack}, multiple = false). */
    public void ack()
    {
        manualScope("ack").ack(deliveryTag, false);
    }

    /** Negatively acknowledges this delivery (AMQP {@code basic.nack}, multiple = false). */
    public void nack(final boolean requeue)
    {
        manualScope("nack").nack(deliveryTag, false, requeue);
    }

    /** Rejects this delivery (AMQP {@code basic.reject}). */
    public void reject(final boolean requeue)
    {
        manualScope("reject").reject(deliveryTag, requeue);
    }

    private AckScope manualScope(final String method)
    {
        if (scope == null)
        {
            throw new PreconditionFailedException("cannot " + method + " delivery tag " + deliveryTag +
                ": it was delivered with automatic acknowledgement");
        }
        return scope;
    }

    private Envelope current()
    {
        final Envelope e = envelope;
        if (e == null)
        {
            throw new IllegalStateException("this Delivery flyweight is no longer valid: use copy() inside the " +
                "callback to keep a message");
        }
        return e;
    }

    static String text(final byte[] body, final Object payload)
    {
        return body != null ? new String(body, StandardCharsets.UTF_8) : String.valueOf(payload);
    }

    @Override
    public String toString()
    {
        final Envelope e = envelope;
        return e == null ? "Delivery{released}" : "Delivery{tag=" + deliveryTag + ", queue='" + queue +
            "', exchange='" + e.exchange + "', routingKey='" + e.routingKey + "', redelivered=" + redelivered + '}';
    }
}
