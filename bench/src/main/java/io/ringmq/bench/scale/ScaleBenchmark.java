package io.ringmq.bench.scale;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.QueueSpec;
import io.ringmq.bench.contenders.Payload;

/**
 * What RingMQ costs as the work grows (issue #13, section 3): heap per idle queue, the time and heap to
 * declare 100,000 queues, and 10,000 push consumers on the shared pool (threads, and whether every one
 * was served, how evenly). Not JMH: each figure is one measurement of a whole broker, written as one
 * JSON line ({@code figure} names it), read back by the report's {@code ScaleSection}.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.ringmq.bench.scale.ScaleBenchmark \
 *     [--queues 1000,10000,100000] [--consumers 10000] [--messages 10] [--out scale.jsonl]
 * </pre>
 *
 * <b>Heap</b> is the used heap after {@code System.gc()} (three rounds, until it stops falling) with the
 * broker and its queues reachable, minus the same with an empty broker; so it counts everything a queue
 * brings (queue, storage, statistics, the broker's maps and the default exchange's binding). Plain
 * queues of the default capacity ({@link QueueSpec#DEFAULT_CAPACITY}), declared by name on one channel.
 * <b>Declare time</b> is the wall time of the declare loop, after a warm-up broker declared 10,000.
 * <b>Consumers</b>: one auto-ack push consumer per queue (default threading: the shared pool), then
 * {@code messages} rounds of one publish to every queue from one thread; each consumer's completion is
 * when its last message was delivered, measured from the first publish; its longest wait is the longest
 * gap between two of its deliveries (the first counted from the first publish). Threads are the JVM's
 * live threads ({@link ThreadMXBean}), before the broker and at their peak while delivering.
 */
public final class ScaleBenchmark
{
    private static final long CONSUME_TIMEOUT_SECONDS = 120;

    private final PrintStream out;

    private ScaleBenchmark(final PrintStream out)
    {
        this.out = out;
    }

