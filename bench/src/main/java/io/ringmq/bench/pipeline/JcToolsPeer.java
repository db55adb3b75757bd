package io.ringmq.bench.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.SpscArrayQueue;

import io.ringmq.bench.contenders.Shape;

/**
 * JCTools' bounded array queues, each for the contract its name states: {@code SpscArrayQueue} (1P1C),
 * {@code MpscArrayQueue} (2P1C), {@code MpmcArrayQueue} (1P2C competing) and four {@code SpscArrayQueue}s for
 * fanout, the producer filling each in turn. Producers use {@code fill} (JCTools' batch offer, which claims
 * room once for many elements); each consumer thread loops on {@code drain} and counts what each call
 * returned, waiting with an Agrona {@link IdleStrategy} when there was nothing. The element is one shared,
 * pre-allocated object, as in JCTools' own throughput benchmarks: nothing is allocated per message.
 */
final class JcToolsPeer implements Peer
{
    private static final Object MESSAGE = new Object();
    private static final MessagePassingQueue.Supplier<Object> SUPPLY = () -> MESSAGE;

    private final List<ConsumerLoop> consumers = new ArrayList<>();
    private MessagePassingQueue<Object>[] queues;
    private IdleStrategy[] producerIdle;
    /** Per producer, per queue: what the current batch still has to fill in. */
    private int[][] remaining;

    @Override
    @SuppressWarnings("unchecked")
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
    {
        queues = new MessagePassingQueue[shape.queues()];
        for (int q = 0; q < queues.length; q++)
        {
            queues[q] = shape.publishers() > 1 ? new MpscArrayQueue<>(settings.capacity())
                : shape.consumers() > 1 && !shape.fanout() ? new MpmcArrayQueue<>(settings.capacity())
                : new SpscArrayQueue<>(settings.capacity());
        }
        producerIdle = new IdleStrategy[shape.publishers()];
        remaining = new int[shape.publishers()][queues.length];
        for (int p = 0; p < producerIdle.length; p++)
        {
            producerIdle[p] = settings.newIdle();
        }
        for (int c = 0; c < tallies.length; c++)
        {
            final MessagePassingQueue<Object> queue = queues[shape.fanout() ? c : 0];
            final Tally tally = tallies[c];
            final MessagePassingQueue.Consumer<Object> ignore = m -> { };
            consumers.add(ConsumerLoop.start("jctools-consumer-" + c, settings.newIdle(), () ->
            {
                final int n = queue.drain(ignore);
                if (n > 0)
                {
                    tally.arrived(n);
                }
                return n;
            }));
        }
    }

    @Override
    public void publish(final int producer, final int count)
    {
        final IdleStrategy idle = producerIdle[producer];
        final int[] remaining = this.remaining[producer];
        java.util.Arrays.fill(remaining, count);
        int left = queues.length;
        while (left > 0)
        {
            int filled = 0;
            for (int q = 0; q < queues.length; q++)
            {
                if (remaining[q] > 0)
                {
                    final int n = queues[q].fill(SUPPLY, remaining[q]);
                    remaining[q] -= n;
                    filled += n;
                    if (remaining[q] == 0)
                    {
                        left--;
                    }
                }
            }
            idle.idle(filled);
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        ConsumerLoop.stopAll(consumers);
    }
}
