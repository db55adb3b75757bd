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

    /**
     * The histograms one latency file holds for a contender at a rate: one per line, that is one per trial
     * (JMH fork), in file order.
     */
    record Trials(String contender, long rate, List<Histogram> forks)
    {
        /** All forks in one histogram (a new one: the forks are left as they are). */
        Histogram merged()
        {
            final Histogram merged = forks.get(0).copy();
            for (int i = 1; i < forks.size(); i++)
            {
                merged.add(forks.get(i));
            }
            return merged;
        }
    }

    /** Reads the JSON lines of {@link LatencyLog} written by {@link PublishToDeliveryLatency}, merged per (contender, rate). */
    static List<LatencyRow> read(final Path jsonl, final List<JmhResult> jmh) throws IOException
    {
        return read(jsonl, jmh, PublishToDeliveryLatency.class.getName());
    }

    /**
     * Reads the JSON lines of {@link LatencyLog}, merges histograms per (contender, rate).
     *
     * @param benchmarkClass the JMH class that wrote them, whose {@code consumed} score is the achieved rate
     */
    static List<LatencyRow> read(final Path jsonl, final List<JmhResult> jmh, final String benchmarkClass)
        throws IOException
    {
        final List<LatencyRow> rows = new ArrayList<>();
        for (final Trials trials : trials(jsonl))
        {
            rows.add(of(trials, jmh, benchmarkClass));
        }
        rows.sort(ORDER);
        return rows;
    }

    /** The lines of a {@link LatencyLog} file grouped by (contender, rate), in the order first seen. */
    static List<Trials> trials(final Path jsonl) throws IOException
    {
        final Map<String, Trials> grouped = new LinkedHashMap<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            final Map<String, Object> json = Json.object(Json.parse(line));
            final String contender = String.valueOf(json.get("contender"));
            final long rate = (long) Json.number(json.get("rate"));
            grouped.computeIfAbsent(contender + "\u0000" + rate, k -> new Trials(contender, rate, new ArrayList<>()))
                .forks().add(LatencyLog.decode(String.valueOf(json.get("histogram"))));
        }
        return List.copyOf(grouped.values());
    }

    /** The row of merged trials; the achieved rate is {@code benchmarkClass}'s {@code consumed} score. */
    static LatencyRow of(final Trials trials, final List<JmhResult> jmh, final String benchmarkClass)
    {
        final Histogram h = trials.merged();
        return new LatencyRow(trials.contender(), trials.rate(),
            achieved(jmh, benchmarkClass, trials.contender(), trials.rate()), h.getTotalCount(),
            h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
            h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }

    private static double achieved(final List<JmhResult> jmh, final String benchmarkClass, final String contender,
                                   final long rate)
    {
        for (final JmhResult result : jmh)
        {
            if (result.className().equals(benchmarkClass)
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
