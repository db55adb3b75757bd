package io.ringmq.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.ringmq.bench.report.NetworkWorkload.Kind;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The network stage's side of the report: PerfTest's console output read back ({@code perftest-confirm.txt} and
 * {@code perftest-drain.txt} are real PerfTest 2.22.1 runs against RabbitMQ and Qpid), when a run stands, the
 * ceiling, the targets (on results written here with numbers whose ratios can be worked out by hand), and the
 * section and charts of RESULTS.md.
 */
class NetworkReportTest
{
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    static Path dir;
    private static String confirmRun;
    private static String drainRun;

    @BeforeAll
    static void readSamples() throws IOException
    {
        System.setProperty("java.awt.headless", "true");
        confirmRun = resource("/perftest-confirm.txt");
        drainRun = resource("/perftest-drain.txt");
    }

    // ------------------------------------------------------------------ PerfTest's output

    @Test
    void summaryRatesAndLatenciesComeFromTheLinesPerfTestPrintsWhenItStops()
    {
        final PerfTestOutput out = PerfTestOutput.parse(confirmRun);

        assertTrue(out.complete());
        assertEquals(4949, out.sentRate());
        assertEquals(4949, out.receivedRate());
        assertEquals("Reached time limit", out.stopReason());
        assertArrayEquals(new double[] {239, 30842, 51722, 101090, 154228}, out.consumerLatency().values(),
            "the summary's consumer latency, not a once-a-second line's");
        assertArrayEquals(new double[] {177, 26065, 46125, 114764, 129623}, out.confirmLatency().values());
        assertTrue(out.errors().isEmpty(), out.errors().toString());
    }

    @Test
    void onceASecondSamplesKeepEveryRateTheLinePrints()
    {
        final List<PerfTestOutput.Sample> samples = PerfTestOutput.parse(confirmRun).samples();

        assertEquals(3, samples.size(), "the 'starting producer' lines are not samples");
        assertEquals(new PerfTestOutput.Sample(2.028, 6158, 6116, 0, 6242), samples.get(1));
    }

    @Test
    void aConsumerOnlyRunHasNoSentRatesAndNoConfirmLatency()
    {
        final PerfTestOutput out = PerfTestOutput.parse(drainRun);

        assertEquals(4, out.samples().size());
        assertTrue(Double.isNaN(out.samples().get(0).sent()), "no producer: no sent rate in the line");
        assertEquals(12066, out.samples().get(0).received());
        assertNull(out.confirmLatency());
        assertEquals("Consumer queue(s) empty", out.stopReason());
    }

    @Test
    void theDrainRateLeavesOutTheSecondInWhichTheQueueRanEmpty()
    {
        final PerfTestOutput out = PerfTestOutput.parse(drainRun);

        // 12066, 9711, 33386 and the partial 1418: the mean of the first three
        assertEquals((12066 + 9711 + 33386) / 3.0, out.receivedWhileFlowing(), 1e-9);
        assertTrue(out.receivedWhileFlowing() > out.receivedRate(), "the summary also counts the idle tail");
        assertTrue(Double.isNaN(PerfTestOutput.parse("id: x, time 1.000 s, received: 0 msg/s")
            .receivedWhileFlowing()), "nothing arrived");
    }

    @Test
    void millisecondLatencyDecimalCommasAndSmallRatesAreReadAsPerfTestFormatsThem()
    {
        final PerfTestOutput out = PerfTestOutput.parse(String.join("\n",
            "id: t, time 1,001 s, sent: 0.50 msg/s, received: 5.5 msg/s, min/median/75th/95th/99th consumer latency: 1/2/3/4/5 ms",
            "id: t, sending rate avg: 12 msg/s",
            "id: t, receiving rate avg: 0 msg/s",
            "id: t, consumer latency min/median/75th/95th/99th 1/2/3/4/5 ms"));

        assertEquals(new PerfTestOutput.Sample(1.001, 0.5, Double.NaN, Double.NaN, 5.5), out.samples().get(0));
        assertArrayEquals(new double[] {1_000, 2_000, 3_000, 4_000, 5_000}, out.consumerLatency().values());
        assertEquals(0, out.receivedRate());
    }

