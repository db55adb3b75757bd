package io.ringmq.amqp.management;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /metrics} as RabbitMQ's Prometheus plugin serves it, and the alert rules that rely on its names. */
@Timeout(60)
class PrometheusEndpointTest
{
    private static final Pattern METRIC = Pattern.compile("\\b((?:rabbitmq|ringmq)_[a-z_]+)\\b");

    @Test
    void metricsAreServedInPrometheusTextFormatWithRabbitMqsPerQueueNames() throws IOException
    {
        try (ManagedServer server = ManagedServer.start(); Connection client = server.connect())
        {
            final Channel channel = client.createChannel();
            channel.queueDeclare("scraped", false, false, false, null);
            channel.basicPublish("", "scraped", null, "m".getBytes(StandardCharsets.UTF_8));

            final HttpResponse<String> scrape = server.send("GET", server.prometheus("/metrics"));
            assertEquals(200, scrape.statusCode(), scrape::body);
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                scrape.headers().firstValue("Content-Type").orElse(null));
            assertTrue(scrape.body().contains("rabbitmq_queue_messages_ready{queue=\"scraped\",vhost=\"/\"} 1.0") ||
                scrape.body().contains("rabbitmq_queue_messages_ready{vhost=\"/\",queue=\"scraped\"} 1.0"), scrape.body());
            assertEquals(404, server.send("GET", server.prometheus("/api/overview")).statusCode(),
                "the Prometheus port serves /metrics only");
        }
    }

    @Test
    void everyMetricTheAlertRulesUseIsOneTheEndpointServes() throws IOException
    {
        final Path rules = Path.of(System.getProperty("user.dir")).getParent().resolve("docs/ops/prometheus-alerts.yml");
        final Set<String> used = new TreeSet<>();
        for (final String line : Files.readAllLines(rules, StandardCharsets.UTF_8))
        {
            if (line.strip().startsWith("#"))
            {
                continue;
            }
            final Matcher metric = METRIC.matcher(line);
            while (metric.find())
            {
                used.add(metric.group(1));
            }
        }
        assertFalse(used.isEmpty(), "the rules name no metric: " + rules);
        try (ManagedServer server = ManagedServer.start(); Connection client = server.connect())
        {
            client.createChannel().queueDeclare("watched", false, false, false, null); // per-queue series exist
            final String scrape = server.send("GET", server.prometheus("/metrics")).body();
            final Set<String> served = new TreeSet<>();
            for (final String line : scrape.split("\n"))
            {
                if (!line.isEmpty() && !line.startsWith("#")) // a sample: name{labels} value, or name value
                {
                    served.add(line.split("[{ ]", 2)[0]);
                }
            }
            final Set<String> missing = new TreeSet<>(used);
            missing.removeAll(served);
            assertTrue(missing.isEmpty(), "the alert rules use metrics /metrics does not serve: " + missing +
                "\nserved: " + served);
        }
    }
}
