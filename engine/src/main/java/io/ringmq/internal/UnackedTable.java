package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unacknowledged deliveries of one acknowledgement scope (a consumer, or a channel's gets),
 * keyed by delivery tag.
 * <p>
 * One <b>owner</b> thread at a time inserts (the thread delivering for that scope); <b>any</b> thread
 * may claim (ack, nack, reject), lock-free. A tag is claimed at most once, so an ack can never settle
 * a delivery twice, and a stale or unknown tag finds nothing rather than another delivery.
 * <p>
 * <b>Tags come from outside:</b> AMQP numbers deliveries per channel, and a channel's consumers
 * share one sequence, so this table is given each tag; tags inserted into one table only grow, but
 * need not be contiguous (other scopes of the channel took the ones in between).
 * <p>
 * <b>Layout:</b> a power-of-two table of slots, slot = {@code tag & mask}; each slot's state lives in
 * {@code tags[i]}: {@link #FREE}, the tag it holds ({@code > 0}), {@link #CLAIMED} while an acker takes
 * the value out, {@link #EVICTING} while the owner moves it out (below), or {@link #MOVED} once a
 * resize has copied it to a larger table. The table doubles (on the owner's thread) when it becomes
 * half full.
 * <p>
 * <b>Stragglers:</b> when the slot of a new tag is still held by a delivery that is a whole table
 * behind (acknowledged much later than the ones after it), the owner moves that old delivery into a
 * side map, the <em>stragglers</em>, instead of growing the table without bound. Only such deliveries
 * allocate (one map entry each); claims look there only while it is not empty.
 * <p>
 * <b>Memory ordering</b> (accessor names: {@code la} load acquire, {@code lv} load volatile,
 * {@code so} store release, {@code cas}): values are plain array elements published by the release
 * store of their tag ({@link #soTag}), which the acker's {@link #lvTag} or winning {@link #casTag}
 * pairs with; an acker frees a slot with a release store of {@link #FREE}, which the owner's
 * {@link #laTag} pairs with before it reuses the slot. An eviction puts the entry into the map and
 * counts it ({@link #STRAGGLERS}, a volatile read-modify-write) before the release store of
 * {@link #FREE}, so an acker that sees the slot free and then reads the count finds the entry.
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
    /** The owner is moving the slot's delivery to the stragglers; it becomes {@link #FREE} next. */
    static final long EVICTING = -3;

    private static final VarHandle TAGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TABLE;
    private static final VarHandle SIZE;
    private static final VarHandle STRAGGLERS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            TABLE = lookup.findVarHandle(UnackedTable.class, "table", Table.class);
            SIZE = lookup.findVarHandle(UnackedTable.class, "size", int.class);
            STRAGGLERS = lookup.findVarHandle(UnackedTable.class, "stragglerCount", int.class);
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

    /** One delivery moved out of the table: see the class comment. */
    private static final class Straggler
    {
        final Object value;
        final Object context;

        Straggler(final Object value, final Object context)
        {
            this.value = value;
            this.context = context;
        }
    }

    /** Written by the owner with release (in {@link #grow}), read by ackers with acquire. */
    @SuppressWarnings("unused")
    private volatile Table table;
    /** Unacknowledged count, stragglers included: incremented by the owner, decremented by ackers; both atomically. */
    @SuppressWarnings("unused")
    private volatile int size;
    /** Entries in {@link #stragglers}: ackers skip the map while it is 0. */
    @SuppressWarnings("unused")
    private volatile int stragglerCount;
    /** Created by the owner on the first eviction, before the count that publishes it. */
    private volatile ConcurrentHashMap<Long, Straggler> stragglers;
    /** The largest tag inserted; owner only. */
    private long lastTag;

    /**
     * @param expectedUnacked the number of unacknowledged deliveries expected at once (the prefetch);
     *                        the table starts at twice that (at least 16 slots).
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
     * Owner thread only: keeps {@code value}, and a {@code context} handed back with it on claim, under
     * {@code tag}.
     *
     * @param tag greater than every tag inserted before.
     */
    public void insert(final long tag, final E value, final Object context)
    {
        if (tag <= lastTag)
        {
            throw new IllegalArgumentException("delivery tag " + tag + " is not after the last one, " + lastTag);
        }
        Table t = (Table)TABLE.getOpaque(this); // only the owner writes table
        if ((int)SIZE.getVolatile(this) >= (t.mask + 1) >> 1)
        {
            t = grow(t);
        }
        final int index = (int)(tag & t.mask);
        long state;
        while ((state = laTag(t, index)) != FREE)
        {
            if (state > 0)
            {
                evict(t, index, state); // a whole table behind: moved aside, not in the way
            }
            else
            {
                Thread.onSpinWait(); // CLAIMED: an acker is emptying the slot right now
            }
        }
        t.values[index] = value;
        t.contexts[index] = context;
        SIZE.getAndAdd(this, 1);
        soTag(t, index, tag);
        lastTag = tag;
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
            final long state = lvTag(t, index);
            if (state == tag)
            {
                if (casTag(t, index, tag, CLAIMED))
                {
                    final Object value = t.values[index];
                    final Object context = t.contexts[index];
                    t.values[index] = null;
                    t.contexts[index] = null;
                    SIZE.getAndAdd(this, -1);
                    soTag(t, index, FREE); // pairs with the owner's laTag in insert
                    sink.accept(tag, (E)value, context);
                    return true;
                }
            }
            else if (state == MOVED || state == EVICTING)
            {
                Thread.onSpinWait(); // the owner is resizing or evicting: the entry is about to reappear
            }
            else
            {
                return claimStraggler(tag, sink); // another tag, free, or being claimed by someone else
            }
        }
    }

    /**
     * Any thread: claims every held delivery whose tag is at most {@code maxTag} and passes each
     * claimed value, with its tag and context, to {@code sink}, in no particular order. Deliveries
     * inserted while this runs may or may not be included.
     * <p>
     * <b>Cost:</b> the scan starts at {@code maxTag}'s slot and walks down, the way the tags were
     * inserted, and stops as soon as the table holds nothing more (its size, stragglers included, is 0).
     * So the usual {@code multiple} ack at the end of a consumer's batch, which covers everything the
     * scope holds, reads about as many slots as it claims, not the whole table; a scope still holding
     * later tags is scanned in full, as before.
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
            final int start = (int)(maxTag & t.mask);
            for (int n = 0; n <= t.mask; n++)
            {
                if ((int)SIZE.getVolatile(this) == 0)
                {
                    return claimed; // nothing held, not even a straggler: the rest of the scan would find nothing
                }
                final int i = (start - n) & t.mask;
                long state = lvTag(t, i);
                while (state == EVICTING)
                {
                    Thread.onSpinWait(); // lands in the stragglers, which are visited below
                    state = lvTag(t, i);
                }
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
            break;
        }
        if ((int)STRAGGLERS.getVolatile(this) > 0)
        {
            final Iterator<Map.Entry<Long, Straggler>> it = stragglers.entrySet().iterator();
            while (it.hasNext())
            {
                final long tag = it.next().getKey();
                if (tag <= maxTag && claimStraggler(tag, sink))
                {
                    claimed++;
                }
            }
        }
        return claimed;
    }

    /** Receives the deliveries {@link #claim} and {@link #claimUpTo} take out. */
    @FunctionalInterface
    public interface ClaimSink<E>
    {
        void accept(long tag, E value, Object context);
    }

    /** @return deliveries held in the stragglers map (tests). */
    public int stragglerCount()
    {
        return (int)STRAGGLERS.getVolatile(this);
    }

    @SuppressWarnings("unchecked")
    private boolean claimStraggler(final long tag, final ClaimSink<? super E> sink)
    {
        if ((int)STRAGGLERS.getVolatile(this) == 0) // pairs with the count's increment in evict
        {
            return false;
        }
        final Straggler straggler = stragglers.remove(tag);
        if (straggler == null)
        {
            return false;
        }
        STRAGGLERS.getAndAdd(this, -1);
        SIZE.getAndAdd(this, -1);
        sink.accept(tag, (E)straggler.value, straggler.context);
        return true;
    }

    /** Owner only: moves the delivery under {@code tag} at {@code index} to the stragglers, unless an acker claims it first. */
    private void evict(final Table t, final int index, final long tag)
    {
        final Object value = t.values[index]; // visible: the tag was read with acquire
        final Object context = t.contexts[index];
        if (!casTag(t, index, tag, EVICTING))
        {
            return; // an acker claimed it: the slot frees itself
        }
        ConcurrentHashMap<Long, Straggler> map = stragglers;
        if (map == null)
        {
            map = new ConcurrentHashMap<>();
            stragglers = map;
        }
        map.put(tag, new Straggler(value, context));
        STRAGGLERS.getAndAdd(this, 1); // before the slot is freed: see the class comment
        t.values[index] = null;
        t.contexts[index] = null;
        soTag(t, index, FREE);
    }

    private Table grow(final Table old)
    {
        final Table bigger = new Table((old.mask + 1) << 1);
        for (int i = 0; i <= old.mask; i++)
        {
            while (true)
            {
                final long state = lvTag(old, i);
                if (state == CLAIMED)
                {
                    Thread.onSpinWait(); // an acker is emptying this slot
                }
                else if (state == FREE)
                {
                    if (casTag(old, i, FREE, MOVED))
                    {
                        break;
                    }
                }
                else
                {
                    final Object value = old.values[i]; // visible: the tag was read with volatile semantics
                    final Object context = old.contexts[i];
                    if (casTag(old, i, state, MOVED))
                    {
                        // Distinct modulo the old size, so distinct modulo the new one: no collisions.
                        final int index = (int)(state & bigger.mask);
                        bigger.values[index] = value;
                        bigger.contexts[index] = context;
                        bigger.tags[index] = state; // plain: published with the table's release below
                        break;
                    }
                }
            }
        }
        TABLE.setRelease(this, bigger); // pairs with getAcquire in claim and claimUpTo
        return bigger;
    }

    private static long laTag(final Table t, final int index)
    {
        return (long)TAGS.getAcquire(t.tags, index);
    }

    private static long lvTag(final Table t, final int index)
    {
        return (long)TAGS.getVolatile(t.tags, index);
    }

    private static void soTag(final Table t, final int index, final long value)
    {
        TAGS.setRelease(t.tags, index, value);
    }

    private static boolean casTag(final Table t, final int index, final long expected, final long next)
    {
        return TAGS.compareAndSet(t.tags, index, expected, next);
    }

    static int nextPowerOfTwo(final int value)
    {
        return 1 << (32 - Integer.numberOfLeadingZeros(value - 1));
    }
}
