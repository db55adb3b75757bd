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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
    void connectionsBlockedCountsAPublisherHeldByAFullBlockQueueUntilItHasRoom() throws IOException
    {
        try (ManagedServer server = ManagedServer.start();
             Connection publisherConnection = server.connect();
             Connection other = server.connect())
        {
            final Channel publisher = publisherConnection.createChannel();
            publisher.queueDeclare("full", false, false, false, Map.of("x-max-length", 2, "x-overflow", "block"));
            assertEquals("0.0", blocked(server), "nobody is held yet");

            for (int i = 0; i < 3; i++) // the queue takes two and holds the third, and the connection, back
            {
                publisher.basicPublish("", "full", null, ("m" + i).getBytes(StandardCharsets.UTF_8));
            }
            awaitBlocked(server, "1.0");

            final Channel consumer = other.createChannel();
            assertNotNull(consumer.basicGet("full", true), "a ready message"); // room: the held publish goes in
            awaitBlocked(server, "0.0");
        }
    }

    /** The value of {@code ringmq_connections_blocked} in one scrape. */
    private static String blocked(final ManagedServer server)
    {
        final String scrape = server.send("GET", server.prometheus("/metrics")).body();
        for (final String line : scrape.split("\n"))
        {
            if (line.startsWith("ringmq_connections_blocked "))
            {
                return line.substring("ringmq_connections_blocked ".length());
            }
        }
        return fail("no ringmq_connections_blocked sample in\n" + scrape);
    }

    /** Scrapes every 20 ms until the gauge reads {@code value}: a liveness bound of 10 s. */
    private static void awaitBlocked(final ManagedServer server, final String value)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String last = blocked(server);
        while (!last.equals(value))
        {
            if (System.nanoTime() > deadline)
            {
                fail("ringmq_connections_blocked stayed " + last + ", expected " + value);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            last = blocked(server);
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
