package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded, lock-free, multi-producer multi-consumer FIFO queue that holds at most {@code capacity}
 * elements but starts small: its memory grows with what it has held, not with its bound. An idle
 * queue costs one small {@link MpmcRing} instead of a ring of {@code capacity} slots and sequences
 * (8,192 slots: 96 KB), so a broker can hold its queues by the hundred thousand.
 * <p>
 * <b>Stages:</b> elements live in a chain of {@link MpmcRing}s, each {@link #GROWTH} times larger than
 * the one before, up to {@code capacity}. Producers offer to the newest ring. One that finds it full
 * (below the bound) {@link MpmcRing#close closes} it, links a larger ring after it and offers there;
 * consumers take from the oldest ring until it is closed and empty, then move on to the next, and the
 * old ring becomes garbage. A ring is never reused, so no stale reader can mistake it for another one
 * (no ABA); a queue that reached its full size keeps that one ring and allocates nothing more.
 * <p>
 * <b>Order:</b> the close is a CAS on the producer index of the ring, so each offer to a ring happened
 * before its close or fails; an offer to the next ring happens after the close. A publisher's elements
 * therefore sit in rings in the order it offered them, and consumers drain one ring completely (waiting
 * for offers claimed but still being written) before the next: per-producer FIFO and exactly-once are
 * those of {@link MpmcRing} itself.
 * <p>
 * <b>The bound:</b> every element has a <em>global index</em>, its ring's {@code base} (elements offered
 * to the rings before it) plus its index in the ring; consumers likewise. An offer may take global index
 * {@code g} only while {@code g - consumed < capacity}. Producers test against a cached limit
 * ({@code consumed + capacity} when last read) and re-read the consumers' progress only when they reach
 * it, so a publish does not read the consumers' cache lines while the queue has room. The test is made
 * on the very index the ring's CAS then claims ({@link MpmcRing#offerBelow}), and the cached limit is
 * never above the true one (the consumers' progress only grows), so the bound is exact for any number
 * of racing producers: the queue never holds more than {@code capacity}. An offer is refused only when
 * the queue was full as of the consumers' progress it just read (as a single ring's full check reads
 * its consumer index), so a {@code block} publisher waits only on a full queue.
 * <p>
 * Accessor names follow JCTools: {@code lv} load volatile, {@code la} load acquire, {@code so} store
 * ordered (release), {@code cas}, {@code lp}/{@code sp} plain.
 *
 * @param <E> the element type; null is not an element.
 */
public final class MpmcGrowingRing<E> extends MpmcGrowingRingPad1
{
    /** Slots of the first ring, unless the capacity is smaller. */
    public static final int INITIAL_CAPACITY = 16;
    /** Each ring is this many times larger than the one before (up to the capacity). */
    public static final int GROWTH = 4;

    private final int capacity;

    /**
     * @param capacity the most elements the queue holds: a power of two, at least 2.
     */
    public MpmcGrowingRing(final int capacity)
    {
        this(Math.min(INITIAL_CAPACITY, capacity), capacity);
    }

    /**
     * @param initialCapacity the first ring's slots: a power of two from 2 to {@code capacity}.
     * @param capacity        the most elements the queue holds: a power of two, at least 2.
     */
    public MpmcGrowingRing(final int initialCapacity, final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        if (initialCapacity > capacity)
        {
            throw new IllegalArgumentException("initial capacity " + initialCapacity + " above capacity " + capacity);
        }
        this.capacity = capacity;
        final Stage<E> first = new Stage<>(new MpmcRing<>(initialCapacity), 0);
        initStages(first, capacity);
    }

    /** @return the most elements this queue holds. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * Any thread: appends {@code element} unless the queue holds {@code capacity} elements.
     *
     * @param element not null.
     * @return false when the queue is full.
     */
    @SuppressWarnings("unchecked")
    public boolean offer(final E element)
    {
        Stage<E> stage = (Stage<E>)lvProducerStage();
        long limit = lpProducerLimit();
        boolean refreshed = false;
        while (true)
        {
            final MpmcRing<E> ring = stage.ring;
            switch (ring.offerBelow(element, limit - stage.base))
            {
                case MpmcRing.OFFERED:
                    return true;
                case MpmcRing.LIMITED:
                    if (refreshed)
                    {
                        return false; // at the bound with the consumers' progress just read
                    }
                    limit = consumed() + capacity;
                    spProducerLimit(limit); // racy, but every value ever written is at most the true limit
                    refreshed = true;
                    break;
                case MpmcRing.FULL:
                    if (ring.capacity() == capacity)
                    {
                        return false; // the last ring is full: the queue holds capacity elements
                    }
                    ring.close(); // grow: what this ring holds is final from here
                    stage = next(stage);
                    break;
                case MpmcRing.CLOSED:
                default:
                    stage = next(stage);
                    break;
            }
        }
    }

    /**
     * Any thread: appends a run, {@code elements[from..from+count)} in order, while the queue has room:
     * each part that fits into the newest ring and below the cached limit goes in with one CAS
     * ({@link MpmcRing#offerRunBelow}). The first time in a call that a run stops at the cached limit,
     * the consumers' progress is re-read (the cached limit refreshed) and the run tried again; where a
     * part still does not fit (the ring full, closed, or the limit reached again) one element goes through
     * {@link #offer}, which grows the queue or re-reads the consumers' progress, and the run goes on after
     * it. A run never crosses a ring's end or its close: each claim is one ring's, tested against that
     * ring's base, so the bound stays exact (the limit passed down is the cached one, never above the true
     * one) and the order is that of single offers.
     *
     * @param elements the run's array; none of {@code elements[from..from+count)} may be null.
     * @param from     the index in {@code elements} of the run's first element.
     * @param count    how many elements the run holds.
     * @return how many of the run's first elements are in the queue, from 0 to {@code count}; fewer than
     * {@code count} only when the queue was full as of the consumers' progress just read.
     */
    @SuppressWarnings("unchecked")
    public int offerRun(final E[] elements, final int from, final int count)
    {
        int offered = 0;
        boolean refreshed = false;
        while (offered < count)
        {
            final Stage<E> stage = (Stage<E>)lvProducerStage();
            final MpmcRing<E> ring = stage.ring;
            final long limit = lpProducerLimit();
            final int claimed = ring.offerRunBelow(elements, from + offered, count - offered, limit - stage.base);
            offered += claimed;
            if (offered == count)
            {
                break;
            }
            if (!refreshed && stage.base + ring.producerIndex() >= limit)
            {
                // Stopped at the cached limit, which may lag the consumers: re-read their progress once and
                // run again, rather than leaving the rest to single offers. The new limit is at most the true
                // one (the consumers' progress only grows), so the bound stays exact.
                spProducerLimit(consumed() + capacity); // racy, as in offer: any value written is at most the true limit
                refreshed = true;
            }
            else if (claimed > 0)
            {
                continue; // the ring had less room than the run: try the rest, which re-reads it
            }
            else if (offer(elements[from + offered]))
            {
                offered++;
            }
            else
            {
                return offered;
            }
        }
        return offered;
    }

    /** A producer found {@code stage} closed: the stage after it, linked and made the producers' stage if no one did. */
    @SuppressWarnings("unchecked")
    private Stage<E> next(final Stage<E> stage)
    {
        Stage<E> next = stage.lvNext();
        if (next == null)
        {
            final int size = Math.min(stage.ring.capacity() * GROWTH, capacity);
            // The ring is closed: its producer index is final, and so is the base of the next ring.
            final Stage<E> grown = new Stage<>(new MpmcRing<>(size), stage.base + stage.ring.producerIndex());
            next = stage.casNext(grown) ? grown : stage.lvNext();
        }
        casProducerStage(stage, next); // before any offer to it: acceptedCount() then sees every such offer
        return next;
    }

    /**
     * Any thread: the head, removed; null when the queue is empty, or when its head is claimed by a
     * producer but not yet written (see {@link MpmcRing#relaxedPoll}). Reads no producer index when the
     * queue is empty.
     */
    @SuppressWarnings("unchecked")
    public E relaxedPoll()
    {
        final Stage<E> stage = (Stage<E>)lvConsumerStage();
        final E element = stage.ring.relaxedPoll();
        return element != null ? element : pollAfter(stage, true);
    }

    /**
     * Any thread: up to {@code max} heads, removed in order, with one claim of a ring's consumer index per
     * ring they come from (see {@link MpmcRing#relaxedPollBatch}); relaxed as {@link #relaxedPoll}: it stops
     * at the newest ring's first head not yet published. A claim never spans two rings: when the run ends
     * at a closed ring's end, the consumers move on as {@link #relaxedPoll} does (the closed ring drained
     * first, a head still being written there waited for) and the batch goes on with the next ring. So
     * while the queue does not grow, a batch is one claim and reads nothing but the consumers' ring.
     *
     * @param out    where the heads go, from {@code offset} on, in order.
     * @param offset the first entry of {@code out} to fill.
     * @param max    the most elements to take.
     * @return how many were taken; 0 when the queue is empty or its head is being written.
     */
    @SuppressWarnings("unchecked")
    public int relaxedPollBatch(final E[] out, final int offset, final int max)
    {
        Stage<E> stage = (Stage<E>)lvConsumerStage();
        int taken = 0;
        while (taken < max)
        {
            taken += stage.ring.relaxedPollBatch(out, offset + taken, max - taken);
            if (taken == max)
            {
                break;
            }
            final Stage<E> next = stage.lvNext();
            if (next == null)
            {
                break; // the newest ring: its run ended at a head not yet published
            }
            // Closed: what it holds is final. A head still being written is waited for, as pollAfter does.
            final E element = stage.ring.poll();
            if (element != null)
            {
                out[offset + taken++] = element;
                continue;
            }
            casConsumerStage(stage, next); // drained for good; fails only if another consumer moved on first
            stage = next;
        }
        return taken;
    }

    /** Any thread: the head, removed, or null when the queue is empty (waits for a head being written). */
    @SuppressWarnings("unchecked")
    public E poll()
    {
        final Stage<E> stage = (Stage<E>)lvConsumerStage();
        final E element = stage.ring.poll();
        return element != null ? element : pollAfter(stage, false);
    }

    /**
     * {@code stage}'s ring answered null. If it has a successor it is closed, and what it still holds is
     * final: drain that (waiting for heads being written) and only then move the consumers on.
     */
    private E pollAfter(Stage<E> stage, final boolean relaxed)
    {
        while (true)
        {
            final Stage<E> next = stage.lvNext();
            if (next == null)
            {
                return null; // the newest ring, empty
            }
            E element = stage.ring.poll();
            if (element != null)
            {
                return element;
            }
            casConsumerStage(stage, next); // drained for good; fails only if another consumer moved on first
            stage = next;
            element = relaxed ? stage.ring.relaxedPoll() : stage.ring.poll();
            if (element != null)
            {
                return element;
            }
        }
    }

    /** @return true when the queue holds no element (a snapshot). */
    @SuppressWarnings("unchecked")
    public boolean isEmpty()
    {
        for (Stage<E> stage = (Stage<E>)lvConsumerStage(); stage != null; stage = stage.lvNext())
        {
            if (!stage.ring.isEmpty())
            {
                return false;
            }
        }
        return true;
    }

    /** @return the number of elements, approximate under concurrency, from 0 to the capacity. */
    public int size()
    {
        final long consumed = consumed();
        final long size = producerIndex() - consumed;
        return (int)Math.max(0, Math.min(size, capacity));
    }

    /**
     * @return how many offers the queue has accepted since it was created: exact once they returned
     * (an offer moves the producers' stage on before it offers to a new ring).
     */
    @SuppressWarnings("unchecked")
    public long producerIndex()
    {
        final Stage<E> stage = (Stage<E>)lvProducerStage();
        return stage.base + stage.ring.producerIndex();
    }

    /**
     * @return how many elements consumers have taken, as of the read of the consumers' ring index: a
     * consumer takes from a ring only once the consumers' stage has moved to it, so the stage unchanged
     * around that read means no take was elsewhere.
     */
    @SuppressWarnings("unchecked")
    private long consumed()
    {
        Stage<E> stage = (Stage<E>)lvConsumerStage();
        while (true)
        {
            final long taken = stage.ring.consumerIndex();
            final Stage<E> again = (Stage<E>)lvConsumerStage();
            if (again == stage)
            {
                return stage.base + taken;
            }
            stage = again; // moved on meanwhile (it only moves forward, a few times in a queue's life)
        }
    }

    /** @return the slots of the ring producers offer to now (tests, footprint). */
    @SuppressWarnings("unchecked")
    public int currentRingCapacity()
    {
        return ((Stage<E>)lvProducerStage()).ring.capacity();
    }

    /** One ring of the chain, with the global index of its first element. */
    static final class Stage<E>
    {
        private static final VarHandle NEXT;

        static
        {
            try
            {
                NEXT = MethodHandles.lookup().findVarHandle(Stage.class, "next", Stage.class);
            }
            catch (final ReflectiveOperationException ex)
            {
                throw new ExceptionInInitializerError(ex);
            }
        }

        final MpmcRing<E> ring;
        /** Elements offered to the rings before this one. */
        final long base;
        /** Linked once, after this ring was closed. */
        @SuppressWarnings("unused")
        private volatile Stage<E> next;

        Stage(final MpmcRing<E> ring, final long base)
        {
            this.ring = ring;
            this.base = base;
        }

        @SuppressWarnings("unchecked")
        Stage<E> lvNext()
        {
            return (Stage<E>)NEXT.getVolatile(this);
        }

        boolean casNext(final Stage<E> next)
        {
            return NEXT.compareAndSet(this, null, next);
        }
    }
}

/** Cache-line padding before the producers' fields. */
abstract class MpmcGrowingRingPad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/**
 * What every offer reads: the producers' stage and the cached limit. Written only when the queue grows
 * or a producer reaches the limit, so the line stays shared-clean in the producers' caches.
 */
abstract class MpmcGrowingRingProducerFields extends MpmcGrowingRingPad0
{
    private static final VarHandle PRODUCER_STAGE;
    private static final VarHandle PRODUCER_LIMIT;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            PRODUCER_STAGE = lookup.findVarHandle(MpmcGrowingRingProducerFields.class, "producerStage", Object.class);
            PRODUCER_LIMIT = lookup.findVarHandle(MpmcGrowingRingProducerFields.class, "producerLimit", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile Object producerStage;
    /** A global index offers stay below: the consumers' progress plus the capacity, when last read. */
    @SuppressWarnings("unused")
    private long producerLimit;

    /** Constructor only. */
    final void initProducer(final Object first, final long limit)
    {
        PRODUCER_LIMIT.setOpaque(this, limit);
        PRODUCER_STAGE.setVolatile(this, first); // after the limit: a reader of the stage sees the limit too
    }

    final Object lvProducerStage()
    {
        return PRODUCER_STAGE.getVolatile(this);
    }

    final void casProducerStage(final Object expected, final Object next)
    {
        PRODUCER_STAGE.compareAndSet(this, expected, next);
    }

    /** Opaque: no ordering needed, as any value ever written is at most the true limit. */
    final long lpProducerLimit()
    {
        return (long)PRODUCER_LIMIT.getOpaque(this);
    }

    final void spProducerLimit(final long limit)
    {
        PRODUCER_LIMIT.setOpaque(this, limit);
    }
}

/** Padding between the producers' fields and the consumers' stage, written by different threads. */
abstract class MpmcGrowingRingPad1Base extends MpmcGrowingRingProducerFields
{
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumers' stage: moved on by the consumer that drains a closed ring. */
abstract class MpmcGrowingRingConsumerFields extends MpmcGrowingRingPad1Base
{
    private static final VarHandle CONSUMER_STAGE;

    static
    {
        try
        {
            CONSUMER_STAGE = MethodHandles.lookup().findVarHandle(MpmcGrowingRingConsumerFields.class, "consumerStage", Object.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile Object consumerStage;

    final Object lvConsumerStage()
    {
        return CONSUMER_STAGE.getVolatile(this);
    }

    final void casConsumerStage(final Object expected, final Object next)
    {
        CONSUMER_STAGE.compareAndSet(this, expected, next);
    }

    /** Constructor only: both stages start at the first ring, and offers below the capacity. */
    final void initStages(final Object first, final int capacity)
    {
        CONSUMER_STAGE.setVolatile(this, first);
        initProducer(first, capacity);
    }
}

/** Padding after the consumers' stage. */
abstract class MpmcGrowingRingPad1 extends MpmcGrowingRingConsumerFields
{
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
