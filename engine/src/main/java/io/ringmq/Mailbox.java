package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The messages a {@link RoundRobinDispatcher} has sent to one push consumer and that its agent has
 * not yet delivered: what RabbitMQ holds in a consumer's channel buffer. A bounded single-producer,
 * single-consumer ring of (envelope, redelivered, origin) triples in three parallel arrays, so a
 * hand-over allocates nothing.
 * <p>
 * <b>Threads:</b> the producer is whichever thread holds the queue's dispatch role; successive holders
 * are ordered by that role's release and acquire, so they act as one producer. The consumer is the
 * thread delivering for the owner at the time, or {@link DeliveryAgent#stop} once no thread delivers
 * for it any more (the agent's delivering flag orders the hand-over).
 * <p>
 * Memory ordering: {@link #put} writes the slot and then publishes it with {@link #soTail}, which
 * {@link #laTail} in {@link #peek} pairs with; {@link #remove} clears the slot and then frees it with
 * {@link #soHead}, which {@link #laHead} in {@link #size} pairs with before the producer reuses the slot.
 */
final class Mailbox
{
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(Mailbox.class, "head", long.class);
            TAIL = lookup.findVarHandle(Mailbox.class, "tail", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Envelope[] envelopes;
    private final DeliveryOrigin[] origins;
    private final boolean[] redelivered;
    private final int mask;

    /** Next slot to take; written by the consumer side only. */
    @SuppressWarnings("unused")
    private volatile long head;
    /** Next slot to fill; written by the dispatch role holder only. */
    @SuppressWarnings("unused")
    private volatile long tail;

    /** @param capacity a power of two. */
    Mailbox(final int capacity)
    {
        if (capacity <= 0 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        this.envelopes = new Envelope[capacity];
        this.origins = new DeliveryOrigin[capacity];
        this.redelivered = new boolean[capacity];
        this.mask = capacity - 1;
    }

    int capacity()
    {
        return mask + 1;
    }

    /** Any thread; exact for the producer (the consumer can only make it smaller). */
    int size()
    {
        return (int)(laTail() - laHead());
    }

    boolean isEmpty()
    {
        return laTail() == laHead();
    }

    /** Dispatch role holder only, after {@link #size} showed room: the caller checks, so this never fails. */
    void put(final Envelope envelope, final boolean wasDelivered, final DeliveryOrigin origin)
    {
        final long t = loTail(); // our own last write, or the previous role holder's (ordered by the role)
        final int slot = (int)t & mask;
        envelopes[slot] = envelope;
        redelivered[slot] = wasDelivered;
        origins[slot] = origin;
        soTail(t + 1); // publishes the slot: pairs with laTail in peek
    }

    /**
     * Consumer side only: copies the oldest entry into {@code out} without removing it, so the owner can
     * count it as unacknowledged before it stops counting as buffered (see {@link #remove}).
     *
     * @return false when empty.
     */
    boolean peek(final Taken out)
    {
        final long h = loHead(); // only this side writes it
        if (h == laTail()) // pairs with soTail in put
        {
            return false;
        }
        final int slot = (int)h & mask;
        out.set(envelopes[slot], redelivered[slot], origins[slot]);
        return true;
    }

    /** Consumer side only, after a successful {@link #peek}: removes that entry. */
    void remove()
    {
        final long h = loHead();
        final int slot = (int)h & mask;
        envelopes[slot] = null;
        origins[slot] = null;
        soHead(h + 1); // frees the slot after our reads: pairs with laHead in size
    }

    private long laHead()
    {
        return (long)HEAD.getAcquire(this);
    }

    private long loHead()
    {
        return (long)HEAD.getOpaque(this);
    }

    private void soHead(final long value)
    {
        HEAD.setRelease(this, value);
    }

    private long laTail()
    {
        return (long)TAIL.getAcquire(this);
    }

    private long loTail()
    {
        return (long)TAIL.getOpaque(this);
    }

    private void soTail(final long value)
    {
        TAIL.setRelease(this, value);
    }
}
