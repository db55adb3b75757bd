package io.ringmq.amqp.management;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConnectionInfo;
import io.ringmq.Inspector;
import io.ringmq.QueueInfo;
import io.ringmq.amqp.server.ServerState;
import io.ringmq.amqp.server.WireConnection;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.RingMqException;
import io.ringmq.routing.ExchangeSpec;
import tools.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The management port: the live page at {@code /}, and RabbitMQ's management API paths that RingMQ serves:
 * <ul>
 *   <li>GET {@code /api/overview};</li>
 *   <li>GET {@code /api/queues}, {@code /api/queues/{vhost}}, {@code /api/queues/{vhost}/{name}};
 *       DELETE {@code /api/queues/{vhost}/{name}} (with {@code if-empty}, {@code if-unused}; also another
 *       connection's exclusive queue, as RabbitMQ's management deletes it) and
 *       {@code /api/queues/{vhost}/{name}/contents} (purge, under AMQP's rules), both answering 204;</li>
 *   <li>GET {@code /api/exchanges}, {@code /api/exchanges/{vhost}}, {@code /api/exchanges/{vhost}/{name}};</li>
 *   <li>GET {@code /api/bindings}, {@code /api/bindings/{vhost}}, {@code /api/consumers},
 *       {@code /api/consumers/{vhost}}, {@code /api/connections}, {@code /api/channels}.</li>
 * </ul>
 * The vhost is {@code %2F} in paths ({@code /}, the only one). Anything else is RabbitMQ's 404
 * {@code {"error":"Object Not Found","reason":"Not Found"}}; a known path with another method is 405.
 */
final class ManagementApi implements HttpEndpoint
{
    /** How long a listing waits for the AMQP connections' own snapshots before leaving a busy one out. */
    private static final long WIRE_SNAPSHOT_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final String LIVE_PAGE = "live.html";

    private final Broker broker;
    private final Inspector inspector;
    private final ServerState server;
    private final ManagementJson json;
    private final Supplier<List<ManagementJson.Listener>> listeners;
    private final String version;
    private final byte[] livePage;

    ManagementApi(final ServerState server, final ManagementJson json, final Supplier<List<ManagementJson.Listener>> listeners,
        final String version)
    {
        this.server = server;
        this.broker = server.broker();
        this.inspector = broker.inspector();
        this.json = json;
        this.listeners = listeners;
        this.version = version;
        this.livePage = resource(LIVE_PAGE);
    }

    private static byte[] resource(final String name)
    {
        try (InputStream in = ManagementApi.class.getResourceAsStream(name))
        {
            if (in == null)
            {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return in.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public HttpAnswer answer(final HttpMethod method, final List<String> path, final Map<String, List<String>> query)
    {
        if (path.isEmpty() || (path.size() == 1 && path.get(0).equals("index.html")))
        {
            return HttpMethod.GET.equals(method) ? HttpAnswer.ok("text/html; charset=utf-8", livePage) : HttpAnswer.methodNotAllowed("GET");
        }
        if (!path.get(0).equals("api") || path.size() < 2)
        {
            return HttpAnswer.notFound();
        }
        final List<String> rest = path.subList(2, path.size());
        switch (path.get(1))
        {
            case "overview":
                return rest.isEmpty() ? get(method, this::overview) : HttpAnswer.notFound();
            case "queues":
                return queues(method, rest, query);
            case "exchanges":
                return exchanges(method, rest);
            case "bindings":
                return vhostListing(method, rest, (out, wire) -> list(out, inspector.bindings(), json::binding));
            case "consumers":
                return vhostListing(method, rest, (out, wire) ->
                {
                    final ManagementJson.Wire connections = wire.get();
                    list(out, inspector.consumers(), (o, consumer) -> json.consumer(o, consumer, connections));
                });
            case "channels":
                return rest.isEmpty() ? get(method, out ->
                {
                    final ManagementJson.Wire connections = wire();
                    list(out, inspector.channels(), (o, channel) -> json.channel(o, channel, connections));
                }) : HttpAnswer.notFound();
            case "connections":
                return rest.isEmpty() ? get(method, this::connections) : HttpAnswer.notFound();
            default:
                return HttpAnswer.notFound();
        }
    }

    private void overview(final JsonGenerator out)
    {
        json.overview(out, inspector.overview(), listeners.get(), version);
    }

    private void connections(final JsonGenerator out)
    {
        final ManagementJson.Wire wire = wire();
        out.writeStartArray();
        for (final ConnectionInfo connection : inspector.connections())
        {
            json.connection(out, connection, wire.connection(connection.name()));
        }
        out.writeEndArray();
    }

    private ManagementJson.Wire wire()
    {
        final List<WireConnection> snapshots = server.wireConnections(WIRE_SNAPSHOT_TIMEOUT_NANOS);
        return ManagementJson.Wire.of(snapshots);
    }

    private HttpAnswer queues(final HttpMethod method, final List<String> rest, final Map<String, List<String>> query)
    {
        if (rest.isEmpty())
        {
            return get(method, out -> list(out, inspector.queues(), json::queue));
        }
        if (!ManagementJson.isVhost(rest.get(0)))
        {
            return HttpAnswer.notFound(); // RabbitMQ answers an unknown vhost as an unknown object
        }
        if (rest.size() == 1)
        {
            return get(method, out -> list(out, inspector.queues(), json::queue));
        }
        final String name = rest.get(1);
        if (rest.size() == 2)
        {
            if (HttpMethod.DELETE.equals(method))
            {
                // as RabbitMQ's management: an operator's delete, another connection's exclusive queue included
                return change(() -> broker.deleteQueueAsOperator(name, flag(query, "if-unused"), flag(query, "if-empty")));
            }
            if (!HttpMethod.GET.equals(method))
            {
                return HttpAnswer.methodNotAllowed("GET, DELETE");
            }
            final Optional<QueueInfo> queue = inspector.queue(name);
            return queue.isEmpty() ? HttpAnswer.notFound() :
                HttpAnswer.json(HttpResponseStatus.OK, Json.write(out -> json.queue(out, queue.get())));
        }
        if (rest.size() == 3 && rest.get(2).equals("contents"))
        {
            return HttpMethod.DELETE.equals(method) ? change(() -> purge(name)) : HttpAnswer.methodNotAllowed("DELETE");
        }
        return HttpAnswer.notFound();
    }

    private HttpAnswer exchanges(final HttpMethod method, final List<String> rest)
    {
        if (rest.size() <= 1)
        {
            return vhostListing(method, rest, (out, wire) -> list(out, inspector.exchanges(), json::exchange));
        }
        if (rest.size() != 2 || !ManagementJson.isVhost(rest.get(0)))
        {
            return HttpAnswer.notFound();
        }
        if (!HttpMethod.GET.equals(method))
        {
            return HttpAnswer.methodNotAllowed("GET");
        }
        for (final ExchangeSpec exchange : inspector.exchanges())
        {
            if (exchange.name().equals(rest.get(1)))
            {
                return HttpAnswer.json(HttpResponseStatus.OK, Json.write(out -> json.exchange(out, exchange)));
            }
        }
        return HttpAnswer.notFound();
    }

    /** {@code /api/THING} and {@code /api/THING/{vhost}}: the same list, RingMQ having one vhost. */
    private HttpAnswer vhostListing(final HttpMethod method, final List<String> rest,
        final BiConsumer<JsonGenerator, Supplier<ManagementJson.Wire>> body)
    {
        if (rest.size() > 1 || (rest.size() == 1 && !ManagementJson.isVhost(rest.get(0))))
        {
            return HttpAnswer.notFound();
        }
        return get(method, out -> body.accept(out, this::wire));
    }

    private static <T> void list(final JsonGenerator out, final List<T> items, final BiConsumer<JsonGenerator, T> item)
    {
        out.writeStartArray();
        for (final T each : items)
        {
            item.accept(out, each);
        }
        out.writeEndArray();
    }

    private static HttpAnswer get(final HttpMethod method, final java.util.function.Consumer<JsonGenerator> body)
    {
        return HttpMethod.GET.equals(method) ? HttpAnswer.json(HttpResponseStatus.OK, Json.write(body)) : HttpAnswer.methodNotAllowed("GET");
    }

    /**
     * A purge made as RabbitMQ's management plugin makes it, through a channel of its own (an in-process one
     * here, opened for the one operation), so AMQP's rules hold: another connection's exclusive queue is refused.
     */
    private void purge(final String name)
    {
        try (Channel channel = broker.openChannel())
        {
            channel.queuePurge(name);
        }
    }

    /** 204, RabbitMQ's 404 for a queue that is not there, or 400 with the engine's reply text. */
    private static HttpAnswer change(final Runnable change)
    {
        try
        {
            change.run();
            return HttpAnswer.noContent();
        }
        catch (final NotFoundException ex)
        {
            return HttpAnswer.notFound();
        }
        catch (final RingMqException ex)
        {
            return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "bad_request", ex.getMessage());
        }
    }

    private static boolean flag(final Map<String, List<String>> query, final String name)
    {
        final List<String> values = query.get(name);
        return values != null && values.contains("true");
    }
}
