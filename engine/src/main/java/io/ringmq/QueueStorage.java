package io.ringmq;

/**
 * Where one queue keeps its ready messages: the one switch between a plain queue and a queue with
 * policies, chosen once, when the queue is declared ({@link PlainStorage}, {@link PolicyStorage}).
 * {@link MessageQueue} holds the queue's identity, consumers and counts and delegates every storage
 * operation here, so neither side tests which kind of queue it is.
 * <p>
 * Every operation is lock-free and may be called from any thread. Nothing here waits: a publisher
 * that finds no room is told so ({@link #NO_ROOM}) and waits, or holds the message, in
 * {@link MessageQueue#offer}.
 */
interface QueueStorage
{
    /** {@link #offer}: the queue took the message and holds one reference on it. */
    int ACCEPTED = 0;
    /** {@link #offer}: the queue refused it for good (its overflow policy says reject); the caller still holds it. */
    int REFUSED = 1;
    /** {@link #offer}: a {@code block} queue is full now; the caller may retry, wait or hold it. */
    int NO_ROOM = 2;

    /**
     * Offers a newly published message under the queue's limits and overflow policy; never waits.
     *
     * @param result where messages dropped from the head (drop-head) are counted.
     * @return {@link #ACCEPTED}, {@link #REFUSED} or {@link #NO_ROOM}.
     */
    int offer(Envelope envelope, PublishResult result);

    /**
     * Offers a run of newly published messages, {@code envelopes[from..from+count)} in order, as far as they go
     * in at once: the storage's fast path for a batch publish. It takes the longest prefix it has room
     * for and leaves the rest to {@link #offer}, one by one, which applies the overflow policy; a
     * storage that has no such path takes none. Never waits, never refuses or drops anything itself.
     *
     * @return how many of the run's first messages it took (and now holds one reference on each), from 0 to {@code count}.
     */
    int offerRun(Envelope[] envelopes, int from, int count);

    /**
     * Takes the next message due: returned ones first, a priority queue's highest level first. Expired
     * messages met on the way are dropped or dead-lettered, never returned.
     *
     * @return false when nothing is ready; else {@code out} holds the message, and the caller the queue's reference.
     */
    boolean take(Taken out);

    /**
     * Takes up to {@code max} messages due, in the order {@link #take} would take them one by one, appending
     * them to {@code out} from {@code out.size}: one consumer's batch. Unlike {@link #take}, expired
     * messages may be among them: the caller checks each at its turn ({@link StoredQueue#dropIfExpired}),
     * as a message may also expire while the batch is delivered. By default a loop of {@link #take}; a
     * plain queue claims a run of its ring at once.
     *
     * @param max at most the space left in {@code out}.
     * @return how many were appended; 0 when nothing is ready.
     */
    default int takeBatch(final TakenBatch out, final int max)
    {
        final Taken taken = out.scratch;
        int n = 0;
        while (n < max && take(taken))
        {
            out.add(taken);
            taken.clear();
            n++;
        }
        return n;
    }

    /**
     * Puts a message back ahead of those never delivered (at its priority level); never refused. A
     * length-limited {@code drop-head} queue that this takes past its limit drops heads, as RabbitMQ does.
     */
    void putBack(Returned returned);

    boolean hasMessages();

    /** @return ready messages, approximate under concurrency. */
    int messageCount();

    /** @return offers this storage accepted since it was created (what was published into the queue; returns not counted). */
    long acceptedCount();

    /** Removes every ready message, releasing each (purge, deletion). @return how many. */
    int drain();

    /** Removes the expired messages at the heads (the broker's sweeper); nothing for a queue that cannot expire them there. */
    void sweepExpired();
}
