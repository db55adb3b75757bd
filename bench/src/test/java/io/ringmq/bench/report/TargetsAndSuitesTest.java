package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The report's RingMQ-only tables and its Targets section. {@code jmh-sample-suites.json} is a real JMH
 * result file (push, routing and priority benchmarks, trimmed of raw data); the targets are checked on
 * results written here with known numbers, so every ratio and verdict can be worked out by hand.
 */
class TargetsAndSuitesTest
{
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final String THROUGHPUT = "io.ringmq.bench.throughput.OneToOneThroughput.tpt";
    private static final String PUSH = "io.ringmq.bench.engine.RingMqPushThroughput.";
    private static final String ROUTING = "io.ringmq.bench.RoutingBenchmark.";

    @TempDir
    static Path dir;
    private static Path suites;
    private static Path sideBySide;

    @BeforeAll
    static void copySamples() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        suites = copy("/jmh-sample-suites.json", "results-test-suites.json");
        sideBySide = copy("/jmh-sample.json", "results-test.json");
    }

    private static Path copy(final String resource, final String name) throws IOException
    {
        final Path file = dir.resolve(name);
        try (InputStream in = TargetsAndSuitesTest.class.getResourceAsStream(resource))
        {
            Files.copy(in, file);
        }
        return file;
    }

    // ------------------------------------------------------------------ suite tables

    @Test
    void pushBenchmarksInNestedClassesAreNamedAfterTheClassAndCarryTheirAllocation() throws IOException
    {
        final List<SuiteRow> rows = SuiteRow.of(Suite.ENGINE_PUSH, JmhResult.read(suites));

        assertEquals(4, rows.size(), "FanoutToFour and OneToOne, ack auto and manual");
        final SuiteRow first = rows.get(0);
        assertEquals("FanoutToFour.fanoutToFour", first.benchmark(), "the nested class stays in the name");
        assertEquals("ack=auto, wait=YIELDING", first.params());
        assertEquals(2_750_948.911, first.score(), 0.001, "the primary score: publishes per second");
        assertEquals("ops/s", first.unit());
        assertEquals(7.388, first.allocNorm(), 0.001);
        assertEquals("", first.counters(), "no @AuxCounters, and gc.* metrics are not counters");
    }

    @Test
    void routingAndPriorityRowsKeepParamsUnitsAndGroupCounters() throws IOException
    {
        final List<JmhResult> results = JmhResult.read(suites);
        final List<SuiteRow> routing = SuiteRow.of(Suite.ROUTING, results);
        final List<SuiteRow> priority = SuiteRow.of(Suite.PRIORITY, results);

        assertEquals(12, routing.size());
        final SuiteRow declare = routing.stream().filter(r -> r.benchmark().equals("declareBindings")).findFirst().orElseThrow();
        assertEquals("ss", declare.mode());
        assertEquals("ms/op", declare.unit());
        assertEquals("", declare.params(), "a benchmark without @Param has no params");
        assertTrue(routing.stream().anyMatch(r -> r.benchmark().equals("topicRegexScanBaseline")
            && r.params().equals("bindings=100000") && r.unit().equals("ns/op")));

        assertEquals(4, priority.size());
        final SuiteRow pubGet = priority.get(0);
        assertEquals("pubGet", pubGet.benchmark());
        assertEquals("maxPriority=0", pubGet.params());
        assertTrue(pubGet.counters().contains("got 2.027") && pubGet.counters().contains("refused 5.772")
            && pubGet.counters().endsWith(" ops/us"), pubGet.counters());
        assertTrue(ThroughputRow.of(results).isEmpty(), "none of these is a side-by-side throughput row");
    }

    @Test
    void sideBySideResultsBelongToNoSuite() throws IOException
    {
        final List<JmhResult> results = JmhResult.read(sideBySide);
        for (final Suite suite : Suite.values())
        {
            assertTrue(SuiteRow.of(suite, results).stream().noneMatch(r -> r.benchmark().startsWith("tpt")
                || r.benchmark().startsWith("lat")), suite + " took a throughput or latency result");
        }
    }

    // ------------------------------------------------------------------ targets

    @Test
    void targetsAreRatiosOfTheRunsOwnNumbers() throws IOException
    {
        final List<Target> targets = Targets.compute(knownResults(), knownLatency());

        assertEquals(17, targets.size(), "7 pipeline + latency + 2 push allocation + 2 routing + declare + 4 broker");
        // artemis 100 k: 25 M / 100 k = 250, 35 M / 100 k = 350
        check(targets, "Artemis, 1P1C, both acking (second view: harness", "250×", Status.PASS);
        check(targets, "Artemis, 1P1C, both acking (second view: push", "350×", Status.PASS);
        // rabbitmq 30 k: 25 M / 30 k = 833, 35 M / 30 k = 1,167
        check(targets, "RabbitMQ on loopback, 1P1C, both acking (second view: harness", "833×", Status.MISS);
        check(targets, "RabbitMQ on loopback, 1P1C, both acking (second view: push", "1,167×", Status.PASS);
        // the worst shape decides: auto 0.2 and 0.9 B/op; manual 0.5 and 3.0 B/op
        check(targets, "ack=auto, every shape", "0.900 B/op", Status.PASS);
        final Target manualAlloc = check(targets, "ack=manual, every shape", "3.000 B/op", Status.MISS);
        assertTrue(manualAlloc.measured().contains("worst of 2 trial(s): TwoToOne.twoToOne"), manualAlloc.measured());
        // p99.9 at 1 M msgs/s, pipeline view: 30 µs ÷ the best Disruptor wait's 20 µs; the 100 k row is not the target's
        final Target latency = check(targets, "p99.9 latency at 1,000,000 msgs/s", "1.5×", Status.PASS);
        assertTrue(latency.measured().contains("ringmq-push 30.00 ÷ disruptor-busyspin 20.00 µs"), latency.measured());
        // routing at 100k bindings only: direct 30 ÷ 10 ns (at the bar); topicExact 35 ÷ the same HashMap's 10 ns
        check(targets, "Direct route at 100k bindings within 3×", "3×", Status.PASS);
        final Target topic = check(targets, "Topic route without wildcards at 100k bindings", "3.5×", Status.MISS);
        assertTrue(topic.measured().contains("topicExact 35.00 ÷ directHashMapBaseline 10.00"), topic.measured());
        // declare: 1.5 s/op is 1,500 ms
        check(targets, "100,000 bindings declared one by one", "1,500 ms", Status.PASS);
    }

    @Test
    void aMissThatRoundsToTheBarShowsTheDecidingDigits() throws IOException
    {
        final List<JmhResult> results = new ArrayList<>(knownResults());
        results.removeIf(r -> r.param("contender").equals("rabbitmq"));
        final Path file = dir.resolve("just-short-" + System.nanoTime() + ".json");
        Files.writeString(file, "[" + entry(THROUGHPUT, "thrpt", Map.of("contender", "rabbitmq"), 1, "ops/s",
            Map.of("consumed", 25e6 / 999.9)) + "]");
        results.addAll(JmhResult.read(file));

        // 25 M ÷ 25,002.5 = 999.9×, which rounds to the bar's "1,000×"
        check(Targets.compute(results, List.of()), "RabbitMQ on loopback, 1P1C, both acking (second view: harness",
            "999.900000×", Status.MISS);
    }

    @Test
    void targetsWithoutTheirInputsAreNotRunNeverPassed()
    {
        final List<Target> targets = Targets.compute(List.of(), List.of());

        assertEquals(17, targets.size());
        for (final Target t : targets)
        {
            assertEquals(Status.NOT_RUN, t.status(), t.name());
            assertEquals("n/a", t.value(), t.name());
            assertTrue(t.measured().startsWith("not in this run"), t.measured());
        }
    }

    @Test
    void withoutRabbitMqOnlyItsTargetsAreNotRun() throws IOException
    {
        final List<JmhResult> withoutRabbit = knownResults().stream()
            .filter(r -> !r.param("contender").equals("rabbitmq")).toList();

        final List<Target> targets = Targets.compute(withoutRabbit, knownLatency());

        // knownResults has no pipeline results: those targets are n/a too, and not this test's concern
        final List<String> notRun = targets.stream().filter(t -> t.status() == Status.NOT_RUN).map(Target::name)
            .filter(n -> !n.contains("pipeline")).toList();
        assertEquals(2, notRun.size(), notRun.toString());
        assertTrue(notRun.stream().allMatch(n -> n.contains("RabbitMQ")), notRun.toString());
        assertTrue(check(targets, "RabbitMQ on loopback, 1P1C, both acking (second view: push", "n/a", Status.NOT_RUN)
            .measured().contains("the comparison's figure"));
    }

    @Test
    void ratiosReadWellInTheTable()
    {
        assertEquals("0.5×", Targets.times(0.5));
        assertEquals("0.497×", Targets.times(0.4966));
        assertEquals("2×", Targets.times(2.0));
        assertEquals("2.68×", Targets.times(2.679));
        assertEquals("0.085×", Targets.times(0.085));
        assertEquals("0.055×", Targets.times(0.05498));
        assertEquals("10×", Targets.times(10.2));
        assertEquals("1,167×", Targets.times(1166.7));
        assertEquals("1/237,494×", Targets.times(1 / 237_494.0));
        assertEquals(1.5, Targets.toMillis(1500, "us/op"), 1e-12);
        assertTrue(Double.isNaN(Targets.toMillis(3, "ops/s")), "a throughput is not a time");
    }

    // ------------------------------------------------------------------ the whole report

    @Test
    void reportHasTargetsSuiteTablesAndTheRoutingChart() throws IOException
    {
        final Path out = dir.resolve("report");

        final ReportMain.Report report = ReportMain.generate(out, "test", "run.sh test", List.of(),
            List.of(sideBySide, suites), List.of());

        final String md = Files.readString(report.markdown());
        assertTrue(md.indexOf("## Targets") < md.indexOf("## Throughput"), "targets come first");
        assertTrue(md.indexOf("## Throughput: every peer at its best") < md.indexOf("## Second view"),
            "the pipeline table comes before the side-by-side one");
        assertTrue(md.contains("| 1P1C auto-ack ≥ 0.5× the Disruptor's best (pipeline) | not in this run: RingMQ's "
            + "figure and the comparison's figure | n/a | ≥ 0.5× | n/a |"), md);
        assertTrue(md.contains("| 100,000 bindings declared one by one | RoutingBenchmark.declareBindings, single shot, "
            + "mean of 2 shot(s) | 241.6 ms | < 2,000 ms | **PASS** |"), md);
        assertTrue(md.contains("## RingMQ push consumers, end to end (`RingMqPushThroughput`)"), md);
        assertTrue(md.contains("| OneToOne.oneToOne | ack=manual, wait=YIELDING | thrpt | 6,129,649 ± n/a | ops/s | 1.431 |"), md);
        assertTrue(md.contains("| direct | bindings=100000 | avgt | 163.6 ± n/a | ns/op | 76 |"), md);
        assertTrue(md.contains("| publishThenGet | maxPriority=10 | avgt | 81.97 ± n/a | ns/op | 0.625 | – |"), md);
        assertTrue(md.contains("![RoutingBenchmark](routing.png)"), md);
        assertEquals(21, report.suiteRows(), "4 push + 13 routing (one from jmh-sample.json) + 4 priority");
        assertEquals(17, report.targets());

        final Path png = out.resolve(Charts.ROUTING_PNG);
        assertTrue(report.charts().contains(png), report.charts().toString());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4));
        assertTrue(Files.size(png) > 10_000, "a drawn chart");
    }

    // ------------------------------------------------------------------ known numbers

    private static Target check(final List<Target> targets, final String nameContains, final String value,
                                final Status status)
    {
        final List<Target> matches = targets.stream().filter(t -> t.name().contains(nameContains)).toList();
        assertEquals(1, matches.size(), "one target named like '" + nameContains + "': " + matches);
        final Target target = matches.get(0);
        assertEquals(value, target.value(), target.toString());
        assertEquals(status, target.status(), target.toString());
        return target;
    }

    private static List<PipelineLatencyRow> knownLatency()
    {
        return List.of(
            new PipelineLatencyRow(new LatencyRow("ringmq-push", 100_000, 100_000, 1000, 1, 2, 1000, 1000), List.of()),
            new PipelineLatencyRow(new LatencyRow("ringmq-push", 1_000_000, 1_000_000, 1000, 1, 2, 30, 40), List.of()),
            new PipelineLatencyRow(new LatencyRow("disruptor-busyspin", 1_000_000, 1_000_000, 1000, 1, 2, 20, 25),
                List.of()));
    }

    /** A JMH result file with the figures of {@link #targetsAreRatiosOfTheRunsOwnNumbers}, read back. */
    private static List<JmhResult> knownResults() throws IOException
    {
        final List<String> entries = new ArrayList<>();
        for (final Object[] c : new Object[][] {
            {"disruptor", 100e6}, {"ringmq-autoack", 60e6}, {"ringmq-manualack", 25e6},
            {"artemis", 100e3}, {"rabbitmq", 30e3}})
        {
            entries.add(entry(THROUGHPUT, "thrpt", Map.of("contender", c[0]), 2 * (double) c[1], "ops/s",
                Map.of("consumed", (double) c[1], "gc.alloc.rate.norm", 0.0)));
        }
        entries.add(entry(PUSH + "OneToOne.oneToOne", "thrpt", Map.of("ack", "auto"), 40e6, "ops/s",
            Map.of("gc.alloc.rate.norm", 0.2)));
        entries.add(entry(PUSH + "FanoutToFour.fanoutToFour", "thrpt", Map.of("ack", "auto"), 10e6, "ops/s",
            Map.of("gc.alloc.rate.norm", 0.9)));
        entries.add(entry(PUSH + "OneToOne.oneToOne", "thrpt", Map.of("ack", "manual"), 35e6, "ops/s",
            Map.of("gc.alloc.rate.norm", 0.5)));
        entries.add(entry(PUSH + "TwoToOne.twoToOne", "thrpt", Map.of("ack", "manual"), 20e6, "ops/s",
            Map.of("gc.alloc.rate.norm", 3.0)));
        entries.add(entry(ROUTING + "direct", "avgt", Map.of("bindings", "10"), 5, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "direct", "avgt", Map.of("bindings", "100000"), 30, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "directHashMapBaseline", "avgt", Map.of("bindings", "100000"), 10, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "topicStar", "avgt", Map.of("bindings", "100000"), 200, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "topicExact", "avgt", Map.of("bindings", "100000"), 35, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "topicRegexScanBaseline", "avgt", Map.of("bindings", "100000"), 5e7, "ns/op", Map.of()));
        entries.add(entry(ROUTING + "declareBindings", "ss", Map.of(), 1.5, "s/op", Map.of()));
        final Path file = dir.resolve("known-" + System.nanoTime() + ".json");
        Files.writeString(file, "[\n" + String.join(",\n", entries) + "\n]\n");
        return JmhResult.read(file);
    }

    /** One result as JMH writes it, with only the fields the report reads. */
    private static String entry(final String benchmark, final String mode, final Map<String, Object> params,
                                final double score, final String unit, final Map<String, Double> secondary)
    {
        final String paramsJson = params.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\": \"" + e.getValue() + "\"").collect(Collectors.joining(", "));
        final Map<String, Double> sorted = new LinkedHashMap<>(secondary);
        final String secondaryJson = sorted.entrySet().stream()
            .map(e -> "\"" + e.getKey() + "\": " + metric(e.getValue(), e.getKey().startsWith("gc.") ? "B/op" : unit))
            .collect(Collectors.joining(", "));
        return "{\"benchmark\": \"" + benchmark + "\", \"mode\": \"" + mode + "\", \"forks\": 1, "
            + "\"measurementIterations\": 3, \"params\": {" + paramsJson + "}, \"primaryMetric\": "
            + metric(score, unit) + ", \"secondaryMetrics\": {" + secondaryJson + "}}";
    }

    private static String metric(final double score, final String unit)
    {
        return String.format(Locale.ROOT, "{\"score\": %s, \"scoreError\": \"NaN\", \"scoreUnit\": \"%s\"}", score, unit);
    }
}
