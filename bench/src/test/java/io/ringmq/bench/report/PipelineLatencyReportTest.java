package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.latency.LatencyLog;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The pipeline latency view in the report: {@code PipelineLatency}'s lines read fork by fork and merged, its
 * table beside the other latency table, and the p99.9 target taken from it against the Disruptor's best
 * wait strategy, with the spread over forks.
 */
class PipelineLatencyReportTest
{
    private static final long RATE = 1_000_000;

    @TempDir
    static Path dir;
    private static Path sample;

    @BeforeAll
    static void copySample() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        sample = dir.resolve("results-pipeline-test.json");
        try (InputStream in = PipelineLatencyReportTest.class.getResourceAsStream("/jmh-sample.json"))
        {
            Files.copy(in, sample);
        }
    }

    @Test
    void forksAreMergedForTheTableAndKeptApartForTheSpread() throws IOException
    {
        final Path jsonl = dir.resolve("forks.jsonl");
        LatencyLog.append(jsonl, "ringmq-push", RATE, constant(10_000));
        LatencyLog.append(jsonl, "ringmq-push", RATE, constant(40_000));
        LatencyLog.append(jsonl, "ringmq-push", RATE, constant(20_000));
        LatencyLog.append(jsonl, "disruptor-busyspin", RATE, constant(1_000));

        final List<PipelineLatencyRow> rows = PipelineLatencyRow.read(jsonl, List.of());

        assertEquals(2, rows.size());
        final PipelineLatencyRow ours = rows.stream().filter(r -> r.contender().equals("ringmq-push")).findFirst()
            .orElseThrow();
        assertEquals(3_000, ours.merged().count(), "every fork's samples in the merged row");
        assertEquals(40.0, ours.merged().p999Micros(), 0.05, "the merged p99.9 lies in the slowest fork");
        assertEquals(3, ours.forkP999Micros().size());
        assertEquals(10.0, ours.forkP999Micros().get(0), 0.01, "file order");
        assertEquals(10.0, ours.minForkP999Micros(), 0.01);
        assertEquals(40.0, ours.maxForkP999Micros(), 0.05);
        assertTrue(Double.isNaN(ours.merged().achievedRate()), "no PipelineLatency JMH result: achieved unknown");
    }

    @Test
    void theTargetIsRingMqAgainstTheDisruptorsBestWaitStrategyWithTheForkSpread()
    {
        final List<PipelineLatencyRow> rows = List.of(
            row("ringmq-push", RATE, 35, 30.0, 36.0),
            row("disruptor-yielding", RATE, 25, 24.0, 26.0),
            row("disruptor-busyspin", RATE, 20, 15.0, 22.0),
            row("disruptor-blocking", RATE, 40, 39.0, 41.0),
            row("jctools-spsc", RATE, 10, 9.0, 11.0),           // not a Disruptor: not the comparison
            row("disruptor-busyspin", 100_000, 5, 4.0, 6.0));   // not the target's rate

        final Target target = PipelineLatencyTarget.p999(rows);

        assertEquals(Status.PASS, target.status(), target.toString());
        assertEquals("1.75×", target.value());
        assertEquals("≤ 2×", target.goal());
        assertTrue(target.measured().contains("ringmq-push 35.00 ÷ disruptor-busyspin 20.00 µs"), target.measured());
        // forks are not paired: the range is best-of-ours ÷ worst-of-theirs .. worst-of-ours ÷ best-of-theirs
        assertTrue(target.measured().contains("per fork: ringmq-push 30.00–36.00 µs (2 forks), disruptor-busyspin "
            + "15.00–22.00 µs (2 forks), a ratio between 1.36× and 2.4×"), target.measured());
        assertTrue(!target.measured().contains("achieved only"), target.measured());
    }

    @Test
    void aMissIsAMissAndSaysWhenRingMqDidNotKeepUpOrHadTooFewForks()
    {
        final List<PipelineLatencyRow> rows = List.of(
            new PipelineLatencyRow(new LatencyRow("ringmq-push", RATE, 400_000, 1000, 1, 2, 50, 60), List.of(50.0)),
            row("disruptor-yielding", RATE, 20, 19.0, 21.0));

        final Target target = PipelineLatencyTarget.p999(rows);

        assertEquals(Status.MISS, target.status());
        assertEquals("2.5×", target.value());
        assertTrue(target.measured().contains("merged over 1 and 2 fork(s): too few for a spread"), target.measured());
        assertTrue(target.measured().contains("ringmq-push achieved only 400,000 msgs/s"), target.measured());
    }

    @Test
    void withoutThePipelineStageTheTargetIsNotRunEvenWithTheOtherViewsRows()
    {
        final Target target = Targets.compute(List.of(), List.of()).stream()
            .filter(t -> t.name().startsWith("p99.9 latency")).findFirst().orElseThrow();

        assertEquals(Status.NOT_RUN, target.status());
        assertTrue(target.measured().contains("latency-pipeline stage"), target.measured());
        // ringmq-push without any Disruptor row: no comparison, so not run either
        assertEquals(Status.NOT_RUN, PipelineLatencyTarget.p999(List.of(row("ringmq-push", RATE, 5, 5.0, 5.0))).status());
    }

    @Test
    void theReportShowsBothLatencyTablesAndTakesTheTargetFromThePipelineFile() throws IOException
    {
        final Path harness = dir.resolve("latency-test.jsonl");
        LatencyLog.append(harness, "disruptor", 100_000, constant(1_000));
        final Path pipeline = dir.resolve("latency-test-pipeline.jsonl");
        for (int fork = 0; fork < 3; fork++)
        {
            LatencyLog.append(pipeline, "ringmq-push", RATE, constant(30_000 + fork * 1_000));
            LatencyLog.append(pipeline, "disruptor-yielding", RATE, constant(20_000));
        }
        final Path out = dir.resolve("report-both");

        final ReportMain.Report report = ReportMain.generate(out, "test", "run.sh test", List.of(), List.of(sample),
            List.of(harness), List.of(pipeline), null);

        assertEquals(1, report.latencyRows());
        assertEquals(2, report.pipelineLatencyRows());
        final String md = Files.readString(report.markdown());
        final int harnessTable = md.indexOf("## Publish-to-delivery latency");
        final int pipelineTable = md.indexOf("### Publish-to-delivery latency, each peer's consumer on its own thread");
        assertTrue(harnessTable >= 0 && pipelineTable > harnessTable, "the pipeline table follows the other one");
        assertTrue(md.contains("| disruptor | 100,000 |"), md);
        assertTrue(md.contains("| ringmq-push | 1,000,000 | n/a | 3 | 3,000 |"), md);
        // 30 and 32 µs as HdrHistogram's 3 significant digits give them back (the top of their bucket)
        assertTrue(md.contains("| 30.02–32.02 |"), "each fork's p99.9 range: " + md);
        assertTrue(md.contains("| disruptor-yielding | 1,000,000 | n/a | 3 | 3,000 |"), md);
        assertTrue(md.contains("ringmq-push 32.02 ÷ disruptor-yielding 20.02 µs"), "the target reads the pipeline file: " + md);
        assertTrue(md.contains("| 1.6× | ≤ 2× | **PASS** |"), md);
        final Path chart = out.resolve("latency-pipeline-1000000.png");
        assertTrue(report.charts().contains(chart) && Files.size(chart) > 10_000, "a drawn chart: " + report.charts());
        assertTrue(md.contains("](latency-pipeline-1000000.png)"), md);
        assertTrue(!report.charts().contains(out.resolve("latency-1000000.png")), "the other view has no 1 M rows");
    }

    @Test
    void aReportWithoutThePipelineFileSaysSo() throws IOException
    {
        final ReportMain.Report report = ReportMain.generate(dir.resolve("report-none"), "test", "run.sh test",
            List.of(), List.of(sample), List.of());

        assertEquals(0, report.pipelineLatencyRows());
        assertTrue(Files.readString(report.markdown()).contains("_No pipeline latency results"));
    }

    /** 1,000 samples of one value: every percentile of the histogram is that value. */
    private static Histogram constant(final long nanos)
    {
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        histogram.recordValueWithCount(nanos, 1_000);
        return histogram;
    }

    private static PipelineLatencyRow row(final String contender, final long rate, final double p999,
                                          final double... forkP999)
    {
        return new PipelineLatencyRow(new LatencyRow(contender, rate, rate, 1000, 1, 2, p999, p999 + 1),
            java.util.Arrays.stream(forkP999).boxed().toList());
    }
}
