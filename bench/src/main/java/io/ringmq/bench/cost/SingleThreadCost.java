package io.ringmq.bench.cost;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.QueueSpec;
import io.ringmq.bench.contenders.Payload;
import io.ringmq.routing.ExchangeType;

/**
 * The CPU each delivery costs, with no second core: one thread publishes {@value #BATCH} messages and then
 * drives every consumer until each has had what it is owed, in the pipeline benchmarks' three shapes. Nothing
 * crosses a core and nothing waits, so the score (ns per delivery) is the instructions and cache-resident
 * work of the path alone, the floor under any multi-threaded rate.
 * <p>
 * <b>Why it exists:</b> the pipeline benchmarks' targets are rates on two cores. A path that costs {@code t}
 * ns of CPU per delivery cannot deliver more than {@code 2 / t} per ns on two cores, however well its
 * threads overlap; so when {@code t} is above {@code 2 / target}, a miss is a matter of instructions, not of
 * cache lines crossing cores or of scheduling. This measures {@code t} for both sides in one run.
 * <p>
 * <b>The Disruptor</b> as a single thread runs it: a single-producer ring, {@code next}/{@code get}/{@code
 * publish} per event as its pipeline peer publishes, and one {@link EventPoller} per handler polled on the
 * same thread, which is the loop its {@code BatchEventProcessor} runs (read the cursor, hand each event over,
 * store its sequence once per batch) without the thread. Competing consumers are two striped handlers, as in
 * the pipeline peer: each sees every event and counts its own stripe.
 * <p>
 * <b>RingMQ</b> as the pipeline peer's batch variant: {@code Channel.publishBatch} of the 64-byte body to a
 * direct exchange (fanout for four queues), queues of {@value #CAPACITY} slots, and caller-driven consumers
 * ({@code ConsumerThreading.CALLER_DRIVEN}), whose {@code Consumer.deliver} runs the same take and delivery
 * code as a consumer thread. {@code auto}: automatic ack, the handler counts; {@code manual}: the handler
 * acks each delivery, prefetch {@value #PREFETCH}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 3, jvmArgs = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class SingleThreadCost
{
    /**
     * Deliveries per invocation in every shape (fanout publishes a quarter as many messages, each delivered
     * four times), so the score is ns per delivery throughout; at most the prefetch, so manual ack never runs dry.
     */
    static final int BATCH = 256;
    static final int PREFETCH = 256;
    static final int CAPACITY = 1 << 16;
    private static final String EXCHANGE = "bench";
    private static final String KEY = "k";

    /** {@code one-to-one}, {@code fanout-one-to-four} or {@code one-to-two-competing}. */
    @Param({"one-to-one", "fanout-one-to-four", "one-to-two-competing"})
    public String shape;

    @Param({"disruptor", "ringmq-auto", "ringmq-manual"})
    public String peer;

    private int consumers;
    private boolean fanout;
    /** Messages published per invocation: {@link #BATCH} deliveries' worth. */
    private int published;

    private RingBuffer<Slot> ring;
    private EventPoller<Slot>[] pollers;
    private StripeCounter[] stripes;

    private Broker broker;
    private Channel publisher;
    private Consumer[] ringmqConsumers;
    private final byte[][] bodies = new byte[BATCH][];
    /** Deliveries the RingMQ handlers counted, all on this thread. */
    private long delivered;

    /** The Disruptor's pre-allocated event, written by the producer and read in place. */
    static final class Slot
    {
        long value;
    }

    /** One handler of the Disruptor's: counts every event (fanout, 1P1C) or those of its stripe. */
    static final class StripeCounter implements EventPoller.Handler<Slot>
    {
        private final long ordinal;
        private final long stripes;
        long counted;

        StripeCounter(final int ordinal, final int stripes)
        {
            this.ordinal = ordinal;
            this.stripes = stripes;
        }

        @Override
        public boolean onEvent(final Slot event, final long sequence, final boolean endOfBatch)
        {
            if (stripes == 1 || sequence % stripes == ordinal)
            {
                counted += event.value >= 0 ? 1 : 0; // reads the event, as a handler would
            }
            return true;
        }
    }

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void start()
    {
        switch (shape)
        {
            case "one-to-one" -> consumers = 1;
            case "fanout-one-to-four" ->
            {
                consumers = 4;
                fanout = true;
            }
            case "one-to-two-competing" -> consumers = 2;
            default -> throw new IllegalArgumentException("unknown shape " + shape);
        }
        published = fanout ? BATCH / consumers : BATCH;
        if ("disruptor".equals(peer))
        {
            ring = RingBuffer.createSingleProducer(Slot::new, CAPACITY, new YieldingWaitStrategy());
            pollers = new EventPoller[consumers];
            stripes = new StripeCounter[consumers];
            for (int i = 0; i < consumers; i++)
            {
                pollers[i] = ring.newPoller();
                ring.addGatingSequences(pollers[i].getSequence());
                stripes[i] = new StripeCounter(i, fanout ? 1 : consumers);
            }
            return;
        }
        final boolean autoAck = switch (peer)
        {
            case "ringmq-auto" -> true;
            case "ringmq-manual" -> false;
            default -> throw new IllegalArgumentException("unknown peer " + peer);
        };
        java.util.Arrays.fill(bodies, Payload.bytes());
        broker = Broker.create();
        final int queues = fanout ? consumers : 1;
        try (Channel admin = broker.openChannel())
        {
            admin.exchangeDeclare(EXCHANGE, fanout ? ExchangeType.FANOUT : ExchangeType.DIRECT);
            for (int q = 0; q < queues; q++)
            {
                admin.queueDeclare(QueueSpec.builder("q" + q).capacity(CAPACITY).build());
                admin.queueBind("q" + q, EXCHANGE, KEY);
            }
        }
        final ConsumeOptions options = ConsumeOptions.builder().autoAck(autoAck).prefetch(autoAck ? 0 : PREFETCH)
            .callerDriven(() -> { }) // this thread drives every consumer; nothing to schedule
            .build();
        ringmqConsumers = new Consumer[consumers];
        for (int c = 0; c < consumers; c++)
        {
            final Channel channel = broker.openChannel();
            ringmqConsumers[c] = channel.consume("q" + (fanout ? c : 0), options, autoAck
                ? delivery -> delivered++
                : delivery ->
                {
                    delivery.ack();
                    delivered++;
                });
        }
        publisher = broker.openChannel();
    }

    @TearDown(Level.Trial)
    public void stop()
    {
        if (broker != null)
        {
            broker.close();
        }
    }

    /** @return the deliveries of this invocation, so none of the work is dead code. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public long deliveries()
    {
        return ring != null ? disruptorRound() : ringmqRound();
    }

    private long disruptorRound()
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < published; i++)
        {
            final long sequence = ring.next();
            ring.get(sequence).value = i;
            ring.publish(sequence);
        }
        long counted = 0;
        for (int i = 0; i < pollers.length; i++)
        {
            final StripeCounter handler = stripes[i];
            final long before = handler.counted;
            try
            {
                while (pollers[i].poll(handler) == EventPoller.PollState.PROCESSING)
                {
                    // poll hands over everything published since its last call; loops only if it stopped early
                }
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            counted += handler.counted - before;
        }
        return check(counted);
    }

    private long ringmqRound()
    {
        publisher.publishBatch(EXCHANGE, KEY, false, null, bodies, 0, published);
        final long before = delivered;
        final long target = before + BATCH;
        for (int round = 0; delivered < target; round++)
        {
            if (round > 4 * BATCH)
            {
                throw new IllegalStateException("consumers delivered " + (delivered - before) + " of " + BATCH);
            }
            for (final Consumer consumer : ringmqConsumers)
            {
                consumer.deliver(BATCH);
            }
        }
        return check(delivered - before);
    }

    private long check(final long counted)
    {
        if (counted != BATCH)
        {
            throw new IllegalStateException("delivered " + counted + " in a round of " + BATCH);
        }
        return counted;
    }
}
