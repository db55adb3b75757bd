package io.ringmq.bench.latency;

import java.util.ArrayList;
import java.util.List;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Publisher;

/**
 * The LMAX Disruptor 4 as its own performance tests run it: the DSL with a single-producer ring of
 * pre-allocated slots and one {@link EventHandler}, which the DSL runs on a {@code BatchEventProcessor}
 * thread that waits as the given {@link WaitStrategy} says. The publisher claims with {@code tryNext()},
 * which refuses (with a pre-allocated exception) instead of waiting when the ring is full, so that the
 * latency benchmark's publisher waits the same way for every peer.
 */
final class DisruptorPipeline implements Pipeline
{
    /** A reused ring slot: the publisher writes the value, the handler reads it. */
    private static final class Slot
    {
        long value;
    }

    private final Disruptor<Slot> disruptor;
    private final List<Thread> threads = new ArrayList<>();
    private final Publisher publisher;

    DisruptorPipeline(final WaitStrategy waitStrategy, final int capacity, final MessageSink sink)
    {
        disruptor = new Disruptor<>(Slot::new, capacity, runnable ->
        {
            final Thread thread = new Thread(runnable, "disruptor-latency-consumer");
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        }, ProducerType.SINGLE, waitStrategy);
        final EventHandler<Slot> handler = (slot, sequence, endOfBatch) -> sink.onMessage(slot.value);
        disruptor.handleEventsWith(handler);
        final RingBuffer<Slot> ring = disruptor.start();
        publisher = value ->
        {
            final long claimed;
            try
            {
                claimed = ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                return false;
            }
            ring.get(claimed).value = value;
            ring.publish(claimed);
            return true;
        };
    }

    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    @Override
    public void close() throws InterruptedException
    {
        disruptor.halt();
        for (final Thread thread : threads)
        {
            thread.join();
        }
    }
}
