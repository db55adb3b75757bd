package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns JMH JSON results (and the latency benchmark's histogram lines) into {@code RESULTS.md} and PNG
 * charts: the {@link Targets} computed from those results, the pipeline table (peers at their best), the
 * side-by-side throughput and latency
 * tables, one table per RingMQ-only benchmark class ({@link Suite}) with a routing chart, and the network
 * stage's PerfTest runs ({@link NetworkSection}) with their own targets and charts.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.ringmq.bench.report.ReportMain \
 *     --out docs/bench --profile quick --command "bench/scripts/run.sh quick" \
 *     [--latency docs/bench/latency-quick.jsonl] [--latency-pipeline docs/bench/latency-quick-pipeline.jsonl] \
 *     [--network docs/bench/network-quick.jsonl] \
 *     [--note "load average 0.1"] \
 *     results-quick.json [more JMH JSON files...]
 * </pre>
 *
 * Missing input files are skipped with a note, so a partial run still gets a report.
 */
public final class ReportMain
{
    /** What one run of the generator produced. */
    public record Report(Path markdown, List<Path> charts, int pipelineRows, int throughputRows, int latencyRows,
                         int suiteRows, int targets, int networkRuns, int networkTargets, int pipelineLatencyRows)
    {
    }

    private ReportMain()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("docs/bench");
        String profile = "unspecified";
        String command = "(not given)";
        final List<Path> latency = new ArrayList<>();
        final List<Path> pipelineLatency = new ArrayList<>();
        Path network = null;
        final List<Path> jmh = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--out" -> out = Path.of(args[++i]);
                case "--profile" -> profile = args[++i];
                case "--command" -> command = args[++i];
                case "--latency" -> latency.add(Path.of(args[++i]));
                case "--latency-pipeline" -> pipelineLatency.add(Path.of(args[++i]));
                case "--network" -> network = Path.of(args[++i]);
                case "--note" -> notes.add(args[++i]);
                case "--help", "-h" ->
                {
                    System.out.println("usage: ReportMain --out DIR --profile NAME --command CMD "
                        + "[--latency FILE.jsonl]... [--latency-pipeline FILE.jsonl]... [--network FILE.jsonl] "
                        + "[--note TEXT]... JMH.json...");
                    return;
                }
                default -> jmh.add(Path.of(args[i]));
            }
        }
        final Report report = generate(out, profile, command, notes, jmh, latency, pipelineLatency, network);
        System.out.println("report: " + report.markdown() + " (" + report.pipelineRows() + " pipeline rows, "
            + report.throughputRows() + " throughput rows, "
            + report.latencyRows() + " latency rows, " + report.pipelineLatencyRows() + " pipeline latency rows, "
            + report.suiteRows() + " engine/routing/priority rows, "
            + report.targets() + " targets, " + report.networkRuns() + " PerfTest runs, " + report.networkTargets()
            + " network targets); charts: " + report.charts());
    }

    /** {@link #generate(Path, String, String, List, List, List, Path)} without a network stage. */
    public static Report generate(final Path out, final String profile, final String command,
                                  final List<String> notes, final List<Path> jmhFiles, final List<Path> latencyFiles)
        throws IOException
    {
        return generate(out, profile, command, notes, jmhFiles, latencyFiles, null);
    }

    /** {@link #generate(Path, String, String, List, List, List, List, Path)} without pipeline latency files. */
    public static Report generate(final Path out, final String profile, final String command,
                                  final List<String> notes, final List<Path> jmhFiles, final List<Path> latencyFiles,
                                  final Path networkFile)
        throws IOException
    {
        return generate(out, profile, command, notes, jmhFiles, latencyFiles, List.of(), networkFile);
    }

    /**
     * Reads the inputs and writes RESULTS.md and the charts into {@code out}.
     *
     * @param pipelineLatencyFiles {@code PipelineLatency}'s {@code latency-<profile>-pipeline.jsonl}: the second
     *                             latency table, and the input of the p99.9 target
     * @param networkFile the network stage's {@code network-<profile>.jsonl}; null or missing: no network results
     */
    public static Report generate(final Path out, final String profile, final String command,
                                  final List<String> notes, final List<Path> jmhFiles, final List<Path> latencyFiles,
                                  final List<Path> pipelineLatencyFiles, final Path networkFile)
        throws IOException
    {
        Files.createDirectories(out);
        final List<JmhResult> results = new ArrayList<>();
        final List<String> sources = new ArrayList<>();
        for (final Path file : jmhFiles)
        {
            if (Files.isRegularFile(file))
            {
                results.addAll(JmhResult.read(file));
                sources.add("`" + file.getFileName() + "` (" + Files.getLastModifiedTime(file) + ")");
            }
            else
            {
                System.err.println("report: skipping missing " + file);
            }
        }
        final List<PipelineRow> pipeline = PipelineRow.of(results);
        final List<ThroughputRow> throughput = ThroughputRow.of(results);
        final List<LatencyRow> latency = new ArrayList<>();
        for (final Path file : latencyFiles)
        {
            if (Files.isRegularFile(file))
            {
                latency.addAll(LatencyRow.read(file, results));
                sources.add("`" + file.getFileName() + "`");
            }
            else
            {
                System.err.println("report: skipping missing " + file);
            }
        }
        latency.sort(LatencyRow.ORDER);
        final List<PipelineLatencyRow> pipelineLatency = new ArrayList<>();
        for (final Path file : pipelineLatencyFiles)
        {
            if (Files.isRegularFile(file))
            {
                pipelineLatency.addAll(PipelineLatencyRow.read(file, results));
                sources.add("`" + file.getFileName() + "`");
            }
            else
            {
                System.err.println("report: skipping missing " + file);
            }
        }
        pipelineLatency.sort(PipelineLatencyRow.ORDER);

        final List<Path> charts = new ArrayList<>();
        final Optional<Path> pipelineChart = Charts.pipeline(pipeline, out);
        pipelineChart.ifPresent(charts::add);
        if (!throughput.isEmpty())
        {
            charts.add(Charts.throughput(throughput, out));
        }
        final List<Path> latencyCharts = Charts.latency(latency, out);
        charts.addAll(latencyCharts);
        final List<Path> pipelineLatencyCharts = Charts.pipelineLatency(pipelineLatency, out);
        charts.addAll(pipelineLatencyCharts);
        final Map<Suite, List<SuiteRow>> suites = new EnumMap<>(Suite.class);
        final List<SuiteRow> suiteRows = new ArrayList<>();
        for (final Suite suite : Suite.values())
        {
            suites.put(suite, SuiteRow.of(suite, results));
            suiteRows.addAll(suites.get(suite));
        }
        final Optional<Path> routingChart = Charts.routing(suiteRows, out);
        routingChart.ifPresent(charts::add);
        final List<Targets.Target> targets = Targets.compute(results, pipelineLatency);

        NetworkResults network = null;
        List<Targets.Target> networkTargets = List.of();
        final List<String> networkCharts = new ArrayList<>();
        if (networkFile != null && Files.isRegularFile(networkFile))
        {
            network = NetworkResults.read(networkFile);
            networkTargets = NetworkTargets.compute(network);
            sources.add("`" + networkFile.getFileName() + "` (" + Files.getLastModifiedTime(networkFile) + ")");
            for (final Optional<Path> chart : List.of(Charts.networkThroughput(network, out),
                Charts.networkLatency(network, out)))
            {
                chart.ifPresent(p ->
                {
                    charts.add(p);
                    networkCharts.add(p.getFileName().toString());
                });
            }
        }
        else if (networkFile != null)
        {
            System.err.println("report: skipping missing " + networkFile);
        }

        final String jdk = results.isEmpty()
            ? System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
            : results.get(0).vmName() + " " + results.get(0).vmVersion() + " (JDK " + results.get(0).jdkVersion() + ")";
        final ResultsMarkdown.Header header = new ResultsMarkdown.Header(
            ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME), jdk,
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
            profile, command, notes, sources);
        final String markdown = ResultsMarkdown.render(header, results, throughput, latency,
            latencyCharts.stream().map(p -> p.getFileName().toString()).toList(),
            new ResultsMarkdown.Extras(targets, suites, routingChart.map(p -> p.getFileName().toString()).orElse(null),
                network, networkTargets, networkCharts, pipeline,
                pipelineChart.map(p -> p.getFileName().toString()).orElse(null), pipelineLatency,
                pipelineLatencyCharts.stream().map(p -> p.getFileName().toString()).toList()));
        final Path md = out.resolve("RESULTS.md");
        Files.writeString(md, markdown, StandardCharsets.UTF_8);
        ScaleSection.appendTo(md, out.resolve("scale-" + profile + ".jsonl"));
        return new Report(md, charts, pipeline.size(), throughput.size(), latency.size(), suiteRows.size(), targets.size(),
            network == null ? 0 : network.runs().size(), networkTargets.size(), pipelineLatency.size());
    }
}
