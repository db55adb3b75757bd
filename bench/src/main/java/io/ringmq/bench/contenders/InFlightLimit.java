package io.ringmq.bench.contenders;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives an unbounded broker the same bound a ring has: a publisher is refused while more than
 * {@code capacity} messages per queue are published but not yet consumed.
 *
 * <p>Without it a publisher faster than its consumers grows the broker's queue until memory or flow
 * control stops it, and the benchmark would measure that, not steady-state delivery. The counters are
 * shared by all publishers and consumers of one contender; their cost is noise next to a broker's.
 * Two publishers may both pass the check at once, so the bound can be overshot by one message each.
 */
public final class InFlightLimit
{
    private final long maxDeliveries;
    private final int deliveriesPerMessage;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong consumed = new AtomicLong();

    public InFlightLimit(final Shape shape, final int capacity)
    {
        this.deliveriesPerMessage = shape.deliveriesPerMessage();
        this.maxDeliveries = (long) capacity * deliveriesPerMessage;
    }

    /** Publisher side: true if one more message may be published, and counts it. */
    public boolean tryAcquire()
    {
        if (published.get() - consumed.get() >= maxDeliveries)
        {
            return false;
        }
        published.addAndGet(deliveriesPerMessage);
        return true;
    }

    /** Publisher side: undoes {@link #tryAcquire()} when the send itself failed. */
    public void cancel()
    {
        published.addAndGet(-deliveriesPerMessage);
    }

    /** Consumer side: {@code deliveries} were consumed. */
    public void release(final int deliveries)
    {
        consumed.addAndGet(deliveries);
    }
}
