package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.DoublePredicate;
import java.util.function.Predicate;

import io.ringmq.bench.RoutingBenchmark;
import io.ringmq.bench.engine.RingMqPushThroughput;
import io.ringmq.bench.throughput.OneToOneThroughput;

/**
 * The performance targets of issues #6 and #13, each computed from the results being reported: every number
 * in the table is read from this run's JMH files and latency histograms, none is typed in. A target whose
 * inputs are missing (RabbitMQ not started, a stage not run) is {@link Status#NOT_RUN}, never a PASS.
 * <p>
 * The throughput ratios against the Disruptor and the other peers come from the pipeline harness
 * ({@link PipelineTargets}, with a spread over forks); the ratios against the brokers still come from the
 * side-by-side harness, labelled "second view". Ratios compare means.
 */
final class Targets
{
    /** RingMQ (acked) ≥ this × embedded Artemis (acked), 1P1C. */
    static final double VS_ARTEMIS = 100;
    /** RingMQ (acked) ≥ this × RabbitMQ over loopback (acked), 1P1C. */
    static final double VS_RABBITMQ = 1000;
    /** "0 B/op": gc.alloc.rate.norm of every push trial at most this (JMH's own bookkeeping is not quite 0). */
    static final double PUSH_MAX_BYTES_PER_OP = 1.0;
    /** The offered rate of the latency target, and the allowed p99.9 ratio to the Disruptor's there. */
    static final long LATENCY_RATE = 1_000_000;
    static final double P999_VS_DISRUPTOR = 2.0;
    /** Issue #13: a route at {@link #ROUTING_BINDINGS} costs at most this × a bare {@code HashMap.get}. */
    static final String ROUTING_BINDINGS = "100000";
    static final double ROUTE_VS_HASHMAP = 3.0;
    static final String DIRECT_ROUTE = "direct";
    static final String TOPIC_EXACT_ROUTE = "topicExact";
    static final String HASHMAP_BASELINE = "directHashMapBaseline";
    /** 100,000 bindings declared one by one, in milliseconds. */
    static final double DECLARE_100K_MILLIS = 2000;

    static final String RINGMQ_AUTO = "ringmq-autoack";
    static final String RINGMQ_MANUAL = "ringmq-manualack";
    static final String DISRUPTOR = "disruptor";
    static final String ARTEMIS = "artemis";
    static final String RABBITMQ = "rabbitmq";

    /** PASS or MISS against the goal; NOT_RUN when an input is not in the results. */
    enum Status
    {
        PASS, MISS, NOT_RUN
    }

    /**
     * One line of the table.
     *
     * @param measured the inputs, with where they come from
     * @param value    the ratio (or the value, for the absolute targets) as compared with the goal
     */
    record Target(String name, String measured, String value, String goal, Status status)
    {
    }

    /** A figure read from the results: its value, unit and a short label saying where it comes from. */
    record Figure(double value, String unit, String label)
    {
        boolean present()
        {
            return !Double.isNaN(value);
        }
    }

    static final Figure MISSING = new Figure(Double.NaN, "", "");

    private Targets()
    {
    }

    /**
     * @param pipelineLatency the {@code PipelineLatency} rows: the latency target is read from that view, where
     *                        every peer consumes on its own thread ({@link PipelineLatencyTarget})
     */
    static List<Target> compute(final List<JmhResult> results, final List<PipelineLatencyRow> pipelineLatency)
    {
        final Figure harnessManual = harness(results, RINGMQ_MANUAL);
        final Figure pushManual = push(results, "manual");
        final Figure artemis = harness(results, ARTEMIS);
        final Figure rabbit = harness(results, RABBITMQ);

        // Issue #13: the throughput ratios come from the pipeline harness, peers at their best.
        final List<Target> targets = new ArrayList<>(PipelineTargets.compute(PipelineRow.of(results)));
        targets.add(pushAllocation(results, "auto"));
        targets.add(pushAllocation(results, "manual"));
        targets.add(PipelineLatencyTarget.p999(pipelineLatency));
        targets.add(atMost("Direct route at 100k bindings within " + times(ROUTE_VS_HASHMAP) + " a bare `HashMap.get`",
            routing(results, DIRECT_ROUTE), routing(results, HASHMAP_BASELINE), ROUTE_VS_HASHMAP));
        targets.add(atMost("Topic route without wildcards at 100k bindings within " + times(ROUTE_VS_HASHMAP)
                + " a bare `HashMap.get`", routing(results, TOPIC_EXACT_ROUTE), topicExactBaseline(results),
            ROUTE_VS_HASHMAP));
        targets.add(declare(results));
        // Issue #6's broker ratios, still from the side-by-side @Group harness (RabbitMQ is not in the pipeline).
        final String artemisName = "≥ " + whole(VS_ARTEMIS) + "× embedded Artemis, 1P1C, both acking (second view: ";
        targets.add(atLeast(artemisName + "harness manual ack)", harnessManual, artemis, VS_ARTEMIS));
        targets.add(atLeast(artemisName + "push manual ack)", pushManual, artemis, VS_ARTEMIS));
        final String rabbitName = "≥ " + whole(VS_RABBITMQ) + "× RabbitMQ on loopback, 1P1C, both acking (second view: ";
        targets.add(atLeast(rabbitName + "harness manual ack)", harnessManual, rabbit, VS_RABBITMQ));
        targets.add(atLeast(rabbitName + "push manual ack)", pushManual, rabbit, VS_RABBITMQ));
        return targets;
    }

