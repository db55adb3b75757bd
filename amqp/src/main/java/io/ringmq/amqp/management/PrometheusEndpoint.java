package io.ringmq.amqp.management;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.ringmq.amqp.server.ServerState;
import io.ringmq.micrometer.RingMqMetrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus port: {@code GET /metrics} in Prometheus' text format 0.0.4, as RabbitMQ's Prometheus plugin
 * serves it, with the names of {@link RingMqMetrics} (RabbitMQ's) and one of the AMQP layer's own,
 * {@code ringmq_connections_blocked}: the connections a full {@code x-overflow = block} queue holds back now.
 * Anything else is 404.
 * <p>
 * No refresher thread: each scrape refreshes the binder, so it reads the broker as of that request and
 * a broker nobody scrapes costs nothing. Refresh and scrape run as one step under this object's lock, so two
 * scrapes never see (nor make) a meter set that another refresh is changing.
 */
final class PrometheusEndpoint implements HttpEndpoint, AutoCloseable
{
    /** What Prometheus asks for first and what RabbitMQ's plugin answers with. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RingMqMetrics metrics;

    PrometheusEndpoint(final ServerState server)
    {
        metrics = new RingMqMetrics(server.broker(), Duration.ZERO);
        try
        {
            metrics.bindTo(registry);
            Gauge.builder("ringmq.connections.blocked", server, ServerState::blockedConnectionCount)
                .description("AMQP connections whose publishes a full queue (x-overflow = block) holds back now")
                .register(registry);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    @Override
    public HttpAnswer answer(final HttpMethod method, final List<String> segments, final Map<String, List<String>> query)
    {
        if (segments.size() != 1 || !segments.get(0).equals("metrics"))
        {
            return HttpAnswer.notFound();
        }
        if (!HttpMethod.GET.equals(method))
        {
            return HttpAnswer.methodNotAllowed("GET");
        }
        return HttpAnswer.ok(CONTENT_TYPE, scrape().getBytes(StandardCharsets.UTF_8));
    }

    private synchronized String scrape()
    {
        metrics.refresh();
        return registry.scrape();
    }

    /** Removes the broker's meters and closes the registry. */
    @Override
    public synchronized void close()
    {
        metrics.close();
        registry.close();
    }
}
