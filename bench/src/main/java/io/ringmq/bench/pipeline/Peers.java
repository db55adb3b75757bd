package io.ringmq.bench.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.ringmq.bench.contenders.Shape;

/**
 * The registry of the pipeline benchmarks' peers: the JMH {@code @Param("peer")} name → how to make one, its
 * family (the report picks each family's best configuration), the batch a producer publishes per benchmark
 * invocation, the shapes it can run, and what its numbers mean. The one place to register a peer; then add its
 * name to the {@code @Param} lists of the shapes it runs ({@code PipelinePeersTest} checks that they agree).
 */
public final class Peers
{
    /** 2^20 messages per batch: an in-memory ring at 10-500 M msgs/s spends 2-100 ms on one. */
    public static final int RING_BATCH = 1 << 20;
    /** {@code ArrayBlockingQueue} makes a few M msgs/s, 4× fewer per producer under fanout. */
    public static final int BLOCKING_QUEUE_BATCH = 1 << 18;
    /** Artemis makes 30-70 k msgs/s here: 4,096 messages keep an invocation near 0.1 s. */
    public static final int ARTEMIS_BATCH = 1 << 12;

    /**
     * A registered peer.
     *
     * @param family    {@code disruptor}, {@code ringmq}, ...: the configurations the report compares as one peer
     * @param batch     messages each producer publishes per benchmark invocation
     * @param competing whether it can run 1P2C (each message to exactly one of two consumers)
     * @param semantics how it is configured, for the report
     */
    public record Entry(String name, String family, int batch, boolean competing, Supplier<Peer> factory,
                        String semantics)
    {
        /**
         * @param shape a shape
         * @return whether this peer runs it
         */
        public boolean runs(final Shape shape)
        {
            return competing || shape.fanout() || shape.consumers() == 1;
        }
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static
    {
        final String disruptor = "LMAX Disruptor 4.0 through its DSL, a BatchEventProcessor thread per handler, "
            + "next()/get()/publish() on a pre-allocated slot, ring of 65,536, ProducerType SINGLE (MULTI for 2P1C); "
            + "fanout: 4 handlers on one ring; 1P2C: 2 striped handlers (sequence % 2 == ordinal, as the "
            + "maintainers advise since WorkerPool left in 4.0); handlers count at endOfBatch. Wait strategy: ";
        register("disruptor-yielding", "disruptor", RING_BATCH, true, () -> new DisruptorPeer("yielding"),
            disruptor + "YieldingWaitStrategy.");
        register("disruptor-busyspin", "disruptor", RING_BATCH, true, () -> new DisruptorPeer("busyspin"),
            disruptor + "BusySpinWaitStrategy.");
        register("disruptor-blocking", "disruptor", RING_BATCH, true, () -> new DisruptorPeer("blocking"),
            disruptor + "BlockingWaitStrategy.");
        register("jctools", "jctools", RING_BATCH, true, JcToolsPeer::new,
            "JCTools 4 SpscArrayQueue (1P1C), MpscArrayQueue (2P1C), MpmcArrayQueue (1P2C), 4 × Spsc (fanout), "
                + "capacity 65,536, one shared element; producers fill(), consumer threads drain() and idle with "
                + "the `idle` param's Agrona IdleStrategy. No acks.");
        register("agrona", "agrona", RING_BATCH, false, AgronaPeer::new,
            "Agrona OneToOneRingBuffer (1P1C, 4 of them for fanout), ManyToOneRingBuffer (2P1C), 65,536 records "
                + "of 8 bytes off-heap, tryClaim/commit in place, consumer threads read(handler) and idle with the "
                + "`idle` param's IdleStrategy. No ring for competing consumers: not in 1P2C. No acks.");
        register("abq", "abq", BLOCKING_QUEUE_BATCH, true, BlockingQueuePeer::new,
            "java.util.concurrent.ArrayBlockingQueue of 65,536, put() by producers, take() by each consumer "
                + "thread (4 queues for fanout). No acks.");
        register("artemis", "artemis", ARTEMIS_BATCH, true, ArtemisPeer::new,
            "Apache ActiveMQ Artemis 2.40 embedded (in-VM acceptor, core API, persistence and security off), "
                + "non-durable 64-byte messages sent asynchronously, a MessageHandler per consumer on Artemis' "
                + "delivery threads acknowledging every message (the client batches acks).");
        final String ringmq = "RingMQ Channel.%s to a %s exchange, queues of 65,536 with x-overflow=block, a push "
            + "consumer per consumer (Channel.consume; threading and wait strategy from the `threading`/`wait` "
            + "params), a channel per producer and per consumer, an envelope pool that keeps as many idle envelopes "
            + "as the queues hold (Broker.builder().envelopePool); %s.";
        register("ringmq-auto", "ringmq", RING_BATCH, true, () -> new RingMqPeer(true, false),
            String.format(ringmq, "publish", "direct (fanout for 1P4C)", "ack=auto"));
        register("ringmq-auto-batch", "ringmq", RING_BATCH, true, () -> new RingMqPeer(true, true),
            String.format(ringmq, "publishBatch of " + RingMqPeer.PUBLISH_BATCH, "direct (fanout for 1P4C)",
                "ack=auto"));
        register("ringmq-manual", "ringmq", RING_BATCH, true, () -> new RingMqPeer(false, false),
            String.format(ringmq, "publish", "direct (fanout for 1P4C)",
                "manual ack: delivery.ack() per delivery, prefetch " + RingMqPeer.PREFETCH));
        register("ringmq-manual-batch", "ringmq", RING_BATCH, true, () -> new RingMqPeer(false, true),
            String.format(ringmq, "publishBatch of " + RingMqPeer.PUBLISH_BATCH, "direct (fanout for 1P4C)",
                "manual ack: delivery.ack() per delivery, prefetch " + RingMqPeer.PREFETCH));
        // Not under the "manual" targets, which ask for an ack per delivery: its own row, for comparison.
        register("ringmq-batchack", "ringmq", RING_BATCH, true, () -> new RingMqPeer(false, false, true),
            String.format(ringmq.replace("Channel.consume;", "Channel.consumeBatched;"), "publish",
                "direct (fanout for 1P4C)", "manual ack once per batch: a BatchDeliveryHandler acking with "
                    + "delivery.ack(true) at endOfBatch, prefetch " + RingMqPeer.PREFETCH));
    }

    private Peers()
    {
    }

    private static void register(final String name, final String family, final int batch, final boolean competing,
                                 final Supplier<Peer> factory, final String semantics)
    {
        REGISTRY.put(name, new Entry(name, family, batch, competing, factory, semantics));
    }

    /** @return every registered name, in registration order (the report's and the charts' order). */
    public static List<String> names()
    {
        return Collections.unmodifiableList(new ArrayList<>(REGISTRY.keySet()));
    }

    /**
     * @param name a registered name
     * @return its entry, or null when none is registered under that name
     */
    public static Entry entry(final String name)
    {
        return REGISTRY.get(name);
    }

    /**
     * @param name a registered name
     * @return its entry
     * @throws IllegalArgumentException naming the registered peers, when none is registered under that name
     */
    static Entry require(final String name)
    {
        final Entry entry = REGISTRY.get(name);
        if (entry == null)
        {
            throw new IllegalArgumentException("unknown peer '" + name + "'; registered: " + names());
        }
        return entry;
    }

    /**
     * @param name    a registered name
     * @param ackMode {@code auto} or {@code manual}
     * @return whether it is a RingMQ configuration with that acknowledgement mode
     */
    public static boolean isRingMq(final String name, final String ackMode)
    {
        final Entry entry = REGISTRY.get(name);
        return entry != null && entry.family().equals("ringmq") && name.startsWith("ringmq-" + ackMode);
    }
}
