package io.ringmq.routing.table;

import java.util.Arrays;

/**
 * The queues of one snapshot by {@link QueueNode#id}: how a {@link DestinationSet}, which records
 * only the ids a route reached, turns them back into queues of that same snapshot.
 *
 * <p>Why the set records ids and not the queues: the set lives as long as its publishing thread, so
 * under G1 it sits in an old region, and every reference stored into it may run the post-write
 * barrier's StoreLoad fence (the card of an old object is not young), which makes the next route's
 * loads wait. An {@code int} store has no barrier.
 *
 * <p>Persistent: chunks of {@value #CHUNK} slots under one top array, and a lookup is two array
 * loads. Deleting a queue, or reusing a recycled id, copies the top array and that id's chunk
 * ({@code n / 512 + 512} references at {@code n} queues), never all of them, so an older snapshot
 * keeps its own chunks and a recycled id still reads, in that snapshot, the queue it had there.
 * A queue with an id never handed out before is written <em>in place</em> (see {@link #withNew}):
 * no snapshot published so far holds that id, so none of their routes reads that slot, and declaring
 * 100,000 queues costs no copying beyond a new top array per {@value #CHUNK} ids.
 *
 * <p>Writer-only updates (under the table's writer lock); readers get an instance through a
 * snapshot, whose release store publishes the plain stores made before it.
 */
final class QueuesById<Q>
{
    private static final int SHIFT = 9;
    static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;

    @SuppressWarnings("rawtypes")
    private static final QueuesById EMPTY = new QueuesById<>(new Object[0][]);

    private final Object[][] chunks;

    private QueuesById(final Object[][] chunks)
    {
        this.chunks = chunks;
    }

    @SuppressWarnings("unchecked")
    static <Q> QueuesById<Q> empty()
    {
        return (QueuesById<Q>) EMPTY;
    }

    /**
     * @param id the id of a queue of this snapshot (one a route of this snapshot reached).
     * @return its queue.
     */
    @SuppressWarnings("unchecked")
    Q get(final int id)
    {
        return (Q) chunks[id >>> SHIFT][id & MASK];
    }

    /**
     * @param id an id no {@code with}/{@code withNew} was ever given (above every id handed out before).
     * @return these queues and {@code queue} at {@code id}: this instance, written in place, unless
     *         {@code id} needs a new chunk.
     */
    QueuesById<Q> withNew(final int id, final Q queue)
    {
        final int chunk = id >>> SHIFT;
        if (chunk < chunks.length && chunks[chunk] != null)
        {
            // No published snapshot reaches this id, so no route reads the slot: no copy needed.
            chunks[chunk][id & MASK] = queue;
            return this;
        }
        return with(id, queue);
    }

    /** @return a copy with {@code queue} at {@code id} ({@code null} clears it, so a deleted queue is not kept reachable). */
    QueuesById<Q> with(final int id, final Q queue)
    {
        final int chunk = id >>> SHIFT;
        final Object[][] nextChunks = Arrays.copyOf(chunks, Math.max(chunks.length, chunk + 1));
        final Object[] old = nextChunks[chunk];
        final Object[] nextChunk = old == null ? new Object[CHUNK] : old.clone();
        nextChunk[id & MASK] = queue;
        nextChunks[chunk] = nextChunk;
        return new QueuesById<>(nextChunks);
    }
}
