package io.ringmq.amqp.management;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both HTTP listeners ask for basic auth against the AMQP listener's users, and refuse as RabbitMQ's management
 * plugin does: 401 with its realm, whatever the path. (Who may log in from where is the AMQP door's rule, one
 * piece of code shared with it: {@code loopback_users}.)
 */
@Timeout(30)
class ManagementAuthTest
{
    private static ManagedServer server;

    @BeforeAll
    static void start()
    {
        server = ManagedServer.startWithDefaultBroker(options -> options.user("ops", "s3cret").withoutUser("nobody"));
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    private static void assertRefused(final HttpResponse<String> response)
    {
        assertEquals(401, response.statusCode(), response::body);
        assertEquals("Basic realm=\"RabbitMQ Management\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertEquals("not_authorized", ManagedServer.parse(response.body()).get("error").asString());
    }

    @Test
    void noCredentialsIsAChallengeOnEveryPathOfBothListeners()
    {
        for (final URI uri : new URI[] {server.management("/"), server.management("/api/overview"),
            server.management("/api/no-such-thing"), server.prometheus("/metrics"), server.prometheus("/")})
        {
            assertRefused(server.send("GET", uri, null, null));
        }
        assertRefused(server.send("DELETE", server.management("/api/queues/%2F/q"), null, null));
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsRefused()
    {
        assertRefused(server.send("GET", server.management("/api/overview"), "guest", "not-guest"));
        assertRefused(server.send("GET", server.management("/api/overview"), "nobody", "guest"));
        assertRefused(server.send("GET", server.prometheus("/metrics"), "ops", "wrong"));
    }

    @Test
    void aMalformedAuthorizationHeaderIsRefusedNotAnError()
    {
        final var http = java.net.http.HttpClient.newHttpClient();
        for (final String header : new String[] {"Basic !!!not-base64", "Basic " +
            java.util.Base64.getEncoder().encodeToString("no-colon".getBytes()), "Bearer abc"})
        {
            try
            {
                assertRefused(http.send(java.net.http.HttpRequest.newBuilder(server.management("/api/overview"))
                    .timeout(java.time.Duration.ofSeconds(5)).header("Authorization", header).build(),
                    HttpResponse.BodyHandlers.ofString()));
            }
            catch (final java.io.IOException | InterruptedException ex)
            {
                throw new AssertionError(header, ex);
            }
        }
    }

    @Test
    void anyConfiguredUserGetsInAndGuestGetsInFromLoopback()
    {
        final HttpResponse<String> page = server.send("GET", server.management("/"), "ops", "s3cret");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertEquals(200, server.send("GET", server.management("/"), "guest", "guest").statusCode());
    }

    @Test
    void theManagementApiAnswersUnknownPathsWithRabbitMqs404()
    {
        for (final String path : new String[] {"/api/no-such-thing", "/favicon.ico", "/api/queues/no-such-vhost",
            "/api/queues/%2F/q/what", "/api/overview/more"})
        {
            final HttpResponse<String> response = server.send("GET", server.management(path));
            assertEquals(404, response.statusCode(), path);
            assertEquals("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}", response.body(), path);
        }
    }

    @Test
    void aKnownPathWithAnotherMethodIs405()
    {
        final HttpResponse<String> response = server.send("POST", server.management("/api/overview"));
        assertEquals(405, response.statusCode());
        assertEquals("GET", response.headers().firstValue("Allow").orElse(null));
    }
}
