package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One entry of a JMH {@code -rf json} file: a benchmark with one set of parameters. */
record JmhResult(
    String benchmark,
    String mode,
    Map<String, String> params,
    Metric primary,
    Map<String, Metric> secondary,
    String jdkVersion,
    String vmName,
    String vmVersion,
    int forks,
    int warmupIterations,
    String warmupTime,
    int measurementIterations,
    String measurementTime,
    Path source)
{
    /**
     * A score with its error (JMH's 99.9% confidence half-width; NaN with too few samples) and unit.
     *
     * @param forkMeans the mean of each fork's measurement iterations (JMH's {@code rawData}, one list per
     *                  fork), in fork order; empty when the file has no raw data
     */
    record Metric(double score, double error, String unit, List<Double> forkMeans)
    {
    }

    /** The benchmark class's fully qualified name: the benchmark name without its method or group. */
    String className()
    {
        final int dot = benchmark.lastIndexOf('.');
        return dot < 0 ? benchmark : benchmark.substring(0, dot);
    }

    String simpleClassName()
    {
        final String name = className();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    String param(final String name)
    {
        return params.getOrDefault(name, "");
    }

    Metric secondary(final String name)
    {
        return secondary.get(name);
    }

    static List<JmhResult> read(final Path file) throws IOException
    {
        final String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (text.isEmpty())
        {
            return List.of();
        }
        final List<JmhResult> results = new ArrayList<>();
        for (final Object entry : Json.array(Json.parse(text)))
        {
            results.add(of(Json.object(entry), file));
        }
        return results;
    }

    private static JmhResult of(final Map<String, Object> json, final Path source)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        Json.object(json.get("params")).forEach((k, v) -> params.put(k, String.valueOf(v)));
        final Map<String, Metric> secondary = new LinkedHashMap<>();
        Json.object(json.get("secondaryMetrics")).forEach((k, v) -> secondary.put(k, metric(v)));
        return new JmhResult(
            String.valueOf(json.get("benchmark")),
            String.valueOf(json.get("mode")),
            params,
            metric(json.get("primaryMetric")),
            secondary,
            String.valueOf(json.getOrDefault("jdkVersion", "?")),
            String.valueOf(json.getOrDefault("vmName", "?")),
            String.valueOf(json.getOrDefault("vmVersion", "?")),
            (int) Json.number(json.get("forks")),
            (int) Json.number(json.get("warmupIterations")),
            String.valueOf(json.getOrDefault("warmupTime", "?")),
            (int) Json.number(json.get("measurementIterations")),
            String.valueOf(json.getOrDefault("measurementTime", "?")),
            source);
    }

    private static Metric metric(final Object value)
    {
        final Map<String, Object> json = Json.object(value);
        return new Metric(Json.number(json.get("score")), Json.number(json.get("scoreError")),
            String.valueOf(json.getOrDefault("scoreUnit", "")), forkMeans(json.get("rawData")));
    }

    private static List<Double> forkMeans(final Object rawData)
    {
        if (rawData == null)
        {
            return List.of();
        }
        final List<Double> means = new ArrayList<>();
        for (final Object fork : Json.array(rawData))
        {
            final List<Object> iterations = Json.array(fork);
            double sum = 0;
            for (final Object value : iterations)
            {
                sum += Json.number(value);
            }
            if (!iterations.isEmpty())
            {
                means.add(sum / iterations.size());
            }
        }
        return List.copyOf(means);
    }
}
