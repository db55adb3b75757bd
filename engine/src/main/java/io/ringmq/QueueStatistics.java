package io.ringmq;

import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One queue's message counts for monitoring ({@link Inspector}, {@link QueueInfo}): deliveries,
 * acknowledgements and redeliveries, ready bytes, unacknowledged deliveries, and their rates. What
 * left the queue other than by acknowledgement is {@link QueueCounters}' business; what was published
 * is counted by the storage's own ring indexes ({@link QueueStorage#acceptedCount}).
 *
 * <h2>Who writes what</h2>
 * <ul>
 *   <li>Push consumers: their own {@link ConsumerCounts} cells (no write shared between consumers),
 *       summed on read with the totals of the cells already folded ({@link #fold}).</li>
 *   <li>{@code basic.get} (not the hot path): per-queue atomics.</li>
 *   <li>Ready bytes: {@code bytesIn} (accepted publishes, requeued deliveries back) is a
 *       {@link LongAdder}, striped under contention between publishers, counted <em>before</em> the
 *       message becomes takeable; what leaves is counted after: by delivery (the cells), by get, or
 *       as {@code bytesRemoved} (expired, dropped, purged, discarded, and offers the queue did not
 *       take). A reader loads every "out" count first and {@code bytesIn} last, so each message it
 *       sees out it also sees in (the in happens-before the out), and the difference is never negative.
 *       Ready bytes include messages a round-robin dispatcher has put in a consumer's mailbox and
 *       that consumer has not delivered yet.</li>
 * </ul>
 * The cells and the retired totals are read and folded under this object's monitor, so a read sees
 * each cell's counts exactly once, either live or folded, and every count only grows. The monitor is
 * never taken on publish → deliver → ack (only when a consumer ends, by a late acknowledgement of a
 * folded cell, and by readers) and nothing else is locked inside it.
 * <p>
 * Rates are set by the broker's statistics sampler ({@link #sample}), which alone touches the previous
 * sample; readers read the last {@link Rates} through a volatile field.
 */
final class QueueStatistics
{
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesRemoved = new LongAdder();
    private final AtomicLong got = new AtomicLong();
    private final AtomicLong gotRedelivered = new AtomicLong();
    private final AtomicLong gotBytes = new AtomicLong();
    private final AtomicLong getsAcked = new AtomicLong();
    private final AtomicInteger getsOutstanding = new AtomicInteger();

    /** Guarded by this: the cells of consumers that may still count. */
    private final ArrayList<ConsumerCounts> live = new ArrayList<>(1);
    /** Guarded by this: the counts of cells folded. */
    private long retiredDelivered;
    private long retiredRedelivered;
    private long retiredDeliveredBytes;
    private long retiredAcked;

    private volatile Rates rates = Rates.NONE;
    /** The sampler's previous sample; sampler thread only. */
    private long sampledAtNanos;
    private Totals sampled;

    // ------------------------------------------------------------------ publishing and removal

    /** A publisher, before its offer: the message may be taken as soon as it is offered. */
    void enteringReady(final long bytes)
    {
        bytesIn.add(bytes);
    }

    /** A delivered message goes back (requeue), before it is put back. */
    void returned(final long bytes)
    {
        bytesIn.add(bytes);
    }

    /** A ready message left without being delivered, or an offer counted in was not taken. */
    void leftReady(final long bytes)
    {
        bytesRemoved.add(bytes);
    }

    // ------------------------------------------------------------------ gets

    /** The getting thread, before the delivery is handed out (or held for acknowledgement). */
    void got(final long bytes, final boolean redelivered, final boolean manualAck)
    {
        gotBytes.addAndGet(bytes);
        if (redelivered)
        {
            gotRedelivered.incrementAndGet();
        }
        if (manualAck)
        {
            getsOutstanding.incrementAndGet();
        }
        got.incrementAndGet();
    }

    /** A get's delivery was settled: acknowledged, or rejected, nacked or requeued. */
    void getSettled(final boolean acknowledged)
    {
        if (acknowledged)
        {
            getsAcked.incrementAndGet();
        }
        getsOutstanding.decrementAndGet();
    }

    // ------------------------------------------------------------------ consumers

    /** A consumer starts (before its first delivery): its cell is summed from now on. */
    synchronized void attach(final ConsumerCounts cell)
    {
        cell.scopeDropped = cell.scope == null;
        live.add(cell);
    }

    /** The consumer's agent has stopped: no delivery will be counted in {@code cell} any more. */
    synchronized void agentStopped(final ConsumerCounts cell)
    {
        cell.agentStopped = true;
        foldIfSettled(cell);
    }

    /** The consumer's scope was dropped: retired and empty, no acknowledgement can claim in it any more. */
    synchronized void scopeDropped(final ConsumerCounts cell)
    {
        cell.scopeDropped = true;
        foldIfSettled(cell);
    }

    private void foldIfSettled(final ConsumerCounts cell)
    {
        if (cell.agentStopped && cell.scopeDropped && live.remove(cell))
        {
            fold(cell);
        }
    }

    /** Under the monitor, once the cell stopped changing: its counts join the retired totals. See {@link ConsumerCounts}. */
    private void fold(final ConsumerCounts cell)
    {
        retiredDelivered += cell.laDelivered();
        retiredRedelivered += cell.laRedelivered();
        retiredDeliveredBytes += cell.laDeliveredBytes();
        cell.svFolded();
        retiredAcked += cell.xchgAcked(); // after svFolded: see ConsumerCounts
    }

    /** An acknowledgement counted after its cell was folded: moves it (and any other such) to the retired totals. */
    synchronized void moveLateAcks(final ConsumerCounts cell)
    {
        retiredAcked += cell.xchgAcked();
    }

    /** @return true when no consumer cell may still change and no get is outstanding: a deleted queue's counts are final. */
    synchronized boolean isSettled()
    {
        return live.isEmpty() && getsOutstanding.get() == 0;
    }

    /** @return consumer cells not yet folded (tests). */
    synchronized int liveCells()
    {
        return live.size();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads the counts, "out" before "in" (see the class comment).
     *
     * @param storage the queue's storage, whose count of accepted offers is what was published.
     */
    Totals read(final QueueStorage storage)
    {
        final Totals totals = new Totals();
        long outBytes = bytesRemoved.sum();
        outBytes += gotBytes.get();
        synchronized (this)
        {
            long delivered = retiredDelivered;
            long redelivered = retiredRedelivered;
            long deliveredBytes = retiredDeliveredBytes;
            long acked = retiredAcked;
            int unacked = 0;
            for (int i = 0; i < live.size(); i++)
            {
                final ConsumerCounts cell = live.get(i);
                delivered += cell.laDelivered();
                redelivered += cell.laRedelivered();
                deliveredBytes += cell.laDeliveredBytes();
                acked += cell.lvAcked();
                unacked += cell.unackedCount();
            }
            totals.delivered = delivered;
            totals.redelivered = redelivered;
            totals.acknowledged = acked;
            totals.unacked = unacked;
            outBytes += deliveredBytes;
        }
        totals.delivered += got.get();
        totals.redelivered += gotRedelivered.get();
        totals.acknowledged += getsAcked.get();
        totals.unacked += getsOutstanding.get(); // a get's settle follows its hold, which follows got(): never below 0
        totals.bytesReady = bytesIn.sum() - outBytes;
        totals.published = storage.acceptedCount();
        return totals;
    }

    Rates rates()
    {
        return rates;
    }

    /** Sampler thread only: the rates over the time since the previous sample (none before a second sample). */
    void sample(final Totals now, final long nowNanos)
    {
        final Totals previous = sampled;
        if (previous != null)
        {
            rates = Rates.between(previous, sampledAtNanos, now, nowNanos);
        }
        sampled = now;
        sampledAtNanos = nowNanos;
    }

    /** Cumulative counts of one queue (or the broker) at one moment, plus what it holds. */
    static final class Totals
    {
        long published;
        long delivered;
        long acknowledged;
        long redelivered;
        /** Not cumulative: held at the moment of the read. */
        int unacked;
        long bytesReady;

        void add(final Totals other)
        {
            published += other.published;
            delivered += other.delivered;
            acknowledged += other.acknowledged;
            redelivered += other.redelivered;
        }
    }

    /** Per second, over one statistics interval; immutable. */
    static final class Rates
    {
        static final Rates NONE = new Rates(0, 0, 0, 0);

        final double publish;
        final double deliver;
        final double ack;
        final double redeliver;

        private Rates(final double publish, final double deliver, final double ack, final double redeliver)
        {
            this.publish = publish;
            this.deliver = deliver;
            this.ack = ack;
            this.redeliver = redeliver;
        }

        static Rates between(final Totals before, final long beforeNanos, final Totals after, final long afterNanos)
        {
            final double seconds = (afterNanos - beforeNanos) / 1e9;
            if (seconds <= 0)
            {
                return NONE;
            }
            return new Rates(perSecond(after.published - before.published, seconds),
                perSecond(after.delivered - before.delivered, seconds),
                perSecond(after.acknowledged - before.acknowledged, seconds),
                perSecond(after.redelivered - before.redelivered, seconds));
        }

        /** Counts only grow; a negative delta (never expected) reads as no activity rather than a negative rate. */
        private static double perSecond(final long delta, final double seconds)
        {
            return delta <= 0 ? 0 : delta / seconds;
        }
    }
}
