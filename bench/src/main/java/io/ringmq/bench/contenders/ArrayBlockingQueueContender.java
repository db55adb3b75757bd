package io.ringmq.bench.contenders;

import java.util.ArrayList;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * {@code java.util.concurrent.ArrayBlockingQueue}: one lock, two conditions. One queue shared by all
 * publishers and consumers, or one per consumer for fanout (the publisher offers to each). A bare queue:
 * no acknowledgements.
 *
 * <p>It is driven without blocking, {@code offer(e)} and {@code drainTo(list, limit)} (one lock acquisition
 * per batch), and waits with the harness's {@link YieldingIdle} like the other in-JVM contenders, because a
 * thread parked in {@code put}/{@code take} would not see JMH end the iteration. So this measures the queue,
 * not the cost of its park/unpark hand-off.
 */
public final class ArrayBlockingQueueContender implements Contender
{
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void open(final Shape shape, final int capacity)
    {
        final ArrayBlockingQueue<PooledMessage>[] queues = new ArrayBlockingQueue[shape.queues()];
        for (int i = 0; i < queues.length; i++)
        {
            queues[i] = new ArrayBlockingQueue<>(capacity);
        }
        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            publishers[i] = new QueuePublisher(capacity, JcToolsContender.competing(shape), queues);
        }
        subscribers = new Subscriber[shape.consumers()];
        for (int i = 0; i < subscribers.length; i++)
        {
            subscribers[i] = new DrainToSubscriber(queues[shape.fanout() ? i : 0], JcToolsContender.competing(shape));
        }
    }

    @Override
    public Publisher publisher(final int index)
    {
        return publishers[index];
    }

    @Override
    public Subscriber subscriber(final int index)
    {
        return subscribers[index];
    }

    @Override
    public void close()
    {
        publishers = null;
        subscribers = null;
    }

    private static final class DrainToSubscriber implements Subscriber
    {
        private final ArrayBlockingQueue<PooledMessage> queue;
        /** Reused batch buffer: grows once to the largest limit, then allocates nothing. */
        private final ArrayList<PooledMessage> batch = new ArrayList<>(256);
        private final boolean releases;

        DrainToSubscriber(final ArrayBlockingQueue<PooledMessage> queue, final boolean releases)
        {
            this.queue = queue;
            this.releases = releases;
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            final ArrayList<PooledMessage> batch = this.batch;
            final int n = queue.drainTo(batch, limit);
            for (int i = 0; i < n; i++)
            {
                final PooledMessage message = batch.get(i);
                final long sequence = message.sequence;
                if (releases)
                {
                    message.release();
                }
                sink.onMessage(sequence);
            }
            batch.clear();
            return n;
        }
    }
}
