package io.ringmq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * The broker's cumulative counts, which only grow: the live queues' counts, plus those of deleted
 * queues. A deleted queue can still count for a while (a cancelled consumer's deliveries acknowledged
 * later, gets settled later), so it stays on the {@code deleted} list, summed like a live queue, until
 * its counts are final ({@link QueueStatistics#isSettled}); then they are folded into {@code folded} and
 * the queue is forgotten, so queue churn leaks nothing.
 * <p>
 * This object's monitor makes a queue's move from the broker's map to {@code deleted}
 * ({@link #queueDeleted}) atomic with respect to a reader ({@link #read}), so no read counts a queue
 * twice or misses it. Lock order: the broker's topology lock, then this, then a queue's statistics;
 * nothing on publish → deliver → ack takes any of them. A publish that races its queue's deletion and
 * lands after the queue's counts were folded is not in the broker's totals (it is discarded, and
 * counted so, in the queue's own {@link QueueCounters}).
 * <p>
 * The rates are the sampler's ({@link #sample}), on the housekeeping thread, which alone touches the
 * previous sample.
 */
final class BrokerStatistics
{
    /** Guarded by this. */
    private final QueueStatistics.Totals folded = new QueueStatistics.Totals();
    /** Guarded by this. */
    private final ArrayList<MessageQueue> deleted = new ArrayList<>();

    private volatile QueueStatistics.Rates rates = QueueStatistics.Rates.NONE;
    /** Sampler thread only. */
    private QueueStatistics.Totals sampled;
    private long sampledAtNanos;

    /** Under the topology lock: {@code queue} leaves the broker's map and joins the deleted ones in one step. */
    synchronized void queueDeleted(final Map<String, MessageQueue> queues, final MessageQueue queue)
    {
        queues.remove(queue.name(), queue);
        deleted.add(queue);
        foldSettled();
    }

    /**
     * @param each    called with every live queue and its counts, read once here (monitoring reuses them).
     * @return the broker's cumulative counts now: folded, deleted and live queues.
     */
    synchronized QueueStatistics.Totals read(final Collection<MessageQueue> live, final QueueVisitor each)
    {
        foldSettled();
        final QueueStatistics.Totals totals = new QueueStatistics.Totals();
        totals.add(folded);
        for (final MessageQueue queue : deleted)
        {
            totals.add(queue.statistics().read(queue.storage()));
        }
        for (final MessageQueue queue : live)
        {
            final QueueStatistics.Totals counts = queue.statistics().read(queue.storage());
            totals.add(counts);
            each.visit(queue, counts);
        }
        return totals;
    }

    /** Sampler thread only: every live queue's rates, and the broker's. */
    void sample(final Collection<MessageQueue> live)
    {
        final long now = System.nanoTime();
        final QueueStatistics.Totals totals = read(live, (queue, counts) -> queue.statistics().sample(counts, now));
        if (sampled != null)
        {
            rates = QueueStatistics.Rates.between(sampled, sampledAtNanos, totals, now);
        }
        sampled = totals;
        sampledAtNanos = now;
    }

    QueueStatistics.Rates rates()
    {
        return rates;
    }

    /** @return deleted queues whose counts may still change (tests). */
    synchronized int unsettledDeletedQueues()
    {
        foldSettled();
        return deleted.size();
    }

    private void foldSettled()
    {
        for (final Iterator<MessageQueue> it = deleted.iterator(); it.hasNext(); )
        {
            final MessageQueue queue = it.next();
            if (queue.statistics().isSettled())
            {
                folded.add(queue.statistics().read(queue.storage()));
                it.remove();
            }
        }
    }

    /** Sees each live queue with the counts the broker's read took of it. */
    @FunctionalInterface
    interface QueueVisitor
    {
        void visit(MessageQueue queue, QueueStatistics.Totals counts);
    }
}
