package io.ringmq.bench.throughput;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.infra.Control;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.harness.ConsumerThread;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.ProducerThread;

/**
 * Two publishers → one consumer through one queue (multi-producer path).
 * Read the {@code consumed} counter: messages delivered per second.
 */
public class TwoToOneThroughput extends ShapeThroughput
{
    /** The shape this class measures; the report reads it to label rows. */
    public static final Shape SHAPE = Shape.TWO_TO_ONE;

    public TwoToOneThroughput()
    {
        super(SHAPE);
    }

    @Benchmark
    @Group("tpt")
    @GroupThreads(2)
    public void publish(final Control control, final ProducerThread producer, final Counters counters)
    {
        publishOne(control, producer, counters);
    }

    @Benchmark
    @Group("tpt")
    @GroupThreads(1)
    public int consume(final ConsumerThread consumer, final Counters counters)
    {
        return consumeSome(consumer, counters);
    }
}
