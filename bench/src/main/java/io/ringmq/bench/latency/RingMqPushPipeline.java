package io.ringmq.bench.latency;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.ConsumerThreading;
import io.ringmq.OverflowPolicy;
import io.ringmq.QueueSpec;
import io.ringmq.WaitStrategy;
import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Payload;
import io.ringmq.bench.contenders.Publisher;
import io.ringmq.routing.ExchangeType;

/**
 * RingMQ as an application wires it for low latency: {@code Channel.publish} of an 8-byte body to a direct
 * exchange bound to one queue, taken by a push consumer on a thread of its own
 * ({@link ConsumerThreading#DEDICATED_THREAD}) with automatic acknowledgement, waiting as the given
 * {@link WaitStrategy} says. The value travels in the body, big-endian ({@link Payload#encode}), and the
 * handler reads it in place: nothing is allocated per message.
 *
 * <p>The queue is {@code reject-publish}, so a full queue refuses at once and the benchmark's publisher waits
 * as it does for every peer. Bodies are not copied by {@code publish}, so they come from a pool that is
 * reused round-robin: a body is rewritten only after {@code 2 * capacity} newer messages were accepted, more
 * than the queue, the consumer's mailbox (128) and its handler can hold between them.
 */
final class RingMqPushPipeline implements Pipeline
{
    private static final String EXCHANGE = "latency";
    private static final String QUEUE = "latency-q";
    private static final String KEY = "latency-key";

    private final Broker broker;
    private final Consumer consumer;
    private final Publisher publisher;

    RingMqPushPipeline(final WaitStrategy waitStrategy, final int capacity, final MessageSink sink)
    {
        broker = Broker.create();
        try (Channel admin = broker.openChannel())
        {
            admin.exchangeDeclare(EXCHANGE, ExchangeType.DIRECT);
            admin.queueDeclare(QueueSpec.builder(QUEUE).capacity(capacity).overflow(OverflowPolicy.REJECT_PUBLISH)
                .build());
            admin.queueBind(QUEUE, EXCHANGE, KEY);
        }
        final ConsumeOptions options = ConsumeOptions.builder().autoAck(true)
            .threading(ConsumerThreading.DEDICATED_THREAD).waitStrategy(waitStrategy).build();
        consumer = broker.openChannel().consume(QUEUE, options,
            delivery -> sink.onMessage(Payload.sequenceOf(delivery.body())));
        publisher = new BodyPoolPublisher(broker.openChannel(), capacity);
    }

    @Override
    public Publisher publisher()
    {
        return publisher;
    }

    @Override
    public void close()
    {
        try
        {
            consumer.cancel(); // returns once the consumer thread has ended
        }
        finally
        {
            broker.close();
        }
    }

    /** Writes each value into the next pooled 8-byte body and publishes it; single thread. */
    private static final class BodyPoolPublisher implements Publisher
    {
        private final Channel channel;
        private final byte[][] bodies;
        private final int mask;
        private long cursor;

        BodyPoolPublisher(final Channel channel, final int capacity)
        {
            this.channel = channel;
            final int poolSize = 2 * Integer.highestOneBit(Math.max(2, capacity) * 2 - 1);
            bodies = new byte[poolSize][];
            for (int i = 0; i < poolSize; i++)
            {
                bodies[i] = new byte[Long.BYTES];
            }
            mask = poolSize - 1;
        }

        @Override
        public boolean offer(final long value)
        {
            // Not accepted last time: nobody holds this body, so rewriting it for the retry is safe.
            final byte[] body = bodies[(int) (cursor & mask)];
            Payload.encode(body, value);
            if (channel.publish(EXCHANGE, KEY, body).acceptedQueues() == 0)
            {
                return false;
            }
            cursor++;
            return true;
        }
    }
}
