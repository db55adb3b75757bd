package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shutdown closes every connection as RabbitMQ does on a node stop: connection.close 320 CONNECTION_FORCED
 * "broker forced connection closure with reason 'shutdown'", which amqp-client reports as a hard-error
 * ShutdownSignalException the application did not initiate. Both ways a server stops: {@link AmqpServer#close()}
 * in an application, and SIGTERM to {@code bin/ringmq-server}.
 */
@Timeout(60)
class ShutdownTest
{
    private static final String SHUTDOWN_TEXT = "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'";
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final long WAIT_SECONDS = 15;

    /** An amqp-client connection with a channel, whose shutdown signal the future gets. */
    private static CompletableFuture<ShutdownSignalException> watched(final Connection connection) throws IOException
    {
        final CompletableFuture<ShutdownSignalException> signal = new CompletableFuture<>();
        connection.addShutdownListener(signal::complete);
        connection.createChannel().queueDeclare();
        return signal;
    }

    private static void assertForcedByServer(final CompletableFuture<ShutdownSignalException> signal) throws Exception
    {
        final ShutdownSignalException shutdown = signal.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(shutdown.isHardError(), "a connection error");
        assertFalse(shutdown.isInitiatedByApplication(), "initiated by the server");
        final AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, shutdown.getReason());
        assertEquals(AMQP.CONNECTION_FORCED, close.getReplyCode());
        assertEquals(SHUTDOWN_TEXT, close.getReplyText());
    }

    @Test
    void closingTheServerSends320ToEveryConnectionAndStopsListeningButLeavesTheBrokerOpen() throws Exception
    {
        final EmbeddedServer embedded = EmbeddedServer.start();
        try (RawAmqpClient raw = embedded.rawWithChannel();
             RawAmqpClient midHandshake = embedded.raw())
        {
            final CompletableFuture<ShutdownSignalException> first = watched(embedded.connect());
            final CompletableFuture<ShutdownSignalException> second = watched(embedded.connect());
            midHandshake.sendBytes(AmqpProtocol.protocolHeader()).nextMethod(); // connection.start, then nothing
            final InetSocketAddress address = embedded.address();

            embedded.server().close();

            assertForcedByServer(first);
            assertForcedByServer(second);
            raw.expectConnectionClose(ReplyCode.CONNECTION_FORCED, SHUTDOWN_TEXT, 0, 0);
            midHandshake.expectEnd(); // RabbitMQ tells a connection that is not yet running nothing
            assertEquals(0, embedded.server().connectionCount());
            assertThrows(IOException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "the listener still accepts connections after close()");
            assertTrue(embedded.broker().isOpen(), "close() leaves the application's broker open");
            embedded.server().close(); // idempotent
        }
        finally
        {
            embedded.close();
        }
    }

    @Test
    void sigtermToRingmqServerSends320ToEveryConnectionAndExits() throws Exception
    {
        final Path root = Path.of(System.getProperty("user.dir")).getParent();
        final Path script = root.resolve("bin/ringmq-server");
        final Path jar = root.resolve("amqp/target/ringmq-server.jar");
        assumeTrue(Files.isExecutable(script) && Files.isRegularFile(jar),
            "bin/ringmq-server needs amqp/target/ringmq-server.jar: mvn -B -o -q -pl amqp -am package -DskipTests");
        final ProcessBuilder builder = new ProcessBuilder(List.of(script.toString(), "--port", "0", "--bind", "127.0.0.1"))
            .directory(root.toFile())
            .redirectErrorStream(true);
        builder.environment().put("RINGMQ_JAVA_OPTS", "-Xms32m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        final Process process = builder.start();
        final ConcurrentLinkedDeque<String> output = new ConcurrentLinkedDeque<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final Thread pump = new Thread(() -> pump(process, output, port), "ringmq-server-output");
        pump.setDaemon(true);
        pump.start();
        try
        {
            final int listening = port.get(30, TimeUnit.SECONDS);
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

    private static void pump(final Process process, final ConcurrentLinkedDeque<String> output,
        final CompletableFuture<Integer> port)
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
            }
        }
        catch (final IOException ex)
        {
            output.add("(output not readable: " + ex + ")");
        }
        port.completeExceptionally(new IllegalStateException("bin/ringmq-server ended without 'listening on HOST:PORT'"));
    }
}
