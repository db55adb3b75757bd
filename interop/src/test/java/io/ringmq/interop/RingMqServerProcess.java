package io.ringmq.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/ringmq-server --port 0 --bind 127.0.0.1 --management-port 0 --prometheus-port 0 --config interop/target/ringmq-interop.conf}
 * as a child process: started from the repository root, ready once it prints
 * {@code listening on HOST:PORT}, stopped with SIGTERM. The configuration sets
 * {@code max_message_size} to {@value #MAX_MESSAGE_SIZE}, the value against-rabbitmq.sh gives
 * RabbitMQ, so the test of that limit runs against both.
 *
 * <p>Its stdout and stderr (merged) go to {@code interop/target/ringmq-server.log}, and the last
 * {@value #KEPT_LINES} lines are kept in memory so that a failed start, a failed test or an
 * unclean stop can show what the server said ({@link #dumpOutput}).
 */
final class RingMqServerProcess implements AutoCloseable
{
    static final long START_TIMEOUT_SECONDS = 30;
    static final long MAX_MESSAGE_SIZE = 1_048_576;
    private static final long STOP_TIMEOUT_SECONDS = 15;
    private static final int KEPT_LINES = 400;
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    private final Process process;
    private final Thread outputPump;
    private final CompletableFuture<URI> listening = new CompletableFuture<>();
    /** Guarded by itself: written by the output pump thread, read by whoever dumps it. */
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();

    private RingMqServerProcess(Process process, Path log)
    {
        this.process = process;
        this.outputPump = new Thread(() -> pumpOutput(log), "ringmq-server-output");
        outputPump.setDaemon(true);
    }

    /** Starts the server and waits until it listens; on any failure it is stopped and its output shown. */
    static RingMqServerProcess start(Path repositoryRoot) throws IOException
    {
        Path script = repositoryRoot.resolve("bin/ringmq-server");
        if (!Files.isExecutable(script))
        {
            throw new IllegalStateException(script + " is missing or not executable: build RingMQ's listener"
                + " (mvn -B -q -DskipTests package), or point the suite at a running broker with -D"
                + InteropSettings.AMQP_URI + "=amqp://guest:guest@127.0.0.1:5672/");
        }
        Path log = repositoryRoot.resolve("interop/target/ringmq-server.log");
        Files.createDirectories(log.getParent());
        Path config = repositoryRoot.resolve("interop/target/ringmq-interop.conf");
        Files.writeString(config, "max_message_size = " + MAX_MESSAGE_SIZE + "\n");
        // No HTTP listeners (port 0 turns them off): 15672 / 15692 may be a RabbitMQ's, or another run's.
        Process process = new ProcessBuilder(List.of(script.toString(), "--port", "0", "--bind", "127.0.0.1",
                                                     "--management-port", "0", "--prometheus-port", "0",
                                                     "--config", config.toString()))
            .directory(repositoryRoot.toFile())
            .redirectErrorStream(true)
            .start();

        RingMqServerProcess server = new RingMqServerProcess(process, log);
        server.outputPump.start();
        process.onExit().thenRun(() -> server.listening.completeExceptionally(
            new IllegalStateException("bin/ringmq-server exited with " + process.exitValue() + " before listening")));
        try
        {
            server.listening.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return server;
        }
        catch (InterruptedException | ExecutionException | TimeoutException e)
        {
            server.close();
            String why = e instanceof TimeoutException
                ? "bin/ringmq-server printed no 'listening on HOST:PORT' within " + START_TIMEOUT_SECONDS + " s"
                : "bin/ringmq-server did not start: " + (e.getCause() != null ? e.getCause().getMessage() : e);
            server.dumpOutput(why);
            throw new IllegalStateException(why, e);
        }
    }

    /** The URI of the listener it announced, with RabbitMQ's default user. */
    URI amqpUri()
    {
        return listening.join();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** Prints the server's last lines to stderr, under a headline saying why. */
    void dumpOutput(String why)
    {
        StringBuilder text = new StringBuilder("---- ").append(why).append(": last lines of bin/ringmq-server ----\n");
        synchronized (lastLines)
        {
            lastLines.forEach(line -> text.append(line).append('\n'));
        }
        System.err.println(text.append("---- end of bin/ringmq-server output ----"));
    }

    /** SIGTERM to the server (and anything it started), then waits for it to exit; SIGKILL if it does not. */
    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                dumpOutput("bin/ringmq-server ignored SIGTERM for " + STOP_TIMEOUT_SECONDS + " s and was killed");
            }
            outputPump.join(TimeUnit.SECONDS.toMillis(2));   // its last words reach the log file
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void pumpOutput(Path log)
    {
        try (BufferedReader output = new BufferedReader(
                 new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter file = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true))
        {
            String line;
            while ((line = output.readLine()) != null)
            {
                file.println(line);
                synchronized (lastLines)
                {
                    if (lastLines.size() == KEPT_LINES)
                    {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find())
                {
                    listening.complete(URI.create("amqp://guest:guest@" + m.group(1) + ":" + m.group(2) + "/"));
                }
            }
        }
        catch (IOException e)
        {
            listening.completeExceptionally(e);
        }
    }
}
