package io.ringmq.amqp;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringmq.amqp.ShutdownTest.SHUTDOWN_TEXT;
import static io.ringmq.amqp.ShutdownTest.WAIT_SECONDS;
import static io.ringmq.amqp.ShutdownTest.assertForcedByServer;
import static io.ringmq.amqp.ShutdownTest.watched;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM (what Ctrl-C and a service manager send) to {@code bin/ringmq-server}: every connection gets
 * connection.close 320 CONNECTION_FORCED, as from a RabbitMQ node that stops, and the process exits.
 * It runs the packaged {@code amqp/target/ringmq-server.jar}, so the build runs it in the
 * integration-test phase, after package (amqp/pom.xml); a missing jar is a failure, not a skip.
 */
@Timeout(60)
class RingmqServerSigtermTest
{
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final Pattern MANAGEMENT = Pattern.compile("listening for HTTP management on (\\S+):(\\d+)");

    @Test
    void sigtermToRingmqServerSends320ToEveryConnectionAndExits() throws Exception
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path script = root.resolve("bin/ringmq-server");
        final Path jar = root.resolve("amqp/target/ringmq-server.jar");
        assertTrue(Files.isExecutable(script) && Files.isRegularFile(jar),
            "bin/ringmq-server needs amqp/target/ringmq-server.jar: mvn -B -q -pl amqp -am package -DskipTests");
        // a free port for the management API (0 would turn it off), so that this run collides with no RabbitMQ nor
        // another run on 15672; no Prometheus listener
        final int askedManagementPort = FreePort.pick();
        final ProcessBuilder builder = new ProcessBuilder(List.of(script.toString(), "--port", "0", "--bind", "127.0.0.1",
            "--management-port", String.valueOf(askedManagementPort), "--prometheus-port", "0"))
            .directory(root.toFile())
            .redirectErrorStream(true);
        builder.environment().put("RINGMQ_JAVA_OPTS", "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        final Process process = builder.start();
        final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final CompletableFuture<Integer> managementPort = new CompletableFuture<>();
        final Thread pump = new Thread(() -> pump(process, output, port, managementPort), "ringmq-server-output");
        pump.setDaemon(true);
        pump.start();
        try
        {
            final int listening = port.get(30, TimeUnit.SECONDS);
            final int printedManagementPort = managementPort.get(10, TimeUnit.SECONDS);
            assertEquals(askedManagementPort, printedManagementPort, "the management line names the port it bound");
            assertManagementAsksForLogin(printedManagementPort);
            final ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(listening);
            factory.setAutomaticRecoveryEnabled(false);
            factory.setConnectionTimeout(5_000);
            final CompletableFuture<ShutdownSignalException> client = watched(factory.newConnection());
            try (RawAmqpClient raw = RawAmqpClient.connect(new InetSocketAddress("127.0.0.1", listening)))
            {
                raw.openConnection().openChannel(1);

                process.destroy(); // SIGTERM

                assertForcedByServer(client);
                raw.expectConnectionClose(ReplyCode.CONNECTION_FORCED, SHUTDOWN_TEXT, 0, 0);
            }
            assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "bin/ringmq-server did not exit on SIGTERM");
            assertEquals(128 + 15, process.exitValue(), "the JVM's exit status after SIGTERM");
        }
        catch (final Exception | AssertionError ex)
        {
            System.err.println("---- bin/ringmq-server said ----\n" + String.join("\n", output));
            throw ex;
        }
        finally
        {
            if (process.isAlive())
            {
                process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** The management listener answers on the port it printed, with RabbitMQ's challenge. */
    private static void assertManagementAsksForLogin(final int port) throws IOException, InterruptedException
    {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/api/overview")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"RabbitMQ Management\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    private static void pump(final Process process, final ConcurrentLinkedDeque<String> output,
        final CompletableFuture<Integer> port, final CompletableFuture<Integer> managementPort)
    {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = lines.readLine()) != null)
            {
                output.add(line);
                final Matcher listening = LISTENING.matcher(line);
                if (listening.find())
                {
                    port.complete(Integer.parseInt(listening.group(2)));
                }
                final Matcher management = MANAGEMENT.matcher(line);
                if (management.find())
                {
                    managementPort.complete(Integer.parseInt(management.group(2)));
                }
            }
        }
        catch (final IOException ex)
        {
            output.add("(output not readable: " + ex + ")");
        }
        port.completeExceptionally(new IllegalStateException("bin/ringmq-server ended without 'listening on HOST:PORT'"));
        managementPort.completeExceptionally(new IllegalStateException(
            "bin/ringmq-server ended without 'listening for HTTP management on HOST:PORT'"));
    }
}
