package io.ringmq;

import io.ringmq.internal.UnackedTable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The unacknowledged deliveries of one push consumer, or of one channel's gets: one part of a
 * channel's {@link Acknowledgements}. Tags come from the channel; this scope only keeps the ones it
 * handed out, in a lock-free {@link UnackedTable} that the delivering thread fills and any thread
 * settles.
 * <p>
 * A cancelled consumer's scope stays with its channel, <em>retired</em>, until every delivery in it is
 * settled or the channel closes: AMQP lets a cancelled consumer's unacknowledged deliveries be acked
 * afterwards.
 * <p>
 * A consumer's scope counts its acknowledgements in the consumer's {@link ConsumerCounts} (any settling
 * thread, one atomic add beside the table's own); a channel's gets scope holds deliveries of many queues,
 * so its settlements count in each delivery's queue instead ({@link DeliveryOrigin#getSettled}).
 */
final class AckScope
{
    private static final VarHandle RETIRED;

    static
    {
        try
        {
            RETIRED = MethodHandles.lookup().findVarHandle(AckScope.class, "retired", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final UnackedTable<Envelope> unacked;
    /** The consumer whose credit this scope's settlements free; null for a channel's gets. */
    private final QueueConsumer consumer;
    /** The consumer's counts and its queue's statistics; null for a channel's gets. */
    private final ConsumerCounts counts;
    private final QueueStatistics statistics;

    @SuppressWarnings("unused")
    private volatile boolean retired;

    /** A channel's gets. */
    AckScope()
    {
        this(0, null, null, null);
    }

    AckScope(final int prefetch, final QueueConsumer consumer, final ConsumerCounts counts, final QueueStatistics statistics)
    {
        this.unacked = new UnackedTable<>(prefetch);
        this.consumer = consumer;
        this.counts = counts;
        this.statistics = statistics;
    }

    /** @return true for a channel's gets scope (its deliveries come from any queue). */
    boolean isGets()
    {
        return consumer == null;
    }

    /** Delivering thread only: keeps {@code envelope} from {@code origin} under the channel's {@code tag}. */
    void hold(final long tag, final Envelope envelope, final DeliveryOrigin origin)
    {
        unacked.insert(tag, envelope, origin);
    }

    int unackedCount()
    {
        return unacked.size();
    }

    boolean claim(final long tag, final UnackedTable.ClaimSink<Envelope> sink)
    {
        return unacked.claim(tag, sink);
    }

    int claimUpTo(final long maxTag, final UnackedTable.ClaimSink<Envelope> sink)
    {
        return unacked.claimUpTo(maxTag, sink);
    }

    /** Any thread, after claiming them: {@code count} of a consumer's deliveries were acknowledged (gets count per queue). */
    void acknowledged(final int count)
    {
        if (counts != null && count > 0)
        {
            counts.acknowledged(count, statistics);
        }
    }

    /** The channel dropped the retired, empty scope: nothing can be claimed in it any more. */
    void dropped()
    {
        if (counts != null)
        {
            statistics.scopeDropped(counts);
        }
    }

    /** Some of its deliveries were settled: the consumer may have credit again. */
    void creditFreed()
    {
        if (consumer != null)
        {
            consumer.wake();
        }
    }

    /** Its consumer was cancelled: the channel drops the scope once it is empty. */
    void retire()
    {
        svRetired();
    }

    boolean isRetired()
    {
        return lvRetired();
    }

    private void svRetired()
    {
        RETIRED.setVolatile(this, true);
    }

    private boolean lvRetired()
    {
        return (boolean)RETIRED.getVolatile(this);
    }
}
