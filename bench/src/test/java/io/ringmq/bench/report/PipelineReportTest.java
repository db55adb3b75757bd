package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The pipeline harness in the report: rows read with their per-fork means from JMH's raw data, the issue #13
 * targets computed against each peer's best configuration with a spread over forks, and the table and chart.
 * The results are written here with numbers whose ratios and spreads can be worked out by hand.
 */
class PipelineReportTest
{
    private static final String PIPELINE = "io.ringmq.bench.pipeline.";
    private static final double M = 1e6;
    private static final double BATCH = 1 << 20;
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    @Test
    void rowsCarryEachForksMeanAndAllocationPerMessage() throws IOException
    {
        final List<PipelineRow> rows = PipelineRow.of(knownResults());

        assertEquals(11, rows.size());
        final PipelineRow first = rows.get(0);
        assertEquals(Shape.ONE_TO_ONE, first.shape(), "ordered by shape");
        assertEquals("disruptor-yielding", first.config(), "then fastest first");
        assertEquals("disruptor", first.family());
        assertEquals(List.of(90 * M, 100 * M, 110 * M), first.forkMeans(), "each fork's mean of its iterations");
        final PipelineRow competing = rows.stream()
            .filter(r -> r.shape() == Shape.ONE_TO_TWO_COMPETING && r.peer().equals("ringmq-auto")).findFirst()
            .orElseThrow();
        assertEquals(0.5, competing.allocBytesPerMessage(), 1e-9, "norm per batch ÷ messages per batch");
        assertTrue(rows.stream().anyMatch(r -> r.config().equals("ringmq-auto wait=BUSY_SPIN")),
            "a RingMQ param that is not the default is named in the row");
    }

    @Test
    void targetsCompareRingMqsBestWithEachPeersBestAndPropagateTheForkSpread() throws IOException
    {
        final List<Target> targets = PipelineTargets.compute(PipelineRow.of(knownResults()));

        assertEquals(7, targets.size());
        // ringmq-auto-batch 60 M (s 5 M) ÷ disruptor-yielding 100 M (s 10 M): 0.6 × √(0.1² + (1/12)²) = 0.078
        final Target auto = check(targets, "1P1C auto-ack", "0.6× ± 0.078", Status.PASS);
        assertTrue(auto.measured().startsWith("ringmq-auto-batch 60,000,000 ÷ disruptor-yielding 100,000,000 msgs/s "
            + "(3 and 3 fork(s))"), auto.measured());
        // ringmq-manual 35 M, no spread of its own, ÷ 100 M (relative s 0.1)
        check(targets, "1P1C manual ack", "0.35× ± 0.035", Status.PASS);
        // one fork each: a ratio without spread
        check(targets, "2P1C", "0.375× ± n/a", Status.MISS);
        check(targets, "fanout 1P4C", "n/a", Status.NOT_RUN);
        // the best competing peer of any other family is JCTools' 50 M, not the Disruptor's 40 M nor RingMQ itself
        final Target competing = check(targets, "1P2C competing", "0.2× ± <0.001", Status.MISS);
        assertTrue(competing.measured().contains("÷ jctools 50,000,000"), competing.measured());
        // auto: the worst row decides (0.5 B/msg in 1P2C); manual: nothing allocated
        final Target autoAlloc = check(targets, "pipeline, ack=auto", "0.5000 B/msg", Status.MISS);
        assertTrue(autoAlloc.measured().contains("ringmq-auto 1P2C competing"), autoAlloc.measured());
        check(targets, "pipeline, ack=manual", "0.0000 B/msg", Status.PASS);
    }

    @Test
    void withoutPipelineResultsItsTargetsAreNotRun()
    {
        for (final Target t : PipelineTargets.compute(List.of()))
        {
            assertEquals(Status.NOT_RUN, t.status(), t.name());
            assertTrue(t.measured().startsWith("not in this run"), t.measured());
        }
    }

