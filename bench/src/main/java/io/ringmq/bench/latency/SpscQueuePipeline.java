package io.ringmq.bench.latency;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.SpscArrayQueue;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.PooledMessage;
import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.contenders.QueuePublishers;

/**
 * JCTools' {@link SpscArrayQueue} with a consumer thread of its own running the queue's own consumer loop,
 * {@link MessagePassingQueue#drain(MessagePassingQueue.Consumer, MessagePassingQueue.WaitStrategy,
 * MessagePassingQueue.ExitCondition) drain(consumer, wait, exit)}, which batches its reads. When the queue is
 * empty it spins 100 times and then yields, the Disruptor's {@code YieldingWaitStrategy} policy. Elements are
 * pooled envelopes ({@link QueuePublishers}): nothing is allocated per message.
 */
final class SpscQueuePipeline implements Pipeline
{
    /** Spins before the idle consumer starts yielding its core. */
    private static final int SPINS = 100;

    private final Thread consumer;
    private final Publisher publisher;
    private volatile boolean running = true;

    SpscQueuePipeline(final int capacity, final MessageSink sink)
    {
        final SpscArrayQueue<PooledMessage> queue = new SpscArrayQueue<>(capacity);
        publisher = QueuePublishers.singleConsumer(capacity, queue);
        final MessagePassingQueue.Consumer<PooledMessage> handler = message -> sink.onMessage(message.sequence());
        final MessagePassingQueue.WaitStrategy yielding = idleCount ->
        {
            if (idleCount < SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            return idleCount + 1;
        };
        consumer = new Thread(() -> queue.drain(handler, yielding, () -> running), "jctools-latency-consumer");
        consumer.setDaemon(true);
        consumer.start();
    }

    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    @Override
    public void close() throws InterruptedException
    {
        running = false;
        consumer.join();
    }
}
