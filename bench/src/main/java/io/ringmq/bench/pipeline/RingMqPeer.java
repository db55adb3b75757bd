package io.ringmq.bench.pipeline;

import java.time.Duration;

import io.ringmq.BatchDeliveryHandler;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.OverflowPolicy;
import io.ringmq.QueueSpec;
import io.ringmq.bench.contenders.Payload;
import io.ringmq.bench.contenders.Shape;
import io.ringmq.routing.ExchangeType;

/**
 * RingMQ in-process as an application uses it: a direct exchange (a fanout exchange for 1P4C) bound to one
 * queue (four under fanout) of {@link PeerSettings#capacity()} slots with {@code x-overflow = block}, so a
 * publisher waits for room instead of dropping; a channel per producer, publishing the 64-byte payload with
 * {@code Channel.publish} or, in the {@code batch} variant, {@code Channel.publishBatch} of
 * {@link #PUBLISH_BATCH} bodies (routed once per batch); a channel and a push consumer ({@code Channel.consume})
 * per consumer, its threading and wait strategy from the settings (default: a dedicated thread, yielding, the
 * best of the choices on 2 cores), on a broker whose envelope pool keeps as many idle envelopes as the queues
 * can hold, as an application with queues this long would size it. With {@code ack=manual} the handler acks every delivery
 * ({@code delivery.ack()}) with a prefetch of {@link #PREFETCH}; with {@code ack=auto} it only counts.
 */
final class RingMqPeer implements Peer
{
    static final String EXCHANGE = "bench";
    static final String KEY = "k";
    static final int PREFETCH = 256;
    /** Bodies per {@code publishBatch} call in the batch variant. */
    static final int PUBLISH_BATCH = 256;
    /** A publisher blocked this long on a full queue fails the batch rather than hang the trial. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);
    /** Envelopes beyond the queues' capacity: two magazines per thread, the unacked and a taken batch, with room to spare. */
    private static final int POOL_SLACK = 1 << 13;

    private final boolean autoAck;
    private final boolean batchPublish;
    private final boolean ackPerBatch;
    private Broker broker;
    private Channel[] publishers;
    private final byte[] body = Payload.bytes();
    private final byte[][] bodies = new byte[PUBLISH_BATCH][];

    /**
     * @param autoAck      automatic acknowledgement, else an ack per delivery with prefetch {@link #PREFETCH}
     * @param batchPublish {@code publishBatch} instead of one {@code publish} per message
     */
    RingMqPeer(final boolean autoAck, final boolean batchPublish)
    {
        this(autoAck, batchPublish, false);
    }

    /**
     * @param ackPerBatch manual ack once per batch: a {@link BatchDeliveryHandler} that acks with
     *                    {@code delivery.ack(true)} at {@code endOfBatch} (ignored with {@code autoAck})
     */
    RingMqPeer(final boolean autoAck, final boolean batchPublish, final boolean ackPerBatch)
    {
        this.autoAck = autoAck;
        this.batchPublish = batchPublish;
        this.ackPerBatch = ackPerBatch && !autoAck;
        java.util.Arrays.fill(bodies, body);
    }

    @Override
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
    {
        // The envelope pool may keep as many idle envelopes as can be in flight: every queue full, plus the threads'
        // magazines, the unacked and a consumer's batch (the slack); it grows to that peak in the warm-up. The
        // default keeps 65,536, one queue's worth here, so each batch that filled a queue from empty ran the pool dry
        // and made its last few thousand envelopes anew, then dropped them as the queue drained: up to 0.6 B/msg in
        // 1P2C and 2P1C, where the consumer falls behind. An application with queues this long sizes its pool so.
        final int inFlight = shape.queues() * settings.capacity() + POOL_SLACK;
        broker = Broker.builder().envelopePool(inFlight, 1 << 12).build();
        try (Channel admin = broker.openChannel())
        {
            admin.exchangeDeclare(EXCHANGE, shape.fanout() ? ExchangeType.FANOUT : ExchangeType.DIRECT);
            for (int q = 0; q < shape.queues(); q++)
            {
                admin.queueDeclare(QueueSpec.builder("q" + q).capacity(settings.capacity())
                    .overflow(OverflowPolicy.BLOCK).build());
                admin.queueBind("q" + q, EXCHANGE, KEY);
            }
        }
        final ConsumeOptions options = ConsumeOptions.builder()
            .autoAck(autoAck)
            .prefetch(autoAck ? 0 : PREFETCH)
            // waitStrategy implies a dedicated thread: set it first, so that the threading setting decides.
            .waitStrategy(settings.waitStrategy())
            .threading(settings.threading())
            .build();
        for (int c = 0; c < tallies.length; c++)
        {
            final Tally tally = tallies[c];
            final Channel channel = broker.openChannel();
            if (ackPerBatch)
            {
                channel.consumeBatched("q" + (shape.fanout() ? c : 0), options, (delivery, endOfBatch) ->
                {
                    if (endOfBatch)
                    {
                        delivery.ack(true);
                    }
                    tally.arrived(1);
                });
                continue;
            }
            channel.consume("q" + (shape.fanout() ? c : 0), options, autoAck
                ? delivery -> tally.arrived(1)
                : delivery ->
                {
                    delivery.ack();
                    tally.arrived(1);
                });
        }
        publishers = new Channel[shape.publishers()];
        for (int p = 0; p < publishers.length; p++)
        {
            publishers[p] = broker.openChannel();
            publishers[p].setPublishTimeout(PUBLISH_TIMEOUT, true);
        }
    }

    @Override
    public void publish(final int producer, final int count)
    {
        final Channel channel = publishers[producer];
        if (batchPublish)
        {
            for (int sent = 0; sent < count; sent += PUBLISH_BATCH)
            {
                channel.publishBatch(EXCHANGE, KEY, false, null, bodies, 0, Math.min(PUBLISH_BATCH, count - sent));
            }
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                channel.publish(EXCHANGE, KEY, body);
            }
        }
    }

    @Override
    public void close()
    {
        if (broker != null)
        {
            broker.close();
            broker = null;
        }
    }
}
