package io.ringmq.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Prometheus reads: the text format of a scrape carries RabbitMQ's metric names and labels. */
class PrometheusScrapeTest
{
    /** RabbitMQ's names (rabbitmq_prometheus) where RingMQ counts the same thing, and RingMQ's own. */
    private static final List<String> QUEUE_SERIES = List.of(
        "rabbitmq_queue_messages_ready",
        "rabbitmq_queue_messages_unacked",
        "rabbitmq_queue_messages",
        "rabbitmq_queue_consumers",
        "rabbitmq_queue_messages_ready_bytes",
        "rabbitmq_queue_messages_published_total",
        "rabbitmq_queue_messages_delivered_total",
        "rabbitmq_queue_messages_acked_total",
        "rabbitmq_queue_messages_redelivered_total",
        "rabbitmq_queue_messages_dead_lettered_expired_total",
        "rabbitmq_queue_messages_dead_lettered_maxlen_total",
        "rabbitmq_queue_messages_dead_lettered_rejected_total",
        "rabbitmq_queue_messages_dead_lettered_delivery_limit_total",
        "rabbitmq_queue_messages_dead_lettered_confirmed_total");
    private static final List<String> BROKER_SERIES = List.of(
        "rabbitmq_queues",
        "rabbitmq_connections",
        "rabbitmq_channels",
        "rabbitmq_consumers",
        "ringmq_exchanges",
        "ringmq_bindings",
        "rabbitmq_global_messages_routed_total",
        "rabbitmq_global_messages_delivered_total",
        "rabbitmq_global_messages_acknowledged_total",
        "rabbitmq_global_messages_redelivered_total",
        "ringmq_envelope_pool_capacity",
        "ringmq_envelope_pool_allocated_total");

    @Test
    void aScrapeShowsEachQueuesGaugesAndCountersUnderRabbitMqNames()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel();
             RingMqMetrics metrics = new RingMqMetrics(broker, Duration.ZERO))
        {
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics.bindTo(registry);
            channel.queueDeclare("orders");
            channel.exchangeDeclare("logs", ExchangeType.FANOUT);
            channel.queueBind("orders", "logs", "");
            for (int i = 0; i < 3; i++)
            {
                channel.publish("logs", "", new byte[7]);
            }

            metrics.refresh();
            final List<String> lines = registry.scrape().lines().toList();

            assertLine(lines, "rabbitmq_queue_messages_ready{queue=\"orders\",vhost=\"/\"} 3.0");
            assertLine(lines, "rabbitmq_queue_messages_unacked{queue=\"orders\",vhost=\"/\"} 0.0");
            assertLine(lines, "rabbitmq_queue_messages{queue=\"orders\",vhost=\"/\"} 3.0");
            assertLine(lines, "rabbitmq_queue_messages_ready_bytes{queue=\"orders\",vhost=\"/\"} 21.0");
            assertLine(lines, "rabbitmq_queue_messages_published_total{queue=\"orders\",vhost=\"/\"} 3.0");
            assertLine(lines, "rabbitmq_global_messages_routed_total{vhost=\"/\"} 3.0");
            assertLine(lines, "rabbitmq_queues{vhost=\"/\"} 1.0");
            assertLine(lines, "rabbitmq_cluster_exchange_bindings{exchange=\"logs\",type=\"fanout\",vhost=\"/\"} 1.0");
            assertLine(lines, "# TYPE rabbitmq_queue_messages_ready gauge");
            assertLine(lines, "# TYPE rabbitmq_queue_messages_published_total counter");
            for (final String series : QUEUE_SERIES)
            {
                assertSample(lines, series + "{queue=\"orders\",vhost=\"/\"} ");
            }
            for (final String series : BROKER_SERIES)
            {
                assertSample(lines, series + "{vhost=\"/\"} ");
            }
        }
    }

    @Test
    void aDeletedQueueIsGoneFromTheScrapeAfterARefresh()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel();
             RingMqMetrics metrics = new RingMqMetrics(broker, Duration.ZERO))
        {
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics.bindTo(registry);
            channel.queueDeclare("orders");
            metrics.refresh();
            assertTrue(registry.scrape().contains("queue=\"orders\""));

            channel.queueDelete("orders");
            metrics.refresh();

            assertFalse(registry.scrape().contains("queue=\"orders\""));
        }
    }

    private static void assertLine(final List<String> lines, final String line)
    {
        assertTrue(lines.contains(line), () -> "no line '" + line + "' in:\n" + String.join("\n", lines));
    }

    private static void assertSample(final List<String> lines, final String prefix)
    {
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(prefix)),
            () -> "no sample '" + prefix + "...' in:\n" + String.join("\n", lines));
    }
}
