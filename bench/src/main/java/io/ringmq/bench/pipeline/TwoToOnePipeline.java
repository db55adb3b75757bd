package io.ringmq.bench.pipeline;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

import io.ringmq.bench.contenders.Shape;

/**
 * Two producers (two JMH threads) → one consumer through one multi-producer ring or queue.
 * Read the {@code consumed} counter: messages delivered per second.
 */
public class TwoToOnePipeline extends PipelineBenchmark
{
    /** The shape this class measures; the report reads it to label rows. */
    public static final Shape SHAPE = Shape.TWO_TO_ONE;

    /** The trial's peer, one of those that run this shape. */
    @State(Scope.Benchmark)
    public static class Trial extends PipelineTrial
    {
        @Param({"disruptor-yielding", "disruptor-busyspin", "disruptor-blocking", "jctools", "agrona", "abq", "artemis", "ringmq-auto", "ringmq-auto-batch", "ringmq-manual", "ringmq-manual-batch", "ringmq-batchack"})
        public String peer;

        public Trial()
        {
            super(SHAPE);
        }

        @Override
        String peer()
        {
            return peer;
        }
    }

    @Benchmark
    @Threads(2)
    public void pipeline(final Trial trial, final Consumed consumed, final ThreadParams thread) throws Exception
    {
        consumed.consumed += trial.publishBatch(thread.getThreadIndex());
    }
}
