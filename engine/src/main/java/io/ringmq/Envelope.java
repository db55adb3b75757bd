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
    private static final VarHandle STAMP;

    static
    {
        try
        {
            REFS = MethodHandles.lookup().findVarHandle(Envelope.class, "refs", int.class);
            STAMP = MethodHandles.lookup().findVarHandle(Envelope.class, "stampNanos", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The body of a message published with none: RabbitMQ delivers 0 bytes. */
    static final byte[] NO_BODY = new byte[0];

    /** Where a released envelope goes; emptied when the broker closes (see {@link EnvelopePool.Home}). */
    private final EnvelopePool.Home home;

    String exchange;
    String routingKey;
    MessageProperties properties;
    byte[] body;
    Object payload;
    @SuppressWarnings("unused")
    private volatile int refs;
    /**
     * The {@code System.nanoTime()} from which message TTLs count; meaningful only while a TTL applies.
     * Written by the publisher in {@link #fill} when the message has a per-message TTL, otherwise by each
     * queue with {@code x-message-ttl} as it takes the message ({@link #stampNow}), before the ring's
     * release store that publishes it: so a reader that took the message from a ring sees its queue's
     * stamp, or the stamp of a later queue of the same publish (release/acquire: no tearing, and stamps of
     * one publish differ by the microseconds it took). Never reset: a reused envelope is re-stamped before
     * any TTL reader can see it.
     */
    @SuppressWarnings("unused")
    private long stampNanos;

    Envelope(final EnvelopePool.Home home)
    {
        this.home = home;
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
        if (properties.expirationNanos() >= 0)
        {
            stampNow(); // only messages with a per-message TTL pay for the clock
        }
        spRefs(holders); // plain: published together with the fields by the ring's release store
    }

    /** Starts the message's TTL clock now; see {@link #stampNanos}. */
    void stampNow()
    {
        soStamp(System.nanoTime()); // before the ring's release store that publishes the envelope
    }

    /** @return the TTL clock's start; see {@link #stampNanos}. */
    long stamp()
    {
        return laStamp();
    }

    /**
     * @return true when a TTL applies ({@code queueTtlNanos}, or the message's own, whichever is lower)
     * and has passed by {@code now}. A TTL of 0 has always passed.
     */
    boolean isExpired(final long queueTtlNanos, final long now)
    {
        final MessageProperties props = properties;
        if (props == null)
        {
            return false; // released under a racing sweeper's test (see MpmcRing.pollIf): not ours to judge
        }
        final long messageTtl = props.expirationNanos();
        final long ttl = messageTtl >= 0 && (queueTtlNanos < 0 || messageTtl < queueTtlNanos) ? messageTtl : queueTtlNanos;
        return ttl >= 0 && now - stamp() >= ttl;
    }

    /**
     * Adds one holder, for a holder that must keep the message beyond its current holder's release
     * (dead-lettering a message its queue refused). The caller must itself hold it, so the count is
     * above zero and the envelope cannot be recycled under us.
     */
    void retain()
    {
        faaRefs(1);
    }

    /** @return the size counted by {@code x-max-length-bytes}: body bytes, 0 for an object payload. */
    long bodySize()
    {
        final byte[] b = body;
        return b == null ? 0 : b.length;
    }

    /**
     * @return the {@link #bodySize}s of {@code envelopes[from..to)} summed; each must still be held by the caller.
     */
    static long bodySizes(final Envelope[] envelopes, final int from, final int to)
    {
        long bytes = 0;
        for (int i = from; i < to; i++)
        {
            bytes += envelopes[i].bodySize();
        }
        return bytes;
    }

    /**
     * Drops one holder; the last one returns the envelope to its pool.
     * The getAndAdd is a full volatile read-modify-write, so every holder's reads of the fields
     * happen-before the last holder's clearing of them.
     */
    void release()
    {
        release(null);
    }

    /**
     * {@link #release()}, returning a last-released envelope through the caller's memo of its thread's
     * pool cache (see {@link EnvelopePool.Memo}); null: the plain thread-local lookup.
     * <p>
     * <b>Sole holder, no atomic:</b> a message routed to one queue has one holder, and then the
     * fetch-and-add (a {@code lock xadd}) buys nothing: while the count is 1 no other thread holds the
     * envelope, so none can change the count ({@link #retain} needs a holder; a holder's release is what
     * brought the count down to 1). An acquire load that reads 1 synchronizes with the release that
     * wrote it (every decrement is a full read-modify-write), so the other holders' reads of the fields
     * happen-before our clearing, as with the atomic. Reading a stale larger count only sends us down
     * the atomic path.
     */
    void release(final EnvelopePool.Memo memo)
    {
        if (laRefs() == 1)
        {
            spRefs(0); // no other holder: nobody reads it until the pool hands it out again (ring release/acquire)
            recycle(memo);
            return;
        }
        final int remaining = faaRefs(-1) - 1;
        if (remaining == 0)
        {
            recycle(memo);
        }
        else if (remaining < 0)
        {
            throw new IllegalStateException("envelope released more often than it was held: " + remaining);
        }
    }

    private void recycle(final EnvelopePool.Memo memo)
    {
        exchange = null;
        routingKey = null;
        properties = null;
        body = null;
        payload = null;
        final EnvelopePool pool = home.pool;
        if (pool == null) // a closed broker's envelopes are left to the garbage collector
        {
            return;
        }
        if (memo == null)
        {
            pool.recycle(this);
        }
        else
        {
            pool.recycle(this, memo);
        }
    }

    /** @return the current holder count (tests and assertions only). */
    int holders()
    {
        return (int)REFS.getVolatile(this);
    }

    private void soStamp(final long now)
    {
        STAMP.setRelease(this, now);
    }

    private long laStamp()
    {
        return (long)STAMP.getAcquire(this);
    }

    private int laRefs()
    {
        return (int)REFS.getAcquire(this); // pairs with the release half of another holder's faaRefs
    }

    private void spRefs(final int value)
    {
        REFS.set(this, value);
    }

    /** Fetch-and-add: a full volatile read-modify-write. */
    private int faaRefs(final int delta)
    {
        return (int)REFS.getAndAdd(this, delta);
    }

    Message toMessage(final boolean redelivered)
    {
        return new Message(exchange, routingKey, properties, body, payload, redelivered);
    }
}
