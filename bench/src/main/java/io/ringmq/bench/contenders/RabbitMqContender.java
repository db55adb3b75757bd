package io.ringmq.bench.contenders;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;

import org.jctools.queues.MpscArrayQueue;

/**
 * RabbitMQ, a separate broker process, reached over TCP loopback with the Java client
 * ({@code com.rabbitmq:amqp-client}). Start one with {@code bench/scripts/rabbitmq.sh start}.
 *
 * <p>Topology, the same AMQP model RingMQ implements: 1→1, 2→1 and 1→2 publish to a direct exchange bound
 * to one queue (1→2: two competing consumers on it); fanout publishes to a fanout exchange bound to one
 * queue per consumer. Exchanges and queues are non-durable, named per trial and deleted at close; messages
 * are non-persistent.
 *
 * <p>Reliability, both ends: publishers use publisher confirms and wait for them every
 * {@value #CONFIRM_BATCH} messages ({@code waitForConfirmsOrDie}, bounded by a timeout); consumers use
 * manual acks with prefetch {@value #PREFETCH}, acknowledging with {@code multiple=true} every
 * {@value #ACK_EVERY} messages or when they run out of messages. Every publisher and consumer has its own
 * connection and channel.
 *
 * <p>The client pushes deliveries to a callback on its own dispatch thread; the callback only hands the
 * {@code Delivery} to the benchmark's consuming thread through a queue that prefetch keeps small, and that
 * thread reads, counts and acks it.
 */
public final class RabbitMqContender implements Contender
{
    /** Publisher confirms are awaited once per this many messages. */
    static final int CONFIRM_BATCH = 256;
    /** Unacknowledged deliveries the broker may push to one consumer. */
    static final int PREFETCH = 512;
    /** A consumer acks (multiple) at least this often. */
    static final int ACK_EVERY = 64;
    private static final int CONFIRM_TIMEOUT_MS = 10_000;
    private static final int CLOSE_TIMEOUT_MS = 5_000;

    private static final AMQP.BasicProperties NON_PERSISTENT =
        new AMQP.BasicProperties.Builder().deliveryMode(1).build();

    private final List<Connection> connections = new ArrayList<>();
    private String exchange;
    private String[] queues;
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    /** The broker's AMQP port: {@code -Dringmq.bench.rabbit.port}, else {@code RINGMQ_RABBIT_PORT}, else 5673. */
    public static int port()
    {
        final String property = System.getProperty("ringmq.bench.rabbit.port");
        if (property != null)
        {
            return Integer.parseInt(property);
        }
        final String env = System.getenv("RINGMQ_RABBIT_PORT");
        return env == null || env.isBlank() ? 5673 : Integer.parseInt(env.trim());
    }

