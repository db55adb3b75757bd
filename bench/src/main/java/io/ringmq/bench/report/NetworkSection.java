package io.ringmq.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The "Network brokers (PerfTest)" section of RESULTS.md. */
final class NetworkSection
{
    static final String TITLE = "Network brokers (PerfTest)";

    private NetworkSection()
    {
    }

    /**
     * @param results null when the run had no network stage
     * @param charts  file names of the network charts, in order
     */
    static void render(final StringBuilder md, final NetworkResults results, final List<Targets.Target> targets,
                       final List<String> charts)
    {
        md.append("## ").append(TITLE).append("\n\n");
        if (results == null)
        {
            md.append("_Not in this run_ (`RINGMQ_BENCH_STAGES=network`, or the full profile; see bench/README.md).\n\n");
            return;
        }
        md.append("RabbitMQ, Apache Qpid Broker-J and RingMQ's AMQP 0-9-1 listener, one at a time on 127.0.0.1, "
            + "each driven by RabbitMQ's own load tool with the same flags: ").append(results.perfTest())
            .append(results.client().isEmpty() ? "" : ", " + results.client())
            .append(", in its own JVM. Each measured run lasts ").append(results.seconds())
            .append(" s, after a discarded warm-up run against the same broker. 1 producer, 1 consumer, one "
                + "queue; the rates are PerfTest's summary (`sending rate avg`, `receiving rate avg`: totals over the "
                + "run). A run *stands* when PerfTest ended normally and received is within ")
            .append(whole(NetworkResults.BALANCE_TOLERANCE * 100)).append("% of sent (a latency run must also "
                + "reach its rate): otherwise the queue grew during the run, and its rate is not one the broker can "
                + "sustain. Latency is PerfTest's consumer latency: publish to delivery, both stamped with "
                + "`System.nanoTime()` in PerfTest's JVM, estimated from a 1,028-sample decaying reservoir. "
                + "Throughput runs publish as fast as they can, so their latency is mostly time spent queued; the "
                + "fixed-rate runs measure the broker at 10,000 msgs/s. The machine has 2 cores, shared by "
                + "PerfTest, the broker and anything else running: every figure is noisy.\n\n");

        brokers(md, results);
        targets(md, targets);
        ceiling(md, results);
        for (final NetworkWorkload w : NetworkWorkload.values())
        {
            if (w.kind() == NetworkWorkload.Kind.THROUGHPUT || w.kind() == NetworkWorkload.Kind.LATENCY)
            {
                workload(md, results, w);
            }
        }
        for (final String chart : charts)
        {
            md.append("![network](").append(chart).append(")\n\n");
        }
    }

    private static void brokers(final StringBuilder md, final NetworkResults results)
    {
        md.append("| Broker | Leg | What ran | Leg time | Broker CPU, cores | Other processes' CPU, cores |\n");
        md.append("|---|---|---|--:|--:|--:|\n");
        for (final String name : NetworkResults.BROKERS)
        {
            final Optional<NetworkResults.Broker> broker = results.broker(name);
            md.append("| ").append(NetworkResults.displayName(name)).append(" | ");
            if (broker.isEmpty())
            {
                md.append("not run | – | – | – | – |\n");
                continue;
            }
            final NetworkResults.Broker b = broker.get();
            md.append(b.status()).append(" | ").append(b.detail().isEmpty() ? "–" : b.detail())
                .append(" | ").append(b.seconds()).append(" s | ").append(cores(b.brokerCpu()))
                .append(" | ").append(cores(b.otherCpu())).append(" |\n");
        }
        md.append("\nBroker CPU: the broker's processes over its leg. Other processes: all CPUs' busy time "
            + "(`/proc/stat`) minus the leg's broker and PerfTest JVMs; above ~0.1 core the leg was disturbed.\n\n");
    }

    private static void targets(final StringBuilder md, final List<Targets.Target> targets)
    {
        md.append("### Targets (network)\n\n");
        md.append("Computed by `io.ringmq.bench.report.NetworkTargets` from the runs below. Throughput: PerfTest's "
            + "received rate; RingMQ's run must stand or the target is a MISS. A comparison broker's figure is "
            + "its received rate even if its own run did not stand, and the row says so. n/a: an input was not "
            + "run (RingMQ's listener not built yet, a broker that did not start).\n\n");
        md.append("| Target | Measured | Ratio | Goal | Result |\n|---|---|--:|---|---|\n");
        int pass = 0;
        int miss = 0;
        int notRun = 0;
        for (final Targets.Target t : targets)
        {
            switch (t.status())
            {
                case PASS -> pass++;
                case MISS -> miss++;
                case NOT_RUN -> notRun++;
            }
            md.append("| ").append(t.name()).append(" | ").append(t.measured()).append(" | ").append(t.value())
                .append(" | ").append(t.goal()).append(" | ").append(ResultsMarkdown.status(t.status())).append(" |\n");
        }
        md.append('\n').append(String.format(Locale.ROOT, "%d PASS, %d MISS, %d n/a.%n%n", pass, miss, notRun));
    }

