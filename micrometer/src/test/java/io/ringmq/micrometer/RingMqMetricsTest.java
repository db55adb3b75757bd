package io.ringmq.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Connection;
import io.ringmq.Delivery;
import io.ringmq.QueueSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The binder against a real broker: which meters exist, what they read, and how they follow queues that come and go. */
class RingMqMetricsTest
{
    private Broker broker;
    private Channel channel;
    private SimpleMeterRegistry registry;
    /** Refreshed only when a test says so, so that every reading is deterministic. */
    private RingMqMetrics metrics;

    @BeforeEach
    void bind()
    {
        broker = Broker.create();
        channel = broker.openChannel();
        registry = new SimpleMeterRegistry();
        metrics = new RingMqMetrics(broker, Duration.ZERO);
        metrics.bindTo(registry);
    }

    @AfterEach
    void close()
    {
        metrics.close();
        broker.close();
    }

    @Test
    void queueMetersReadReadyUnackedBytesAndTotalsAfterPublishesGetsAndAcks()
    {
        channel.queueDeclare("orders");
        for (int i = 0; i < 5; i++)
        {
            channel.publish("", "orders", new byte[10]);
        }
        final long first = channel.get("orders", false).deliveryTag();
        final long second = channel.get("orders", false).deliveryTag();
        channel.get("orders", false);
        channel.ack(first, false);
        channel.nack(second, false, true);
        final Delivery again = channel.get("orders", false);
        assertTrue(again.redelivered(), "the requeued message comes back first, flagged");

        metrics.refresh();

        assertEquals(2, gauge("rabbitmq.queue.messages.ready", "orders"));
        assertEquals(2, gauge("rabbitmq.queue.messages.unacked", "orders"));
        assertEquals(4, gauge("rabbitmq.queue.messages", "orders"));
        assertEquals(0, gauge("rabbitmq.queue.consumers", "orders"));
        assertEquals(20, gauge("rabbitmq.queue.messages.ready.bytes", "orders"));
        assertEquals(5, counter("rabbitmq.queue.messages.published", "orders"));
        assertEquals(4, counter("rabbitmq.queue.messages.delivered", "orders"));
        assertEquals(1, counter("rabbitmq.queue.messages.acked", "orders"));
        assertEquals(1, counter("rabbitmq.queue.messages.redelivered", "orders"));
    }

