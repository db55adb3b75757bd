package io.ringmq;

/**
 * What one batched take from a queue returns ({@link QueueStorage#takeBatch}): messages in queue order,
 * each with whether it was delivered before and its {@link DeliveryOrigin}, between the take and their
 * delivery. One reusable instance per consumer, made on its first take, so taking allocates nothing.
 * <p>
 * <b>Fresh messages cost one store:</b> a message taken fresh from the queue's ring is only its
 * envelope (the ring writes the run straight into {@link #envelopes}); its origin entry stays null,
 * meaning "this queue, never delivered". Only a message that came back (or one taken by a storage
 * without runs) has its origin and flag written. Entries are cleared as they are taken out
 * ({@link #clear}), so a null origin is never stale and nothing stays reachable.
 * <p>
 * Delivering thread only; a stopper reads it after the agent's {@code delivering} handshake.
 */
final class TakenBatch
{
    final Envelope[] envelopes;
    /** Null for a message taken fresh from the queue; else where it came back from. */
    final DeliveryOrigin[] origins;
    /** Meaningful only where the origin is set: a fresh message was never delivered. */
    final boolean[] redelivered;
    /** For storages that fill a batch with single takes. */
    final Taken scratch = new Taken();
    /** Entries filled, from 0. */
    int size;

    TakenBatch(final int capacity)
    {
        envelopes = new Envelope[capacity];
        origins = new DeliveryOrigin[capacity];
        redelivered = new boolean[capacity];
    }

    /** Appends what one take returned. */
    void add(final Taken taken)
    {
        envelopes[size] = taken.envelope;
        origins[size] = taken.origin;
        redelivered[size] = taken.redelivered;
        size++;
    }

    /** Appends a message from a queue's returned side. */
    void add(final Returned returned)
    {
        envelopes[size] = returned.envelope;
        origins[size] = returned;
        redelivered[size] = returned.redelivered;
        size++;
    }

    /** Drops entry {@code index}'s references (its flag is meaningless once the origin is null). */
    void clear(final int index)
    {
        envelopes[index] = null;
        if (origins[index] != null)
        {
            origins[index] = null;
        }
    }
}