    private static void ceiling(final StringBuilder md, final NetworkResults results)
    {
        md.append("### PerfTest's ceiling on this machine\n\n");
        md.append("How fast PerfTest itself can go, with the broker doing the least it can: `publish-only` "
            + "publishes with no queue bound (each message is unroutable and dropped), `drain` is a lone auto-ack "
            + "consumer emptying a queue that a producer filled for it (rate: the mean of its once-a-second "
            + "samples while messages arrived). The ceiling of a 1-producer 1-consumer run is the lower of the "
            + "best of each over all brokers; it is an upper bound, since in a real run the broker needs the same "
            + "2 cores.\n\n");
        md.append("| Broker |");
        final List<NetworkWorkload> runs = List.of(NetworkWorkload.PUBLISH_ONLY_12, NetworkWorkload.DRAIN_12,
            NetworkWorkload.PUBLISH_ONLY_1K, NetworkWorkload.DRAIN_1K);
        for (final NetworkWorkload w : runs)
        {
            md.append(' ').append(w.label()).append(", msgs/s |");
        }
        md.append("\n|---|").append("--:|".repeat(runs.size())).append('\n');
        for (final String broker : NetworkResults.BROKERS)
        {
            md.append("| ").append(NetworkResults.displayName(broker)).append(" |");
            for (final NetworkWorkload w : runs)
            {
                md.append(' ').append(results.run(broker, w).map(NetworkSection::ceilingCell).orElse("–")).append(" |");
            }
            md.append('\n');
        }
        md.append('\n');
        md.append("| Size | Best publish-only, msgs/s | Best drain, msgs/s | PerfTest's 1-producer 1-consumer ceiling, msgs/s |\n");
        md.append("|---|--:|--:|--:|\n");
        for (final int size : List.of(NetworkWorkload.AUTO_ACK_12.size(), NetworkWorkload.AUTO_ACK_1K.size()))
        {
            final NetworkResults.Ceiling c = results.ceiling(size);
            md.append("| ").append(NetworkWorkload.sizeLabel(size))
                .append(" | ").append(rate(c.publishRate())).append(c.publish().map(r -> " (" + r.broker() + ")").orElse(""))
                .append(" | ").append(rate(c.drainRate())).append(c.drain().map(r -> " (" + r.broker() + ")").orElse(""))
                .append(" | **").append(rate(c.rate())).append("** |\n");
        }
        md.append('\n');
    }

    private static String ceilingCell(final NetworkResults.Run run)
    {
        if (!run.stands())
        {
            return "(" + run.problem() + ")";
        }
        return rate(run.workload().kind() == NetworkWorkload.Kind.DRAIN
            ? run.output().receivedWhileFlowing() : run.output().sentRate());
    }

    private static void workload(final StringBuilder md, final NetworkResults results, final NetworkWorkload w)
    {
        final String flags = results.runs().stream().filter(r -> r.workload() == w).map(NetworkResults.Run::flags)
            .findFirst().orElse("");
        md.append("### ").append(w.label()).append("\n\n`").append(flags).append("`\n\n");
        final boolean confirms = w.mode() == NetworkWorkload.Mode.CONFIRM;
        final double ceiling = results.ceiling(w.size()).rate();
        md.append("| Broker | Sent msgs/s | Received msgs/s | Received ÷ sent | Of PerfTest's ceiling | Consumer latency "
            + "min / median / p75 / p95 / p99 µs |").append(confirms ? " Confirm latency, same, µs |" : "")
            .append(" Run |\n");
        md.append("|---|--:|--:|--:|--:|--:|").append(confirms ? "--:|" : "").append("---|\n");
        for (final String broker : NetworkResults.BROKERS)
        {
            final Optional<NetworkResults.Run> found = results.run(broker, w);
            md.append("| ").append(NetworkResults.displayName(broker)).append(" | ");
            if (found.isEmpty())
            {
                md.append("– | – | – | – | – |").append(confirms ? " – |" : "").append(' ')
                    .append(notRunReason(results, broker)).append(" |\n");
                continue;
            }
            final NetworkResults.Run run = found.get();
            final PerfTestOutput out = run.output();
            md.append(rate(out.sentRate())).append(" | ").append(rate(out.receivedRate()))
                .append(" | ").append(Double.isNaN(run.balance()) ? "n/a" : String.format(Locale.ROOT, "%.3f", run.balance()))
                .append(" | ").append(Double.isNaN(ceiling) || !out.complete() ? "n/a"
                    : String.format(Locale.ROOT, "%.0f%%", 100 * out.receivedRate() / ceiling))
                .append(" | ").append(latency(out.consumerLatency()))
                .append(confirms ? " | " + latency(out.confirmLatency()) : "")
                .append(" | ").append(run.stands() ? "stands" : "**" + run.problem() + "**").append(" |\n");
        }
        md.append('\n');
    }

    private static String notRunReason(final NetworkResults results, final String broker)
    {
        return results.broker(broker).map(b -> b.ran() ? "not run" : b.status()).orElse("not run");
    }

    private static String latency(final PerfTestOutput.Latency latency)
    {
        if (latency == null)
        {
            return "n/a";
        }
        final StringBuilder text = new StringBuilder();
        for (final double v : latency.values())
        {
            text.append(text.length() == 0 ? "" : " / ").append(String.format(Locale.ROOT, "%,.0f", v));
        }
        return text.toString();
    }

    static String rate(final double value)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String cores(final double value)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String whole(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
