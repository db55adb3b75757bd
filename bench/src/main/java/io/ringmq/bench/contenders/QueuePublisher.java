package io.ringmq.bench.contenders;

import java.util.Queue;

/**
 * Publishes pooled envelopes into one queue, or into each of several queues for fanout; shared by the
 * bare-queue contenders (JCTools, {@code ArrayBlockingQueue}) so that they differ only in the queue.
 *
 * <p>When the pool alone proves an envelope free: an envelope is reused after {@code 2 * capacity}
 * accepted messages. If every queue has a single consumer (1→1, 2→1, fanout), a consumer that has taken the
 * envelope but not yet read it holds up its own queue: at most {@code capacity} newer messages fit in behind
 * it, so the publisher cannot lap the pool.
 *
 * <p>When it does not (competing consumers, {@code gated}): while one consumer is preempted between taking
 * an envelope and reading it, the other keeps draining the shared queue and the publisher could lap the pool
 * and overwrite it (the contract test caught exactly that). There each consumer {@link PooledMessage#release()}s
 * the envelope after reading it, and the publisher refuses, as if full, until the envelope it would reuse is
 * released.
 *
 * <p>Single publisher thread.
 */
final class QueuePublisher implements Publisher
{
    private final Queue<PooledMessage>[] queues;
    private final PooledMessage[] pool;
    private final int mask;
    private final boolean gated;
    private long cursor;
    /** Under fanout: the first queue that has not yet accepted the current envelope. */
    private int pendingQueue;
    /** The envelope at {@code cursor} is ours (checked, claimed, sequence written) until all queues take it. */
    private boolean owned;

    QueuePublisher(final int capacity, final boolean gated, final Queue<PooledMessage>[] queues)
    {
        this.queues = queues;
        this.gated = gated;
        final int poolSize = 2 * Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
        this.pool = new PooledMessage[poolSize];
        for (int i = 0; i < poolSize; i++)
        {
            pool[i] = new PooledMessage();
        }
        this.mask = poolSize - 1;
    }

    @Override
    public boolean offer(final long sequence)
    {
        final PooledMessage message = pool[(int) (cursor & mask)];
        if (!owned)
        {
            if (gated)
            {
                if (!message.isReleased())
                {
                    return false;
                }
                message.claim();
            }
            // Not yet in any queue, and no longer read by anyone: safe to (re)write. Retries offer the
            // same sequence (the Publisher contract), so it is written once.
            message.sequence = sequence;
            owned = true;
        }
        final Queue<PooledMessage>[] queues = this.queues;
        for (int next = pendingQueue; next < queues.length; next++)
        {
            if (!queues[next].offer(message))
            {
                pendingQueue = next;
                return false;
            }
        }
        pendingQueue = 0;
        owned = false;
        cursor++;
        return true;
    }
}
