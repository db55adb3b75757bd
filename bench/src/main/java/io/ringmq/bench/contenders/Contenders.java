package io.ringmq.bench.contenders;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The registry of contenders: the JMH {@code @Param("contender")} name → how to make one, and what its
 * numbers mean. The one place to register a new contender (then add its name to the {@code @Param} lists of
 * the benchmarks that should run it; {@code BenchmarkParamsTest} checks that none is forgotten).
 *
 * <p>{@code java -cp benchmarks.jar io.ringmq.bench.contenders.Contenders [--without a,b]} prints the
 * registered names, comma-separated, for the runner's {@code -p contender=...}.
 */
public final class Contenders
{
    /** A registered contender. */
    public record Entry(String name, Supplier<Contender> factory, boolean externalBroker, String semantics)
    {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static
    {
        register("disruptor", DisruptorContender::new, false,
            "LMAX Disruptor 4 RingBuffer, pre-allocated slots, single-producer sequencer (multi for 2→1), "
                + "consumers are EventPollers on the benchmark threads with yielding idle; 1→2 competing by "
                + "ring-sequence modulo (WorkerPool is gone in v4); fanout = 4 pollers on one ring. "
                + "No acks: a slot is reusable once every consumer has passed it.");
        register("jctools", JcToolsContender::new, false,
            "JCTools 4 bounded array queues: Spsc (1→1), Mpsc (2→1), Mpmc (1→2 competing), 4×Spsc (fanout). "
                + "Bare queue of pooled envelopes, batch drain, yielding idle. No acks.");
        register("abq", ArrayBlockingQueueContender::new, false,
            "java.util.concurrent.ArrayBlockingQueue (one lock), offer/drainTo without blocking, yielding "
                + "idle; 4 queues for fanout. Bare queue of pooled envelopes. No acks.");
        register("artemis", ArtemisContender::new, false,
            "Apache ActiveMQ Artemis 2.40 embedded, in-VM acceptor, core API, persistence and security off, "
                + "non-durable messages, every message acked (client batches acks, default ackBatchSize); "
                + "anycast queue (competing) or multicast address with 4 queues (fanout). Copies the 64-byte "
                + "body, allocates per message, runs its own delivery threads.");
        register("rabbitmq", RabbitMqContender::new, true,
            "RabbitMQ 3.x (separate Erlang process) over TCP loopback, amqp-client 5.25, direct exchange → "
                + "1 queue (competing) or fanout exchange → 4 queues, non-persistent messages, publisher "
                + "confirms awaited every " + RabbitMqContender.CONFIRM_BATCH + " messages, manual acks "
                + "(multiple, every " + RabbitMqContender.ACK_EVERY + "), prefetch " + RabbitMqContender.PREFETCH
                + ". Crosses process and socket boundaries: a different league, shown for scale.");
        register("ringmq-autoack", RingMqContender::autoAck, false,
            "RingMQ through its public API: direct exchange → 1 queue (fanout exchange → 4 queues), a "
                + "channel per thread, the pooled message published by reference (publishObject), taken by "
                + "basic.get batches (drain) on the benchmark threads with automatic acknowledgement. Adds "
                + "routing, a pooled reference-counted envelope and delivery bookkeeping to the bare ring.");
        register("ringmq-manualack", RingMqContender::manualAck, false,
            "As ringmq-autoack, with manual acknowledgement: every delivery is held under a delivery tag "
                + "and each batch is settled with one basic.ack(multiple).");
    }

    private Contenders()
    {
    }

    /**
     * Registers a contender under a JMH parameter name.
     *
     * @param externalBroker true when it needs a process started outside the JVM (skipped by default)
     * @param semantics      one sentence for the report: what is, and is not, guaranteed and paid for
     */
    public static void register(final String name, final Supplier<Contender> factory,
                                final boolean externalBroker, final String semantics)
    {
        if (REGISTRY.putIfAbsent(name, new Entry(name, factory, externalBroker, semantics)) != null)
        {
            throw new IllegalStateException("contender registered twice: " + name);
        }
    }

    /** A new, unopened contender for a JMH {@code @Param("contender")} value. */
    public static Contender create(final String name)
    {
        final Entry entry = REGISTRY.get(name);
        if (entry == null)
        {
            throw new IllegalArgumentException("unknown contender '" + name + "'; registered: " + REGISTRY.keySet());
        }
        return entry.factory().get();
    }

    /** Registered names, in registration order. */
    public static Set<String> names()
    {
        return Collections.unmodifiableSet(REGISTRY.keySet());
    }

    /** The entry for a name, or null. */
    public static Entry entry(final String name)
    {
        return REGISTRY.get(name);
    }

    /** Prints registered names, comma-separated; {@code --without a,b} leaves those out. */
    public static void main(final String[] args)
    {
        final List<String> without = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            if ("--without".equals(args[i]) && i + 1 < args.length)
            {
                without.addAll(List.of(args[++i].split(",")));
            }
        }
        final List<String> names = new ArrayList<>(names());
        names.removeAll(without);
        System.out.println(String.join(",", names));
    }
}
