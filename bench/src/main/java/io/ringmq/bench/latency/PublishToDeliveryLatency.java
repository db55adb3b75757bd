package io.ringmq.bench.latency;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.Fixture;

/**
 * Publish-to-delivery latency, 1 publisher → 1 consumer, at a fixed offered {@code rate} (messages/s),
 * measured from each message's intended send time (see the package documentation). The percentiles go
 * to {@link LatencyLog#outputFile()}; the JMH score to read is {@code consumed}, the achieved rate.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class PublishToDeliveryLatency
{
    /** Latencies above a minute are clamped to a minute: such a contender has long stopped keeping up. */
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);

    @Param({"ringmq-autoack", "disruptor", "abq", "artemis"})
    public String contender;

    /** Offered messages per second. */
    @Param({"100000", "1000000"})
    public long rate;

    private final Fixture fixture = new Fixture(Shape.ONE_TO_ONE);
    /** Written by the consumer thread only; read at trial teardown, after it stopped. */
    private Histogram histogram;
    private long intervalNanos;
    private volatile boolean recording;
    private volatile long recordFromNanos;

    @Setup(Level.Trial)
    public void open() throws Exception
    {
        if (rate <= 0 || rate > 1_000_000_000L)
        {
            throw new IllegalArgumentException("rate must be 1..1e9 messages/s: " + rate);
        }
        intervalNanos = 1_000_000_000L / rate;
        histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
        fixture.open(contender);
    }

    /** Record in measurement iterations only, and only what this iteration scheduled. */
    @Setup(Level.Iteration)
    public void startIteration(final IterationParams iteration)
    {
        recordFromNanos = System.nanoTime();
        recording = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void close() throws Exception
    {
        try
        {
            fixture.close();
        }
        finally
        {
            LatencyLog.append(LatencyLog.outputFile(), contender, rate, histogram);
        }
    }

    @Benchmark
    @Group("lat")
    @GroupThreads(1)
    public void publish(final Control control, final PacedProducer producer, final Counters counters)
    {
        producer.publishOne(fixture, intervalNanos, control, counters);
    }

    @Benchmark
    @Group("lat")
    @GroupThreads(1)
    public int consume(final RecordingConsumer consumer, final Counters counters)
    {
        return consumer.consumeSome(this, counters);
    }

    Fixture fixture()
    {
        return fixture;
    }

    Histogram histogram()
    {
        return histogram;
    }

    boolean recording()
    {
        return recording;
    }

    long recordFromNanos()
    {
        return recordFromNanos;
    }
}
