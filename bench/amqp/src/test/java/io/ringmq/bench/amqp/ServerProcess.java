package io.ringmq.bench.amqp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RingMQ's server, {@code io.ringmq.amqp.Main} (what bin/ringmq-server runs), in a JVM of its own, so
 * that its heap holds the server and nothing of the clients that load it. It runs on this JVM's class
 * path (the module under test and its dependencies, as the reactor built them), not on the shaded jar
 * bin/ringmq-server needs, which a test-phase build has not packaged yet.
 * <p>
 * Its live heap is read with {@code jcmd <pid> GC.class_histogram}: the JVM first runs a full collection,
 * then counts what survived, so the total is the live heap, not whatever garbage the last young
 * collection left, and no JMX agent has to be opened in the server.
 */
final class ServerProcess implements AutoCloseable
{
    private static final long START_SECONDS = 30;
    private static final long STOP_SECONDS = 15;
    private static final int KEPT_LINES = 200;
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    /** The last line of a class histogram: {@code Total <instances> <bytes>}. */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    private final Process process;
    private final CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    /** Guarded by itself: written by the output pump, read by whoever reports a failure. */
    private final ArrayDeque<String> lastLines = new ArrayDeque<>();

    private ServerProcess(final Process process)
    {
        this.process = process;
        final Thread pump = new Thread(this::pumpOutput, "ringmq-server-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts the server on 127.0.0.1 and a free port, and waits until it listens. */
    static ServerProcess start(final List<String> jvmOptions) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.ringmq.amqp.Main");
        // No HTTP listeners (port 0: off): the measured server runs the AMQP listener alone, and takes no port of 15672 / 15692.
        command.addAll(List.of("--port", "0", "--bind", "127.0.0.1", "--management-port", "0", "--prometheus-port", "0"));
        final ServerProcess server = new ServerProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
        server.process.onExit().thenRun(() -> server.listening.completeExceptionally(
            new IllegalStateException("the server exited with " + server.process.exitValue() + " before listening")));
        try
        {
            server.listening.get(START_SECONDS, TimeUnit.SECONDS);
            return server;
        }
        catch (final InterruptedException | ExecutionException | TimeoutException ex)
        {
            server.close();
            throw new IllegalStateException("the server did not start within " + START_SECONDS + " s: " + ex +
                "\n" + server.output(), ex);
        }
    }

    InetSocketAddress address()
    {
        return listening.join();
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * @param label names the reading: its whole histogram is kept in {@code target/load-test/heap-<label>.txt},
     *              to see what a failed bound was made of
     * @return octets of live objects on the server's heap, after a full collection
     */
    long liveHeapBytes(final String label) throws IOException, InterruptedException
    {
        return liveHeap(label).totalBytes();
    }

    /**
     * @param label as for {@link #liveHeapBytes(String)}
     * @return the server's live objects by class, after a full collection
     */
    HeapHistogram liveHeap(final String label) throws IOException, InterruptedException
    {
        final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd))
        {
            throw new IllegalStateException(jcmd + " is missing: the load test needs a JDK, not a JRE");
        }
        final Process histogram = new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.class_histogram")
            .redirectErrorStream(true).start();
        final String text = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!histogram.waitFor(30, TimeUnit.SECONDS) || histogram.exitValue() != 0)
        {
            histogram.destroyForcibly();
            throw new IllegalStateException("jcmd GC.class_histogram failed:\n" + text);
        }
        final Path kept = Path.of("target", "load-test", "heap-" + label + ".txt");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, text, StandardCharsets.UTF_8);
        return HeapHistogram.parse(text);
    }

    /**
     * A {@code GC.class_histogram}: live instances and octets per class, and their total.
     *
     * @param totalBytes octets of all live objects
     * @param byClass    per class name (as the histogram spells it, {@code [Lio.ringmq.Envelope;} for an
     *                   array): {instances, octets}
     */
    record HeapHistogram(long totalBytes, Map<String, long[]> byClass)
    {
        /** A row: {@code <rank>: <instances> <bytes> <class name> (<module>)?}. */
        private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

        static HeapHistogram parse(final String text)
        {
            final Matcher total = HISTOGRAM_TOTAL.matcher(text);
            if (!total.find())
            {
                throw new IllegalStateException("no Total line in jcmd GC.class_histogram:\n" + text);
            }
            final Map<String, long[]> byClass = new HashMap<>();
            final Matcher row = ROW.matcher(text);
            while (row.find())
            {
                byClass.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
            }
            return new HeapHistogram(Long.parseLong(total.group(2)), Map.copyOf(byClass));
        }

        long instancesOf(final String className)
        {
            return byClass.getOrDefault(className, new long[2])[0];
        }

        long bytesOf(final String className)
        {
            return byClass.getOrDefault(className, new long[2])[1];
        }
    }

    /** @return the server's last lines of output, for a failure's message. */
    String output()
    {
        synchronized (lastLines)
        {
            return "---- last lines of the server ----\n" + String.join("\n", lastLines) + "\n---- end ----";
        }
    }

    /** SIGTERM (the server closes every connection with 320 CONNECTION_FORCED), SIGKILL if it hangs. */
    @Override
    public void close()
    {
        process.destroy();
        try
        {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(STOP_SECONDS, TimeUnit.SECONDS);
                throw new IllegalStateException("the server ignored SIGTERM for " + STOP_SECONDS + " s\n" + output());
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void pumpOutput()
    {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = output.readLine()) != null)
            {
                synchronized (lastLines)
                {
                    if (lastLines.size() == KEPT_LINES)
                    {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                final Matcher m = LISTENING.matcher(line);
                if (!listening.isDone() && m.find())
                {
                    listening.complete(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))));
                }
            }
        }
        catch (final IOException ex)
        {
            listening.completeExceptionally(ex);
        }
    }
}
