package io.ringmq.bench.contenders;

import java.time.Duration;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Delivery;
import io.ringmq.DeliveryHandler;
import io.ringmq.OverflowPolicy;
import io.ringmq.PublishResult;
import io.ringmq.QueueSpec;
import io.ringmq.routing.ExchangeType;

/**
 * RingMQ through its public API, the way a user wires it: a direct exchange bound to one queue (or a
 * fanout exchange bound to four), one {@link Channel} per thread, publishing an in-process object and
 * taking it with {@code basic.get} in batches ({@link Channel#drain}) on the benchmark's own consumer
 * threads, like the other contenders' pollers.
 *
 * <p>The message is a {@link PooledMessage} published by reference ({@link Channel#publishObject}), as
 * the bare queues pass theirs; RingMQ adds its own pooled, reference-counted envelope around it, the
 * routing lookup and the delivery bookkeeping. Two variants:
 * <ul>
 *   <li>{@code ringmq-autoack}: {@code basic.get} with automatic acknowledgement;</li>
 *   <li>{@code ringmq-manualack}: {@code basic.get} with manual acknowledgement, each batch acknowledged
 *       with one {@code basic.ack(multiple)}, as RabbitMQ clients batch theirs (every delivery is held in
 *       the channel's delivery-tag table until then).</li>
 * </ul>
 * A single-destination publish uses {@code reject-publish} queues, so a full queue answers at once and
 * the harness waits as it does for every contender. A fanout publish cannot be retried for one queue
 * alone (the {@link Publisher} retries with the same sequence, which would duplicate the others), so
 * fanout queues {@code block}, for at most the channel's publish timeout, until all four have room.
 */
public final class RingMqContender implements Contender
{
    private static final String EXCHANGE = "bench";
    private static final String KEY = "bench-key";

    private final boolean autoAck;
    private Broker broker;
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    private RingMqContender(final boolean autoAck)
    {
        this.autoAck = autoAck;
    }

    public static RingMqContender autoAck()
    {
        return new RingMqContender(true);
    }

    public static RingMqContender manualAck()
    {
        return new RingMqContender(false);
    }

    @Override
    public void open(final Shape shape, final int capacity)
    {
        broker = Broker.create();
        final boolean gated = JcToolsContender.competing(shape);
        try (Channel admin = broker.openChannel())
        {
            admin.exchangeDeclare(EXCHANGE, shape.fanout() ? ExchangeType.FANOUT : ExchangeType.DIRECT);
            for (int q = 0; q < shape.queues(); q++)
            {
                final String queue = queueName(q);
                admin.queueDeclare(QueueSpec.builder(queue).capacity(capacity)
                    .overflow(shape.fanout() ? OverflowPolicy.BLOCK : OverflowPolicy.REJECT_PUBLISH).build());
                admin.queueBind(queue, EXCHANGE, KEY);
            }
        }
        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            publishers[i] = new RingMqPublisher(broker.openChannel(), capacity, gated);
        }
        subscribers = new Subscriber[shape.consumers()];
        for (int i = 0; i < subscribers.length; i++)
        {
            subscribers[i] = new GetSubscriber(broker.openChannel(), queueName(shape.fanout() ? i : 0), autoAck, gated);
        }
    }

    private static String queueName(final int index)
    {
        return "bench-q" + index;
    }

    @Override
    public Publisher publisher(final int index)
    {
        return publishers[index];
    }

    @Override
    public Subscriber subscriber(final int index)
    {
        return subscribers[index];
    }

    @Override
    public void close()
    {
        final Broker open = broker;
        broker = null;
        publishers = null;
        subscribers = null;
        if (open != null)
        {
            open.close();
        }
    }

    /** Publishes pooled messages, reused like {@link QueuePublisher}'s (gated under competing consumers). */
    private static final class RingMqPublisher implements Publisher
    {
        private final Channel channel;
        private final PooledMessage[] pool;
        private final int mask;
        private final boolean gated;
        private long cursor;

        RingMqPublisher(final Channel channel, final int capacity, final boolean gated)
        {
            this.channel = channel;
            this.gated = gated;
            // A fanout publish waits (briefly) for room in all four queues at once: all or nothing.
            channel.setPublishTimeout(Duration.ofSeconds(1), false);
            final int poolSize = 2 * Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
            this.pool = new PooledMessage[poolSize];
            for (int i = 0; i < poolSize; i++)
            {
                pool[i] = new PooledMessage();
            }
            this.mask = poolSize - 1;
        }

        @Override
        public boolean offer(final long sequence)
        {
            final PooledMessage message = pool[(int) (cursor & mask)];
            if (gated)
            {
                if (!message.isReleased())
                {
                    return false;
                }
                message.claim();
            }
            message.sequence = sequence;
            final PublishResult result = channel.publishObject(EXCHANGE, KEY, false, null, message);
            if (result.acceptedQueues() == 0)
            {
                if (gated)
                {
                    message.release();
                }
                return false; // full: refused whole, retried with the same sequence
            }
            // A fanout publish accepted by only some queues can only happen when a queue stayed full for
            // the whole publish timeout: at an iteration's end, once the consumers have stopped. The
            // refused copy is counted by the engine; retrying would duplicate the others, so move on.
            cursor++;
            return true;
        }
    }

    /** Takes a batch with {@code basic.get}; acknowledges it with one {@code basic.ack(multiple)}. */
    private static final class GetSubscriber implements Subscriber, DeliveryHandler
    {
        private final Channel channel;
        private final String queue;
        private final boolean autoAck;
        private final boolean releases;
        private MessageSink sink;
        private long lastTag;

        GetSubscriber(final Channel channel, final String queue, final boolean autoAck, final boolean releases)
        {
            this.channel = channel;
            this.queue = queue;
            this.autoAck = autoAck;
            this.releases = releases;
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            this.sink = sink;
            final int taken;
            try
            {
                taken = channel.drain(queue, autoAck, limit, this);
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            if (!autoAck && taken > 0)
            {
                channel.ack(lastTag, true);
            }
            return taken;
        }

        @Override
        public void handle(final Delivery delivery)
        {
            final PooledMessage message = (PooledMessage) delivery.payload();
            final long sequence = message.sequence;
            if (releases)
            {
                message.release();
            }
            lastTag = delivery.deliveryTag();
            sink.onMessage(sequence);
        }
    }
}