    @Test
    void everyQueueMeterIsTaggedWithTheVhostAndTheQueue()
    {
        channel.queueDeclare("orders");
        metrics.refresh();

        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(registry, "orders").size());
        for (final MeterDefinition<?> definition : MeterCatalog.QUEUE)
        {
            final Meter meter = registry.get(definition.name()).tag("queue", "orders").meter();
            assertEquals("/", meter.getId().getTag("vhost"), definition.name());
        }
    }

    @Test
    void aConsumerCountsOnItsQueue()
    {
        channel.queueDeclare("orders");
        channel.consume("orders", true, delivery -> { });
        metrics.refresh();

        assertEquals(1, gauge("rabbitmq.queue.consumers", "orders"));
        assertEquals(1, registry.get("rabbitmq.consumers").gauge().value());
    }

    @Test
    void aQueueDeclaredAfterBindingGetsItsMetersOnTheNextRefresh()
    {
        channel.queueDeclare("late");
        assertNull(registry.find("rabbitmq.queue.messages.ready").tag("queue", "late").gauge(),
            "not before a refresh: meters follow snapshots");

        metrics.refresh();

        assertEquals(0, gauge("rabbitmq.queue.messages.ready", "late"));
    }

    @Test
    void aDeletedQueueLosesEveryMeterOnTheNextRefreshInEveryRegistry()
    {
        final SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(second);
        channel.queueDeclare("gone");
        channel.queueDeclare("kept");
        metrics.refresh();
        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(registry, "gone").size());
        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(second, "gone").size());

        channel.queueDelete("gone");
        metrics.refresh();

        assertEquals(List.of(), queueMeters(registry, "gone"));
        assertEquals(List.of(), queueMeters(second, "gone"));
        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(registry, "kept").size());
        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(second, "kept").size());
    }

    @Test
    void bindingTheSameRegistryTwiceRegistersEachMeterOnce()
    {
        channel.queueDeclare("orders");
        metrics.bindTo(registry);
        metrics.refresh();

        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(registry, "orders").size());
        channel.queueDelete("orders");
        metrics.refresh();
        assertEquals(List.of(), queueMeters(registry, "orders"));
    }

    @Test
    void eachRemovalCauseIsCountedOnItsQueue() throws InterruptedException
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");

        channel.queueDeclare(QueueSpec.builder("expiring").messageTtl(Duration.ofMillis(1)).build());
        channel.publish("", "expiring", new byte[1]);
        Thread.sleep(20);
        assertNull(channel.get("expiring", true), "the expired message is removed, never delivered");

        channel.queueDeclare(QueueSpec.builder("bounded").maxLength(1).build());
        for (int i = 0; i < 3; i++)
        {
            channel.publish("", "bounded", new byte[1]);
        }

        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        channel.publish("", "work", new byte[1]);
        channel.reject(channel.get("work", false).deliveryTag(), false);

        channel.queueDeclare(QueueSpec.builder("limited").deliveryLimit(0).build());
        channel.publish("", "limited", new byte[1]);
        channel.reject(channel.get("limited", false).deliveryTag(), true);

        metrics.refresh();

        assertEquals(1, counter("rabbitmq.queue.messages.dead.lettered.expired", "expiring"));
        assertEquals(2, counter("rabbitmq.queue.messages.dead.lettered.maxlen", "bounded"));
        assertEquals(1, counter("rabbitmq.queue.messages.dead.lettered.rejected", "work"));
        assertEquals(1, counter("rabbitmq.queue.messages.dead.lettered.confirmed", "work"), "reached 'dead'");
        assertEquals(1, counter("rabbitmq.queue.messages.published", "dead"), "a dead letter is accepted into its queue");
        assertEquals(1, counter("rabbitmq.queue.messages.dead.lettered.delivery.limit", "limited"));
        assertEquals(0, counter("rabbitmq.queue.messages.dead.lettered.confirmed", "limited"), "no dead-letter exchange");
    }

    @Test
    void brokerMetersCountOpenObjectsAndMessagesOfDeletedQueuesToo()
    {
        metrics.refresh();
        final double exchangesBefore = registry.get("ringmq.exchanges").gauge().value();
        final double bindingsBefore = registry.get("ringmq.bindings").gauge().value();

        final Connection connection = broker.openConnection("second");
        final Channel other = connection.openChannel();
        channel.exchangeDeclare("logs", ExchangeType.FANOUT);
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        channel.queueBind("a", "logs", "");
        other.consume("b", true, delivery -> { });
        channel.publish("logs", "", new byte[1]);
        final long tag = channel.get("a", false).deliveryTag();
        channel.ack(tag, false);
        channel.queueDelete("a");

        metrics.refresh();

        assertEquals(1, registry.get("rabbitmq.queues").gauge().value(), "b; a was deleted");
        assertEquals(2, registry.get("rabbitmq.connections").gauge().value(), "the test channel's implicit one, and 'second'");
        assertEquals(2, registry.get("rabbitmq.channels").gauge().value());
        assertEquals(1, registry.get("rabbitmq.consumers").gauge().value());
        assertEquals(exchangesBefore + 1, registry.get("ringmq.exchanges").gauge().value());
        assertEquals(bindingsBefore + 1, registry.get("ringmq.bindings").gauge().value(),
            "b's implicit binding to the default exchange; a's two went with it");
        assertEquals(1, registry.get("rabbitmq.global.messages.routed").functionCounter().count(), "a's, though a is gone");
        assertEquals(1, registry.get("rabbitmq.global.messages.delivered").functionCounter().count());
        assertEquals(1, registry.get("rabbitmq.global.messages.acknowledged").functionCounter().count());
        assertEquals(0, registry.get("rabbitmq.global.messages.redelivered").functionCounter().count());
        assertTrue(registry.get("ringmq.envelope.pool.capacity").gauge().value() > 0);
        assertTrue(registry.get("ringmq.envelope.pool.allocated").functionCounter().count() >= 0);
        for (final MeterDefinition<?> definition : MeterCatalog.BROKER)
        {
            assertEquals("/", registry.get(definition.name()).meter().getId().getTag("vhost"), definition.name());
        }
    }

    @Test
    void exchangesHaveBindingMetersTaggedWithNameAndTypeExceptTheDefaultOne()
    {
        channel.exchangeDeclare("logs", ExchangeType.FANOUT);
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        channel.queueBind("a", "logs", "");
        channel.queueBind("b", "logs", "");
        metrics.refresh();

        final Meter logs = registry.get("rabbitmq.cluster.exchange.bindings").tag("exchange", "logs").meter();
        assertEquals("fanout", logs.getId().getTag("type"));
        assertEquals("/", logs.getId().getTag("vhost"));
        assertEquals(2, registry.get("rabbitmq.cluster.exchange.bindings").tag("exchange", "logs").gauge().value());
        assertEquals(0, registry.get("rabbitmq.cluster.exchange.bindings").tag("exchange", "amq.direct").gauge().value());
        assertNull(registry.find("rabbitmq.cluster.exchange.bindings").tag("exchange", "").gauge(),
            "as RabbitMQ: the default exchange's implicit bindings are not the exchange's");

        channel.exchangeDelete("logs");
        metrics.refresh();
        assertNull(registry.find("rabbitmq.cluster.exchange.bindings").tag("exchange", "logs").gauge());
    }

    @Test
    void countersOnlyGrowWhileMessagesComeGoAndQueuesAreDeleted()
    {
        channel.queueDeclare("q");
        channel.queueDeclare("other");
        final Map<String, Double> last = new HashMap<>();
        final List<Runnable> steps = List.of(
            () -> channel.publish("", "q", new byte[3]),
            () -> channel.publish("", "other", new byte[3]),
            () -> channel.nack(channel.get("q", false).deliveryTag(), false, true),
            () -> channel.ack(channel.get("q", false).deliveryTag(), false),
            () -> channel.ack(channel.get("other", false).deliveryTag(), false),
            () -> channel.queueDelete("other"),
            () -> channel.queuePurge("q"),
            () -> channel.publish("", "q", new byte[3]));
        for (final Runnable step : steps)
        {
            step.run();
            metrics.refresh();
            for (final Meter meter : registry.getMeters())
            {
                if (!(meter instanceof FunctionCounter counter))
                {
                    continue;
                }
                final String key = counter.getId().toString();
                final double now = counter.count();
                final Double before = last.put(key, now);
                if (before != null && now < before)
                {
                    fail(key + " went down from " + before + " to " + now);
                }
            }
        }
        assertEquals(3, registry.get("rabbitmq.global.messages.routed").functionCounter().count());
        assertEquals(2, counter("rabbitmq.queue.messages.published", "q"));
    }

    @Test
    void aQueueDeclaredAgainBetweenRefreshesGetsNewCountersInsteadOfOnesThatGoDown()
    {
        channel.queueDeclare("q");
        channel.publish("", "q", new byte[1]);
        channel.publish("", "q", new byte[1]);
        metrics.refresh();
        final FunctionCounter before = registry.get("rabbitmq.queue.messages.published").tag("queue", "q").functionCounter();
        assertEquals(2, before.count());

        channel.queueDelete("q");
        channel.queueDeclare("q");
        channel.publish("", "q", new byte[1]);
        metrics.refresh();

        final FunctionCounter after = registry.get("rabbitmq.queue.messages.published").tag("queue", "q").functionCounter();
        assertNotSame(before, after);
        assertEquals(1, after.count());
        assertEquals(MeterCatalog.QUEUE.size(), queueMeters(registry, "q").size(), "replaced, not added beside");
    }

    @Test
    void theBackgroundRefreshFollowsQueuesAndCloseStopsItAndRemovesEveryMeter()
    {
        final SimpleMeterRegistry background = new SimpleMeterRegistry();
        final RingMqMetrics refreshing = new RingMqMetrics(broker, Duration.ofMillis(20));
        refreshing.bindTo(background);
        assertTrue(refresherAlive());

        channel.queueDeclare("noticed");
        awaitUntil("the background refresh registers the new queue's meters",
            () -> background.find("rabbitmq.queue.messages.ready").tag("queue", "noticed").gauge() != null);
        channel.publish("", "noticed", new byte[1]);
        awaitUntil("the background refresh reads the publish",
            () -> background.get("rabbitmq.queue.messages.ready").tag("queue", "noticed").gauge().value() == 1);

        refreshing.close();

        assertEquals(List.of(), background.getMeters(), "every meter it registered is removed");
        assertFalse(refresherAlive(), "the refresh thread is stopped");
        assertThrows(IllegalStateException.class, () -> refreshing.bindTo(background));
        refreshing.refresh(); // nothing to do after close, and no failure either
        assertEquals(List.of(), background.getMeters());
    }

    @Test
    void withoutARefreshIntervalNoThreadIsStarted()
    {
        assertFalse(refresherAlive(), "metrics in this test was built with Duration.ZERO");
    }

    private double gauge(final String name, final String queue)
    {
        return registry.get(name).tag("queue", queue).gauge().value();
    }

    private double counter(final String name, final String queue)
    {
        return registry.get(name).tag("queue", queue).functionCounter().count();
    }

    private static List<Meter> queueMeters(final MeterRegistry registry, final String queue)
    {
        final List<Meter> meters = new ArrayList<>();
        for (final Meter meter : registry.getMeters())
        {
            if (queue.equals(meter.getId().getTag("queue")))
            {
                meters.add(meter);
            }
        }
        return meters;
    }

    private static boolean refresherAlive()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch(thread -> thread.getName().equals("ringmq-metrics-refresh") && thread.isAlive());
    }

    /** A liveness bound for what the background thread does, not a timing assertion. */
    private static void awaitUntil(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("gave up after 20 s waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
