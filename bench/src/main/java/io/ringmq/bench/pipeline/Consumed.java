package io.ringmq.bench.pipeline;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The score: messages handed to consumers, per producer thread (JMH sums the threads and reports a rate).
 * Under fanout a message counts once per consumer, as the side-by-side harness counts it.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Consumed
{
    /** Deliveries this thread's batches made in the current iteration. */
    public long consumed;

    @Setup(Level.Iteration)
    public void reset()
    {
        consumed = 0;
    }
}
