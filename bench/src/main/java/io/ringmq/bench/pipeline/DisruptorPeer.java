package io.ringmq.bench.pipeline;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;

import io.ringmq.bench.contenders.Shape;

/**
 * The LMAX Disruptor 4 as its own perf tests run it ({@code OneToOneSequencedThroughputTest} and friends):
 * built with the DSL, each handler on a {@code BatchEventProcessor} thread of its own, the producer claiming
 * a pre-allocated slot with {@code next()}, writing it and {@code publish}ing it. {@link ProducerType#SINGLE}
 * for one producer, {@link ProducerType#MULTI} for 2P1C; fanout is four handlers on one ring, each seeing
 * every event.
 * <p>
 * Competing consumers: version 4.0 removed {@code WorkerPool} (LMAX-Exchange/disruptor issue #323 and pull
 * request #324: "these classes aren't used internally at LMAX"; its maintainers suggest copying the 3.x code
 * if one needs it, issue #467). For cheap handlers the Disruptor's own answer is the striped one: in issue #150
 * Mike Barker explains that a {@code WorkerPool} needs a contended counter (a CAS per event) that limits it,
 * and the thread settles on "striped" {@code EventHandler}s, every event multicast to all handlers, each
 * handling its share. So handler {@code k} of {@code n} takes the events whose sequence {@code % n == k}: each
 * event goes to exactly one handler, with no CAS on the path.
 * <p>
 * Handlers count at {@code endOfBatch}, once per batch the processor hands them.
 */
final class DisruptorPeer implements Peer
{
    private final String waitStrategy;
    private Disruptor<Slot> disruptor;
    private RingBuffer<Slot> ring;

    /** @param waitStrategy {@code yielding}, {@code busyspin} or {@code blocking} */
    DisruptorPeer(final String waitStrategy)
    {
        this.waitStrategy = waitStrategy;
    }

    /** The pre-allocated event: a producer writes a value into it, consumers read it in place. */
    static final class Slot
    {
        long value;
    }

    @Override
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
    {
        disruptor = new Disruptor<>(Slot::new, settings.capacity(), DaemonThreadFactory.INSTANCE,
            shape.publishers() > 1 ? ProducerType.MULTI : ProducerType.SINGLE, newWaitStrategy(waitStrategy));
        @SuppressWarnings("unchecked")
        final EventHandler<Slot>[] handlers = new EventHandler[tallies.length];
        for (int i = 0; i < handlers.length; i++)
        {
            handlers[i] = shape.fanout() || tallies.length == 1
                ? new CountingHandler(tallies[i])
                : new StripeHandler(tallies[i], i, tallies.length);
        }
        disruptor.handleEventsWith(handlers);
        ring = disruptor.start();
    }

    static WaitStrategy newWaitStrategy(final String name)
    {
        return switch (name)
        {
            case "yielding" -> new YieldingWaitStrategy();
            case "busyspin" -> new BusySpinWaitStrategy();
            case "blocking" -> new BlockingWaitStrategy();
            default -> throw new IllegalArgumentException("Disruptor wait strategy must be yielding, busyspin or "
                + "blocking, not " + name);
        };
    }

    @Override
    public void publish(final int producer, final int count)
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < count; i++)
        {
            final long sequence = ring.next();
            ring.get(sequence).value = i;
            ring.publish(sequence);
        }
    }

    @Override
    public void close()
    {
        if (disruptor != null)
        {
            // Everything published has been consumed by now (the harness waited for it): halt, do not drain.
            disruptor.halt();
        }
    }

    /** Every event to this handler: counts each batch once, at its end. */
    private static final class CountingHandler implements EventHandler<Slot>
    {
        private final Tally tally;
        private long pending;

        CountingHandler(final Tally tally)
        {
            this.tally = tally;
        }

        @Override
        public void onEvent(final Slot event, final long sequence, final boolean endOfBatch)
        {
            pending++;
            if (endOfBatch)
            {
                tally.arrived(pending);
                pending = 0;
            }
        }
    }

    /** Competing consumer {@code ordinal} of {@code stripes}: only the events of its stripe. */
    private static final class StripeHandler implements EventHandler<Slot>
    {
        private final Tally tally;
        private final long ordinal;
        private final long stripes;
        private long pending;

        StripeHandler(final Tally tally, final int ordinal, final int stripes)
        {
            this.tally = tally;
            this.ordinal = ordinal;
            this.stripes = stripes;
        }

        @Override
        public void onEvent(final Slot event, final long sequence, final boolean endOfBatch)
        {
            if (sequence % stripes == ordinal)
            {
                pending++;
            }
            if (endOfBatch && pending > 0)
            {
                tally.arrived(pending);
                pending = 0;
            }
        }
    }
}