    @Test
    void reportShowsThePipelineTableItsChartAndHowEachPeerRuns() throws IOException
    {
        final Path file = write();
        final Path out = dir.resolve("report");

        final ReportMain.Report report = ReportMain.generate(out, "test", "run.sh test", List.of(), List.of(file),
            List.of());

        final String md = Files.readString(report.markdown());
        assertEquals(11, report.pipelineRows());
        assertTrue(md.contains("| 1P1C | disruptor-yielding | 100,000,000 ± n/a | 90,000,000, 100,000,000, "
            + "110,000,000 | 0.0000 |"), md);
        assertTrue(md.contains("| 1P1C auto-ack ≥ 0.5× the Disruptor's best (pipeline) | ringmq-auto-batch"), md);
        assertTrue(md.contains("![pipeline](pipeline.png)"), md);
        assertTrue(md.contains("- **disruptor-yielding**: LMAX Disruptor 4.0 through its DSL"), md);
        final Path png = out.resolve(Charts.PIPELINE_PNG);
        assertTrue(report.charts().contains(png), report.charts().toString());
        assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4));
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

    private List<JmhResult> knownResults() throws IOException
    {
        return JmhResult.read(write());
    }

    private Path write() throws IOException
    {
        final List<String> entries = new ArrayList<>();
        final String one = PIPELINE + "OneToOnePipeline.pipeline";
        // Each fork's two iterations average to the listed fork mean.
        entries.add(entry(one, "disruptor-yielding", "YIELDING", 0, 90, 100, 110));
        entries.add(entry(one, "disruptor-busyspin", "YIELDING", 0, 60, 60, 60));
        entries.add(entry(one, "ringmq-auto", "YIELDING", 1024, 30, 30, 30));
        entries.add(entry(one, "ringmq-auto-batch", "YIELDING", 0, 55, 60, 65));
        entries.add(entry(one, "ringmq-manual", "YIELDING", 0, 35, 35, 35));
        entries.add(entry(one, "ringmq-auto", "BUSY_SPIN", 0, 20, 20, 20));
        final String two = PIPELINE + "TwoToOnePipeline.pipeline";
        entries.add(entry(two, "disruptor-yielding", "YIELDING", 0, 80));
        entries.add(entry(two, "ringmq-auto", "YIELDING", 0, 30));
        final String competing = PIPELINE + "OneToTwoCompetingPipeline.pipeline";
        entries.add(entry(competing, "jctools", "YIELDING", 0, 50, 50, 50));
        entries.add(entry(competing, "disruptor-yielding", "YIELDING", 0, 40, 40, 40));
        entries.add(entry(competing, "ringmq-auto", "YIELDING", BATCH / 2, 10, 10, 10));
        final Path file = dir.resolve("pipeline-" + System.nanoTime() + ".json");
        Files.writeString(file, "[\n" + String.join(",\n", entries) + "\n]\n");
        return file;
    }

    /**
     * One pipeline result as JMH writes it: per fork two iterations of {@code mean ± 1 M}; the primary score
     * is batches per second (2^20 messages each), the norm bytes per batch.
     */
    private static String entry(final String benchmark, final String peer, final String wait,
                                final double bytesPerBatch, final double... forkMeansInMillions)
    {
        final double mean = Arrays.stream(forkMeansInMillions).average().orElseThrow() * M;
        final String raw = Arrays.stream(forkMeansInMillions)
            .mapToObj(f -> String.format(Locale.ROOT, "[%s, %s]", (f - 1) * M, (f + 1) * M))
            .collect(Collectors.joining(", ", "[", "]"));
        return "{\"benchmark\": \"" + benchmark + "\", \"mode\": \"thrpt\", \"forks\": " + forkMeansInMillions.length
            + ", \"measurementIterations\": 2, \"params\": {\"peer\": \"" + peer + "\", \"idle\": \"yielding\", "
            + "\"threading\": \"DEDICATED_THREAD\", \"wait\": \"" + wait + "\"}, \"primaryMetric\": "
            + metric(mean / BATCH, "ops/s", "[]") + ", \"secondaryMetrics\": {\"consumed\": "
            + metric(mean, "ops/s", raw) + ", \"gc.alloc.rate.norm\": " + metric(bytesPerBatch, "B/op", "[]") + "}}";
    }

    private static String metric(final double score, final String unit, final String rawData)
    {
        return String.format(Locale.ROOT, "{\"score\": %s, \"scoreError\": \"NaN\", \"scoreUnit\": \"%s\", "
            + "\"rawData\": %s}", score, unit, rawData);
    }
}