    /** True when something accepts TCP connections on 127.0.0.1:{@link #port()}. */
    public static boolean brokerReachable()
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 500);
            return true;
        }
        catch (final IOException e)
        {
            return false;
        }
    }

    @Override
    public void open(final Shape shape, final int capacity) throws Exception
    {
        final ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port());
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setConnectionTimeout(5_000);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);

        final String prefix = "ringmq.bench." + UUID.randomUUID();
        exchange = prefix + (shape.fanout() ? ".fanout" : ".direct");
        queues = new String[shape.queues()];
        final String routingKey = "bench";
        final Connection admin = newConnection(factory, "admin");
        try (Channel channel = admin.createChannel())
        {
            channel.exchangeDeclare(exchange,
                shape.fanout() ? BuiltinExchangeType.FANOUT : BuiltinExchangeType.DIRECT, false, false, null);
            for (int i = 0; i < queues.length; i++)
            {
                queues[i] = prefix + ".q" + i;
                channel.queueDeclare(queues[i], false, false, false, null);
                channel.queueBind(queues[i], exchange, routingKey);
            }
        }

        final InFlightLimit limit = new InFlightLimit(shape, capacity);
        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            final Channel channel = newConnection(factory, "publisher-" + i).createChannel();
            channel.confirmSelect();
            publishers[i] = new ConfirmingPublisher(channel, exchange, routingKey, limit);
        }
        subscribers = new Subscriber[shape.consumers()];
        for (int i = 0; i < subscribers.length; i++)
        {
            final Channel channel = newConnection(factory, "consumer-" + i).createChannel();
            channel.basicQos(PREFETCH);
            final AckingSubscriber subscriber = new AckingSubscriber(channel, limit);
            channel.basicConsume(queues[shape.fanout() ? i : 0], false, subscriber::handOff, tag -> { });
            subscribers[i] = subscriber;
        }
    }

    private Connection newConnection(final ConnectionFactory factory, final String name)
        throws IOException, TimeoutException
    {
        final Connection connection = factory.newConnection("ringmq-bench-" + name);
        connections.add(connection);
        return connection;
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
        if (!connections.isEmpty() && queues != null)
        {
            // The first connection is the admin one: delete what we declared, so the broker stays clean.
            try (Channel channel = connections.get(0).createChannel())
            {
                for (final String queue : queues)
                {
                    if (queue != null)
                    {
                        channel.queueDelete(queue);
                    }
                }
                channel.exchangeDelete(exchange);
            }
            catch (final IOException | TimeoutException | RuntimeException e)
            {
                // Best effort: the broker may already be gone.
            }
        }
        for (final Connection connection : connections)
        {
            connection.abort(CLOSE_TIMEOUT_MS);
        }
        connections.clear();
    }

    private static final class ConfirmingPublisher implements Publisher
    {
        private final Channel channel;
        private final String exchange;
        private final String routingKey;
        private final InFlightLimit limit;
        /** Reused: in the default blocking-IO mode basicPublish has written the body when it returns. */
        private final byte[] body = Payload.newBody();
        private int unconfirmed;

        ConfirmingPublisher(final Channel channel, final String exchange, final String routingKey,
                            final InFlightLimit limit)
        {
            this.channel = channel;
            this.exchange = exchange;
            this.routingKey = routingKey;
            this.limit = limit;
        }

        @Override
        public boolean offer(final long sequence)
        {
            if (!limit.tryAcquire())
            {
                return false;
            }
            Payload.encode(body, sequence);
            try
            {
                channel.basicPublish(exchange, routingKey, false, NON_PERSISTENT, body);
                if (++unconfirmed == CONFIRM_BATCH)
                {
                    unconfirmed = 0;
                    channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                }
            }
            catch (final IOException | InterruptedException | TimeoutException e)
            {
                throw new IllegalStateException("RabbitMQ publish/confirm failed", e);
            }
            return true;
        }
    }

    private static final class AckingSubscriber implements Subscriber
    {
        private final Channel channel;
        private final InFlightLimit limit;
        /**
         * Client dispatch thread → benchmark thread. The client runs one channel's callbacks one at a time
         * but not always on the same pool thread, hence MPSC; prefetch bounds its depth.
         */
        private final MpscArrayQueue<Delivery> handOff = new MpscArrayQueue<>(2 * PREFETCH);
        private long lastTag;
        private int unacked;

        AckingSubscriber(final Channel channel, final InFlightLimit limit)
        {
            this.channel = channel;
            this.limit = limit;
        }

        /** Client dispatch thread. */
        void handOff(final String consumerTag, final Delivery delivery)
        {
            if (!handOff.offer(delivery))
            {
                // Cannot happen while prefetch < capacity; losing a message silently would be worse.
                throw new IllegalStateException("hand-off queue full: prefetch exceeded");
            }
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            int n = 0;
            Delivery delivery;
            while (n < limit && (delivery = handOff.relaxedPoll()) != null)
            {
                sink.onMessage(Payload.sequenceOf(delivery.getBody()));
                lastTag = delivery.getEnvelope().getDeliveryTag();
                n++;
                if (++unacked >= ACK_EVERY)
                {
                    ack();
                }
            }
            if (unacked > 0 && handOff.isEmpty())
            {
                // Out of work: ack now rather than hold the broker's prefetch window.
                ack();
            }
            if (n > 0)
            {
                this.limit.release(n);
            }
            return n;
        }

        private void ack()
        {
            try
            {
                channel.basicAck(lastTag, true);
            }
            catch (final IOException e)
            {
                throw new IllegalStateException("RabbitMQ ack failed", e);
            }
            unacked = 0;
        }
    }
}
