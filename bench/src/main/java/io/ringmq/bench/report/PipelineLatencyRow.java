package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.HdrHistogram.Histogram;

import io.ringmq.bench.latency.PipelineLatency;

/**
 * One line of the pipeline latency table ({@link PipelineLatency}: every peer's consumer on its own thread):
 * a peer at one offered rate, all forks' histograms merged, plus each fork's own p99.9, which gives the
 * spread over forks that a merged histogram hides.
 *
 * @param forkP999Micros p99.9 of each fork's histogram, in file order (one line per fork)
 */
record PipelineLatencyRow(LatencyRow merged, List<Double> forkP999Micros)
{
    static final Comparator<PipelineLatencyRow> ORDER = Comparator.comparing(PipelineLatencyRow::merged, LatencyRow.ORDER);

    PipelineLatencyRow
    {
        forkP999Micros = List.copyOf(forkP999Micros);
    }

    /** Reads a {@code latency-<profile>-pipeline.jsonl}; the achieved rates come from {@link PipelineLatency}'s JMH results. */
    static List<PipelineLatencyRow> read(final Path jsonl, final List<JmhResult> jmh) throws IOException
    {
        final List<PipelineLatencyRow> rows = new ArrayList<>();
        for (final LatencyRow.Trials trials : LatencyRow.trials(jsonl))
        {
            final List<Double> forks = new ArrayList<>();
            for (final Histogram fork : trials.forks())
            {
                if (fork.getTotalCount() > 0)
                {
                    forks.add(fork.getValueAtPercentile(99.9) / 1e3);
                }
            }
            rows.add(new PipelineLatencyRow(LatencyRow.of(trials, jmh, PipelineLatency.class.getName()), forks));
        }
        rows.sort(ORDER);
        return rows;
    }

    String contender()
    {
        return merged.contender();
    }

    long rate()
    {
        return merged.rate();
    }

    /** The lowest fork's p99.9, µs; NaN without forks. */
    double minForkP999Micros()
    {
        return forkP999Micros.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** The highest fork's p99.9, µs; NaN without forks. */
    double maxForkP999Micros()
    {
        return forkP999Micros.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
