package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

import io.ringmq.bench.latency.LatencyLog;
import io.ringmq.bench.latency.PublishToDeliveryLatency;

/**
 * One line of the latency table: a contender at one offered rate, all forks' histograms merged.
 *
 * @param achievedRate the JMH {@code consumed} score of the same run (messages/s), NaN if not found
 */
record LatencyRow(String contender, long rate, double achievedRate, long count,
                  double p50Micros, double p99Micros, double p999Micros, double maxMicros)
{
    static final Comparator<LatencyRow> ORDER =
        Comparator.comparingLong(LatencyRow::rate).thenComparingDouble(LatencyRow::p99Micros);

    /** Reads the JSON lines of {@link LatencyLog}, merges histograms per (contender, rate). */
    static List<LatencyRow> read(final Path jsonl, final List<JmhResult> jmh) throws IOException
    {
        final Map<String, Histogram> merged = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            final Map<String, Object> json = Json.object(Json.parse(line));
            final String key = json.get("contender") + "\u0000" + (long) Json.number(json.get("rate"));
            final Histogram histogram = LatencyLog.decode(String.valueOf(json.get("histogram")));
            merged.merge(key, histogram, (a, b) ->
            {
                a.add(b);
                return a;
            });
        }
        final List<LatencyRow> rows = new ArrayList<>();
        merged.forEach((key, h) ->
        {
            final String contender = key.substring(0, key.indexOf('\u0000'));
            final long rate = Long.parseLong(key.substring(key.indexOf('\u0000') + 1));
            rows.add(new LatencyRow(contender, rate, achieved(jmh, contender, rate), h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3));
        });
        rows.sort(ORDER);
        return rows;
    }

    private static double achieved(final List<JmhResult> jmh, final String contender, final long rate)
    {
        for (final JmhResult result : jmh)
        {
            if (result.className().equals(PublishToDeliveryLatency.class.getName())
                && result.param("contender").equals(contender)
                && result.param("rate").equals(Long.toString(rate)))
            {
                final JmhResult.Metric consumed = result.secondary(ThroughputRow.CONSUMED);
                return consumed == null ? Double.NaN : consumed.score();
            }
        }
        return Double.NaN;
    }
}
