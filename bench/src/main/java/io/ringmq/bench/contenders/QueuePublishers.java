package io.ringmq.bench.contenders;

import java.util.Queue;

/**
 * The pooled-envelope publisher of the bare-queue contenders ({@link QueuePublisher}), for benchmarks outside
 * this package that wire a queue to a consumer thread of their own.
 */
public final class QueuePublishers
{
    private QueuePublishers()
    {
    }

    /**
     * A publisher into one queue that has a single consumer: an envelope is reused only after
     * {@code 2 * capacity} newer messages were accepted, which a queue of that capacity cannot hold.
     *
     * @param capacity the queue's capacity
     * @param queue    the queue; its consumer reads {@link PooledMessage#sequence()}
     * @return a publisher for one thread
     */
    @SuppressWarnings("unchecked")
    public static Publisher singleConsumer(final int capacity, final Queue<PooledMessage> queue)
    {
        return new QueuePublisher(capacity, false, new Queue[] {queue});
    }
}
