package io.ringmq.bench.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

import io.ringmq.bench.contenders.Shape;

/**
 * {@code java.util.concurrent.ArrayBlockingQueue} as most Java code uses it: producers {@code put}, each
 * consumer thread {@code take}s, both blocking on the queue's one lock and its conditions. One queue for
 * 1P1C, 2P1C and 1P2C competing; four for fanout, the producer putting into each in turn. The element is one
 * shared object: nothing is allocated per message by the benchmark (the queue's lock may allocate when a
 * thread parks).
 */
final class BlockingQueuePeer implements Peer
{
    private static final Object MESSAGE = new Object();
    /** Put by {@link #close()} to wake a consumer blocked in {@code take}, which then stops. */
    private static final Object STOP = new Object();

    private final List<Thread> consumers = new ArrayList<>();
    private ArrayBlockingQueue<Object>[] queues;

    @Override
    @SuppressWarnings("unchecked")
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
    {
        queues = new ArrayBlockingQueue[shape.queues()];
        for (int q = 0; q < queues.length; q++)
        {
            queues[q] = new ArrayBlockingQueue<>(settings.capacity());
        }
        for (int c = 0; c < tallies.length; c++)
        {
            final ArrayBlockingQueue<Object> queue = queues[shape.fanout() ? c : 0];
            final Tally tally = tallies[c];
            final Thread thread = new Thread(() ->
            {
                try
                {
                    while (queue.take() != STOP)
                    {
                        tally.arrived(1);
                    }
                }
                catch (final InterruptedException e)
                {
                    Thread.currentThread().interrupt();
                }
            }, "abq-consumer-" + c);
            thread.setDaemon(true);
            thread.start();
            consumers.add(thread);
        }
    }

    @Override
    public void publish(final int producer, final int count) throws InterruptedException
    {
        for (int i = 0; i < count; i++)
        {
            for (final ArrayBlockingQueue<Object> queue : queues)
            {
                queue.put(MESSAGE);
            }
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        for (int c = 0; c < consumers.size(); c++)
        {
            // One STOP per consumer; competing consumers share the queue, so each takes one.
            queues[Math.min(c, queues.length - 1)].put(STOP);
        }
        for (final Thread thread : consumers)
        {
            thread.join(10_000);
        }
        consumers.clear();
    }
}
