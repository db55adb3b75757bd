package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The "Scale" section of RESULTS.md: what the scale stage ({@code io.ringmq.bench.scale.ScaleBenchmark},
 * one JSON line per figure in {@code scale-<profile>.jsonl}) measured, and the four scale targets of
 * issue #13 with PASS/MISS computed from those figures.
 */
final class ScaleSection
{
    static final String TITLE = "Scale: many queues, many consumers";
    /** An idle queue's heap, at most. */
    static final double IDLE_QUEUE_BYTES = 4 * 1024;
    /** The queues declared for the declare targets. */
    static final int MANY_QUEUES = 100_000;
    static final double DECLARE_MILLIS = 2_000;
    static final double MANY_QUEUES_HEAP_BYTES = 500e6;
    /** Consumers for the thread target, and the most live threads allowed while they are served. */
    static final int MANY_CONSUMERS = 10_000;
    static final int THREADS = 16;

    /** One target: its name, the figure compared, the goal, and the verdict. */
    record Target(String name, String measured, String goal, Targets.Status status)
    {
    }

    private ScaleSection()
    {
    }

    /** Appends the section to {@code markdown} (RESULTS.md), from {@code jsonl} or, when it is missing, saying so. */
    static void appendTo(final Path markdown, final Path jsonl) throws IOException
    {
        final List<Map<String, Object>> figures = Files.isRegularFile(jsonl) ? read(jsonl) : null;
        Files.writeString(markdown, render(figures, jsonl.getFileName().toString()), StandardCharsets.UTF_8,
            StandardOpenOption.APPEND);
    }

