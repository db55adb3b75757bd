package io.ringmq.demo;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.MessageProperties;
import io.ringmq.QueueSpec;
import io.ringmq.WaitStrategy;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The README's demo: a small order pipeline wired through exchanges, then a throughput run.
 * <pre>
 *   publisher --"orders" (topic)--+--"order.*.created"--> billing  --(republish)--> "invoices" (direct) --> mailer
 *                                 +--"#"----------------> audit
 *                                 +--"order.eu.#"-------> "eu" (fanout, exchange-to-exchange) --> eu-warehouse
 * </pre>
 * Each consumer prints what it received and acknowledged.
 */
public final class PipelineDemo
{
    private static final int ORDERS = 6;
    private static final int THROUGHPUT_MESSAGES = 2_000_000;

    private PipelineDemo()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            pipeline(broker, channel);
            throughput(broker);
        }
    }

    private static void pipeline(final Broker broker, final Channel channel) throws InterruptedException
    {
        channel.exchangeDeclare(ExchangeSpec.builder("orders", ExchangeType.TOPIC).durable(true).build());
        channel.exchangeDeclare("invoices", ExchangeType.DIRECT);
        channel.exchangeDeclare("eu", ExchangeType.FANOUT);
        for (final String queue : new String[] {"billing", "audit", "mailer", "eu-warehouse"})
        {
            channel.queueDeclare(queue);
        }
        channel.queueBind("billing", "orders", "order.*.created");
        channel.queueBind("audit", "orders", "#");
        channel.exchangeBind("eu", "orders", "order.eu.#");
        channel.queueBind("eu-warehouse", "eu", "");
        channel.queueBind("mailer", "invoices", "invoice");

        final String[] keys = {"order.eu.created", "order.us.created", "order.eu.shipped", "order.us.cancelled",
            "order.eu.created", "order.asia.created"};
        final int expected = keys.length /* audit */ + 4 /* billing */ + 4 /* mailer */ + 3 /* eu-warehouse */;
        final CountDownLatch done = new CountDownLatch(expected);
        final Map<String, AtomicInteger> acked = new ConcurrentHashMap<>();

        final Channel billingChannel = broker.openChannel(); // billing republishes: its own channel, its own thread
        channel.consume("billing", ConsumeOptions.manualAck(10), delivery ->
        {
            final String invoice = "invoice for " + delivery.bodyAsString();
            billingChannel.publish("invoices", "invoice", bytes(invoice));
            report("billing", delivery.bodyAsString(), "published '" + invoice + "'", acked);
            delivery.ack();
            done.countDown();
        });
        for (final String queue : new String[] {"audit", "mailer", "eu-warehouse"})
        {
            channel.consume(queue, ConsumeOptions.manualAck(10), delivery ->
            {
                report(queue, delivery.bodyAsString(), "key " + delivery.routingKey(), acked);
                delivery.ack();
                done.countDown();
            });
        }

        final MessageProperties json = MessageProperties.builder().contentType("application/json").build();
        for (int i = 0; i < ORDERS; i++)
        {
            channel.publish("orders", keys[i], json, bytes("order-" + (i + 1) + " (" + keys[i] + ")"));
        }
        if (!done.await(30, TimeUnit.SECONDS))
        {
            throw new IllegalStateException("pipeline did not finish: " + done.getCount() + " deliveries missing");
        }
        System.out.println();
        System.out.println("acknowledged per consumer: " + new java.util.TreeMap<>(acked));
        billingChannel.close();
    }

    private static void report(final String consumer, final String body, final String note,
        final Map<String, AtomicInteger> acked)
    {
        acked.computeIfAbsent(consumer, k -> new AtomicInteger()).incrementAndGet();
        System.out.printf("%-13s received %-35s and acked it (%s)%n", consumer, body, note);
    }

    /** One publisher, one auto-ack consumer, through a direct exchange; a figure, not a benchmark (see bench/). */
    private static void throughput(final Broker broker) throws InterruptedException
    {
        try (Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("speed", ExchangeType.DIRECT);
            channel.queueDeclare(QueueSpec.builder("speed-q").capacity(1 << 14).build());
            channel.queueBind("speed-q", "speed", "go");
            final AtomicLong received = new AtomicLong();
            final CountDownLatch all = new CountDownLatch(1);
            final Consumer consumer = channel.consume("speed-q",
                ConsumeOptions.builder().autoAck(true).waitStrategy(WaitStrategy.YIELDING).build(), d ->
                {
                    if (received.incrementAndGet() == THROUGHPUT_MESSAGES)
                    {
                        all.countDown();
                    }
                });
            final byte[] body = new byte[64];
            final long start = System.nanoTime();
            for (int i = 0; i < THROUGHPUT_MESSAGES; i++)
            {
                channel.publish("speed", "go", body);
            }
            all.await(60, TimeUnit.SECONDS);
            final double seconds = (System.nanoTime() - start) / 1e9;
            consumer.cancel();
            System.out.printf("%nthroughput: %,d messages of 64 bytes, 1 publisher -> direct exchange -> 1 auto-ack " +
                "consumer, in %.2f s = %,.0f msgs/s (one run, with JIT warm-up; see bench/ for JMH figures)%n",
                received.get(), seconds, received.get() / seconds);
        }
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
