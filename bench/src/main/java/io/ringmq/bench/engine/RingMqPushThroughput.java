package io.ringmq.bench.engine;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

import io.ringmq.BatchDeliveryHandler;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.PublishResult;
import io.ringmq.QueueSpec;
import io.ringmq.WaitStrategy;
import io.ringmq.bench.contenders.Payload;
import io.ringmq.routing.ExchangeType;

/**
 * RingMQ's whole path as an application uses it: publish → route → queue → the engine's own push
 * consumer thread → handler → ack, through a direct exchange (a fanout one for {@link FanoutToFour}).
 * <p>
 * The JMH threads are the publishers, each on its own channel; the consumers are RingMQ's consumer
 * threads. Queues use {@code x-overflow = block}, so a publisher can never run ahead of its consumers
 * by more than a queue's capacity: over a measurement iteration of seconds, the publish rate this
 * reports <em>is</em> the delivery rate (to within 16 Ki messages per queue). {@code ack = manual}
 * acknowledges every delivery inside the handler ({@code Delivery.ack()}), with a prefetch of
 * {@value #PREFETCH}; with {@code handler = batch} it acknowledges once per take instead
 * ({@code Delivery.ack(true)} at the end of each batch a {@link BatchDeliveryHandler} is told of).
 * <p>
 * Run with {@code -prof gc}: {@code gc.alloc.rate.norm} counts every thread of the JVM per publish,
 * consumer threads included, so ≈ 0 B/op is the zero-allocation claim for the whole path.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
public class RingMqPushThroughput
{
    static final int PREFETCH = 256;
    static final int CAPACITY = 1 << 14;
    static final String EXCHANGE = "bench";
    static final String KEY = "k";

    /** The broker, its queues and consumer threads, for one trial; each shape below is one. */
    @State(Scope.Benchmark)
    public abstract static class Topology
    {
        @Param({"auto", "manual"})
        public String ack;

        /** YIELDING suits 2 cores; BUSY_SPIN would take a whole core per consumer thread. */
        @Param({"YIELDING"})
        public String wait;

        /**
         * {@code single}: a {@link io.ringmq.DeliveryHandler}, manual ack per delivery ({@code d.ack()});
         * {@code batch}: a {@link BatchDeliveryHandler}, manual ack once per take ({@code d.ack(true)} on
         * the delivery marked end of batch), each such consumer on a channel of its own, since a multiple
         * ack covers the whole channel. The same with auto-ack, where the flag is ignored.
         */
        @Param({"single", "batch"})
        public String handler;

        private final ExchangeType exchangeType;
        private final int queues;
        private final int consumersPerQueue;
        private Broker broker;
        /** One channel per JMH thread, by thread index: a channel publishes from one thread. */
        private Channel[] channels;
        private final byte[] body = Payload.bytes();

        Topology(final ExchangeType exchangeType, final int queues, final int consumersPerQueue)
        {
            this.exchangeType = exchangeType;
            this.queues = queues;
            this.consumersPerQueue = consumersPerQueue;
        }

        @Setup(Level.Trial)
        public void start(final BenchmarkParams params)
        {
            broker = Broker.create();
            try (Channel admin = broker.openChannel())
            {
                admin.exchangeDeclare(EXCHANGE, exchangeType);
                for (int q = 0; q < queues; q++)
                {
                    admin.queueDeclare(QueueSpec.builder("q" + q).capacity(CAPACITY).build());
                    admin.queueBind("q" + q, EXCHANGE, KEY);
                }
            }
            final boolean autoAck = "auto".equals(ack);
            final ConsumeOptions options = ConsumeOptions.builder().autoAck(autoAck).prefetch(autoAck ? 0 : PREFETCH)
                .waitStrategy(WaitStrategy.valueOf(wait)).build();
            final Channel consuming = broker.openChannel();
            final AtomicLong delivered = new AtomicLong();
            for (int q = 0; q < queues; q++)
            {
                for (int c = 0; c < consumersPerQueue; c++)
                {
                    final Counter counter = new Counter(delivered);
                    if ("batch".equals(handler))
                    {
                        // A channel per batch consumer: ack(true) settles every outstanding delivery of its
                        // channel up to the tag, so consumers sharing one would settle (and scan) each other's.
                        final Channel own = broker.openChannel();
                        own.consumeBatched("q" + q, options, autoAck ? (BatchDeliveryHandler)(d, end) -> counter.count() :
                            (d, end) ->
                            {
                                if (end)
                                {
                                    d.ack(true);
                                }
                                counter.count();
                            });
                    }
                    else
                    {
                        consuming.consume("q" + q, options, autoAck ? d -> counter.count() : d ->
                        {
                            d.ack();
                            counter.count();
                        });
                    }
                }
            }
            channels = new Channel[params.getThreads()];
            for (int i = 0; i < channels.length; i++)
            {
                channels[i] = broker.openChannel();
                channels[i].setPublishTimeout(Duration.ofSeconds(5), false);
            }
        }

        @TearDown(Level.Trial)
        public void stop()
        {
            broker.close();
        }

        final PublishResult publishOn(final ThreadParams thread)
        {
            return channels[thread.getThreadIndex()].publish(EXCHANGE, KEY, body);
        }
    }

    /** A consumer's own count, added to a shared total every 1024 deliveries (not a write per message). */
    static final class Counter
    {
        private final AtomicLong total;
        private long local;

        Counter(final AtomicLong total)
        {
            this.total = total;
        }

        void count()
        {
            if ((++local & 1023) == 0)
            {
                total.addAndGet(1024);
            }
        }
    }

    /** 1 publisher → direct exchange → 1 queue → 1 consumer. */
    @State(Scope.Benchmark)
    public static class OneToOne extends Topology
    {
        public OneToOne()
        {
            super(ExchangeType.DIRECT, 1, 1);
        }

        @Benchmark
        @Threads(1)
        public PublishResult oneToOne(final ThreadParams thread)
        {
            return publishOn(thread);
        }
    }

    /** 2 publishers → direct exchange → 1 queue → 1 consumer. */
    @State(Scope.Benchmark)
    public static class TwoToOne extends Topology
    {
        public TwoToOne()
        {
            super(ExchangeType.DIRECT, 1, 1);
        }

        @Benchmark
        @Threads(2)
        public PublishResult twoToOne(final ThreadParams thread)
        {
            return publishOn(thread);
        }
    }

    /** 1 publisher → direct exchange → 1 queue → 2 competing consumers. */
    @State(Scope.Benchmark)
    public static class OneToTwoCompeting extends Topology
    {
        public OneToTwoCompeting()
        {
            super(ExchangeType.DIRECT, 1, 2);
        }

        @Benchmark
        @Threads(1)
        public PublishResult oneToTwoCompeting(final ThreadParams thread)
        {
            return publishOn(thread);
        }
    }

    /** 1 publisher → fanout exchange → 4 queues → 1 consumer each; the message is stored once. */
    @State(Scope.Benchmark)
    public static class FanoutToFour extends Topology
    {
        public FanoutToFour()
        {
            super(ExchangeType.FANOUT, 4, 1);
        }

        @Benchmark
        @Threads(1)
        public PublishResult fanoutToFour(final ThreadParams thread)
        {
            return publishOn(thread);
        }
    }
}
