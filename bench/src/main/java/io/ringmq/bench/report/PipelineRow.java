package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.pipeline.FanoutOneToFourPipeline;
import io.ringmq.bench.pipeline.OneToOnePipeline;
import io.ringmq.bench.pipeline.OneToTwoCompetingPipeline;
import io.ringmq.bench.pipeline.Peers;
import io.ringmq.bench.pipeline.TwoToOnePipeline;

/**
 * One line of the pipeline table: a peer configuration in a shape, its {@code consumed} rate (messages handed to
 * consumers per second; under fanout one per consumer) with JMH's error and each fork's mean, and what it
 * allocated per delivered message.
 *
 * @param config               the peer's name, plus any peer-relevant {@code @Param} that is not the default
 * @param family               the registry's family ({@code disruptor}, {@code ringmq}...), or the name if unknown
 * @param forkMeans            per-fork means of {@code consumed}, from JMH's raw data
 * @param allocBytesPerMessage {@code gc.alloc.rate.norm} (bytes per batch, every thread of the JVM) ÷ messages
 *                             delivered per batch
 */
record PipelineRow(String peer, String config, String family, Shape shape, double score, double error,
                   List<Double> forkMeans, double allocBytesPerMessage)
{
    private static final Map<String, Shape> SHAPES = Map.of(
        OneToOnePipeline.class.getName(), OneToOnePipeline.SHAPE,
        TwoToOnePipeline.class.getName(), TwoToOnePipeline.SHAPE,
        OneToTwoCompetingPipeline.class.getName(), OneToTwoCompetingPipeline.SHAPE,
        FanoutOneToFourPipeline.class.getName(), FanoutOneToFourPipeline.SHAPE);

    /** The params each family reads, with their defaults: a row names them only when they differ. */
    private static final Map<String, Map<String, String>> RELEVANT = Map.of(
        "ringmq", Map.of("threading", "DEDICATED_THREAD", "wait", "YIELDING"),
        "jctools", Map.of("idle", "yielding"),
        "agrona", Map.of("idle", "yielding"));

    /** Table order: by shape, then fastest first. */
    static final Comparator<PipelineRow> ORDER = Comparator.comparing(PipelineRow::shape)
        .thenComparing(Comparator.comparingDouble(PipelineRow::score).reversed());

    /** @return the row of a pipeline result, or empty for any other benchmark. */
    static Optional<PipelineRow> of(final JmhResult result)
    {
        final Shape shape = SHAPES.get(result.className());
        final JmhResult.Metric consumed = result.secondary(ThroughputRow.CONSUMED);
        if (shape == null || consumed == null)
        {
            return Optional.empty();
        }
        final String peer = result.param("peer");
        final Peers.Entry entry = Peers.entry(peer);
        final String family = entry == null ? peer : entry.family();
        final StringBuilder config = new StringBuilder(peer);
        RELEVANT.getOrDefault(family, Map.of()).forEach((param, dflt) ->
        {
            final String value = result.param(param);
            if (!value.isEmpty() && !value.equals(dflt))
            {
                config.append(' ').append(param).append('=').append(value);
            }
        });
        final JmhResult.Metric norm = result.secondary(SuiteRow.ALLOC_NORM);
        final double perMessage = norm == null || consumed.score() <= 0 ? Double.NaN
            : norm.score() * result.primary().score() / consumed.score();
        return Optional.of(new PipelineRow(peer, config.toString(), family, shape, consumed.score(), consumed.error(),
            consumed.forkMeans(), perMessage));
    }

    static List<PipelineRow> of(final List<JmhResult> results)
    {
        final List<PipelineRow> rows = new ArrayList<>();
        for (final JmhResult r : results)
        {
            of(r).ifPresent(rows::add);
        }
        rows.sort(ORDER);
        return rows;
    }

    /** @return the fastest row of the shape that matches, by mean {@code consumed}. */
    static Optional<PipelineRow> best(final List<PipelineRow> rows, final Shape shape,
                                      final Predicate<PipelineRow> which)
    {
        return rows.stream().filter(r -> r.shape() == shape && which.test(r) && r.score() > 0)
            .max(Comparator.comparingDouble(PipelineRow::score));
    }
}
