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
 * <p>Immutable and persistent: chunks of {@value #CHUNK} slots under one top array, so a writer that
 * declares or deletes a queue copies the top array and one chunk ({@code n / 512 + 512} references at
 * {@code n} queues), never all of them; a lookup is two array loads. An older snapshot keeps its own
 * chunks, so a recycled id still reads, in that snapshot, the queue it had there.
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
