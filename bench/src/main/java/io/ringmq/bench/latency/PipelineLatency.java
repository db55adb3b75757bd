package io.ringmq.bench.latency;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.Control;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.harness.Counters;

/**
 * Publish-to-delivery latency with every peer's consumer on its own thread, as its users run it
 * ({@link Pipeline}): the Disruptor's {@code BatchEventProcessor} with each wait strategy, a JCTools
 * {@code SpscArrayQueue} drain loop, an {@code ArrayBlockingQueue.take()} loop, and a RingMQ push consumer
 * behind {@code Channel.publish} to a direct exchange. {@link PublishToDeliveryLatency} is the other view,
 * where JMH threads do the consuming.
 *
 * <p>The one JMH thread publishes on the paced schedule of {@link PacedProducer} at {@code rate} messages/s,
 * each message carrying its intended send time; the consumer thread records {@code nanoTime()} minus it
 * ({@link LatencyRecorder}), so the figures are corrected for coordinated omission exactly as the other
 * view's are. At trial end the histogram goes, in {@link LatencyLog}'s format, to
 * {@link LatencyLog#pipelineOutputFile()}: one line per fork, which the report merges and also reads fork by
 * fork for the spread. The JMH score is the publish rate; {@code consumed} is the rate the consumer thread
 * took messages, counted between iteration setup and teardown (the other counters are the publisher's).
 *
 * <p>{@code -prof gc} counts every thread of the JVM, the peer's consumer thread included. JMH runs the trial
 * teardown inside the last measurement iteration, so that iteration also carries the histogram's encoding
 * into the log (about 1 MB, the same for every peer): judge a peer's own allocation by the other iterations,
 * or by its difference from the Disruptor's figure, which allocates nothing per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
@Fork(value = 3, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class PipelineLatency
{
    /** Latencies above a minute are clamped to a minute: such a peer has long stopped keeping up. */
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Slots of every peer's ring or queue: RingMQ's queue capacity in the measurements. */
    public static final int CAPACITY = 1 << 16;

    /** A {@link Pipeline#NAMES} entry; the RingMQ push consumer's wait strategy is part of its name. */
    @Param({Pipeline.DISRUPTOR_YIELDING, Pipeline.DISRUPTOR_BUSY_SPIN, Pipeline.DISRUPTOR_BLOCKING,
        Pipeline.JCTOOLS_SPSC, Pipeline.ABQ, Pipeline.RINGMQ_PUSH})
    public String contender;

    /** Offered messages per second. */
    @Param({"100000", "1000000"})
    public long rate;

    private long intervalNanos;
    private LatencyRecorder recorder;
    private Pipeline pipeline;
    private Publisher publisher;
    /** The publishing thread's counters, kept to write {@code consumed} into at iteration teardown. */
    private Counters counters;
    private long deliveredAtIterationStart;

    @Setup(Level.Trial)
    public void open()
    {
        if (rate <= 0 || rate > 1_000_000_000L)
        {
            throw new IllegalArgumentException("rate must be 1..1e9 messages/s: " + rate);
        }
        intervalNanos = 1_000_000_000L / rate;
        recorder = new LatencyRecorder(new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
        pipeline = Pipeline.open(contender, CAPACITY, recorder);
        publisher = pipeline.publisher();
    }

    /** Record in measurement iterations only, and only what this iteration scheduled. */
    @Setup(Level.Iteration)
    public void startIteration(final IterationParams iteration)
    {
        deliveredAtIterationStart = recorder.delivered();
        recorder.startWindow(iteration.getType() == IterationType.MEASUREMENT, System.nanoTime());
    }

    /** JMH reads the counters after this teardown: {@code consumed} is the consumer thread's count. */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        if (counters != null)
        {
            counters.consumed = recorder.delivered() - deliveredAtIterationStart;
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception
    {
        try
        {
            pipeline.close();
        }
        finally
        {
            LatencyLog.append(LatencyLog.pipelineOutputFile(), contender, rate, recorder.histogram());
        }
    }

    @Benchmark
    @Threads(1)
    public void publish(final Control control, final PacedProducer producer, final Counters counters)
    {
        if (this.counters != counters)
        {
            this.counters = counters;
        }
        producer.publishOne(publisher, intervalNanos, control, counters);
    }
}