    @Test
    void aRunThatCrashedHasNoSummaryAndKeepsItsErrorLines()
    {
        final PerfTestOutput out = PerfTestOutput.parse(String.join("\n",
            "id: t, starting consumer #0",
            "Main thread caught exception: java.net.ConnectException: Connection refused",
            "more noise"));

        assertFalse(out.complete());
        assertEquals(List.of("Main thread caught exception: java.net.ConnectException: Connection refused"), out.errors());
    }

    // ------------------------------------------------------------------ when a run stands

    @Test
    void aThroughputRunStandsOnlyWhenReceivedIsWithinFivePercentOfSent()
    {
        assertNull(run("ringmq", NetworkWorkload.AUTO_ACK_12, 100_000, 96_000, 0).problem());
        assertEquals("received 0.75× sent: the queue grew",
            run("ringmq", NetworkWorkload.AUTO_ACK_12, 100_000, 75_000, 0).problem());
        assertTrue(run("ringmq", NetworkWorkload.AUTO_ACK_12, 100_000, 100_000, 1).problem()
            .startsWith("PerfTest exited with 1"));
        final NetworkResults.Run crashed = new NetworkResults.Run("qpid", NetworkWorkload.AUTO_ACK_12, "",
            0, PerfTestOutput.parse("Main thread caught exception: java.io.IOException: boom"));
        assertEquals("no PerfTest summary: Main thread caught exception: java.io.IOException: boom", crashed.problem());
    }

    @Test
    void aLatencyRunMustAlsoReachItsFixedRate()
    {
        assertNull(run("rabbitmq", NetworkWorkload.LATENCY_12, 10_000, 9_990, 0).problem());
        assertEquals("reached only 8,000 of 10,000 msgs/s",
            run("rabbitmq", NetworkWorkload.LATENCY_12, 8_000, 8_000, 0).problem(),
            "balanced but slower than asked: the broker (or PerfTest) could not keep the rate");
    }

    @Test
    void publishOnlyRunsNeedNoConsumerToStand()
    {
        assertNull(run("rabbitmq", NetworkWorkload.PUBLISH_ONLY_12, 60_000, 0, 0).problem());
    }

    // ------------------------------------------------------------------ ceiling

    @Test
    void theCeilingIsTheLowerOfTheBestPublishOnlyAndTheBestDrainOverAllBrokers() throws IOException
    {
        final NetworkResults results = NetworkResults.read(write("ceiling", List.of(
            runLine("rabbitmq", NetworkWorkload.PUBLISH_ONLY_12, summary(80_000, 0)),
            runLine("qpid", NetworkWorkload.PUBLISH_ONLY_12, summary(120_000, 0)),
            runLine("rabbitmq", NetworkWorkload.DRAIN_12, drain(90_000, 110_000, 100_000, 5_000)),
            runLine("qpid", NetworkWorkload.DRAIN_12, drain(50_000, 50_000, 1_000)),
            runLine("ringmq", NetworkWorkload.PUBLISH_ONLY_12, "Main thread caught exception: boom"))));

        final NetworkResults.Ceiling c = results.ceiling(12);
        assertEquals(120_000, c.publishRate(), "qpid's; ringmq's crashed run does not count");
        assertEquals(100_000, c.drainRate(), 1e-9, "rabbitmq's: (90k + 110k + 100k) / 3, the partial last second left out");
        assertEquals(100_000, c.rate(), 1e-9);
        assertEquals("rabbitmq", c.drain().orElseThrow().broker());
        assertTrue(Double.isNaN(results.ceiling(1024).rate()), "no 1 KiB runs: no ceiling");
    }

    // ------------------------------------------------------------------ targets

