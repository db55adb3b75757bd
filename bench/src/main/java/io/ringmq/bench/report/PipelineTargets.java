package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.pipeline.Peers;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * Issue #13's throughput targets, from the pipeline benchmarks of this run: RingMQ's best configuration for the
 * ack mode against the best configuration of the peer the target names (the best Disruptor wait strategy, the
 * best competing-consumer peer of any family), shape by shape.
 * <p>
 * Spread: the ratio is of means, {@code R = mean(ours) / mean(theirs)}, each the mean of the per-fork means, and
 * its spread is the standard deviation propagated from the forks,
 * {@code R × sqrt((s_ours / mean_ours)² + (s_theirs / mean_theirs)²)}, with {@code s} the sample standard
 * deviation of the per-fork means (JMH's raw data). A single fork has no spread ({@code n/a}). The verdict
 * compares R with the bar; a spread that reaches across the bar means the run cannot tell.
 */
final class PipelineTargets
{
    static final double AUTO_ACK_VS_DISRUPTOR = 0.5;
    static final double MANUAL_ACK_VS_DISRUPTOR = 0.3;
    static final double TWO_TO_ONE_VS_DISRUPTOR = 0.5;
    static final double FANOUT_VS_DISRUPTOR = 0.3;
    static final double COMPETING_VS_BEST_PEER = 0.3;
    /**
     * "0 B/op" per delivered message: anything allocated per message is at least 16 bytes, so a per-batch
     * allocation (JMH's bookkeeping, a thread parking) spread over 2^20 messages stays far below this.
     */
    static final double MAX_BYTES_PER_MESSAGE = 0.1;

    private PipelineTargets()
    {
    }

    static List<Target> compute(final List<PipelineRow> rows)
    {
        final Predicate<PipelineRow> disruptor = r -> r.family().equals("disruptor");
        final Predicate<PipelineRow> auto = r -> Peers.isRingMq(r.peer(), "auto");
        final Predicate<PipelineRow> manual = r -> Peers.isRingMq(r.peer(), "manual");
        final List<Target> targets = new ArrayList<>();
        targets.add(ratio("1P1C auto-ack ≥ " + AUTO_ACK_VS_DISRUPTOR + "× the Disruptor's best (pipeline)",
            rows, Shape.ONE_TO_ONE, auto, disruptor, AUTO_ACK_VS_DISRUPTOR));
        targets.add(ratio("1P1C manual ack per delivery, prefetch 256 ≥ " + MANUAL_ACK_VS_DISRUPTOR
            + "× the Disruptor's best (pipeline)", rows, Shape.ONE_TO_ONE, manual, disruptor, MANUAL_ACK_VS_DISRUPTOR));
        targets.add(ratio("2P1C auto-ack ≥ " + TWO_TO_ONE_VS_DISRUPTOR + "× the Disruptor multi-producer (pipeline)",
            rows, Shape.TWO_TO_ONE, auto, disruptor, TWO_TO_ONE_VS_DISRUPTOR));
        targets.add(ratio("fanout 1P4C auto-ack ≥ " + FANOUT_VS_DISRUPTOR + "× the Disruptor with four handlers "
            + "(pipeline, per-consumer deliveries)", rows, Shape.FANOUT_ONE_TO_FOUR, auto, disruptor,
            FANOUT_VS_DISRUPTOR));
        targets.add(ratio("1P2C competing auto-ack ≥ " + COMPETING_VS_BEST_PEER + "× the best competing-consumer "
            + "peer (pipeline)", rows, Shape.ONE_TO_TWO_COMPETING, auto, r -> !r.family().equals("ringmq"),
            COMPETING_VS_BEST_PEER));
        targets.add(allocation(rows, "auto", auto));
        targets.add(allocation(rows, "manual", manual));
        return targets;
    }

    private static Target ratio(final String name, final List<PipelineRow> rows, final Shape shape,
                                final Predicate<PipelineRow> oursWhich, final Predicate<PipelineRow> theirsWhich,
                                final double bar)
    {
        final String goal = "≥ " + Targets.times(bar);
        final Optional<PipelineRow> ours = PipelineRow.best(rows, shape, oursWhich);
        final Optional<PipelineRow> theirs = PipelineRow.best(rows, shape, theirsWhich);
        if (ours.isEmpty() || theirs.isEmpty())
        {
            final List<String> missing = new ArrayList<>();
            ours.ifPresentOrElse(r -> { }, () -> missing.add("RingMQ's figure"));
            theirs.ifPresentOrElse(r -> { }, () -> missing.add("the comparison's figure"));
            return new Target(name, "not in this run: " + String.join(" and ", missing), "n/a", goal, Status.NOT_RUN);
        }
        final Spread o = Spread.of(ours.get());
        final Spread t = Spread.of(theirs.get());
        final double ratio = o.mean() / t.mean();
        final double error = ratio * Math.sqrt(sq(o.relativeSd()) + sq(t.relativeSd()));
        final boolean passed = ratio >= bar;
        String shown = Targets.times(ratio);
        if (shown.equals(Targets.times(bar)) && !passed)
        {
            shown = String.format(Locale.ROOT, "%.6f×", ratio);
        }
        shown += " ± " + (Double.isNaN(error) ? "n/a" : spread(error));
        final String measured = ours.get().config() + " " + SuiteRow.number(o.mean()) + " ÷ " + theirs.get().config()
            + " " + SuiteRow.number(t.mean()) + " msgs/s (" + o.forks() + " and " + t.forks() + " fork(s))";
        return new Target(name, measured, shown, goal, passed ? Status.PASS : Status.MISS);
    }

    /** The worst B/msg over every RingMQ pipeline row of an ack mode. */
    private static Target allocation(final List<PipelineRow> rows, final String ack,
                                     final Predicate<PipelineRow> which)
    {
        final String name = "0 B/op on the pipeline's publish → push → " + ("auto".equals(ack) ? "auto-ack" : "ack")
            + " (pipeline, ack=" + ack + ": every shape and publish variant)";
        final String goal = "≤ " + MAX_BYTES_PER_MESSAGE + " B/msg";
        final Optional<PipelineRow> worst = rows.stream()
            .filter(r -> which.test(r) && !Double.isNaN(r.allocBytesPerMessage()))
            .max(java.util.Comparator.comparingDouble(PipelineRow::allocBytesPerMessage));
        if (worst.isEmpty())
        {
            return new Target(name, "not in this run: no RingMQ pipeline results with -prof gc", "n/a", goal,
                Status.NOT_RUN);
        }
        final long trials = rows.stream().filter(r -> which.test(r) && !Double.isNaN(r.allocBytesPerMessage())).count();
        final double bytes = worst.get().allocBytesPerMessage();
        return new Target(name, "worst of " + trials + " trial(s): " + worst.get().config() + " "
            + worst.get().shape().label() + ", gc.alloc.rate.norm ÷ messages per batch",
            String.format(Locale.ROOT, "%.4f B/msg", bytes), goal,
            bytes <= MAX_BYTES_PER_MESSAGE ? Status.PASS : Status.MISS);
    }

    private static double sq(final double x)
    {
        return x * x;
    }

    private static String spread(final double error)
    {
        return error < 0.001 ? "<0.001" : String.format(Locale.ROOT, error >= 0.1 ? "%.2f" : "%.3f", error);
    }

    /** A row's mean over its fork means, and their relative sample standard deviation (NaN with one fork). */
    record Spread(double mean, double relativeSd, int forks)
    {
        static Spread of(final PipelineRow row)
        {
            final List<Double> forks = row.forkMeans();
            if (forks.isEmpty())
            {
                return new Spread(row.score(), Double.NaN, 1);
            }
            final double mean = forks.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            if (forks.size() < 2)
            {
                return new Spread(mean, Double.NaN, forks.size());
            }
            double squares = 0;
            for (final double f : forks)
            {
                squares += sq(f - mean);
            }
            return new Spread(mean, Math.sqrt(squares / (forks.size() - 1)) / mean, forks.size());
        }
    }
}
