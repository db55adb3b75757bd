package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The unacknowledged deliveries of one consumer, keyed by delivery tag.
 * <p>
 * One <b>owner</b> thread inserts (the consumer thread that delivers); <b>any</b> thread may claim
 * (ack, nack, reject), lock-free. A tag is claimed at most once, so an ack can never settle a
 * delivery twice, and a stale or unknown tag finds nothing rather than another delivery.
 * <p>
 * Layout: a power-of-two table of slots, slot = {@code tag & mask}; each slot's state lives in
 * {@code tags[i]}: {@link #FREE}, the tag it holds ({@code > 0}), {@link #CLAIMED} while an acker
 * takes the value out, or {@link #MOVED} once a resize has copied it to a larger table.
 * Delivery tags are strictly increasing but need not be contiguous: when the next tag's slot is
 * still held by an old unacknowledged delivery the owner skips to the next tag whose slot is free
 * (AMQP only asks tags to grow). Skipped tags are never handed out, so acknowledging one is an
 * unknown-tag error like any other.
 * <p>
 * Values are plain array elements published by the release store of their tag: whoever reads the
 * tag with acquire (or wins a CAS on it) sees the value written before it.
 *
 * @param <E> the value kept per delivery.
 */
public final class UnackedTable<E>
{
    /** The slot holds nothing; the owner may fill it. */
    static final long FREE = 0;
    /** An acker won the slot and is taking its value out; it becomes {@link #FREE} next. */
    static final long CLAIMED = -1;
    /** A resize copied the slot to a larger table: re-read {@link #table}. */
    static final long MOVED = -2;

    private static final VarHandle TAGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TABLE;
    private static final VarHandle SIZE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TABLE = lookup.findVarHandle(UnackedTable.class, "table", Table.class);
            SIZE = lookup.findVarHandle(UnackedTable.class, "size", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final class Table
    {
        final long[] tags;
        final Object[] values;
        final Object[] contexts;
        final int mask;

        Table(final int capacity)
        {
            tags = new long[capacity];
            values = new Object[capacity];
            contexts = new Object[capacity];
            mask = capacity - 1;
        }
    }

    /** Written by the owner with release (in {@link #grow}), read by ackers with acquire. */
    @SuppressWarnings("unused")
    private volatile Table table;
    /** Unacknowledged count: incremented by the owner, decremented by ackers; both atomically. */
    @SuppressWarnings("unused")
    private volatile int size;
    /** The owner's next candidate tag; only the owner reads or writes it. */
    private long nextTag = 1;

    /**
     * @param expectedUnacked the number of unacknowledged deliveries expected at once (the prefetch);
     *                        the table starts at twice that, so that out-of-order acks rarely force a
     *                        skip, and doubles (on the owner thread) whenever it becomes half full.
     */
    public UnackedTable(final int expectedUnacked)
    {
        final int wanted = Math.max(8, expectedUnacked) * 2;
        TABLE.setRelease(this, new Table(nextPowerOfTwo(wanted)));
    }

    /** @return the number of deliveries inserted and not yet claimed. */
    public int size()
    {
        return (int)SIZE.getVolatile(this);
    }

    /**
     * Owner thread only: keeps {@code value}, and a {@code context} handed back with it on claim,
     * under a new tag.
     *
     * @return the delivery tag, always greater than every tag returned before.
     */
    public long insert(final E value, final Object context)
    {
        Table t = (Table)TABLE.getOpaque(this); // only the owner writes table
        if ((int)SIZE.getVolatile(this) >= (t.mask + 1) >> 1)
        {
            t = grow(t);
        }
        long tag = nextTag;
        int index = (int)(tag & t.mask);
        // Acquire pairs with the acker's setRelease(FREE): its clearing of values[index] happens-before our write.
        while ((long)TAGS.getAcquire(t.tags, index) != FREE)
        {
            tag++;
            index = (int)(tag & t.mask);
        }
        t.values[index] = value;
        t.contexts[index] = context;
        SIZE.getAndAdd(this, 1);
        // Release pairs with the acker's CAS / volatile read of the tag: publishes values[index].
        TAGS.setRelease(t.tags, index, tag);
        nextTag = tag + 1;
        return tag;
    }

    /**
     * Any thread: takes the value kept under {@code tag} out of the table and hands it, with its
     * context, to {@code sink} (on this thread, before returning).
     *
     * @return false when the tag is unknown or was already claimed: nothing was passed to the sink.
     */
    @SuppressWarnings("unchecked")
    public boolean claim(final long tag, final ClaimSink<? super E> sink)
    {
        if (tag <= 0)
        {
            return false;
        }
        while (true)
        {
            final Table t = (Table)TABLE.getAcquire(this); // pairs with setRelease in grow
            final int index = (int)(tag & t.mask);
            final long state = (long)TAGS.getVolatile(t.tags, index);
            if (state == tag)
            {
                if (TAGS.compareAndSet(t.tags, index, tag, CLAIMED))
                {
                    final Object value = t.values[index];
                    final Object context = t.contexts[index];
                    t.values[index] = null;
                    t.contexts[index] = null;
                    SIZE.getAndAdd(this, -1);
                    TAGS.setRelease(t.tags, index, FREE); // pairs with the owner's getAcquire in insert
                    sink.accept(tag, (E)value, context);
                    return true;
                }
            }
            else if (state == MOVED)
            {
                Thread.onSpinWait(); // the owner is resizing: the new table is about to be published
            }
            else
            {
                return false; // another tag, free, or this very tag being claimed by someone else
            }
        }
    }

    /**
     * Any thread: claims every held delivery whose tag is at most {@code maxTag} and passes each
     * claimed value, with its tag and context, to {@code sink}, in no particular order. Deliveries inserted
     * while this runs may or may not be included (their tags are larger than any held before).
     *
     * @return how many were claimed.
     */
    public int claimUpTo(final long maxTag, final ClaimSink<? super E> sink)
    {
        int claimed = 0;
        restart:
        while (true)
        {
            final Table t = (Table)TABLE.getAcquire(this);
            for (int i = 0; i <= t.mask; i++)
            {
                final long state = (long)TAGS.getVolatile(t.tags, i);
                if (state == MOVED)
                {
                    Thread.onSpinWait();
                    continue restart; // the rest now lives in a larger table; what we claimed stays claimed
                }
                if (state > 0 && state <= maxTag && claim(state, sink))
                {
                    claimed++;
                }
            }
            return claimed;
        }
    }

    /** Receives the deliveries {@link #claimUpTo} takes out. */
    @FunctionalInterface
    public interface ClaimSink<E>
    {
        void accept(long tag, E value, Object context);
    }

    /** @return the largest tag handed out so far, or 0 (owner thread, or after the owner stopped). */
    public long lastTag()
    {
        return nextTag - 1;
    }

    private Table grow(final Table old)
    {
        final Table bigger = new Table((old.mask + 1) << 1);
        for (int i = 0; i <= old.mask; i++)
        {
            while (true)
            {
                final long state = (long)TAGS.getVolatile(old.tags, i);
                if (state == CLAIMED)
                {
                    Thread.onSpinWait(); // an acker is emptying this slot
                }
                else if (state == FREE)
                {
                    if (TAGS.compareAndSet(old.tags, i, FREE, MOVED))
                    {
                        break;
                    }
                }
                else
                {
                    final Object value = old.values[i]; // visible: the tag was read with volatile semantics
                    final Object context = old.contexts[i];
                    if (TAGS.compareAndSet(old.tags, i, state, MOVED))
                    {
                        final int index = (int)(state & bigger.mask);
                        bigger.values[index] = value;
                        bigger.contexts[index] = context;
                        bigger.tags[index] = state; // plain: published with the table's release below
                        break;
                    }
                }
            }
        }
        TABLE.setRelease(this, bigger); // pairs with getAcquire in claim and forEachTag
        return bigger;
    }

    static int nextPowerOfTwo(final int value)
    {
        return 1 << (32 - Integer.numberOfLeadingZeros(value - 1));
    }
}
