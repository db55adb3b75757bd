package io.ringmq.bench.report;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.ringmq.bench.latency.Pipeline;
import io.ringmq.bench.report.Targets.Figure;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The latency target, from the pipeline view (every peer's consumer on its own thread): RingMQ's
 * push consumer ({@value Pipeline#RINGMQ_PUSH}, its YIELDING wait, the best for two cores) against the
 * Disruptor at its best, that is whichever wait strategy had the lowest merged p99.9 in this run. Pass or
 * miss is decided on the merged histograms; the fork-by-fork p99.9 ranges go beside it, so that a verdict
 * that one noisy fork could flip shows as such.
 */
final class PipelineLatencyTarget
{
    static final List<String> DISRUPTOR_WAITS =
        List.of(Pipeline.DISRUPTOR_YIELDING, Pipeline.DISRUPTOR_BUSY_SPIN, Pipeline.DISRUPTOR_BLOCKING);

    private PipelineLatencyTarget()
    {
    }

    static Target p999(final List<PipelineLatencyRow> rows)
    {
        final String name = String.format(Locale.ROOT, "p99.9 latency at %,d msgs/s within %s of the Disruptor's "
                + "best wait strategy (PipelineLatency: consumers on their own threads)",
            Targets.LATENCY_RATE, Targets.times(Targets.P999_VS_DISRUPTOR));
        final Optional<PipelineLatencyRow> ours = atTargetRate(rows)
            .filter(r -> r.contender().equals(Pipeline.RINGMQ_PUSH)).findFirst();
        final Optional<PipelineLatencyRow> theirs = atTargetRate(rows)
            .filter(r -> DISRUPTOR_WAITS.contains(r.contender()))
            .min(Comparator.comparingDouble(r -> r.merged().p999Micros()));
        final Target target = Targets.ratio(name, figure(ours), figure(theirs), "≤ ", Targets.P999_VS_DISRUPTOR,
            r -> r <= Targets.P999_VS_DISRUPTOR);
        if (target.status() == Status.NOT_RUN)
        {
            return new Target(name, target.measured() + " (the latency-pipeline stage)", target.value(),
                target.goal(), target.status());
        }
        return new Target(name, target.measured() + spread(ours.get(), theirs.get()) + keptUp(ours.get()),
            target.value(), target.goal(), target.status());
    }

    private static java.util.stream.Stream<PipelineLatencyRow> atTargetRate(final List<PipelineLatencyRow> rows)
    {
        return rows.stream().filter(r -> r.rate() == Targets.LATENCY_RATE && r.merged().count() > 0);
    }

    private static Figure figure(final Optional<PipelineLatencyRow> row)
    {
        return row.map(r -> new Figure(r.merged().p999Micros(), "µs", r.contender())).orElse(Targets.MISSING);
    }

    /** Per-fork p99.9 ranges and the ratio range they allow; forks are not paired, so min/max against max/min. */
    static String spread(final PipelineLatencyRow ours, final PipelineLatencyRow theirs)
    {
        final int oursForks = ours.forkP999Micros().size();
        final int theirsForks = theirs.forkP999Micros().size();
        if (oursForks < 2 || theirsForks < 2)
        {
            return String.format(Locale.ROOT, " (merged over %d and %d fork(s): too few for a spread)",
                oursForks, theirsForks);
        }
        return String.format(Locale.ROOT, "; per fork: %s %s–%s µs (%d forks), %s %s–%s µs (%d forks), a ratio "
                + "between %s and %s",
            ours.contender(), ResultsMarkdown.micros(ours.minForkP999Micros()),
            ResultsMarkdown.micros(ours.maxForkP999Micros()), oursForks,
            theirs.contender(), ResultsMarkdown.micros(theirs.minForkP999Micros()),
            ResultsMarkdown.micros(theirs.maxForkP999Micros()), theirsForks,
            Targets.times(ours.minForkP999Micros() / theirs.maxForkP999Micros()),
            Targets.times(ours.maxForkP999Micros() / theirs.minForkP999Micros()));
    }

    private static String keptUp(final PipelineLatencyRow ours)
    {
        final double achieved = ours.merged().achievedRate();
        if (!Double.isNaN(achieved) && achieved < 0.95 * Targets.LATENCY_RATE)
        {
            return String.format(Locale.ROOT, " (%s achieved only %,.0f msgs/s: queueing, not service time)",
                ours.contender(), achieved);
        }
        return "";
    }
}
