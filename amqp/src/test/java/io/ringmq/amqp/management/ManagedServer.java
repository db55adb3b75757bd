package io.ringmq.amqp.management;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.ringmq.Broker;
import io.ringmq.amqp.AmqpServer;
import io.ringmq.amqp.AmqpServerOptions;
import io.ringmq.amqp.FreePort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A broker with its AMQP listener (127.0.0.1, port 0) and both HTTP listeners (on {@link FreePort}s: port 0 would
 * turn them off), for tests that make data through the AMQP door (amqp-client) and read it back over real HTTP
 * (java.net.http, 5 s timeouts).
 */
final class ManagedServer implements AutoCloseable
{
    /** Short, so that rates show within a test: two samples are needed before a rate is not 0. */
    static final Duration STATISTICS_INTERVAL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Broker broker;
    private final AmqpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private ManagedServer(final Broker broker, final UnaryOperator<AmqpServerOptions.Builder> options)
    {
        this.broker = broker;
        try
        {
            server = FreePort.retryOnClash(() -> AmqpServer.start(broker, options.apply(AmqpServerOptions.builder()
                .listen("127.0.0.1", 0)
                .management("127.0.0.1", FreePort.pick())
                .prometheus("127.0.0.1", FreePort.pick())).build()));
        }
        catch (final RuntimeException ex)
        {
            broker.close();
            throw ex;
        }
    }

    /** Statistics sampled every {@link #STATISTICS_INTERVAL}. */
    static ManagedServer start()
    {
        return start(UnaryOperator.identity());
    }

    static ManagedServer start(final UnaryOperator<AmqpServerOptions.Builder> options)
    {
        return new ManagedServer(Broker.builder().statisticsInterval(STATISTICS_INTERVAL).build(), options);
    }

    /** The engine's defaults (for tests that read no statistics). */
    static ManagedServer startWithDefaultBroker(final UnaryOperator<AmqpServerOptions.Builder> options)
    {
        return new ManagedServer(Broker.create(), options);
    }

    AmqpServer server()
    {
        return server;
    }

    Broker broker()
    {
        return broker;
    }

    /** An amqp-client connection as guest. */
    Connection connect()
    {
        final ConnectionFactory factory = new ConnectionFactory();
        final InetSocketAddress address = server.address();
        factory.setHost("127.0.0.1");
        factory.setPort(address.getPort());
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout((int)TIMEOUT.toMillis());
        try
        {
            return factory.newConnection("management-test");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    URI management(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.managementAddress().getPort() + path);
    }

    URI prometheus(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.prometheusAddress().getPort() + path);
    }

    /** A request as guest. */
    HttpResponse<String> send(final String method, final URI uri)
    {
        return send(method, uri, "guest", "guest");
    }

    /** A request with basic auth ({@code user} null: none). */
    HttpResponse<String> send(final String method, final URI uri, final String user, final String password)
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null)
        {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try
        {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** GET {@code path} on the management port as guest: 200 and JSON, or the assertion fails. */
    JsonNode json(final String path)
    {
        final HttpResponse<String> response = send("GET", management(path));
        assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(null));
        return JSON.readTree(response.body());
    }

    /**
     * GETs {@code path} every 50 ms until {@code condition} holds of its JSON (rates need two statistics samples):
     * a liveness bound of 10 s, not a timing assertion.
     */
    JsonNode awaitJson(final String path, final String what, final Predicate<JsonNode> condition)
    {
        return awaitJson(path, what, condition, () -> { });
    }

    /**
     * As {@link #awaitJson(String, String, Predicate)}, running {@code betweenPolls} before each GET after the
     * first: a rate is per statistics interval, from a queue's second sample on, so a test that wants one keeps
     * the traffic going until it shows, as a real workload would.
     */
    JsonNode awaitJson(final String path, final String what, final Predicate<JsonNode> condition,
        final Runnable betweenPolls)
    {
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode last = json(path);
        while (!condition.test(last))
        {
            if (System.nanoTime() > deadline)
            {
                fail("gave up after 10 s waiting for " + what + " in GET " + path + ": " + last);
            }
            LockSupport.parkNanos(50_000_000L);
            betweenPolls.run();
            last = json(path);
        }
        return last;
    }

    static JsonNode parse(final String body)
    {
        return JSON.readTree(body);
    }

    @Override
    public void close()
    {
        try
        {
            server.close();
        }
        finally
        {
            broker.close();
        }
    }
}
