package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One published message as the engine holds it: stored once however many queues it was routed
 * to, with a count of the holders that still need it.
 * <p>
 * <b>Lifetime:</b> taken from the {@link EnvelopePool} by a publisher, filled with plain writes,
 * then published to each queue by the queue ring's release store (the consumer's acquire load of
 * the ring slot pairs with it, so the fields below are visible to whoever polls it). Each queue it
 * was routed to holds one reference (the publisher drops a refusing queue's at once); the holder
 * that drops the count to zero clears it and returns it to the pool. It must not be read
 * after its holder released it: a {@link Delivery} stops being valid once settled.
 */
final class Envelope
{
    private static final VarHandle REFS;

    static
    {
        try
        {
            REFS = MethodHandles.lookup().findVarHandle(Envelope.class, "refs", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final EnvelopePool pool;

    String exchange;
    String routingKey;
    MessageProperties properties;
    byte[] body;
    Object payload;
    @SuppressWarnings("unused")
    private volatile int refs;

    Envelope(final EnvelopePool pool)
    {
        this.pool = pool;
    }

    /** Publisher only, before the envelope is visible to any other thread. */
    void fill(
        final String exchange,
        final String routingKey,
        final MessageProperties properties,
        final byte[] body,
        final Object payload,
        final int holders)
    {
        this.exchange = exchange;
        this.routingKey = routingKey;
        this.properties = properties;
        this.body = body;
        this.payload = payload;
        REFS.set(this, holders); // plain: published together with the fields by the ring's release store
    }

    /**
     * Drops one holder; the last one returns the envelope to its pool.
     * The getAndAdd is a full volatile read-modify-write, so every holder's reads of the fields
     * happen-before the last holder's clearing of them.
     */
    void release()
    {
        final int remaining = (int)REFS.getAndAdd(this, -1) - 1;
        if (remaining == 0)
        {
            exchange = null;
            routingKey = null;
            properties = null;
            body = null;
            payload = null;
            pool.recycle(this);
        }
        else if (remaining < 0)
        {
            throw new IllegalStateException("envelope released more often than it was held: " + remaining);
        }
    }

    /** @return the current holder count (tests and assertions only). */
    int holders()
    {
        return (int)REFS.getVolatile(this);
    }

    Message toMessage(final boolean redelivered)
    {
        return new Message(exchange, routingKey, properties, body, payload, redelivered);
    }
}
