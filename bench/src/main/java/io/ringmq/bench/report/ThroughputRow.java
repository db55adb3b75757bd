package io.ringmq.bench.report;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.throughput.FanoutOneToFourThroughput;
import io.ringmq.bench.throughput.OneToOneThroughput;
import io.ringmq.bench.throughput.OneToTwoCompetingThroughput;
import io.ringmq.bench.throughput.TwoToOneThroughput;

/**
 * One line of the throughput table: messages delivered per second ({@code consumed}) for a contender and
 * shape, and what it allocated.
 *
 * @param allocBytesPerOp JMH's {@code gc.alloc.rate.norm}: bytes per benchmark-method invocation, producer
 *                        and consumer invocations mixed, so hard to read on its own
 * @param allocBytesPerMessage the same allocation per delivered message: norm × invocations/s ÷ consumed/s
 */
record ThroughputRow(String benchmark, String contender, Shape shape, double score, double error, String unit,
                     double allocBytesPerOp, double allocBytesPerMessage, String source)
{
    static final String CONSUMED = "consumed";

    private static final Map<String, Shape> SHAPES = Map.of(
        OneToOneThroughput.class.getName(), OneToOneThroughput.SHAPE,
        TwoToOneThroughput.class.getName(), TwoToOneThroughput.SHAPE,
        OneToTwoCompetingThroughput.class.getName(), OneToTwoCompetingThroughput.SHAPE,
        FanoutOneToFourThroughput.class.getName(), FanoutOneToFourThroughput.SHAPE);

    /** Table order: by shape, then fastest first. */
    static final Comparator<ThroughputRow> ORDER = Comparator
        .comparing(ThroughputRow::shape)
        .thenComparing(Comparator.comparingDouble(ThroughputRow::score).reversed());

    /** The row for a throughput result, or empty for any other benchmark. */
    static Optional<ThroughputRow> of(final JmhResult result)
    {
        final Shape shape = SHAPES.get(result.className());
        final JmhResult.Metric consumed = result.secondary(CONSUMED);
        if (shape == null || consumed == null)
        {
            return Optional.empty();
        }
        final JmhResult.Metric norm = result.secondary("gc.alloc.rate.norm");
        final double perOp = norm == null ? Double.NaN : norm.score();
        final double perMessage = consumed.score() > 0 ? perOp * result.primary().score() / consumed.score() : Double.NaN;
        return Optional.of(new ThroughputRow(result.simpleClassName(), result.param("contender"), shape,
            consumed.score(), consumed.error(), "msgs/s", perOp, perMessage, result.source().getFileName().toString()));
    }

    static List<ThroughputRow> of(final List<JmhResult> results)
    {
        return results.stream().map(ThroughputRow::of).flatMap(Optional::stream).sorted(ORDER).toList();
    }
}
