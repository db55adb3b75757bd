package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A bounded, lock-free, multi-producer multi-consumer FIFO ring with one operation JCTools'
 * {@code MpmcArrayQueue} does not offer: {@link #pollIf}, which takes the head only when a
 * condition accepts it, atomically with respect to every other poller.
 * <p>
 * <b>Why not JCTools here:</b> the engine's plain queues use JCTools. A queue with a message TTL
 * also needs a sweeper that removes an expired head while consumers poll the same ring; with
 * {@code poll} alone the sweeper would take a head that is <em>not</em> expired and could not put it
 * back at the head. This ring is the same algorithm (Dmitry Vyukov's bounded MPMC queue, with a
 * sequence per slot), so the condition can be tested between reading the head and claiming it.
 * <p>
 * <b>Algorithm:</b> slot {@code i} starts with sequence {@code i}. A producer at index {@code p}
 * owns slot {@code p & mask} when its sequence is {@code p}: it claims the index by CAS, writes the
 * element, and stores sequence {@code p + 1} with release. A consumer at index {@code c} finds the
 * element published when the sequence is {@code c + 1} (acquire), claims the index by CAS, clears
 * the slot and stores sequence {@code c + capacity} with release, handing the slot to the producer
 * of the next lap. Between the acquire of {@code c + 1} and the consumer-index CAS the element
 * cannot change: only the winner of that CAS may free the slot. That window is where
 * {@link #pollIf} tests its condition.
 * <p>
 * <b>Progress:</b> lock-free, except that a consumer which finds a slot claimed but not yet written
 * by a producer spins until the producer writes it (as JCTools' {@code poll} does); {@link #relaxedPoll}
 * answers null there instead. Producers likewise wait for a slot whose consumer claimed it but has not
 * yet handed it over: {@link #offerBelow} without a bound, {@link #offerRunBelow} for a bounded spin.
 * <p>
 * <b>Closing and limits</b> (for {@link MpmcGrowingRing}, which chains rings of growing size):
 * {@link #close} sets {@link #CLOSED_BIT} in the producer index with one CAS, so every offer after it
 * fails and every offer before it claimed its index before it: what a closed ring holds is final.
 * {@link #offerBelow} claims an index only below a limit it tested <em>for that index</em>, so a bound
 * checked there is exact however many producers race.
 * <p>
 * Accessor names follow JCTools: {@code lv} load volatile, {@code la} load acquire, {@code so}
 * store ordered (release), {@code cas}, {@code lp}/{@code sp} plain.
 *
 * @param <E> the element type; null is not an element.
 */
public final class MpmcRing<E> extends MpmcRingPad2
{
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    /** {@link #offerBelow}: the element is in the ring. */
    public static final int OFFERED = 0;
    /** {@link #offerBelow}: every slot holds an element. */
    public static final int FULL = 1;
    /** {@link #offerBelow}: the ring was {@link #close closed}; it takes nothing any more. */
    public static final int CLOSED = 2;
    /** {@link #offerBelow}: the next index is not below the caller's limit. */
    public static final int LIMITED = 3;

    /**
     * Set in the producer index by {@link #close}: far above any index a ring reaches (2^62 offers), so
     * producers and consumers mask it off and the CAS that claims an index fails once it is set.
     */
    static final long CLOSED_BIT = 1L << 62;

    /**
     * How long {@link #offerRunBelow} waits, in {@link Thread#onSpinWait} turns per call, for consumers to
     * hand over slots they claimed: a hand-over is a few stores after the claim, so a wait much longer than
     * that means a descheduled consumer, and the run stops there (a single offer then waits).
     */
    static final int HAND_OVER_SPINS = 1 << 10;

    private final long[] sequences;
    private final Object[] elements;
    private final int mask;

    /** @param capacity a power of two, at least 2. */
    public MpmcRing(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two >= 2, was " + capacity);
        }
        this.mask = capacity - 1;
        this.elements = new Object[capacity];
        this.sequences = new long[capacity];
        for (int i = 0; i < capacity; i++)
        {
            sequences[i] = i;
        }
        // The constructor's plain writes are published with the ring itself (final fields).
    }

    /** @return the number of slots. */
    public int capacity()
    {
        return mask + 1;
    }

    /**
     * Any thread: appends {@code element}.
     *
     * @param element not null.
     * @return false when the ring is full (or closed).
     */
    public boolean offer(final E element)
    {
        return offerBelow(element, Long.MAX_VALUE) == OFFERED;
    }

    /**
     * Any thread: appends {@code element} if the index it would take is below {@code indexLimit}. The
     * test and the claim are about the same index (the CAS claims exactly the index tested), so a caller
     * that passes a limit no higher than its bound never sees the bound exceeded.
     *
     * @param element    not null.
     * @param indexLimit the first producer index this offer may not take.
     * @return {@link #OFFERED}, {@link #FULL}, {@link #CLOSED} or {@link #LIMITED}.
     */
    public int offerBelow(final E element, final long indexLimit)
    {
        Objects.requireNonNull(element, "element");
        final long[] sequences = this.sequences;
        final int mask = this.mask;
        while (true)
        {
            final long pIndex = lvProducerIndex();
            if ((pIndex & CLOSED_BIT) != 0)
            {
                return CLOSED;
            }
            if (pIndex >= indexLimit)
            {
                return LIMITED;
            }
            final int offset = (int)(pIndex & mask);
            final long sequence = laSequence(sequences, offset);
            if (sequence == pIndex)
            {
                // Fails if another producer took pIndex or close() set CLOSED_BIT since the read above.
                if (casProducerIndex(pIndex, pIndex + 1))
                {
                    spElement(offset, element);
                    soSequence(sequences, offset, pIndex + 1); // pairs with laSequence in poll
                    return OFFERED;
                }
            }
            else if (sequence < pIndex)
            {
                // The slot still holds the element of the previous lap: the ring is full unless its
                // consumer has already claimed it and is about to hand the slot over.
                if (pIndex - (mask + 1) >= lvConsumerIndex())
                {
                    return FULL;
                }
                Thread.onSpinWait();
            }
            // sequence > pIndex: another producer claimed this index; read the index again.
        }
    }

    /**
     * Any thread: appends a run of elements, {@code elements[from..from+count)} in order, claiming their
     * indexes with one CAS of the producer index instead of one per element; appends the longest prefix
     * of the run that lies below {@code indexLimit} and has room as of the consumer index read.
     * <p>
     * <b>Room:</b> from producer index {@code p} and consumer index {@code c}, the run may take
     * {@code n = min(count, capacity, indexLimit - p, c + capacity - p)} slots ({@code c} is read only
     * when a slot of the run is not free, so a run with room does not touch the consumers' line). Each of
     * them is free for this lap, or holds the previous lap's element already claimed by a consumer (its
     * index is below {@code c}) that has not yet handed the slot over, a few stores away. Near full that
     * gap is common (consumers claim a batch, then hand it over slot by slot), so the run waits for the
     * hand-over ({@link #awaitHandOver}, a bounded spin, given up early when the producer index moves)
     * and then claims all {@code n} with one CAS, instead of stopping at the gap and leaving the rest to
     * single offers. A slot whose element no consumer has claimed is outside the room: a full ring answers
     * 0 at once, without waiting.
     * <p>
     * <b>Why it is safe:</b> the run claims {@code [p, p+n)} only after it read, for each of those
     * indexes, the slot's sequence equal to the index (acquire): every slot is free for this lap, its
     * previous element's consumer done with it. Nothing can take such a slot back before the CAS: only a
     * producer that claims the index writes it, and the CAS succeeds only if the producer index is still
     * {@code p} (it only grows, and {@link #close} changes it too). The limit is tested, as in
     * {@link #offerBelow}, on the very indexes the CAS claims, so a bound checked there stays exact.
     * <p>
     * <b>Publication stays per slot:</b> each element is written, then its slot's sequence released, in
     * index order. A consumer of index {@code p+j} waits on that slot's own sequence, so it never reads an
     * element not yet written, and it sees the run's elements in their order as it sees single offers.
     *
     * @param elements   the run's array; none of {@code elements[from..from+count)} may be null.
     * @param from       the index in {@code elements} of the run's first element.
     * @param count      how many elements the run holds.
     * @param indexLimit the first producer index this run may not take.
     * @return how many of the run's first elements are now in the ring, from 0 to {@code count}: 0 when
     * the ring is closed, its next index is not below the limit, or it was full as of the consumer index
     * read; fewer than the room only when a consumer kept a claimed slot longer than the bounded wait
     * (descheduled), and then the prefix before it. A single {@link #offerBelow} then tells which, and
     * waits for a hand-over without a bound.
     */
    public int offerRunBelow(final E[] elements, final int from, final int count, final long indexLimit)
    {
        return offerRunBelow(elements, from, count, indexLimit, HAND_OVER_SPINS);
    }

    /**
     * {@link #offerRunBelow(Object[], int, int, long)} with the hand-over wait's budget as a parameter:
     * tests pass {@link Integer#MAX_VALUE} to wait, in effect, without a bound, whatever the timing.
     */
    int offerRunBelow(final E[] elements, final int from, final int count, final long indexLimit, final int handOverSpins)
    {
        final long[] sequences = this.sequences;
        final int mask = this.mask;
        final int capacity = mask + 1;
        final int most = Math.min(count, capacity);
        for (int j = 0; j < most; j++)
        {
            // Before the claim: a null found after it would leave claimed slots that no one ever publishes.
            Objects.requireNonNull(elements[from + j], "element");
        }
        int spins = handOverSpins; // for the whole call, however many gaps it waits for
        retry:
        while (true)
        {
            final long pIndex = lvProducerIndex();
            if ((pIndex & CLOSED_BIT) != 0 || pIndex >= indexLimit)
            {
                return 0;
            }
            final int wanted = (int)Math.min(most, indexLimit - pIndex);
            int free = 0;
            while (free < wanted && laSequence(sequences, (int)((pIndex + free) & mask)) == pIndex + free)
            {
                free++;
            }
            if (free < wanted)
            {
                // Only now the consumers' line: a run that finds its slots free never reads it. Read after
                // pIndex, so pIndex - cIndex <= capacity and every index below cIndex + capacity had its
                // previous lap's element claimed by a consumer (this volatile read pairs with
                // casConsumerIndex in poll and relaxedPollBatch).
                final long cIndex = lvConsumerIndex();
                final int room = (int)Math.min(wanted, cIndex + capacity - pIndex);
                if (room > free)
                {
                    // [free, room) holds slots claimed but not yet handed over: wait on the last of them (a
                    // batch consumer hands its slots over in index order, so that one comes last), then count
                    // again.
                    long lastIndex = -1;
                    for (int j = free; j < room; j++)
                    {
                        final long index = pIndex + j;
                        final long sequence = laSequence(sequences, (int)(index & mask));
                        if (sequence > index)
                        {
                            continue retry; // another producer claimed index: pIndex is stale
                        }
                        if (sequence < index)
                        {
                            lastIndex = index;
                        }
                    }
                    if (lastIndex < 0)
                    {
                        continue; // the gap was handed over while we looked: count again
                    }
                    spins = awaitHandOver(sequences, lastIndex, pIndex, spins);
                    if (spins > 0)
                    {
                        continue; // handed over, or pIndex moved: read the index and count again
                    }
                    // Waited long enough (the consumer was likely descheduled): take the free prefix, if any.
                }
                // else: the slot at pIndex + free holds an element no consumer has claimed: full from there.
                if (free == 0)
                {
                    return 0; // full as of cIndex (or the consumer descheduled): offerBelow tells which
                }
            }
            // Fails if another producer took pIndex or close() set CLOSED_BIT since the read above.
            if (casProducerIndex(pIndex, pIndex + free))
            {
                for (int j = 0; j < free; j++)
                {
                    final long index = pIndex + j;
                    final int offset = (int)(index & mask);
                    spElement(offset, elements[from + j]);
                    soSequence(sequences, offset, index + 1); // pairs with laSequence in poll
                }
                return free;
            }
        }
    }

    /**
     * Spins until the slot of {@code index} is handed over for this lap (its sequence reaches
     * {@code index}: the consumer's release in poll, paired with this acquire), or the producer index is
     * no longer {@code pIndex} (another producer claimed, or {@link #close}: what was counted is stale), or
     * {@code spins} turns have passed.
     *
     * @return the turns left: 0 when it gave up.
     */
    private int awaitHandOver(final long[] sequences, final long index, final long pIndex, final int spins)
    {
        final int offset = (int)(index & mask);
        int left = spins;
        while (left > 0 && laSequence(sequences, offset) < index && lvProducerIndex() == pIndex)
        {
            Thread.onSpinWait();
            left--;
        }
        return left;
    }

    /**
     * Any thread: no offer succeeds after this returns, and each that succeeded before it is counted in
     * {@link #producerIndex()}, which is final from now on. Idempotent.
     */
    public void close()
    {
        long pIndex;
        do
        {
            pIndex = lvProducerIndex();
        }
        while ((pIndex & CLOSED_BIT) == 0 && !casProducerIndex(pIndex, pIndex | CLOSED_BIT));
    }

    /** @return true once {@link #close} has run. */
    public boolean isClosed()
    {
        return (lvProducerIndex() & CLOSED_BIT) != 0;
    }

    /** Any thread: @return the head, removed, or null when the ring is empty. */
    public E poll()
    {
        return poll(null, false);
    }

    /**
     * Any thread: as {@link #poll}, except that a head claimed by a producer but not yet written answers
     * null instead of being waited for, and so does an empty ring: neither reads the producer index, the
     * line every offer writes. The message being written is simply taken by a later poll.
     *
     * @return the removed head, or null.
     */
    public E relaxedPoll()
    {
        return poll(null, true);
    }

    /**
     * Any thread: removes a run of heads with <em>one</em> claim of the consumer index, as JCTools'
     * {@code drain} and the Disruptor's batch processor amortise their progress: the elements at indexes
     * {@code c .. c+k-1} go to {@code out[offset] .. out[offset+k-1]}, in order, where {@code c} is the
     * consumer index and {@code k} the number of slots from it that hold published elements, at most
     * {@code max} (and the capacity). Relaxed as {@link #relaxedPoll}: it stops at the first slot not yet
     * published (empty, or claimed by a producer still writing it) and reads no producer index.
     * <p>
     * <b>Why one CAS suffices:</b> each slot {@code c+i} was seen holding sequence {@code c+i+1} (acquire)
     * before the CAS of {@code c -> c+k}; the consumer index only grows, so its CAS from {@code c} means no
     * other poller passed {@code c} meanwhile, and only a poller whose CAS passes index {@code c+i} may free
     * slot {@code c+i}: none of the {@code k} elements could change or be taken before the claim. Each
     * slot is then cleared and handed to the next lap's producer in order, one release store each.
     *
     * @param out    where the run goes; entries from {@code offset} on are overwritten.
     * @param offset the first entry of {@code out} to fill.
     * @param max    the most elements to take; 0 or less takes none.
     * @return how many were taken (0: the head is not published, or the ring is empty).
     */
    @SuppressWarnings("unchecked")
    public int relaxedPollBatch(final E[] out, final int offset, final int max)
    {
        final long[] sequences = this.sequences;
        final int mask = this.mask;
        final int bound = Math.min(max, mask + 1);
        while (true)
        {
            final long cIndex = lvConsumerIndex();
            int run = 0;
            while (run < bound)
            {
                final long sequence = laSequence(sequences, (int)((cIndex + run) & mask));
                if (sequence != cIndex + run + 1)
                {
                    break;
                }
                run++;
            }
            if (run == 0)
            {
                if (lvConsumerIndex() != cIndex)
                {
                    continue; // another poller took the head we read: look at the new one
                }
                return 0; // the head is not published: empty, or being written
            }
            if (casConsumerIndex(cIndex, cIndex + run))
            {
                for (int i = 0; i < run; i++)
                {
                    final long index = cIndex + i;
                    final int slot = (int)(index & mask);
                    out[offset + i] = (E)lpElement(slot); // published: acquired above, ours since the CAS
                    spElement(slot, null);
                    soSequence(sequences, slot, index + mask + 1); // pairs with laSequence in offer
                }
                return run;
            }
            // another poller claimed from cIndex first: count again from its index
        }
    }

    /**
     * Any thread: removes and returns the head if {@code condition} accepts it.
     * <p>
     * The condition may be called with an element that another poller takes at the same moment
     * (then this call retries with the new head), so it must have no side effect and must tolerate
     * an element that its taker is already using.
     *
     * @param condition null accepts every element.
     * @return the removed head, or null when the ring is empty or the condition refused its head.
     */
    public E pollIf(final Predicate<? super E> condition)
    {
        return poll(condition, false);
    }

    @SuppressWarnings("unchecked")
    private E poll(final Predicate<? super E> condition, final boolean relaxed)
    {
        final long[] sequences = this.sequences;
        final int mask = this.mask;
        while (true)
        {
            final long cIndex = lvConsumerIndex();
            final int offset = (int)(cIndex & mask);
            final long sequence = laSequence(sequences, offset);
            final long published = cIndex + 1;
            if (sequence == published)
            {
                // Visible: the acquire above pairs with the producer's release of this sequence. Only
                // the winner of the CAS below clears it, so if we win, this is the element we take.
                final E element = (E)lpElement(offset);
                if (element == null)
                {
                    continue; // another poller won and cleared it: the index has moved
                }
                if (condition != null && !condition.test(element))
                {
                    if (lvConsumerIndex() == cIndex)
                    {
                        return null; // the head, still the head, is refused
                    }
                    continue; // we tested a head someone else took: test the new one
                }
                if (casConsumerIndex(cIndex, published))
                {
                    spElement(offset, null);
                    soSequence(sequences, offset, cIndex + mask + 1); // pairs with laSequence in offer
                    return element;
                }
            }
            else if (sequence < published)
            {
                // Not yet written: empty, unless a producer has claimed the index and is writing it.
                if (relaxed || cIndex >= lvProducerIndexMasked())
                {
                    return null;
                }
                Thread.onSpinWait();
            }
            // sequence > published: another poller took this index; read the index again.
        }
    }

    /** @return how many offers this ring has accepted since it was created (its producer index). */
    public long producerIndex()
    {
        return lvProducerIndexMasked();
    }

    /** @return how many polls have taken an element since the ring was created (its consumer index). */
    public long consumerIndex()
    {
        return lvConsumerIndex();
    }

    /** @return true when no element is in the ring (a snapshot). */
    public boolean isEmpty()
    {
        return lvConsumerIndex() >= lvProducerIndexMasked();
    }

    /** @return the number of elements, a consistent snapshot of the two indexes. */
    public int size()
    {
        long after = lvConsumerIndex();
        while (true)
        {
            final long before = after;
            final long pIndex = lvProducerIndexMasked();
            after = lvConsumerIndex();
            if (before == after)
            {
                final long size = pIndex - after;
                return (int)Math.max(0, Math.min(size, mask + 1L));
            }
        }
    }

    /** @return the producer index without {@link #CLOSED_BIT}. */
    private long lvProducerIndexMasked()
    {
        return lvProducerIndex() & ~CLOSED_BIT;
    }

    private Object lpElement(final int offset)
    {
        return elements[offset];
    }

    private void spElement(final int offset, final Object element)
    {
        elements[offset] = element;
    }

    private static long laSequence(final long[] sequences, final int offset)
    {
        return (long)SEQUENCE.getAcquire(sequences, offset);
    }

    private static void soSequence(final long[] sequences, final int offset, final long value)
    {
        SEQUENCE.setRelease(sequences, offset, value);
    }
}

/** Cache-line padding before the producer index: keeps it off the line of the object header and of whatever precedes it. */
abstract class MpmcRingPad0
{
    long p00, p01, p02, p03, p04, p05, p06, p07;
}

/** The producer index: written by producers only (CAS), read by consumers to tell empty from in-flight. */
abstract class MpmcRingProducerIndex extends MpmcRingPad0
{
    private static final VarHandle PRODUCER_INDEX;

    static
    {
        try
        {
            PRODUCER_INDEX = MethodHandles.lookup().findVarHandle(MpmcRingProducerIndex.class, "producerIndex", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile long producerIndex;

    final long lvProducerIndex()
    {
        return (long)PRODUCER_INDEX.getVolatile(this);
    }

    final boolean casProducerIndex(final long expected, final long next)
    {
        return PRODUCER_INDEX.compareAndSet(this, expected, next);
    }
}

/** Padding between the two indexes: producers and consumers CAS them from different threads. */
abstract class MpmcRingPad1 extends MpmcRingProducerIndex
{
    long p10, p11, p12, p13, p14, p15, p16, p17;
}

/** The consumer index: written by consumers only (CAS), read by producers to tell full from in-flight. */
abstract class MpmcRingConsumerIndex extends MpmcRingPad1
{
    private static final VarHandle CONSUMER_INDEX;

    static
    {
        try
        {
            CONSUMER_INDEX = MethodHandles.lookup().findVarHandle(MpmcRingConsumerIndex.class, "consumerIndex", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile long consumerIndex;

    final long lvConsumerIndex()
    {
        return (long)CONSUMER_INDEX.getVolatile(this);
    }

    final boolean casConsumerIndex(final long expected, final long next)
    {
        return CONSUMER_INDEX.compareAndSet(this, expected, next);
    }
}

/** Padding after the consumer index: the ring's final fields, read by every thread, sit on their own line. */
abstract class MpmcRingPad2 extends MpmcRingConsumerIndex
{
    long p20, p21, p22, p23, p24, p25, p26, p27;
}
