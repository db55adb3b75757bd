package io.ringmq.bench;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Delivery;
import io.ringmq.MessageProperties;
import io.ringmq.OverflowPolicy;
import io.ringmq.PublishResult;
import io.ringmq.QueueSpec;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What a priority queue ({@code x-max-priority}) costs against a plain queue, publishing and taking
 * the same messages through the public API.
 *
 * <p>{@code maxPriority = 0} is a plain queue: RingMQ's original path (JCTools ring). Any other value
 * is a queue with policies: one lock-free ring per priority level, a take scanning the levels from the
 * highest. Every message carries a priority, cycling over {@code 0..maxPriority} (over 0..10 for the
 * plain queue, which ignores it), so the plain queue pays for the same properties and the priority
 * queue spreads messages over all its levels.
 *
 * <p>Claims this backs, and how to read them:
 * <ul>
 *   <li>{@code publishThenGet}: one message published then taken by {@code basic.get}, on one thread;
 *       the difference between {@code maxPriority} 0 and 10 is the per-message cost of priorities (a
 *       take scans the levels above the message's). 255 shows how that scan grows with the level
 *       count.</li>
 *   <li>{@code backlog}: 64 messages published, then 64 taken: taking from a backlog spread over the
 *       levels, in priority order (per message).</li>
 *   <li>{@code pubGet} (throughput, ops/&micro;s): one publisher thread and one {@code basic.get} thread
 *       on the same queue, the 1P1C shape; {@code @AuxCounters} separate successful gets ({@code got})
 *       from empty ones and accepted publishes from those refused by a full queue ({@code reject-publish},
 *       so neither side blocks): compare {@code got} between the two queue kinds.</li>
 *   <li>Neither queue allocates per message: run with {@code -prof gc}; {@code gc.alloc.rate.norm}
 *       should be about 0 B/op for every benchmark and both queue kinds.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PriorityQueueBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PriorityQueueBenchmark
{
    private static final int BACKLOG = 64;
    private static final int CAPACITY = 1 << 12;
    /** Levels the plain queue's messages cycle over: it ignores them, but pays for the same properties. */
    private static final int PLAIN_PRIORITY_SPREAD = 10;

    /** A broker with one queue, and message properties cycling over the queue's priorities, built once. */
    @State(Scope.Thread)
    public static class SingleThread
    {
        @Param({"0", "10", "255"})
        public int maxPriority;

        Broker broker;
        Channel channel;
        MessageProperties[] properties;
        byte[] body;
        int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            broker = Broker.create();
            channel = broker.openChannel();
            channel.queueDeclare(spec(maxPriority));
            properties = propertiesFor(maxPriority);
            body = new byte[64];
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            broker.close();
        }

        MessageProperties nextProperties()
        {
            final MessageProperties p = properties[next];
            next = next + 1 == properties.length ? 0 : next + 1;
            return p;
        }
    }

    @Benchmark
    public int publishThenGet(final SingleThread s)
    {
        s.channel.publish("", "q", s.nextProperties(), s.body);
        final Delivery d = s.channel.get("q", true);
        return d.body().length;
    }

    @Benchmark
    @OperationsPerInvocation(BACKLOG)
    public void backlog(final SingleThread s, final Blackhole bh)
    {
        final Channel channel = s.channel;
        for (int i = 0; i < BACKLOG; i++)
        {
            channel.publish("", "q", s.nextProperties(), s.body);
        }
        for (int i = 0; i < BACKLOG; i++)
        {
            bh.consume(channel.get("q", true).properties().priority());
        }
    }

    // ------------------------------------------------------------------ one publisher, one getter

    /** The queue both threads of the group use, and one channel per thread (a channel publishes and gets from one thread). */
    @State(Scope.Group)
    public static class Pair
    {
        @Param({"0", "10"})
        public int maxPriority;

        Broker broker;
        Channel publisher;
        Channel getter;
        MessageProperties[] properties;
        byte[] body;

        @Setup(Level.Trial)
        public void setUp()
        {
            broker = Broker.create();
            publisher = broker.openChannel();
            getter = broker.openChannel();
            publisher.queueDeclare(spec(maxPriority));
            publisher.setPublishTimeout(Duration.ZERO, false);
            properties = propertiesFor(maxPriority);
            body = new byte[64];
        }

        @Setup(Level.Iteration)
        public void emptyQueue()
        {
            publisher.queuePurge("q"); // each iteration starts empty, whatever the last one left
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            broker.close();
        }
    }

    /** Publisher-side counts, reported per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class PublishCounts
    {
        public long accepted;
        public long refused;
        int next;

        @Setup(Level.Iteration)
        public void clear()
        {
            accepted = 0;
            refused = 0;
        }
    }

    /** Getter-side counts, reported per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class GetCounts
    {
        public long got;
        public long empty;

        @Setup(Level.Iteration)
        public void clear()
        {
            got = 0;
            empty = 0;
        }
    }

    @Benchmark
    @Group("pubGet")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void publish(final Pair pair, final PublishCounts counts)
    {
        final MessageProperties p = pair.properties[counts.next];
        counts.next = counts.next + 1 == pair.properties.length ? 0 : counts.next + 1;
        final PublishResult result = pair.publisher.publish("", "q", p, pair.body);
        if (result.acceptedQueues() == 1)
        {
            counts.accepted++;
        }
        else
        {
            counts.refused++;
        }
    }

    @Benchmark
    @Group("pubGet")
    @GroupThreads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void get(final Pair pair, final GetCounts counts, final Blackhole bh)
    {
        final Delivery d = pair.getter.get("q", true);
        if (d != null)
        {
            counts.got++;
            bh.consume(d.body());
        }
        else
        {
            counts.empty++;
        }
    }

    // ------------------------------------------------------------------ helpers

    /** {@code reject-publish} so that a full queue never blocks a benchmark thread; maxPriority 0 declares a plain queue. */
    static QueueSpec spec(final int maxPriority)
    {
        final QueueSpec.Builder b = QueueSpec.builder("q").capacity(CAPACITY).overflow(OverflowPolicy.REJECT_PUBLISH);
        if (maxPriority > 0)
        {
            b.maxPriority(maxPriority);
        }
        return b.build();
    }

    static MessageProperties[] propertiesFor(final int maxPriority)
    {
        final int levels = (maxPriority > 0 ? maxPriority : PLAIN_PRIORITY_SPREAD) + 1;
        final MessageProperties[] properties = new MessageProperties[levels];
        for (int p = 0; p < levels; p++)
        {
            properties[p] = MessageProperties.builder().priority(p).build();
        }
        return properties;
    }
}
