package io.ringmq.bench.pipeline;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import io.ringmq.bench.contenders.Shape;

/**
 * Agrona's ring buffers over off-heap memory: {@code OneToOneRingBuffer} for 1P1C (four of them for fanout,
 * the producer writing each in turn) and {@code ManyToOneRingBuffer} for 2P1C. Agrona has no ring buffer for
 * competing consumers, so it sits out 1P2C. A message is an 8-byte record written in place with
 * {@code tryClaim}/{@code commit} (Agrona's zero-copy publication); the consumer thread loops on
 * {@code read(handler)} and counts what each call returned, idling with an Agrona {@link IdleStrategy}.
 * A ring holds {@link PeerSettings#capacity()} such records (16 bytes each with the record header).
 */
final class AgronaPeer implements Peer
{
    static final int MESSAGE_TYPE = 1;
    static final int MESSAGE_LENGTH = Long.BYTES;
    /** Header (length + type) plus the 8-byte body, already 8-byte aligned. */
    static final int RECORD_BYTES = 8 + MESSAGE_LENGTH;

    private final List<ConsumerLoop> consumers = new ArrayList<>();
    private RingBuffer[] rings;
    private IdleStrategy[] producerIdle;

    @Override
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
    {
        if (shape.consumers() > 1 && !shape.fanout())
        {
            throw new UnsupportedOperationException("Agrona has no ring buffer for competing consumers");
        }
        rings = new RingBuffer[shape.queues()];
        for (int r = 0; r < rings.length; r++)
        {
            final UnsafeBuffer memory = new UnsafeBuffer(ByteBuffer.allocateDirect(
                settings.capacity() * RECORD_BYTES + RingBufferDescriptor.TRAILER_LENGTH));
            rings[r] = shape.publishers() > 1 ? new ManyToOneRingBuffer(memory) : new OneToOneRingBuffer(memory);
        }
        producerIdle = new IdleStrategy[shape.publishers()];
        for (int p = 0; p < producerIdle.length; p++)
        {
            producerIdle[p] = settings.newIdle();
        }
        final MessageHandler ignore = (type, buffer, index, length) -> { };
        for (int c = 0; c < tallies.length; c++)
        {
            final RingBuffer ring = rings[c];
            final Tally tally = tallies[c];
            consumers.add(ConsumerLoop.start("agrona-consumer-" + c, settings.newIdle(), () ->
            {
                final int n = ring.read(ignore);
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
        for (int i = 0; i < count; i++)
        {
            for (final RingBuffer ring : rings)
            {
                int index;
                while ((index = ring.tryClaim(MESSAGE_TYPE, MESSAGE_LENGTH)) < 0)
                {
                    idle.idle();
                }
                idle.reset();
                ring.buffer().putLong(index, i);
                ring.commit(index);
            }
        }
    }

    @Override
    public void close() throws InterruptedException
    {
        ConsumerLoop.stopAll(consumers);
    }
}