    public static void main(final String[] args) throws IOException, InterruptedException
    {
        int[] queueCounts = {1_000, 10_000, 100_000};
        int consumers = 10_000;
        int messages = 10;
        Path file = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--queues" -> queueCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--consumers" -> consumers = Integer.parseInt(args[++i]);
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--out" -> file = Path.of(args[++i]);
                default ->
                {
                    System.err.println("usage: ScaleBenchmark [--queues N,N,...] [--consumers N] [--messages K] [--out FILE.jsonl]");
                    System.exit(2);
                }
            }
        }
        final List<String> lines = new ArrayList<>();
        final ScaleBenchmark benchmark = new ScaleBenchmark(System.out);
        benchmark.warmUp();
        for (final int queues : queueCounts)
        {
            lines.add(benchmark.idleQueues(queues));
        }
        if (consumers > 0)
        {
            lines.add(benchmark.consumers(consumers, messages));
        }
        if (file != null)
        {
            Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        }
    }

    /** Compiles the declare path before anything is timed. */
    private void warmUp()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            declare(channel, "warm-", 10_000);
        }
    }

    /** One line: {@code queues} idle queues, their heap and declare time. */
    private String idleQueues(final int queues)
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            final long empty = usedHeapAfterGc();
            final long started = System.nanoTime();
            declare(channel, "q", queues);
            final long nanos = System.nanoTime() - started;
            final long used = usedHeapAfterGc();
            final long bytes = used - empty;
            final String line = String.format(Locale.ROOT,
                "{\"figure\":\"idle-queues\",\"queues\":%d,\"heapBytes\":%d,\"bytesPerQueue\":%.1f,"
                    + "\"declareMillis\":%.1f,\"microsPerDeclare\":%.2f,\"capacity\":%d}",
                queues, bytes, (double)bytes / queues, nanos / 1e6, nanos / 1e3 / queues, QueueSpec.DEFAULT_CAPACITY);
            out.println(line);
            if (channel.messageCount("q0") != 0) // keeps the broker, and so its queues, reachable until measured
            {
                throw new IllegalStateException("q0 should be empty");
            }
            return line;
        }
    }

    /** One line: {@code consumers} queues with one push consumer each, {@code messages} to each. */
    private String consumers(final int consumers, final int messages) throws InterruptedException
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final int threadsBefore = threads.getThreadCount();
        threads.resetPeakThreadCount();
        final byte[] body = Payload.bytes();
        try (Broker broker = Broker.create(); Channel admin = broker.openChannel(); Channel publisher = broker.openChannel())
        {
            final String[] names = declare(admin, "c", consumers);
            final CountDownLatch done = new CountDownLatch(consumers);
            final Served[] served = new Served[consumers];
            final ConsumeOptions options = ConsumeOptions.builder().autoAck(true).build();
            final List<Channel> consuming = new ArrayList<>();
            final int perChannel = 1_000;
            for (int c = 0; c < consumers; c++)
            {
                if (c % perChannel == 0)
                {
                    consuming.add(broker.openChannel());
                }
                final Served one = new Served(messages, done);
                served[c] = one;
                consuming.get(consuming.size() - 1).consume(names[c], options, delivery -> one.delivered());
            }
            final long started = System.nanoTime();
            for (final Served one : served)
            {
                one.start(started);
            }
            for (int m = 0; m < messages; m++)
            {
                for (final String name : names)
                {
                    publisher.publish("", name, body);
                }
            }
            final long published = System.nanoTime();
            final boolean all = done.await(CONSUME_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            final long finished = System.nanoTime();
            final int threadsPeak = threads.getPeakThreadCount();
            final int threadsLive = threads.getThreadCount();
            final double[] completion = new double[consumers];
            double maxGap = 0;
            long delivered = 0;
            int complete = 0;
            for (int c = 0; c < consumers; c++)
            {
                final Served one = served[c];
                synchronized (one)
                {
                    delivered += one.count;
                    complete += one.count == messages ? 1 : 0;
                    completion[c] = (one.lastAt - started) / 1e6;
                    maxGap = Math.max(maxGap, one.longestGapNanos / 1e6);
                }
            }
            Arrays.sort(completion);
            for (final Channel channel : consuming)
            {
                channel.close();
            }
            final String line = String.format(Locale.ROOT,
                "{\"figure\":\"consumers\",\"consumers\":%d,\"messagesEach\":%d,\"delivered\":%d,\"consumersComplete\":%d,"
                    + "\"allServed\":%b,\"publishMillis\":%.1f,\"elapsedMillis\":%.1f,"
                    + "\"completionMinMillis\":%.1f,\"completionP50Millis\":%.1f,\"completionP99Millis\":%.1f,"
                    + "\"completionMaxMillis\":%.1f,\"longestWaitMillis\":%.1f,"
                    + "\"threadsBefore\":%d,\"threadsPeak\":%d,\"threadsLive\":%d}",
                consumers, messages, delivered, complete, all && complete == consumers,
                (published - started) / 1e6, (finished - started) / 1e6,
                completion[0], percentile(completion, 0.50), percentile(completion, 0.99), completion[consumers - 1],
                maxGap, threadsBefore, threadsPeak, threadsLive);
            out.println(line);
            return line;
        }
    }

    private static double percentile(final double[] sorted, final double p)
    {
        return sorted[Math.min(sorted.length - 1, (int)Math.ceil(p * sorted.length) - 1)];
    }

    private static String[] declare(final Channel channel, final String prefix, final int queues)
    {
        final String[] names = new String[queues];
        for (int i = 0; i < queues; i++)
        {
            names[i] = prefix + i;
            channel.queueDeclare(names[i]);
        }
        return names;
    }

    /** Used heap once {@code System.gc()} stops freeing anything (at most five rounds). */
    private static long usedHeapAfterGc()
    {
        final Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++)
        {
            System.gc();
            try
            {
                Thread.sleep(100);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                break;
            }
            final long now = runtime.totalMemory() - runtime.freeMemory();
            if (now >= used && round >= 2)
            {
                return Math.min(now, used);
            }
            used = Math.min(used, now);
        }
        return used;
    }

    /** One consumer's deliveries: written by whichever pool thread delivers, read once all are done. */
    private static final class Served
    {
        private final int expected;
        private final CountDownLatch done;
        long lastAt;
        long longestGapNanos;
        int count;

        Served(final int expected, final CountDownLatch done)
        {
            this.expected = expected;
            this.done = done;
        }

        synchronized void start(final long nanos)
        {
            lastAt = nanos;
        }

        /** A consumer runs on one pool thread at a time; the monitor orders its turns on different threads. */
        synchronized void delivered()
        {
            final long now = System.nanoTime();
            longestGapNanos = Math.max(longestGapNanos, now - lastAt);
            lastAt = now;
            if (++count == expected)
            {
                done.countDown();
            }
        }
    }
}
