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
 * <b>A run per turn:</b> the producer {@link #stage}s each message of its turn in its slot and makes
 * them all visible at once with {@link #publish}, one release store of {@code tail} per turn. So the
 * consumer, which reads {@code tail} to find work, does not pull that line away from the producer once
 * per message, and finds the turn's messages as one run ({@link #ready}).
 * <p>
 * <b>Layout:</b> {@code head} (written by the consumer on every delivery) and {@code tail} (written by
 * the producer once per turn) sit on cache lines of their own, padded from each other and from the
 * read-only fields, so neither side's writes invalidate the other's reads.
 * <p>
 * Memory ordering: {@link #publish} releases the staged slots with {@link #soTail}, which {@link #laTail}
 * in {@link #ready} and {@link #peek} pairs with; {@link #remove} clears the slot and then frees it with
 * {@link #soHead}, which {@link #laHead} in {@link #size} pairs with before the producer reuses the slot.
 */
final class Mailbox extends MailboxTail
{
    private final Envelope[] envelopes;
    private final DeliveryOrigin[] origins;
    private final boolean[] redelivered;
    private final int mask;

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

    /**
     * Any thread: what was published and not yet removed. Exact for the producer between turns (the
     * consumer can only make it smaller); the messages staged in the current turn do not count.
     */
    int size()
    {
        return (int)(laTail() - laHead());
    }

    boolean isEmpty()
    {
        return laTail() == laHead();
    }

    /**
     * Dispatch role holder only: puts the {@code staged}-th message of this turn (0 for the first) in its
     * slot, after {@link #size} showed room for every message it stages this turn: the caller counts, so
     * this never fails. Invisible to the consumer until {@link #publish}; the caller keeps the count, so
     * nothing is written on the line the consumer reads.
     */
    void stage(final int staged, final Envelope envelope, final boolean wasDelivered, final DeliveryOrigin origin)
    {
        // tail is our own last write, or the previous role holder's (ordered by the role)
        final int slot = (int)(loTail() + staged) & mask;
        envelopes[slot] = envelope;
        redelivered[slot] = wasDelivered;
        origins[slot] = origin;
    }

    /**
     * Dispatch role holder only: makes the {@code staged} messages this turn staged visible to the
     * consumer, with one release store.
     */
    void publish(final int staged)
    {
        soTail(loTail() + staged); // publishes the slots: pairs with laTail in ready and peek
    }

    /** {@link #stage} and {@link #publish} of one message (tests, and callers that move one at a time). */
    void put(final Envelope envelope, final boolean wasDelivered, final DeliveryOrigin origin)
    {
        stage(0, envelope, wasDelivered, origin);
        publish(1);
    }

    /**
     * Consumer side only: how many published messages wait, so that it may deliver that many (one run)
     * with {@link #peek} and {@link #remove} without reading {@code tail} again.
     */
    int ready()
    {
        return (int)(laTail() - loHead()); // pairs with soTail in publish; only this side writes head
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
        if (h == laTail()) // pairs with soTail in publish
        {
            return false;
        }
        peekAt(h, out);
        return true;
    }

    /**
     * Consumer side only, within a run that {@link #ready} counted: copies the oldest entry into
     * {@code out} without removing it and without reading {@code tail}.
     */
    void peekReady(final Taken out)
    {
        peekAt(loHead(), out);
    }

    private void peekAt(final long h, final Taken out)
    {
        final int slot = (int)h & mask;
        out.set(envelopes[slot], redelivered[slot], origins[slot]);
    }

    /** Consumer side only, after a successful {@link #peek} or {@link #peekReady}: removes that entry. */
    void remove()
    {
        final long h = loHead();
        final int slot = (int)h & mask;
        envelopes[slot] = null;
        origins[slot] = null;
        soHead(h + 1); // frees the slot after our reads: pairs with laHead in size
    }
}

/** Padding before {@code head}: the object header and whatever was allocated just before. */
abstract class MailboxPadHead
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The consumer's index: written by the consumer on every removal, read by the producer once per turn. */
abstract class MailboxHead extends MailboxPadHead
{
    private static final VarHandle HEAD;

    static
    {
        try
        {
            HEAD = MethodHandles.lookup().findVarHandle(MailboxHead.class, "head", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Next slot to take; written by the consumer side only. */
    @SuppressWarnings("unused")
    private volatile long head;

    final long laHead()
    {
        return (long)HEAD.getAcquire(this);
    }

    final long loHead()
    {
        return (long)HEAD.getOpaque(this);
    }

    final void soHead(final long value)
    {
        HEAD.setRelease(this, value);
    }
}

/** Padding between the consumer's line and the producer's. */
abstract class MailboxPadTail extends MailboxHead
{
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The producer's index, published once per turn and read by the consumer. */
abstract class MailboxTailFields extends MailboxPadTail
{
    private static final VarHandle TAIL;

    static
    {
        try
        {
            TAIL = MethodHandles.lookup().findVarHandle(MailboxTailFields.class, "tail", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Next slot the consumer may not read yet; written by the dispatch role holder only. */
    @SuppressWarnings("unused")
    private volatile long tail;

    final long laTail()
    {
        return (long)TAIL.getAcquire(this);
    }

    final long loTail()
    {
        return (long)TAIL.getOpaque(this);
    }

    final void soTail(final long value)
    {
        TAIL.setRelease(this, value);
    }
}

/** Padding after the producer's line: the read-only fields (and the next object) stay off it. */
abstract class MailboxTail extends MailboxTailFields
{
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
