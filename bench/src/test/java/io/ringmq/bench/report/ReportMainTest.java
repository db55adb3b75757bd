package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.latency.LatencyLog;

/**
 * The report generator on a real, trimmed JMH result file ({@code jmh-sample.json}: two throughput shapes
 * and the latency benchmark for the Disruptor and ArrayBlockingQueue, plus an unrelated benchmark) and on
 * latency lines made here from known histograms.
 */
class ReportMainTest
{
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    static Path dir;
    private static Path sample;

    @BeforeAll
    static void copySample() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        sample = dir.resolve("results-test.json");
        try (InputStream in = ReportMainTest.class.getResourceAsStream("/jmh-sample.json"))
        {
            Files.copy(in, sample);
        }
    }

    @Test
    void throughputRowsComeFromTheConsumedCounterAndIgnoreOtherBenchmarks() throws IOException
    {
        final List<ThroughputRow> rows = ThroughputRow.of(JmhResult.read(sample));

        assertEquals(4, rows.size(), "2 shapes × 2 contenders; latency and routing results are not throughput rows");
        final ThroughputRow first = rows.get(0);
        assertEquals(Shape.ONE_TO_ONE, first.shape(), "rows are ordered by shape");
        assertEquals("disruptor", first.contender(), "then fastest first");
        assertEquals(72_428_643.758, first.score(), 0.01, "the score is `consumed`, not the group's primary score");
        assertEquals("msgs/s", first.unit());
        assertEquals(Shape.FANOUT_ONE_TO_FOUR, rows.get(3).shape());
    }

    @Test
    void bytesPerMessageRescalesTheNormByInvocationsPerMessage() throws IOException
    {
        final JmhResult abq = JmhResult.read(sample).stream()
            .filter(r -> r.simpleClassName().equals("OneToOneThroughput") && r.param("contender").equals("abq"))
            .findFirst().orElseThrow();
        final ThroughputRow row = ThroughputRow.of(abq).orElseThrow();
        final double norm = abq.secondary("gc.alloc.rate.norm").score();

        assertEquals(norm, row.allocBytesPerOp(), 1e-12);
        assertEquals(norm * abq.primary().score() / abq.secondary("consumed").score(), row.allocBytesPerMessage(), 1e-9);
    }

    @Test
    void latencyLinesOfSeveralForksAreMergedAsHistograms() throws IOException
    {
        final Path jsonl = dir.resolve("latency-merge.jsonl");
        final Histogram fork1 = new Histogram(60_000_000_000L, 3);
        final Histogram fork2 = new Histogram(60_000_000_000L, 3);
        for (int i = 0; i < 990; i++)
        {
            fork1.recordValue(1_000);           // 1 us
        }
        for (int i = 0; i < 10; i++)
        {
            fork2.recordValue(5_000_000);       // 5 ms: the 1% tail lives in the second fork only
        }
        LatencyLog.append(jsonl, "disruptor", 100_000, fork1);
        LatencyLog.append(jsonl, "disruptor", 100_000, fork2);

        final List<LatencyRow> rows = LatencyRow.read(jsonl, JmhResult.read(sample));

        assertEquals(1, rows.size());
        final LatencyRow row = rows.get(0);
        assertEquals(1_000, row.count());
        assertEquals(1.0, row.p50Micros(), 0.01);
        assertEquals(5_000, row.p999Micros(), 5, "p99.9 comes from the merged histogram, not an average of forks");
        assertEquals(96_774.398, row.achievedRate(), 0.01, "achieved rate is the JMH run's consumed score");
    }

    @Test
    void reportWritesMarkdownTableAndPngCharts() throws IOException
    {
        final Path out = dir.resolve("report");
        final Path jsonl = dir.resolve("latency-report.jsonl");
        final Histogram histogram = new Histogram(60_000_000_000L, 3);
        for (long v = 1; v <= 10_000; v++)
        {
            histogram.recordValue(v * 100);
        }
        LatencyLog.append(jsonl, "disruptor", 100_000, histogram);
        LatencyLog.append(jsonl, "abq", 100_000, histogram);

        final ReportMain.Report report = ReportMain.generate(out, "test", "run.sh test",
            List.of("load average 0.00 before the run"), List.of(sample, dir.resolve("missing.json")), List.of(jsonl));

        final String md = Files.readString(report.markdown());
        assertTrue(md.contains("| Profile | test |"), md);
        assertTrue(md.contains("| Command | `run.sh test` |"), md);
        assertTrue(md.contains("| Note | load average 0.00 before the run |"), md);
        assertTrue(md.contains("| Cores | " + Runtime.getRuntime().availableProcessors()), md);
        assertTrue(md.contains("| OneToOneThroughput | disruptor | 1P1C | 72,428,644 ± n/a | msgs/s |"), md);
        assertTrue(md.contains("| disruptor | 100,000 | 96,774 | 10,000 |"), md);
        assertTrue(md.contains("No acks"), "semantics notes come from the registry");
        assertEquals(4, report.throughputRows());
        assertEquals(2, report.latencyRows());
        assertEquals(List.of(out.resolve("throughput.png"), out.resolve("latency-100000.png")), report.charts());
        for (final Path png : report.charts())
        {
            final byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
            assertArrayEquals(PNG_MAGIC, head, png + " is a PNG");
            assertTrue(Files.size(png) > 10_000, png + " has a drawn chart in it");
        }
    }

    @Test
    void jsonReaderHandlesJmhNaNStringsAndEscapes()
    {
        final Map<String, Object> json = Json.object(Json.parse(
            "{\"a\": \"NaN\", \"b\": -1.5e3, \"c\": [true, false, null], \"d\": \"x\\\"\\u00b5s\"}"));
        assertTrue(Double.isNaN(Json.number(json.get("a"))));
        assertEquals(-1500.0, Json.number(json.get("b")));
        assertEquals(Arrays.asList(true, false, null), json.get("c"));
        assertEquals("x\"µs", json.get("d"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} trailing"));
    }
}
