package io.ringmq.bench.contenders;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * LMAX Disruptor 4: one {@link RingBuffer} of pre-allocated slots, single- or multi-producer sequencer
 * as the shape needs, one {@link EventPoller} per consumer. No acknowledgements: a slot is free again once
 * every consumer's sequence has passed it.
 *
 * <p>Why pollers and not {@code BatchEventProcessor} threads: the JMH harness owns the consuming threads
 * (an honest {@code @Group}: the threads it counts are the threads that consume). {@code EventPoller} is
 * the Disruptor's API for driving a consumer from one's own thread; its batch loop is the same as the
 * processor's. The waiting a {@code WaitStrategy} would do is done by the harness's {@link YieldingIdle},
 * which is the {@code YieldingWaitStrategy} policy; the ring is built with {@code YieldingWaitStrategy} so
 * that publishing signals no one.
 *
 * <p>Competing consumers (1→2): Disruptor 4 removed {@code WorkerPool}/{@code WorkHandler}. Both pollers
 * read every slot and each handles only the ring sequences {@code s % 2 == its index}; both gate the
 * publisher. That is the documented replacement (sequence-modulo partitioning), and it costs each consumer
 * a look at the slots it skips.
 *
 * <p>Publishing uses {@code tryNext()}, which refuses rather than waits when the ring is full.
 */
public final class DisruptorContender implements Contender
{
    /** A pre-allocated, reused ring slot. */
    static final class Slot
    {
        long sequence;
        byte[] payload;
    }

    private RingBuffer<Slot> ring;
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    @Override
    public void open(final Shape shape, final int capacity)
    {
        ring = shape.publishers() == 1
            ? RingBuffer.createSingleProducer(Slot::new, capacity, new YieldingWaitStrategy())
            : RingBuffer.createMultiProducer(Slot::new, capacity, new YieldingWaitStrategy());

        final int consumers = shape.consumers();
        subscribers = new Subscriber[consumers];
        final Sequence[] gating = new Sequence[consumers];
        for (int i = 0; i < consumers; i++)
        {
            final EventPoller<Slot> poller = ring.newPoller();
            gating[i] = poller.getSequence();
            subscribers[i] = shape.fanout()
                ? new PollerSubscriber(poller, 0, 1)
                : new PollerSubscriber(poller, i, consumers);
        }
        ring.addGatingSequences(gating);

        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            publishers[i] = new RingPublisher(ring);
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
        // Nothing runs in the background: the pollers are driven by the benchmark threads.
        ring = null;
    }

    private static final class RingPublisher implements Publisher
    {
        private final RingBuffer<Slot> ring;
        private final byte[] payload = Payload.bytes();

        RingPublisher(final RingBuffer<Slot> ring)
        {
            this.ring = ring;
        }

        @Override
        public boolean offer(final long sequence)
        {
            final long slotSequence;
            try
            {
                slotSequence = ring.tryNext();
            }
            catch (final InsufficientCapacityException full)
            {
                // A pre-allocated singleton in Disruptor 4: refusing costs no allocation.
                return false;
            }
            final Slot slot = ring.get(slotSequence);
            slot.sequence = sequence;
            slot.payload = payload;
            ring.publish(slotSequence);
            return true;
        }
    }

    private static final class PollerSubscriber implements Subscriber, EventPoller.Handler<Slot>
    {
        private final EventPoller<Slot> poller;
        private final long owner;
        private final long stride;
        private MessageSink sink;
        private int limit;
        private int seen;
        private int delivered;

        PollerSubscriber(final EventPoller<Slot> poller, final int owner, final int stride)
        {
            this.poller = poller;
            this.owner = owner;
            this.stride = stride;
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            this.sink = sink;
            this.limit = limit;
            seen = 0;
            delivered = 0;
            try
            {
                poller.poll(this);
            }
            catch (final Exception e)
            {
                throw new IllegalStateException("event handler failed", e);
            }
            return delivered;
        }

        @Override
        public boolean onEvent(final Slot slot, final long ringSequence, final boolean endOfBatch)
        {
            if (ringSequence % stride == owner)
            {
                sink.onMessage(slot.sequence);
                delivered++;
            }
            // false ends the batch after this slot: the poller then publishes our progress.
            return ++seen < limit;
        }
    }
}
