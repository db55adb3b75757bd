package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PerfTest runs of the network stage, with their flags: the one list the runner
 * ({@code bench/scripts/perftest.sh}) executes against every broker and the report reads back. Every broker gets
 * exactly these flags, in this order, plus {@code -h amqp://guest:guest@127.0.0.1:PORT} and an id.
 *
 * <p>Throughput and latency runs are 1 producer and 1 consumer ({@code -x 1 -y 1}) on one server-named,
 * non-durable, auto-delete queue behind PerfTest's direct exchange, non-persistent messages of 12 B (PerfTest's
 * minimum: a sequence number and a send timestamp) or 1 KiB, in three modes:
 * <ul>
 *   <li>auto-ack: {@code -a};</li>
 *   <li>manual ack: {@code -q 500 -A 200}, prefetch 500 and one {@code basic.ack(multiple)} per 200 deliveries,
 *       as in PerfTest's own documentation ({@code --multi-ack-every 200 -q 500}); PerfTest's defaults would be
 *       an ack per message with unlimited prefetch, which lets a broker push its whole queue into the client;</li>
 *   <li>confirms: the manual-ack consumer plus {@code -c 500}, at most 500 unconfirmed publishes (the
 *       documentation's {@code -q 500 -c 500}), so that confirms are the only difference from manual ack.</li>
 * </ul>
 * Latency runs are the manual-ack workload at a fixed {@code -r 10000}: PerfTest stamps each message with
 * {@code System.nanoTime()} when it publishes it and the consumer, in the same JVM, takes the difference.
 *
 * <p>PerfTest's own ceiling is measured with the broker doing the least it can: {@code publish-only} publishes
 * with no consumer and no queue bound ({@code -y 0}, so each message is unroutable and dropped on arrival);
 * {@code fill} then {@code drain} time a lone auto-ack consumer emptying a queue that a producer filled first
 * ({@code --exit-when empty}).
 */
enum NetworkWorkload
{
    WARMUP("warmup", Kind.WARMUP, Mode.AUTO_ACK, 12),
    AUTO_ACK_12("auto-ack-12B", Kind.THROUGHPUT, Mode.AUTO_ACK, 12),
    AUTO_ACK_1K("auto-ack-1KiB", Kind.THROUGHPUT, Mode.AUTO_ACK, 1024),
    MANUAL_ACK_12("manual-ack-12B", Kind.THROUGHPUT, Mode.MANUAL_ACK, 12),
    MANUAL_ACK_1K("manual-ack-1KiB", Kind.THROUGHPUT, Mode.MANUAL_ACK, 1024),
    CONFIRM_12("confirm-12B", Kind.THROUGHPUT, Mode.CONFIRM, 12),
    CONFIRM_1K("confirm-1KiB", Kind.THROUGHPUT, Mode.CONFIRM, 1024),
    LATENCY_12("latency-12B", Kind.LATENCY, Mode.MANUAL_ACK, 12),
    LATENCY_1K("latency-1KiB", Kind.LATENCY, Mode.MANUAL_ACK, 1024),
    PUBLISH_ONLY_12("publish-only-12B", Kind.PUBLISH_ONLY, Mode.AUTO_ACK, 12),
    PUBLISH_ONLY_1K("publish-only-1KiB", Kind.PUBLISH_ONLY, Mode.AUTO_ACK, 1024),
    FILL_12("fill-12B", Kind.FILL, Mode.AUTO_ACK, 12),
    DRAIN_12("drain-12B", Kind.DRAIN, Mode.AUTO_ACK, 12),
    FILL_1K("fill-1KiB", Kind.FILL, Mode.AUTO_ACK, 1024),
    DRAIN_1K("drain-1KiB", Kind.DRAIN, Mode.AUTO_ACK, 1024);

    /** Consumer prefetch ({@code -q}) of the manual-ack and confirm modes. */
    static final int PREFETCH = 500;
    /** Deliveries per {@code basic.ack(multiple)} ({@code -A}). */
    static final int MULTI_ACK_EVERY = 200;
    /** Most unconfirmed publishes ({@code -c}). */
    static final int CONFIRM_WINDOW = 500;
    /** The fixed publishing rate of the latency runs ({@code -r}), messages per second. */
    static final int LATENCY_RATE = 10_000;

    /** What a run is for. */
    enum Kind
    {
        /** Discarded: warms a JVM broker's JIT before the measured runs. */
        WARMUP,
        THROUGHPUT,
        LATENCY,
        PUBLISH_ONLY,
        /** Fills the queue its {@link #DRAIN} run empties; its own rate is not a result. */
        FILL,
        DRAIN
    }

    /** How the consumer acknowledges, and whether the publisher waits for confirms. */
    enum Mode
    {
        AUTO_ACK("auto-ack", "-a"),
        MANUAL_ACK("manual ack", "-q " + PREFETCH + " -A " + MULTI_ACK_EVERY),
        CONFIRM("confirms", "-q " + PREFETCH + " -A " + MULTI_ACK_EVERY + " -c " + CONFIRM_WINDOW);

        private final String label;
        private final String flags;

        Mode(final String label, final String flags)
        {
            this.label = label;
            this.flags = flags;
        }

        String label()
        {
            return label;
        }

        String flags()
        {
            return flags;
        }
    }

    /**
     * How long the runs last, in seconds: {@code seconds} for every measured run, {@code warmup} for the
     * discarded one, {@code fill} for the producer that fills the drain queue, {@code drainLimit} as the drain's
     * safety limit (it ends when the queue is empty).
     */
    record Timing(int seconds, int warmup, int fill, int drainLimit)
    {
        static Timing of(final String profile)
        {
            return switch (profile)
            {
                case "quick" -> new Timing(15, 10, 8, 60);
                case "full" -> new Timing(60, 30, 20, 180);
                default -> throw new IllegalArgumentException("unknown profile " + profile + " (quick or full)");
            };
        }

        /** The same timing with every measured run lasting {@code measured} seconds. */
        Timing withSeconds(final int measured)
        {
            return new Timing(measured, Math.min(warmup, measured), Math.min(fill, measured), drainLimit);
        }
    }

    private final String id;
    private final Kind kind;
    private final Mode mode;
    private final int size;

    NetworkWorkload(final String id, final Kind kind, final Mode mode, final int size)
    {
        this.id = id;
        this.kind = kind;
        this.mode = mode;
        this.size = size;
    }

    /** The name the runner records a run under, e.g. {@code manual-ack-1KiB}. */
    String id()
    {
        return id;
    }

    Kind kind()
    {
        return kind;
    }

    Mode mode()
    {
        return mode;
    }

    /** Message body in bytes. */
    int size()
    {
        return size;
    }

    /** {@code 12 B} or {@code 1 KiB}. */
    String sizeLabel()
    {
        return sizeLabel(size);
    }

    static String sizeLabel(final int bytes)
    {
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    /** A heading for the report: {@code manual ack, 1 KiB}, {@code latency at 10,000 msgs/s, 12 B}. */
    String label()
    {
        return switch (kind)
        {
            case LATENCY -> String.format(Locale.ROOT, "%s at %,d msgs/s, %s", mode.label(), LATENCY_RATE, sizeLabel());
            case PUBLISH_ONLY -> "publish only, " + sizeLabel();
            case DRAIN -> "drain only, " + sizeLabel();
            default -> mode.label() + ", " + sizeLabel();
        };
    }

    /** The queue the fill and drain runs of this size share. */
    String drainQueue()
    {
        return "ringmq-perftest-drain-" + size;
    }

    /** PerfTest's flags for this run, without {@code -h} and {@code -d}. */
    String flags(final Timing timing)
    {
        return switch (kind)
        {
            case WARMUP -> "-x 1 -y 1 -s " + size + " " + mode.flags() + " -z " + timing.warmup();
            case THROUGHPUT -> "-x 1 -y 1 -s " + size + " " + mode.flags() + " -z " + timing.seconds();
            case LATENCY -> "-x 1 -y 1 -s " + size + " " + mode.flags() + " -r " + LATENCY_RATE + " -z " + timing.seconds();
            case PUBLISH_ONLY -> "-x 1 -y 0 -s " + size + " -z " + timing.seconds();
            case FILL -> "-x 1 -y 0 -s " + size + " -u " + drainQueue() + " -ad false -z " + timing.fill();
            case DRAIN -> "-x 0 -y 1 -s " + size + " -u " + drainQueue() + " -p -a --exit-when empty -z " + timing.drainLimit();
        };
    }

    /** The workload recorded under {@code id}, or null. */
    static NetworkWorkload byId(final String id)
    {
        for (final NetworkWorkload w : values())
        {
            if (w.id.equals(id))
            {
                return w;
            }
        }
        return null;
    }

    static List<NetworkWorkload> ofKind(final Kind kind)
    {
        final List<NetworkWorkload> list = new ArrayList<>();
        for (final NetworkWorkload w : values())
        {
            if (w.kind == kind)
            {
                list.add(w);
            }
        }
        return list;
    }

    /**
     * Prints the plan for the runner, one run per line in order: {@code id<TAB>flags}.
     *
     * <pre>java -cp benchmarks.jar io.ringmq.bench.report.NetworkWorkload quick [SECONDS]</pre>
     */
    public static void main(final String[] args)
    {
        if (args.length < 1 || args.length > 2)
        {
            System.err.println("usage: NetworkWorkload quick|full [seconds per measured run]");
            System.exit(2);
        }
        Timing timing = Timing.of(args[0]);
        if (args.length == 2)
        {
            timing = timing.withSeconds(Integer.parseInt(args[1]));
        }
        for (final NetworkWorkload w : values())
        {
            System.out.println(w.id + "\t" + w.flags(timing));
        }
    }
}
