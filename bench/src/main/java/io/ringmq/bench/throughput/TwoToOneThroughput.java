package io.ringmq.bench.throughput;

import java.util.concurrent.TimeUnit;

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

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.harness.ConsumerThread;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.Fixture;
import io.ringmq.bench.harness.ProducerThread;

/**
 * Two publishers → one consumer through one queue (multi-producer path).
 * Read the {@code consumed} counter: messages delivered per second.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class TwoToOneThroughput
{
    /** The shape this class measures; the report reads it to label rows. */
    public static final Shape SHAPE = Shape.TWO_TO_ONE;

    @Param({"ringmq-autoack", "ringmq-manualack", "disruptor", "jctools", "abq", "artemis", "rabbitmq"})
    public String contender;

    private final Fixture fixture = new Fixture(SHAPE);

    @Setup(Level.Trial)
    public void open() throws Exception
    {
        fixture.open(contender);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception
    {
        fixture.close();
    }

    @Benchmark
    @Group("tpt")
    @GroupThreads(2)
    public void publish(final Control control, final ProducerThread producer, final Counters counters)
    {
        producer.publishOne(fixture, control, counters);
    }

    @Benchmark
    @Group("tpt")
    @GroupThreads(1)
    public int consume(final ConsumerThread consumer, final Counters counters)
    {
        return consumer.consumeSome(fixture, counters);
    }
}
