package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One push consumer's cumulative counts, summed on read by its queue's {@link QueueStatistics}: so that
 * counting a delivery or an acknowledgement writes only a cache line of this consumer's, never one that
 * other consumers or the publishers write.
 * <ul>
 *   <li><b>Deliveries</b> ({@code delivered}, {@code redelivered}, {@code deliveredBytes}): one writer, the
 *       thread inside the consumer's {@code DeliveryAgent.doWork} (one at a time, by its
 *       {@code delivering} CAS). It sums a batch's deliveries in plain fields of its own
 *       ({@link #delivered}) and publishes them once per batch ({@link #publishDeliveries}: a plain load
 *       and a release store each, {@code lp}/{@code so}); readers load with acquire ({@code la}), so
 *       what happened before a delivery counted (the publish of its bytes) is visible to the reader
 *       too. So an inspector lags the deliveries by at most one batch in progress
 *       ({@code DeliveryAgent.TAKE_LIMIT}, or what the agent's mailbox delivered in one {@code doWork});
 *       once the consumer is idle its counts are exact. The agent publishes before it leaves
 *       {@code doWork} and before its cell is folded.</li>
 *   <li><b>Acknowledgements</b> ({@code acked}): any settling thread, by fetch-and-add beside the
 *       scope's own atomic size update; read with {@code lv}.</li>
 * </ul>
 * <b>Folding:</b> once the agent has stopped and its {@link AckScope} is dropped (or it never had one:
 * auto-ack), nothing changes here any more, except an acknowledgement that claimed the scope's last
 * delivery just before the drop and counts it just after. The queue's statistics then fold these counts
 * into their retired totals and forget the cell ({@link QueueStatistics#fold}). For the late
 * acknowledgement the fold and the acker form a Dekker pair: the acker adds ({@code faa}), then reads
 * {@code folded} ({@code lv}); the fold stores {@code folded} ({@code sv}), then takes what was counted
 * by an atomic exchange with 0. Either the exchange sees the add, or the acker sees {@code folded} and
 * moves its own add under the queue's monitor ({@link QueueStatistics#moveLateAcks}); each add is moved
 * exactly once.
 * <p>
 * Padded on both sides: the delivering thread writes the line on every delivery.
 */
final class ConsumerCounts extends ConsumerCountsFields
{
    long p10, p11, p12, p13, p14, p15, p16, p17;

    /** The consumer's scope, for its unacknowledged count; null with automatic acknowledgement. Set once, before the consumer starts. */
    AckScope scope;
    /** Guarded by the queue statistics' monitor: the agent stopped; its scope dropped (or it has none). */
    boolean agentStopped;
    boolean scopeDropped;

    /** Delivering thread only: deliveries counted since the last {@link #publishDeliveries}, plain. */
    private long unpublishedDelivered;
    private long unpublishedBytes;
    private long unpublishedRedelivered;

    /**
     * Delivering thread only: one delivery of {@code bytes} body bytes; counted before the handler sees it,
     * visible to readers from the next {@link #publishDeliveries}.
     */
    void delivered(final long bytes, final boolean redelivered)
    {
        unpublishedDelivered++;
        unpublishedBytes += bytes;
        if (redelivered)
        {
            unpublishedRedelivered++;
        }
    }

    /** Delivering thread only: makes the deliveries counted so far visible to readers, one release store per count. */
    void publishDeliveries()
    {
        if (unpublishedDelivered == 0)
        {
            return;
        }
        soDeliveredBytes(lpDeliveredBytes() + unpublishedBytes);
        if (unpublishedRedelivered != 0)
        {
            soRedelivered(lpRedelivered() + unpublishedRedelivered);
            unpublishedRedelivered = 0;
        }
        soDelivered(lpDelivered() + unpublishedDelivered);
        unpublishedDelivered = 0;
        unpublishedBytes = 0;
    }

    /** Any thread: {@code count} deliveries of this consumer were acknowledged. */
    void acknowledged(final int count, final QueueStatistics statistics)
    {
        faaAcked(count);
        if (lvFolded()) // after the add: the Dekker partner of fold's svFolded then xchgAcked
        {
            statistics.moveLateAcks(this);
        }
    }

    int unackedCount()
    {
        final AckScope scope = this.scope;
        return scope == null ? 0 : scope.unackedCount();
    }
}

/** Padding before the counts: the object header and whatever was allocated just before. */
abstract class ConsumerCountsPad
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The counts and their accessors (vocabulary in package-info). */
abstract class ConsumerCountsFields extends ConsumerCountsPad
{
    private static final VarHandle DELIVERED;
    private static final VarHandle REDELIVERED;
    private static final VarHandle DELIVERED_BYTES;
    private static final VarHandle ACKED;
    private static final VarHandle FOLDED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DELIVERED = lookup.findVarHandle(ConsumerCountsFields.class, "delivered", long.class);
            REDELIVERED = lookup.findVarHandle(ConsumerCountsFields.class, "redelivered", long.class);
            DELIVERED_BYTES = lookup.findVarHandle(ConsumerCountsFields.class, "deliveredBytes", long.class);
            ACKED = lookup.findVarHandle(ConsumerCountsFields.class, "acked", long.class);
            FOLDED = lookup.findVarHandle(ConsumerCountsFields.class, "folded", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private long delivered;
    @SuppressWarnings("unused")
    private long redelivered;
    @SuppressWarnings("unused")
    private long deliveredBytes;
    @SuppressWarnings("unused")
    private long acked;
    @SuppressWarnings("unused")
    private boolean folded;

    final long lpDelivered()
    {
        return (long)DELIVERED.get(this); // the one writer reads its own store
    }

    final void soDelivered(final long value)
    {
        DELIVERED.setRelease(this, value); // pairs with laDelivered
    }

    final long laDelivered()
    {
        return (long)DELIVERED.getAcquire(this);
    }

    final long lpRedelivered()
    {
        return (long)REDELIVERED.get(this);
    }

    final void soRedelivered(final long value)
    {
        REDELIVERED.setRelease(this, value); // pairs with laRedelivered
    }

    final long laRedelivered()
    {
        return (long)REDELIVERED.getAcquire(this);
    }

    final long lpDeliveredBytes()
    {
        return (long)DELIVERED_BYTES.get(this);
    }

    final void soDeliveredBytes(final long value)
    {
        DELIVERED_BYTES.setRelease(this, value); // pairs with laDeliveredBytes
    }

    final long laDeliveredBytes()
    {
        return (long)DELIVERED_BYTES.getAcquire(this);
    }

    final void faaAcked(final long count)
    {
        ACKED.getAndAdd(this, count);
    }

    final long lvAcked()
    {
        return (long)ACKED.getVolatile(this);
    }

    /** Takes what was counted, leaving 0: each acknowledgement is moved out exactly once. */
    final long xchgAcked()
    {
        return (long)ACKED.getAndSet(this, 0L);
    }

    final boolean lvFolded()
    {
        return (boolean)FOLDED.getVolatile(this);
    }

    final void svFolded()
    {
        FOLDED.setVolatile(this, true);
    }
}