    /**
     * The topic-exact route's baseline: its own {@code HashMap} baseline if the routing benchmark has one, else
     * the direct one (the same {@code HashMap.get} of a key among 100k).
     */
    private static Figure topicExactBaseline(final List<JmhResult> results)
    {
        final Figure own = routing(results, TOPIC_EXACT_ROUTE + "HashMapBaseline");
        return own.present() ? own : routing(results, HASHMAP_BASELINE);
    }

    // ------------------------------------------------------------------ the figures

    /** The harness's 1P1C {@code consumed} rate of a contender. */
    private static Figure harness(final List<JmhResult> results, final String contender)
    {
        return find(results, r -> r.className().equals(OneToOneThroughput.class.getName())
            && r.param("contender").equals(contender))
            .map(r -> Optional.ofNullable(r.secondary(ThroughputRow.CONSUMED))
                .map(m -> new Figure(m.score(), "msgs/s", contender))
                .orElse(MISSING))
            .orElse(MISSING);
    }

    /** {@code RingMqPushThroughput.OneToOne}'s publish rate (= its delivery rate) with an ack mode. */
    private static Figure push(final List<JmhResult> results, final String ack)
    {
        final String prefix = RingMqPushThroughput.OneToOne.class.getCanonicalName() + ".";
        return find(results, r -> r.benchmark().startsWith(prefix) && r.param("ack").equals(ack))
            .map(r -> new Figure(r.primary().score(), "msgs/s", "push ack=" + ack))
            .orElse(MISSING);
    }

    /** A {@code RoutingBenchmark} method's ns/op at {@link #ROUTING_BINDINGS}. */
    private static Figure routing(final List<JmhResult> results, final String method)
    {
        final String name = RoutingBenchmark.class.getName() + "." + method;
        return find(results, r -> r.benchmark().equals(name) && r.param("bindings").equals(ROUTING_BINDINGS))
            .map(r -> new Figure(r.primary().score(), r.primary().unit(), method))
            .orElse(MISSING);
    }

    private static Optional<JmhResult> find(final List<JmhResult> results,
                                            final Predicate<JmhResult> which)
    {
        return results.stream().filter(which).findFirst();
    }

    // ------------------------------------------------------------------ the targets

    static Target atLeast(final String name, final Figure ours, final Figure theirs, final double min)
    {
        return ratio(name, ours, theirs, "≥ ", min, r -> r >= min);
    }

    private static Target atMost(final String name, final Figure ours, final Figure theirs, final double max)
    {
        return ratio(name, ours, theirs, "≤ ", max, r -> r <= max);
    }

    static Target ratio(final String name, final Figure ours, final Figure theirs, final String comparison,
                                final double bar, final DoublePredicate pass)
    {
        final String goal = comparison + times(bar);
        if (!ours.present() || !theirs.present() || theirs.value() == 0)
        {
            return notRun(name, ours, theirs, goal);
        }
        final double ratio = ours.value() / theirs.value();
        final String measured = ours.label() + " " + SuiteRow.number(ours.value()) + " ÷ " + theirs.label() + " "
            + SuiteRow.number(theirs.value()) + " " + theirs.unit();
        final boolean passed = pass.test(ratio);
        String shown = times(ratio);
        if (shown.equals(times(bar)) && !passed)
        {
            // 0.4996 would read "0.5×" beside "≥ 0.5×" and a MISS: show the digits that decide.
            shown = String.format(Locale.ROOT, "%.6f×", ratio);
        }
        return new Target(name, measured, shown, goal, passed ? Status.PASS : Status.MISS);
    }

