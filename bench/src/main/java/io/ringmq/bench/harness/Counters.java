package io.ringmq.bench.harness;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a producer/consumer group did, per thread, summed by JMH over the group and reported per second.
 *
 * <p>Type {@code OPERATIONS}, as in JCTools' benchmarks: JMH divides each counter by the iteration's measured
 * time and reports ops/s with an error. ({@code EVENTS} would report the raw per-iteration total, "#",
 * which is not a rate and whose error depends on the iteration length.) JMH reads the counters after the
 * threads' warm-down, so invocations made while the group synchronises the start and end of an iteration
 * are counted too; they last microseconds against seconds of measurement.
 *
 * <p>{@code consumed} is the score that matters: messages handed to a consumer (under fanout, one per
 * consumer per message). The group's primary score adds up producer and consumer invocations, which is not
 * a message rate. As in JCTools' benchmarks, refused offers and empty polls are counted apart from the
 * successful ones, so a producer spinning on a full queue is visible.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Counters
{
    /** Messages accepted by the contender (producer threads). */
    public long published;
    /** Offers refused because the contender was full (producer threads). */
    public long publishRefused;
    /** Messages delivered to a consumer (consumer threads). */
    public long consumed;
    /** Polls that found nothing (consumer threads). */
    public long pollEmpty;

    @Setup(Level.Iteration)
    public void reset()
    {
        published = 0;
        publishRefused = 0;
        consumed = 0;
        pollEmpty = 0;
    }
}
