package io.ringmq.bench.contenders;

import java.util.Queue;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

/**
 * JCTools bounded array queues, each picked by its concurrency contract: {@code SpscArrayQueue} for 1→1,
 * {@code MpscArrayQueue} for 2→1, {@code MpmcArrayQueue} for 1→2 competing, and four
 * {@code SpscArrayQueue}s (the publisher offers to each) for fanout. A bare queue: no acknowledgements,
 * a message is gone once polled. Consumers use the batch {@code drain(consumer, limit)}.
 */
public final class JcToolsContender implements Contender
{
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void open(final Shape shape, final int capacity)
    {
        // Every JCTools queue is both a java.util.Queue (offer, for QueuePublisher) and a
        // MessagePassingQueue (drain, for the consumer): the same objects in two typed arrays.
        final MessagePassingQueue<PooledMessage>[] queues = new MessagePassingQueue[shape.queues()];
        final Queue<PooledMessage>[] offerViews = new Queue[queues.length];
        for (int i = 0; i < queues.length; i++)
        {
            queues[i] = newQueue(shape, capacity);
            offerViews[i] = (Queue<PooledMessage>) queues[i];
        }
        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            publishers[i] = new QueuePublisher(capacity, competing(shape), offerViews);
        }
        subscribers = new Subscriber[shape.consumers()];
        for (int i = 0; i < subscribers.length; i++)
        {
            subscribers[i] = new DrainSubscriber(queues[shape.fanout() ? i : 0], competing(shape));
        }
    }

    /** Several consumers on one queue: envelopes must be released (see {@link QueuePublisher}). */
    static boolean competing(final Shape shape)
    {
        return !shape.fanout() && shape.consumers() > 1;
    }

    private static MessagePassingQueue<PooledMessage> newQueue(final Shape shape, final int capacity)
    {
        if (shape.publishers() == 1 && (shape.consumers() == 1 || shape.fanout()))
        {
            return new SpscArrayQueue<>(capacity);
        }
        if (shape.consumers() == 1)
        {
            return new MpscArrayQueue<>(capacity);
        }
        return new MpmcArrayQueue<>(capacity);
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

    private static final class DrainSubscriber implements Subscriber, MessagePassingQueue.Consumer<PooledMessage>
    {
        private final MessagePassingQueue<PooledMessage> queue;
        private final boolean releases;
        private MessageSink sink;

        DrainSubscriber(final MessagePassingQueue<PooledMessage> queue, final boolean releases)
        {
            this.queue = queue;
            this.releases = releases;
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            this.sink = sink;
            return queue.drain(this, limit);
        }

        @Override
        public void accept(final PooledMessage message)
        {
            final long sequence = message.sequence;
            if (releases)
            {
                message.release();
            }
            sink.onMessage(sequence);
        }
    }
}
