package io.ringmq.bench.latency;

import java.util.concurrent.ArrayBlockingQueue;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.PooledMessage;
import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.contenders.QueuePublishers;

/**
 * {@link ArrayBlockingQueue} as most of its users run it: a consumer thread looping on {@code take()}, which
 * parks on the queue's condition when it is empty and is signalled by the next {@code offer}. Elements are
 * pooled envelopes ({@link QueuePublishers}): nothing is allocated per message. Stopped by interrupting
 * {@code take()}.
 */
final class BlockingQueuePipeline implements Pipeline
{
    private final Thread consumer;
    private final Publisher publisher;

    BlockingQueuePipeline(final int capacity, final MessageSink sink)
    {
        final ArrayBlockingQueue<PooledMessage> queue = new ArrayBlockingQueue<>(capacity);
        publisher = QueuePublishers.singleConsumer(capacity, queue);
        consumer = new Thread(() ->
        {
            try
            {
                while (true)
                {
                    sink.onMessage(queue.take().sequence());
                }
            }
            catch (final InterruptedException stop)
            {
                // close(): the loop's only way out
            }
        }, "abq-latency-consumer");
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
        consumer.interrupt();
        consumer.join();
    }
}