    static List<Map<String, Object>> read(final Path jsonl) throws IOException
    {
        final List<Map<String, Object>> figures = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8))
        {
            if (!line.isBlank())
            {
                figures.add(Json.object(Json.parse(line)));
            }
        }
        return figures;
    }

    /** @param figures null when the run had no scale stage */
    static String render(final List<Map<String, Object>> figures, final String source)
    {
        final StringBuilder md = new StringBuilder();
        md.append("## ").append(TITLE).append("\n\n");
        if (figures == null)
        {
            md.append("_Not in this run_ (`RINGMQ_BENCH_STAGES=scale`; see bench/scripts/run.sh).\n\n");
            return md.toString();
        }
        md.append("From `").append(source).append("` (`io.ringmq.bench.scale.ScaleBenchmark`, one JVM, `-Xms2g -Xmx2g`). "
            + "Heap: used heap after `System.gc()` with the queues declared, minus an empty broker's. Declare: wall "
            + "time of the declare loop, on one channel, after a warm-up broker. Consumers: one auto-ack push consumer "
            + "per queue on the shared pool; one thread publishes each message to every queue in turn; a consumer's "
            + "completion is its last delivery, from the first publish; its longest wait, the longest gap between "
            + "two of its deliveries. Threads: the JVM's live threads (`ThreadMXBean`), at their peak. Single runs "
            + "on a shared 2-core machine: indicative.\n\n");
        final List<Map<String, Object>> queues = figures.stream().filter(f -> "idle-queues".equals(f.get("figure"))).toList();
        final List<Map<String, Object>> consumers = figures.stream().filter(f -> "consumers".equals(f.get("figure"))).toList();
        if (!queues.isEmpty())
        {
            md.append("| Idle queues | Heap, MB | Per queue, bytes | Declare, ms | Per declare, µs |\n");
            md.append("|--:|--:|--:|--:|--:|\n");
            for (final Map<String, Object> f : queues)
            {
                md.append("| ").append(ResultsMarkdown.count(number(f, "queues"))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1f", number(f, "heapBytes") / 1e6)).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "bytesPerQueue"))).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "declareMillis"))).append(" | ")
                    .append(ResultsMarkdown.micros(number(f, "microsPerDeclare"))).append(" |\n");
            }
            md.append('\n');
        }
        if (!consumers.isEmpty())
        {
            md.append("| Consumers | Messages each | Delivered | All served | Threads before → peak | "
                + "Completion min / p50 / p99 / max, ms | Longest wait, ms |\n");
            md.append("|--:|--:|--:|:-:|--:|--:|--:|\n");
            for (final Map<String, Object> f : consumers)
            {
                md.append("| ").append(ResultsMarkdown.count(number(f, "consumers"))).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "messagesEach"))).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "delivered"))).append(" | ")
                    .append(Boolean.TRUE.equals(f.get("allServed")) ? "yes" : "**no**").append(" | ")
                    .append(ResultsMarkdown.count(number(f, "threadsBefore"))).append(" → ")
                    .append(ResultsMarkdown.count(number(f, "threadsPeak"))).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "completionMinMillis"))).append(" / ")
                    .append(ResultsMarkdown.count(number(f, "completionP50Millis"))).append(" / ")
                    .append(ResultsMarkdown.count(number(f, "completionP99Millis"))).append(" / ")
                    .append(ResultsMarkdown.count(number(f, "completionMaxMillis"))).append(" | ")
                    .append(ResultsMarkdown.count(number(f, "longestWaitMillis"))).append(" |\n");
            }
            md.append('\n');
        }
        md.append("| Scale target | Measured | Goal | Status |\n|---|--:|--:|:-:|\n");
        for (final Target t : targets(figures))
        {
            md.append("| ").append(t.name()).append(" | ").append(t.measured()).append(" | ").append(t.goal())
                .append(" | ").append(ResultsMarkdown.status(t.status())).append(" |\n");
        }
        md.append('\n');
        return md.toString();
    }

    /** The four targets, each n/a when its figure is not in the run. */
    static List<Target> targets(final List<Map<String, Object>> figures)
    {
        final List<Target> targets = new ArrayList<>();
        final Optional<Double> worstPerQueue = figures.stream().filter(f -> "idle-queues".equals(f.get("figure")))
            .map(f -> number(f, "bytesPerQueue")).max(Double::compare);
        targets.add(worstPerQueue.map(bytes -> new Target("idle queue ≤ 4 KB",
                ResultsMarkdown.count(bytes) + " bytes (the most per queue at any count)", "≤ 4,096 bytes",
                verdict(bytes <= IDLE_QUEUE_BYTES)))
            .orElse(notRun("idle queue ≤ 4 KB", "≤ 4,096 bytes")));
        final Optional<Map<String, Object>> many = figures.stream()
            .filter(f -> "idle-queues".equals(f.get("figure")) && number(f, "queues") >= MANY_QUEUES).findFirst();
        targets.add(many.map(f -> new Target("100k declared < 2 s",
                ResultsMarkdown.count(number(f, "declareMillis")) + " ms", "< 2,000 ms",
                verdict(number(f, "declareMillis") < DECLARE_MILLIS)))
            .orElse(notRun("100k declared < 2 s", "< 2,000 ms")));
        targets.add(many.map(f -> new Target("100k < 500 MB heap",
                String.format(Locale.ROOT, "%.1f MB", number(f, "heapBytes") / 1e6), "< 500 MB",
                verdict(number(f, "heapBytes") < MANY_QUEUES_HEAP_BYTES)))
            .orElse(notRun("100k < 500 MB heap", "< 500 MB")));
        final Optional<Map<String, Object>> pooled = figures.stream()
            .filter(f -> "consumers".equals(f.get("figure")) && number(f, "consumers") >= MANY_CONSUMERS).findFirst();
        targets.add(pooled.map(f -> new Target("10k consumers ≤ 16 threads",
                ResultsMarkdown.count(number(f, "threadsPeak")) + " threads at peak; "
                    + (Boolean.TRUE.equals(f.get("allServed")) ? "every consumer served" : "**not every consumer served**"),
                "≤ 16, all served",
                verdict(number(f, "threadsPeak") <= THREADS && Boolean.TRUE.equals(f.get("allServed")))))
            .orElse(notRun("10k consumers ≤ 16 threads", "≤ 16, all served")));
        return targets;
    }

    private static Target notRun(final String name, final String goal)
    {
        return new Target(name, "not measured", goal, Targets.Status.NOT_RUN);
    }

    private static Targets.Status verdict(final boolean met)
    {
        return met ? Targets.Status.PASS : Targets.Status.MISS;
    }

    private static double number(final Map<String, Object> figure, final String key)
    {
        return Json.number(figure.get(key));
    }
}
