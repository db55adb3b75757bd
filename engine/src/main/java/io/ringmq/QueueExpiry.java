package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code x-expires}: a queue unused for this long is deleted by the broker's housekeeping thread, as
 * RabbitMQ expires it. "Used" means declared again, read with {@code basic.get}, or consumed from; the
 * idle time starts when the last consumer goes.
 * <p>
 * Memory ordering: the clock is stored with release and read opaque ({@link #soLastUsed},
 * {@link #loLastUsed}): an approximate time is enough, and the decision is re-checked under the topology
 * lock ({@link Broker#expireIfUnused}).
 */
final class QueueExpiry
{
    private static final VarHandle LAST_USED;

    static
    {
        try
        {
            LAST_USED = MethodHandles.lookup().findVarHandle(QueueExpiry.class, "lastUsedNanos", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long expiresNanos;
    @SuppressWarnings("unused")
    private long lastUsedNanos;

    QueueExpiry(final long expiresNanos)
    {
        this.expiresNanos = expiresNanos;
        touch();
    }

    /** Marks the queue used now. Any thread. */
    void touch()
    {
        soLastUsed(System.nanoTime());
    }

    /** @return true when the queue, which has {@code consumers} consumers, has been unused at least its expiry. */
    boolean isUnusedLongerThanExpiry(final long now, final int consumers)
    {
        return consumers == 0 && now - loLastUsed() >= expiresNanos;
    }

    private void soLastUsed(final long now)
    {
        LAST_USED.setRelease(this, now);
    }

    private long loLastUsed()
    {
        return (long)LAST_USED.getOpaque(this);
    }
}
