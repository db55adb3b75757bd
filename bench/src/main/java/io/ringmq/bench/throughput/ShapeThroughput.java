package io.ringmq.bench.throughput;

import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Control;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.harness.ConsumerThread;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.Fixture;
import io.ringmq.bench.harness.ProducerThread;

/**
 * What the four shape benchmarks share: the contender list, the JMH settings, the fixture's lifecycle,
 * and what one publisher and one consumer invocation do. Each subclass only names its shape and
 * declares its {@code @Group} methods, whose {@code @GroupThreads} are the shape's thread counts.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 2, jvmArgs = {"-Xms2g", "-Xmx2g"})
public abstract class ShapeThroughput
{
    @Param({"ringmq-autoack", "ringmq-manualack", "disruptor", "jctools", "abq", "artemis", "rabbitmq"})
    public String contender;

    private final Fixture fixture;

    ShapeThroughput(final Shape shape)
    {
        this.fixture = new Fixture(shape);
    }

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

    /** One publisher invocation: one message offered. */
    final void publishOne(final Control control, final ProducerThread producer, final Counters counters)
    {
        producer.publishOne(fixture, control, counters);
    }

    /** One consumer invocation: up to a batch taken. */
    final int consumeSome(final ConsumerThread consumer, final Counters counters)
    {
        return consumer.consumeSome(fixture, counters);
    }
}