    @Test
    void targetsAreRatiosOfThisRunsReceivedRatesAndP99s() throws IOException
    {
        final List<Target> targets = NetworkTargets.compute(NetworkResults.read(knownRun()));

        assertEquals(14, targets.size(), "6 throughput workloads × 2 brokers + 2 latency sizes");
        // auto-ack 12 B: 500k ÷ 80k = 6.25 (≥ 5), 500k ÷ 200k = 2.5 (< 3)
        check(targets, "5× RabbitMQ, auto-ack, 12 B", "6.25×", Status.PASS);
        check(targets, "3× Qpid Broker-J, auto-ack, 12 B", "2.5×", Status.MISS);
        // manual ack 12 B: RingMQ's queue grew, so whatever its rate it is a failed run
        final Target failed = check(targets, "5× RabbitMQ, manual ack, 12 B", "failed run", Status.MISS);
        assertTrue(failed.measured().contains("received 0.5× sent"), failed.measured());
        // confirms 12 B: qpid's own run did not balance; its received rate still counts, and the row says so
        final Target unbalanced = check(targets, "3× Qpid Broker-J, confirms, 12 B", "4×", Status.PASS);
        assertTrue(unbalanced.measured().contains("qpid (its run did not stand: received 0.8× sent"), unbalanced.measured());
        // latency: 800 µs ÷ 1,000 µs at 12 B; 1 KiB: 1,500 ÷ 1,000
        final Target p99 = check(targets, "p99 latency at 10,000 msgs/s below RabbitMQ's, 12 B", "0.8×", Status.PASS);
        assertTrue(p99.measured().contains("ringmq 800.0 ÷ rabbitmq 1,000 µs p99"), p99.measured());
        check(targets, "p99 latency at 10,000 msgs/s below RabbitMQ's, 1 KiB", "1.5×", Status.MISS);
        // no 1 KiB auto-ack run from RingMQ at all: n/a
        check(targets, "5× RabbitMQ, auto-ack, 1 KiB", "n/a", Status.NOT_RUN);
    }

    @Test
    void withoutRingMqsListenerEveryNetworkTargetIsNotRunNeverPassed() throws IOException
    {
        final List<String> lines = new ArrayList<>();
        lines.add(brokerLine("ringmq", "not-built", "RingMQ listener not built yet (no bin/ringmq-server)"));
        for (final NetworkWorkload w : NetworkWorkload.values())
        {
            lines.add(runLine("rabbitmq", w, summary(50_000, 50_000, 100)));
            lines.add(runLine("qpid", w, summary(40_000, 40_000, 100)));
        }
        final List<Target> targets = NetworkTargets.compute(NetworkResults.read(write("no-ringmq", lines)));

        assertEquals(14, targets.size());
        for (final Target t : targets)
        {
            assertEquals(Status.NOT_RUN, t.status(), t.name());
            assertTrue(t.measured().contains("RingMQ's figure"), t.measured());
        }
    }

    // ------------------------------------------------------------------ the plan

    @Test
    void everyThroughputModeRunsAtBothSizesWithOneProducerAndOneConsumer()
    {
        final List<NetworkWorkload> throughput = NetworkWorkload.ofKind(Kind.THROUGHPUT);
        final NetworkWorkload.Timing quick = NetworkWorkload.Timing.of("quick");

        assertEquals(6, throughput.size());
        for (final NetworkWorkload.Mode mode : NetworkWorkload.Mode.values())
        {
            assertEquals(List.of(12, 1024), throughput.stream().filter(w -> w.mode() == mode).map(NetworkWorkload::size).toList());
        }
        assertEquals("-x 1 -y 1 -s 1024 -q 500 -A 200 -c 500 -z 15", NetworkWorkload.CONFIRM_1K.flags(quick));
        assertEquals("-x 1 -y 1 -s 12 -q 500 -A 200 -r 10000 -z 15", NetworkWorkload.LATENCY_12.flags(quick));
        assertEquals("-x 1 -y 0 -s 12 -z 15", NetworkWorkload.PUBLISH_ONLY_12.flags(quick), "no queue: unroutable");
        assertEquals("-x 1 -y 1 -s 12 -a -z 60", NetworkWorkload.AUTO_ACK_12.flags(NetworkWorkload.Timing.of("full")));
    }

