package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.report.Targets.Status;

/**
 * The scale section: ScaleBenchmark's JSON lines read back, each of the four targets PASS or MISS on the
 * side of its threshold the figures put it, n/a when its figure is missing, and the section appended to a
 * RESULTS.md (or a note that the stage did not run).
 */
class ScaleSectionTest
{
    private static final String IDLE_1K =
        "{\"figure\":\"idle-queues\",\"queues\":1000,\"heapBytes\":1974880,\"bytesPerQueue\":1974.9,"
            + "\"declareMillis\":51.2,\"microsPerDeclare\":51.21,\"capacity\":8192}";
    private static final String IDLE_100K =
        "{\"figure\":\"idle-queues\",\"queues\":100000,\"heapBytes\":200932936,\"bytesPerQueue\":2009.3,"
            + "\"declareMillis\":1900.5,\"microsPerDeclare\":19.01,\"capacity\":8192}";
    private static final String CONSUMERS_10K =
        "{\"figure\":\"consumers\",\"consumers\":10000,\"messagesEach\":10,\"delivered\":100000,"
            + "\"consumersComplete\":10000,\"allServed\":true,\"publishMillis\":2246.6,\"elapsedMillis\":2248.7,"
            + "\"completionMinMillis\":2186.2,\"completionP50Millis\":2221.3,\"completionP99Millis\":2247.8,"
            + "\"completionMaxMillis\":2248.0,\"longestWaitMillis\":698.0,\"threadsBefore\":6,\"threadsPeak\":10,"
            + "\"threadsLive\":10}";

    @TempDir
    Path dir;

    @Test
    void figuresWithinEveryTargetPassAll() throws IOException
    {
        final List<ScaleSection.Target> targets = ScaleSection.targets(figures(IDLE_1K, IDLE_100K, CONSUMERS_10K));
        assertEquals(List.of(Status.PASS, Status.PASS, Status.PASS, Status.PASS), statuses(targets));
        assertEquals("1,901 ms", targets.get(1).measured());
        assertEquals("200.9 MB", targets.get(2).measured());
    }

    @Test
    void eachTargetMissesOnTheFarSideOfItsThreshold() throws IOException
    {
        final String fat = IDLE_1K.replace("\"bytesPerQueue\":1974.9", "\"bytesPerQueue\":4097");
        final String slowAndBig = IDLE_100K.replace("\"declareMillis\":1900.5", "\"declareMillis\":2000")
            .replace("\"heapBytes\":200932936", "\"heapBytes\":500000000");
        final String manyThreads = CONSUMERS_10K.replace("\"threadsPeak\":10", "\"threadsPeak\":17");
        final String unserved = CONSUMERS_10K.replace("\"allServed\":true", "\"allServed\":false");
        assertEquals(List.of(Status.MISS, Status.MISS, Status.MISS, Status.MISS),
            statuses(ScaleSection.targets(figures(fat, slowAndBig, manyThreads))));
        assertEquals(Status.MISS, ScaleSection.targets(figures(IDLE_100K, unserved)).get(3).status(),
            "a consumer left unserved misses, whatever the thread count");
    }

    @Test
    void aTargetWhoseFigureIsNotInTheRunIsNotApplicable() throws IOException
    {
        assertEquals(List.of(Status.PASS, Status.NOT_RUN, Status.NOT_RUN, Status.NOT_RUN),
            statuses(ScaleSection.targets(figures(IDLE_1K))));
    }

    @Test
    void appendsItsTablesAndTargetsToTheResultsOrSaysTheStageDidNotRun() throws IOException
    {
        final Path md = dir.resolve("RESULTS.md");
        Files.writeString(md, "# Results\n\n", StandardCharsets.UTF_8);
        final Path jsonl = dir.resolve("scale-quick.jsonl");
        Files.writeString(jsonl, IDLE_1K + "\n" + IDLE_100K + "\n\n" + CONSUMERS_10K + "\n", StandardCharsets.UTF_8);
        ScaleSection.appendTo(md, jsonl);
        final String text = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("# Results\n\n## " + ScaleSection.TITLE), text);
        assertTrue(text.contains("| 100,000 | 200.9 | 2,009 | 1,901 | 19.01 |"), text);
        assertTrue(text.contains("| 10,000 | 10 | 100,000 | yes | 6 → 10 | 2,186 / 2,221 / 2,248 / 2,248 | 698 |"), text);
        assertTrue(text.contains("| 10k consumers ≤ 16 threads | 10 threads at peak; every consumer served | ≤ 16, all served | **PASS** |"), text);

        final Path bare = dir.resolve("BARE.md");
        Files.writeString(bare, "", StandardCharsets.UTF_8);
        ScaleSection.appendTo(bare, dir.resolve("scale-missing.jsonl"));
        assertTrue(Files.readString(bare, StandardCharsets.UTF_8).contains("_Not in this run_"));
    }

    private List<Map<String, Object>> figures(final String... lines) throws IOException
    {
        final Path file = Files.createTempFile(dir, "scale", ".jsonl");
        Files.writeString(file, String.join("\n", lines), StandardCharsets.UTF_8);
        return ScaleSection.read(file);
    }

    private static List<Status> statuses(final List<ScaleSection.Target> targets)
    {
        return targets.stream().map(ScaleSection.Target::status).toList();
    }
}
