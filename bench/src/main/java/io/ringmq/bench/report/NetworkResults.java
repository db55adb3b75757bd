package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The network stage's results file, {@code network-<profile>.jsonl}, as {@code bench/scripts/perftest.sh} writes it:
 * one JSON object per line.
 *
 * <pre>
 * {"type":"stage","perftest":"RabbitMQ Perf Test 2.22.1 (...)","client":"RabbitMQ AMQP Client version: 5.25.0","seconds":15}
 * {"type":"run","broker":"rabbitmq","workload":"auto-ack-12B","flags":"-x 1 -y 1 -s 12 -a -z 15","exit":0,"output":"id: ..."}
 * {"type":"broker","broker":"rabbitmq","status":"ran","detail":"RabbitMQ 3.10.8 ...","otherCpu":0.04,"brokerCpu":0.93,"seconds":212}
 * </pre>
 *
 * A broker's status is {@code ran}, {@code not-built} (RingMQ's listener is not there yet) or {@code failed}
 * (it did not start; {@code detail} says why). {@code output} is PerfTest's console, stdout and stderr.
 */
record NetworkResults(String perfTest, String client, int seconds, List<Broker> brokers, List<Run> runs)
{
    static final String RABBITMQ = "rabbitmq";
    static final String QPID = "qpid";
    static final String RINGMQ = "ringmq";
    /** The brokers in the order the stage runs them. */
    static final List<String> BROKERS = List.of(RABBITMQ, QPID, RINGMQ);

    /**
     * A run whose received rate is not within this fraction of its sent rate did not keep up: messages piled
     * up in the broker (or in flight), so its rate is not a sustainable one.
     */
    static final double BALANCE_TOLERANCE = 0.05;

    /** One broker's leg of the stage. */
    record Broker(String name, String status, String detail, double otherCpu, double brokerCpu, int seconds)
    {
        boolean ran()
        {
            return "ran".equals(status);
        }
    }

    /** One PerfTest run against one broker. */
    record Run(String broker, NetworkWorkload workload, String flags, int exit, PerfTestOutput output)
    {
        /** Received ÷ sent, from PerfTest's summary; NaN without one. */
        double balance()
        {
            return output.receivedRate() / output.sentRate();
        }

        /**
         * Why this run's figures do not stand, or null when they do: PerfTest failed or printed no summary, or
         * (throughput and latency runs) received and sent differ by more than {@link #BALANCE_TOLERANCE}, or a
         * latency run did not reach its fixed rate.
         */
        String problem()
        {
            if (exit != 0)
            {
                return "PerfTest exited with " + exit + firstError();
            }
            if (!output.complete())
            {
                return "no PerfTest summary" + firstError();
            }
            final NetworkWorkload.Kind kind = workload.kind();
            if (kind == NetworkWorkload.Kind.THROUGHPUT || kind == NetworkWorkload.Kind.LATENCY)
            {
                final double balance = balance();
                if (!(Math.abs(1 - balance) <= BALANCE_TOLERANCE))
                {
                    return String.format(Locale.ROOT, "received %s sent: the queue grew", Targets.times(balance));
                }
                if (kind == NetworkWorkload.Kind.LATENCY
                    && output.receivedRate() < (1 - BALANCE_TOLERANCE) * NetworkWorkload.LATENCY_RATE)
                {
                    return String.format(Locale.ROOT, "reached only %,.0f of %,d msgs/s", output.receivedRate(),
                        NetworkWorkload.LATENCY_RATE);
                }
            }
            if (kind == NetworkWorkload.Kind.DRAIN && Double.isNaN(output.receivedWhileFlowing()))
            {
                return "nothing to drain";
            }
            return null;
        }

        boolean stands()
        {
            return problem() == null;
        }

        private String firstError()
        {
            return output.errors().isEmpty() ? "" : ": " + output.errors().get(0);
        }
    }

    /**
     * PerfTest's ceiling for one message size: the best publish-only rate and the best drain rate seen on any
     * broker. A 1-producer 1-consumer run can go no faster than the slower of the two, with the broker doing
     * next to nothing; in a real run the broker also needs CPU on the same cores, so the true ceiling is lower.
     */
    record Ceiling(int size, Optional<Run> publish, Optional<Run> drain)
    {
        double publishRate()
        {
            return publish.map(r -> r.output().sentRate()).orElse(Double.NaN);
        }

        double drainRate()
        {
            return drain.map(r -> r.output().receivedWhileFlowing()).orElse(Double.NaN);
        }

        /** min(publish, drain); NaN when either is missing. */
        double rate()
        {
            return Math.min(publishRate(), drainRate());
        }
    }

    static NetworkResults read(final Path jsonl) throws IOException
    {
        String perfTest = "PerfTest (version not recorded)";
        String client = "";
        int seconds = 0;
        final List<Broker> brokers = new ArrayList<>();
        final List<Run> runs = new ArrayList<>();
        for (final String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            final Map<String, Object> json = Json.object(Json.parse(line));
            switch (String.valueOf(json.get("type")))
            {
                case "stage" ->
                {
                    perfTest = string(json, "perftest");
                    client = string(json, "client");
                    seconds = (int) Json.number(json.get("seconds"));
                }
                case "broker" -> brokers.add(new Broker(string(json, "broker"), string(json, "status"),
                    string(json, "detail"), Json.number(json.get("otherCpu")), Json.number(json.get("brokerCpu")),
                    (int) Json.number(json.get("seconds"))));
                case "run" ->
                {
                    final NetworkWorkload workload = NetworkWorkload.byId(string(json, "workload"));
                    if (workload != null)
                    {
                        runs.add(new Run(string(json, "broker"), workload, string(json, "flags"),
                            (int) Json.number(json.get("exit")), PerfTestOutput.parse(string(json, "output"))));
                    }
                }
                default ->
                {
                    // a line of a newer runner: ignored rather than failing the whole report
                }
            }
        }
        return new NetworkResults(perfTest, client, seconds, List.copyOf(brokers), List.copyOf(runs));
    }

    Optional<Run> run(final String broker, final NetworkWorkload workload)
    {
        return runs.stream().filter(r -> r.broker().equals(broker) && r.workload() == workload).findFirst();
    }

    Optional<Broker> broker(final String name)
    {
        return brokers.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The ceiling for one message size, from the publish-only and drain runs that stand. */
    Ceiling ceiling(final int size)
    {
        Optional<Run> publish = Optional.empty();
        Optional<Run> drain = Optional.empty();
        for (final Run run : runs)
        {
            if (run.workload().size() != size || !run.stands())
            {
                continue;
            }
            if (run.workload().kind() == NetworkWorkload.Kind.PUBLISH_ONLY
                && (publish.isEmpty() || run.output().sentRate() > publish.get().output().sentRate()))
            {
                publish = Optional.of(run);
            }
            if (run.workload().kind() == NetworkWorkload.Kind.DRAIN
                && (drain.isEmpty() || run.output().receivedWhileFlowing() > drain.get().output().receivedWhileFlowing()))
            {
                drain = Optional.of(run);
            }
        }
        return new Ceiling(size, publish, drain);
    }

    /** How the report names a broker. */
    static String displayName(final String broker)
    {
        return switch (broker)
        {
            case RABBITMQ -> "RabbitMQ";
            case QPID -> "Qpid Broker-J";
            case RINGMQ -> "RingMQ";
            default -> broker;
        };
    }

    private static String string(final Map<String, Object> json, final String key)
    {
        final Object value = json.get(key);
        return value == null ? "" : value.toString();
    }
}