    @Test
    void eachDrainFollowsTheFillOfItsOwnQueue()
    {
        final List<NetworkWorkload> order = Arrays.asList(NetworkWorkload.values());
        assertEquals(NetworkWorkload.WARMUP, order.get(0), "the warm-up comes first");
        for (final NetworkWorkload drain : NetworkWorkload.ofKind(Kind.DRAIN))
        {
            final NetworkWorkload fill = order.get(order.indexOf(drain) - 1);
            assertEquals(Kind.FILL, fill.kind());
            assertEquals(drain.size(), fill.size());
            assertTrue(fill.flags(NetworkWorkload.Timing.of("quick")).contains("-u " + drain.drainQueue() + " -ad false"));
            assertTrue(drain.flags(NetworkWorkload.Timing.of("quick")).contains("-u " + drain.drainQueue() + " -p -a"));
        }
    }

    // ------------------------------------------------------------------ the report

    @Test
    void reportHasTheNetworkSectionWithItsTablesTargetsAndCharts() throws IOException
    {
        final Path out = dir.resolve("report");

        final ReportMain.Report report = ReportMain.generate(out, "test", "run.sh test", List.of(), List.of(),
            List.of(), knownRun());

        final String md = Files.readString(report.markdown());
        assertTrue(md.contains("## Network brokers (PerfTest)"), md);
        assertTrue(md.contains("RabbitMQ Perf Test 2.22.1"), md);
        assertTrue(md.contains("| RingMQ | not-built |") || md.contains("| RingMQ | ran |"), md);
        assertTrue(md.contains("### Targets (network)"), md);
        assertTrue(md.contains("### auto-ack, 12 B\n\n`-x 1 -y 1 -s 12 -a -z 15`"), md);
        assertTrue(md.contains("| RabbitMQ | 80,000 | 80,000 | 1.000 | 80% |"), "80k of a 100k ceiling: " + md);
        assertTrue(md.contains("| RingMQ | 100,000 | 50,000 | 0.500 |") && md.contains("**received 0.5× sent: the queue grew**"), md);
        assertTrue(md.contains("| 12 B | 150,000 (rabbitmq) | 100,000 (qpid) | **100,000** |"), md);
        assertEquals(14, report.networkTargets());
        for (final String chart : List.of(Charts.NETWORK_THROUGHPUT_PNG, Charts.NETWORK_LATENCY_PNG))
        {
            final Path png = out.resolve(chart);
            assertTrue(report.charts().contains(png), report.charts().toString());
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(Files.readAllBytes(png), 4));
            assertTrue(Files.size(png) > 10_000, "a drawn chart");
            assertTrue(md.contains("![network](" + chart + ")"), md);
        }
    }

    @Test
    void aReportWithoutTheNetworkStageSaysSo() throws IOException
    {
        final ReportMain.Report report = ReportMain.generate(dir.resolve("without"), "test", "run.sh test",
            List.of(), List.of(), List.of());

        final String md = Files.readString(report.markdown());
        assertTrue(md.contains("## Network brokers (PerfTest)\n\n_Not in this run_"), md);
        assertEquals(0, report.networkRuns());
    }

    // ------------------------------------------------------------------ known numbers

    /**
     * RabbitMQ 80k, Qpid 200k, RingMQ 500k received in auto-ack 12 B; RingMQ unbalanced in manual ack 12 B; Qpid
     * unbalanced in confirms 12 B (RingMQ 400k ÷ Qpid's 100k received); p99 at 10k: RingMQ 800 / 1,500 µs against
     * RabbitMQ's 1,000; ceiling at 12 B: publish 150k (rabbitmq), drain 100k (qpid).
     */
    private static Path knownRun() throws IOException
    {
        final List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"stage\",\"perftest\":\"RabbitMQ Perf Test 2.22.1 (test)\",\"client\":"
            + "\"RabbitMQ AMQP Client version: 5.25.0\",\"seconds\":15}");
        lines.add(runLine("rabbitmq", NetworkWorkload.AUTO_ACK_12, summary(80_000, 80_000, 50_000)));
        lines.add(runLine("qpid", NetworkWorkload.AUTO_ACK_12, summary(200_000, 200_000, 50_000)));
        lines.add(runLine("ringmq", NetworkWorkload.AUTO_ACK_12, summary(500_000, 500_000, 50_000)));
        lines.add(runLine("rabbitmq", NetworkWorkload.MANUAL_ACK_12, summary(60_000, 60_000, 50_000)));
        lines.add(runLine("ringmq", NetworkWorkload.MANUAL_ACK_12, summary(100_000, 50_000, 50_000)));
        lines.add(runLine("qpid", NetworkWorkload.CONFIRM_12, summary(125_000, 100_000, 50_000)));
        lines.add(runLine("ringmq", NetworkWorkload.CONFIRM_12, summary(400_000, 400_000, 50_000)));
        lines.add(runLine("rabbitmq", NetworkWorkload.LATENCY_12, summary(10_000, 10_000, 1_000)));
        lines.add(runLine("ringmq", NetworkWorkload.LATENCY_12, summary(10_000, 10_000, 800)));
        lines.add(runLine("rabbitmq", NetworkWorkload.LATENCY_1K, summary(10_000, 10_000, 1_000)));
        lines.add(runLine("ringmq", NetworkWorkload.LATENCY_1K, summary(10_000, 10_000, 1_500)));
        lines.add(runLine("rabbitmq", NetworkWorkload.PUBLISH_ONLY_12, summary(150_000, 0)));
        lines.add(runLine("qpid", NetworkWorkload.DRAIN_12, drain(100_000, 100_000, 100_000, 3_000)));
        lines.add(brokerLine("rabbitmq", "ran", "RabbitMQ 3.10.8"));
        lines.add(brokerLine("qpid", "ran", "Qpid Broker-J 10.1.0"));
        lines.add(brokerLine("ringmq", "ran", "bin/ringmq-server"));
        return write("known", lines);
    }

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

    private static NetworkResults.Run run(final String broker, final NetworkWorkload w, final double sent,
                                          final double received, final int exit)
    {
        return new NetworkResults.Run(broker, w, w.flags(NetworkWorkload.Timing.of("quick")), exit,
            PerfTestOutput.parse(summary(sent, received, 100)));
    }

    /** PerfTest's summary lines, with a consumer latency whose p99 is {@code p99} µs when given. */
    private static String summary(final double sent, final double received, final long... p99)
    {
        final StringBuilder text = new StringBuilder("test stopped (Reached time limit)\n")
            .append(String.format(Locale.ROOT, "id: t, sending rate avg: %.0f msg/s%n", sent))
            .append(String.format(Locale.ROOT, "id: t, receiving rate avg: %.0f msg/s%n", received));
        if (p99.length > 0)
        {
            text.append(String.format(Locale.ROOT, "id: t, consumer latency min/median/75th/95th/99th 1/2/3/4/%d µs%n", p99[0]));
        }
        return text.toString();
    }

    /** A consumer-only run's once-a-second lines with these received rates, then its summary. */
    private static String drain(final double... received)
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < received.length; i++)
        {
            text.append(String.format(Locale.ROOT, "id: t, time %d.000 s, received: %.0f msg/s, "
                + "min/median/75th/95th/99th consumer latency: 0/0/0/0/0 µs%n", i + 1, received[i]));
        }
        return text.append("test stopped (Consumer queue(s) empty)\n").append(summary(0, Arrays.stream(received).sum() / received.length))
            .toString();
    }

    private static String runLine(final String broker, final NetworkWorkload w, final String output)
    {
        return "{\"type\":\"run\",\"broker\":\"" + broker + "\",\"workload\":\"" + w.id() + "\",\"flags\":\""
            + w.flags(NetworkWorkload.Timing.of("quick")) + "\",\"exit\":0,\"output\":" + jsonString(output) + "}";
    }

    private static String brokerLine(final String broker, final String status, final String detail)
    {
        return "{\"type\":\"broker\",\"broker\":\"" + broker + "\",\"status\":\"" + status + "\",\"detail\":"
            + jsonString(detail) + ",\"otherCpu\":0.02,\"brokerCpu\":0.9,\"seconds\":200}";
    }

    private static String jsonString(final String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "") + "\"";
    }

    private static Path write(final String name, final List<String> lines) throws IOException
    {
        final Path file = dir.resolve(name + "-" + System.nanoTime() + ".jsonl");
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    private static String resource(final String name) throws IOException
    {
        try (InputStream in = NetworkReportTest.class.getResourceAsStream(name))
        {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