    private static Target notRun(final String name, final Figure ours, final Figure theirs, final String goal)
    {
        final List<String> missing = new ArrayList<>();
        if (!ours.present())
        {
            missing.add("RingMQ's figure");
        }
        if (!theirs.present())
        {
            missing.add("the comparison's figure");
        }
        return new Target(name, "not in this run: " + (missing.isEmpty() ? "zero baseline" : String.join(" and ", missing)),
            "n/a", goal, Status.NOT_RUN);
    }

    /** The worst {@code gc.alloc.rate.norm} over every push trial with this ack mode. */
    private static Target pushAllocation(final List<JmhResult> results, final String ack)
    {
        final String name = "0 B/op on publish → deliver → " + ("auto".equals(ack) ? "auto-ack" : "ack")
            + " (RingMqPushThroughput, ack=" + ack + ", every shape)";
        final String goal = "≤ " + SuiteRow.number(PUSH_MAX_BYTES_PER_OP) + " B/op";
        JmhResult worst = null;
        double worstNorm = Double.NEGATIVE_INFINITY;
        int trials = 0;
        for (final JmhResult r : results)
        {
            final JmhResult.Metric norm = r.secondary(SuiteRow.ALLOC_NORM);
            if (Suite.ENGINE_PUSH.owns(r) && r.param("ack").equals(ack) && norm != null && !Double.isNaN(norm.score()))
            {
                trials++;
                if (norm.score() > worstNorm)
                {
                    worstNorm = norm.score();
                    worst = r;
                }
            }
        }
        if (worst == null)
        {
            return new Target(name, "not in this run: no push results with -prof gc", "n/a", goal, Status.NOT_RUN);
        }
        final String measured = "worst of " + trials + " trial(s): " + Suite.ENGINE_PUSH.method(worst)
            + " gc.alloc.rate.norm";
        return new Target(name, measured, SuiteRow.number(worstNorm) + " B/op", goal,
            worstNorm <= PUSH_MAX_BYTES_PER_OP ? Status.PASS : Status.MISS);
    }

    /** {@code RoutingBenchmark.declareBindings}, single shot, in milliseconds. */
    private static Target declare(final List<JmhResult> results)
    {
        final String name = "100,000 bindings declared one by one";
        final String goal = "< " + SuiteRow.number(DECLARE_100K_MILLIS) + " ms";
        final Optional<JmhResult> result = find(results,
            r -> r.benchmark().equals(RoutingBenchmark.class.getName() + ".declareBindings"));
        final double millis = result.map(r -> toMillis(r.primary().score(), r.primary().unit())).orElse(Double.NaN);
        if (Double.isNaN(millis))
        {
            return new Target(name, "not in this run: RoutingBenchmark.declareBindings", "n/a", goal, Status.NOT_RUN);
        }
        return new Target(name, "RoutingBenchmark.declareBindings, single shot, mean of "
            + result.get().measurementIterations() * Math.max(1, result.get().forks()) + " shot(s)",
            SuiteRow.number(millis) + " ms", goal, millis < DECLARE_100K_MILLIS ? Status.PASS : Status.MISS);
    }

    /** A JMH time-per-operation score in milliseconds; NaN for a unit that is not a time per op. */
    static double toMillis(final double score, final String unit)
    {
        return switch (unit)
        {
            case "s/op" -> score * 1e3;
            case "ms/op" -> score;
            case "us/op", "µs/op" -> score / 1e3;
            case "ns/op" -> score / 1e6;
            default -> Double.NaN;
        };
    }

    /**
     * A ratio as the table shows it, about three significant digits without trailing zeros: {@code 0.497×},
     * {@code 2.68×}, {@code 0.055×}, {@code 1,234×}, and {@code 1/2,500×} below 0.01.
     */
    static String times(final double ratio)
    {
        if (ratio > 0 && ratio < 0.01)
        {
            return "1/" + String.format(Locale.ROOT, "%,.0f", 1 / ratio) + "×";
        }
        if (ratio >= 10)
        {
            return String.format(Locale.ROOT, "%,.0f×", ratio);
        }
        final String format = ratio >= 1 ? "%.2f" : ratio >= 0.1 ? "%.3f" : "%.4f";
        return String.format(Locale.ROOT, format, ratio).replaceAll("0+$", "").replaceAll("\\.$", "") + "×";
    }

    private static String whole(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
