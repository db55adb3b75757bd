package io.ringmq.bench.report;

import java.util.List;
import java.util.Locale;

import io.ringmq.bench.latency.PipelineLatency;

/**
 * The second latency table of RESULTS.md: {@link PipelineLatency}, where every peer runs its consumer on its own
 * thread as its users do, beside the table where JMH threads consume. Its rows feed the p99.9 target
 * ({@link PipelineLatencyTarget}).
 */
final class PipelineLatencySection
{
    private PipelineLatencySection()
    {
    }

    /** @param charts file names of {@link Charts#pipelineLatency}'s charts, relative to RESULTS.md */
    static void render(final StringBuilder md, final List<PipelineLatencyRow> rows, final List<String> charts)
    {
        md.append("### Publish-to-delivery latency, each peer's consumer on its own thread\n\n");
        md.append("`PipelineLatency`: the same paced, coordinated-omission-corrected schedule as above, from one JMH "
            + "publisher thread, but no JMH thread consumes. Each peer runs as its users run it: the Disruptor 4 DSL "
            + "with a `BatchEventProcessor` handler under each wait strategy (`disruptor-yielding`, "
            + "`disruptor-busyspin`, `disruptor-blocking`), JCTools `SpscArrayQueue` with its own "
            + "`drain(consumer, wait, exit)` thread spinning then yielding (`jctools-spsc`), an `ArrayBlockingQueue` "
            + "with a `take()` thread (`abq`), and RingMQ `Channel.publish` of an 8-byte body carrying the intended "
            + "time → direct exchange → queue → push consumer on its own thread, auto-ack (`ringmq-push`: YIELDING; "
            + "`-busyspin`, `-blocking` when run). Ring or queue: ")
            .append(String.format(Locale.ROOT, "%,d", PipelineLatency.CAPACITY))
            .append(" slots each. Percentiles are of the histograms of all forks merged; \"p99.9 per fork\" is the "
                + "range of each fork's own p99.9. Achieved = the consumer thread's `consumed` rate.\n\n");
        if (rows.isEmpty())
        {
            md.append("_No pipeline latency results (the latency-pipeline stage did not run)._\n\n");
            return;
        }
        md.append("| Contender | Offered msgs/s | Achieved msgs/s | Forks | Samples | p50 µs | p99 µs | p99.9 µs "
            + "| p99.9 per fork µs | max µs |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (final PipelineLatencyRow pipelineRow : rows)
        {
            final LatencyRow row = pipelineRow.merged();
            md.append("| ").append(row.contender())
                .append(" | ").append(String.format(Locale.ROOT, "%,d", row.rate()))
                .append(" | ").append(Double.isNaN(row.achievedRate()) ? "n/a" : ResultsMarkdown.count(row.achievedRate()))
                .append(" | ").append(pipelineRow.forkP999Micros().size())
                .append(" | ").append(String.format(Locale.ROOT, "%,d", row.count()))
                .append(" | ").append(ResultsMarkdown.micros(row.p50Micros()))
                .append(" | ").append(ResultsMarkdown.micros(row.p99Micros()))
                .append(" | ").append(ResultsMarkdown.micros(row.p999Micros()))
                .append(" | ").append(forkRange(pipelineRow))
                .append(" | ").append(ResultsMarkdown.micros(row.maxMicros()))
                .append(" |\n");
        }
        md.append('\n');
        for (final String chart : charts)
        {
            md.append("![latency, own consumer threads](").append(chart).append(")\n\n");
        }
    }

    private static String forkRange(final PipelineLatencyRow row)
    {
        if (row.forkP999Micros().isEmpty())
        {
            return "n/a";
        }
        if (row.forkP999Micros().size() == 1)
        {
            return ResultsMarkdown.micros(row.minForkP999Micros());
        }
        return ResultsMarkdown.micros(row.minForkP999Micros()) + "–" + ResultsMarkdown.micros(row.maxForkP999Micros());
    }
}
