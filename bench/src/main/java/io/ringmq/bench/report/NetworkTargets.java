package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.ringmq.bench.report.Targets.Figure;
import io.ringmq.bench.report.Targets.Status;
import io.ringmq.bench.report.Targets.Target;

/**
 * The network stage's targets, computed from the PerfTest runs of the same report: RingMQ's listener ≥
 * {@value #VS_RABBITMQ}× RabbitMQ and ≥ {@value #VS_QPID}× Qpid Broker-J in every throughput workload, and a p99
 * latency at the fixed rate below RabbitMQ's. Nothing is typed in; the thresholds are these constants.
 *
 * <p>A throughput figure is PerfTest's summary {@code receiving rate avg}: what the consumer got. RingMQ's run must
 * also stand ({@link NetworkResults.Run#problem()}: sent ≈ received, PerfTest ended normally), or the target is a
 * MISS whatever its rate: a queue growing without bound is a failed run, not a fast one. A comparison broker's
 * figure is its received rate even when its own run did not balance (that is all it delivered), and the target
 * says so. A missing input (RingMQ's listener not built, a broker that did not start) is n/a, never a PASS.
 */
final class NetworkTargets
{
    static final double VS_RABBITMQ = 5;
    static final double VS_QPID = 3;

    private NetworkTargets()
    {
    }

    static List<Target> compute(final NetworkResults results)
    {
        final List<Target> targets = new ArrayList<>();
        for (final NetworkWorkload w : NetworkWorkload.ofKind(NetworkWorkload.Kind.THROUGHPUT))
        {
            for (final String theirs : List.of(NetworkResults.RABBITMQ, NetworkResults.QPID))
            {
                final double bar = theirs.equals(NetworkResults.RABBITMQ) ? VS_RABBITMQ : VS_QPID;
                final String name = String.format(Locale.ROOT, "RingMQ ≥ %s× %s, %s (received msgs/s)",
                    whole(bar), NetworkResults.displayName(theirs), w.label());
                targets.add(throughput(name, results, w, theirs, bar));
            }
        }
        for (final NetworkWorkload w : NetworkWorkload.ofKind(NetworkWorkload.Kind.LATENCY))
        {
            targets.add(latency(results, w));
        }
        return targets;
    }

    private static Target throughput(final String name, final NetworkResults results, final NetworkWorkload w,
                                     final String theirs, final double bar)
    {
        final Optional<NetworkResults.Run> ours = results.run(NetworkResults.RINGMQ, w);
        final Optional<NetworkResults.Run> base = results.run(theirs, w);
        final Figure baseline = base.filter(r -> r.output().complete())
            .map(r -> new Figure(r.output().receivedRate(), "msgs/s",
                theirs + (r.stands() ? "" : " (its run did not stand: " + r.problem() + ")")))
            .orElse(Targets.MISSING);
        final Target target = Targets.atLeast(name, received(ours), baseline, bar);
        return unlessOursFailed(target, ours, "≥ " + Targets.times(bar));
    }

    private static Target latency(final NetworkResults results, final NetworkWorkload w)
    {
        final String name = String.format(Locale.ROOT, "RingMQ p99 latency at %,d msgs/s below RabbitMQ's, %s",
            NetworkWorkload.LATENCY_RATE, w.sizeLabel());
        final Optional<NetworkResults.Run> ours = results.run(NetworkResults.RINGMQ, w);
        final Figure base = results.run(NetworkResults.RABBITMQ, w)
            .filter(r -> r.output().consumerLatency() != null)
            .map(r -> new Figure(r.output().consumerLatency().p99(), "µs p99", NetworkResults.RABBITMQ))
            .orElse(Targets.MISSING);
        final Figure figure = ours.filter(r -> r.output().consumerLatency() != null)
            .map(r -> new Figure(r.output().consumerLatency().p99(), "µs p99", NetworkResults.RINGMQ))
            .orElse(Targets.MISSING);
        final Target target = Targets.ratio(name, figure, base, "< ", 1.0, r -> r < 1);
        return unlessOursFailed(target, ours, "< " + Targets.times(1));
    }

    private static Figure received(final Optional<NetworkResults.Run> run)
    {
        return run.filter(r -> r.output().complete())
            .map(r -> new Figure(r.output().receivedRate(), "msgs/s", NetworkResults.RINGMQ))
            .orElse(Targets.MISSING);
    }

    /** A RingMQ run that does not stand is a MISS, whatever its numbers, with the reason in place of the ratio. */
    private static Target unlessOursFailed(final Target target, final Optional<NetworkResults.Run> ours,
                                           final String goal)
    {
        if (ours.isEmpty() || ours.get().stands())
        {
            return target;
        }
        return new Target(target.name(), "RingMQ's run did not stand: " + ours.get().problem(), "failed run", goal,
            Status.MISS);
    }

    private static String whole(final double value)
    {
        return String.format(Locale.ROOT, "%,.0f", value);
    }
}
