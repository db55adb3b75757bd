package io.ringmq.bench.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.nio.NioParams;
import io.ringmq.QueueSpec;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The AMQP listener under a bounded load on loopback, in its own JVM ({@link ServerProcess}): a thousand
 * connections of RabbitMQ's Java client (NIO mode, so the client does not need a thread per connection)
 * with several channels each, every channel publishing a little (with publisher confirms) to the next
 * connection's queue and consuming its own connection's, with acks; while one more consumer never reads
 * its socket.
 * <p>
 * That consumer ({@link RawAmqpConnection}: the handshake by hand, then {@code basic.consume} with no-ack
 * on a busy queue, then one delivery read and no more) is owed every message of that queue, which a
 * publisher with confirms keeps filling. The server may not buffer what it owes: a socket that is not
 * writable (Netty's write-buffer watermarks, 256 KiB / 1 MiB) stops deliveries to it, the queue's ring
 * fills, and then its publisher's publishes are held and its connection is no longer read. The test proves:
 * <ul>
 *   <li>its queue holds at most its ring's capacity, and its publisher is blocked (connection.blocked);</li>
 *   <li>the server's pending output for it stays within the watermarks (what it took from the queue for
 *       that consumer, less what the kernel holds in the two sockets' buffers, {@link KernelSocketQueues});</li>
 *   <li>the server's live heap stays bounded: a connection and its channels cost at most
 *       {@value #CONNECTION_HEAP} octets, the non-reader's messages no more than its queue's ring of them,
 *       and message traffic leaves nothing behind (rounds after the first add no heap but what the envelope
 *       pool keeps, which stays within its bound);</li>
 *   <li>every other connection keeps flowing meanwhile: every message published, confirmed, delivered and
 *       acked, round after round, within the test's time bound (a prefetch below what each consumer gets
 *       in a round means it gets them all only if the server processes its acks).</li>
 * </ul>
 * Sizes come from {@code ringmq.load.*} system properties (defaults in this module's pom). The heap is read
 * with {@code jcmd GC.class_histogram}: a full collection, then the live objects' total, in a JVM that
 * holds the server only; JMX in the test's own JVM would count the thousand clients as well.
 */
class LoadTest
{
    private static final int CONNECTIONS = Integer.getInteger("ringmq.load.connections", 1000);
    private static final int CHANNELS = Integer.getInteger("ringmq.load.channels", 4);
    private static final int MESSAGES = Integer.getInteger("ringmq.load.messages", 25);
    private static final int ROUNDS = Integer.getInteger("ringmq.load.rounds", 2);
    private static final int PREFETCH = Integer.getInteger("ringmq.load.prefetch", 10);
    private static final int BODY_BYTES = Integer.getInteger("ringmq.load.bodyBytes", 100);
    private static final int BUSY_BODY_BYTES = Integer.getInteger("ringmq.load.busyBodyBytes", 1024);
    private static final int SECONDS = Integer.getInteger("ringmq.load.seconds", 90);

    /** bin/ringmq-server's default heap. */
    private static final List<String> SERVER_JVM = List.of("-Xms256m", "-Xmx1g");
    /** The write-buffer watermarks AmqpServer sets on every connection. */
    private static final int LOW_WATERMARK = 256 * 1024;
    private static final int HIGH_WATERMARK = 1024 * 1024;
    /**
     * How far past the high watermark one delivery round may go before the connection sees it is not
     * writable: AmqpConnection's drain writes up to 64 deliveries per consumer turn and flushes once 64 KiB
     * are pending.
     */
    private static final int DELIVERY_BATCH = 64;
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    /** The non-reader's receive buffer, fixed so the kernel does not grow it to megabytes. */
    private static final int NON_READER_RECEIVE_BUFFER = 64 * 1024;
    /** Unconfirmed publishes of the busy queue's publisher, at most. */
    private static final int BUSY_WINDOW = 1000;
    /**
     * What one queued message may cost the server's heap beyond its body: the engine's envelope and
     * message, properties, the body array's header. Generous; a message's body itself is counted apart.
     */
    private static final int MESSAGE_OVERHEAD = 512;
    /**
     * What a connection of {@code ringmq.load.channels} consuming channels may cost the server's heap, its
     * queue apart (a queue's ring is allocated whole when it is declared: some 100 KiB at the default capacity).
     */
    private static final int CONNECTION_HEAP = 128 * 1024;
    /** After the first round has warmed every cache, a later round may leave this much per message at most. */
    private static final int RETAINED_PER_MESSAGE = 8;
    private static final String BUSY_QUEUE = "load.busy";
    /**
     * The server's envelope pool (Broker.Builder's default, which the server keeps) grows to its capacity
     * as the most messages in flight at once require, which a later round may exceed: so what it keeps
     * is bounded apart rather than counted as retained by messages. Idle envelopes in its depot, at most.
     */
    private static final int ENVELOPE_POOL_CAPACITY = 1 << 16;
    private static final int MAGAZINE_SIZE = 64;
    /** Threads that may cache two magazines each: Netty's event loops, the consumer pool, the server's own. Generous. */
    private static final int SERVER_THREADS = 8 * Runtime.getRuntime().availableProcessors() + 16;
    private static final String ENVELOPE = "io.ringmq.Envelope";
    private static final String MAGAZINE = "io.ringmq.EnvelopePool$Magazine";
    private static final String ENVELOPE_ARRAY = "[Lio.ringmq.Envelope;";

    @Test
    void everyConnectionKeepsFlowingAndTheHeapStaysBoundedWhileOneConsumerNeverReads() throws Exception
    {
        requireFileDescriptors();
        final Deadline deadline = new Deadline(SECONDS);
        final long messagesPerRound = (long)CONNECTIONS * CHANNELS * MESSAGES;
        assertTrue(PREFETCH < MESSAGES, "ringmq.load.prefetch must be below ringmq.load.messages (what each consumer" +
            " gets in a round), so that getting them all needs the acks");

        try (ServerProcess server = ServerProcess.start(SERVER_JVM);
             Clients clients = new Clients(server.address()))
        {
            try
            {
                final long idleHeap = server.liveHeapBytes("idle");
                final Channel control = clients.open("load-control").createChannel();
                control.queueDeclare(BUSY_QUEUE, false, false, false, null);
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    control.queueDeclare(queueOf(i), false, false, false, null);
                }
                final long queuesHeap = server.liveHeapBytes("queues");

                final List<FlowChannel> flows = clients.openFlowChannels(deadline);
                final long connectedHeap = server.liveHeapBytes("connected");

                final NonReader nonReader = NonReader.consume(server.address(), BUSY_QUEUE);
                clients.closeAtEnd(nonReader.connection::close);
                final BusyPublisher busy = new BusyPublisher(clients.open("load-busy-publisher"));
                clients.closeAtEnd(busy);
                nonReader.readOneDelivery();
                deadline.await(busy::isStalled, () -> "the busy queue to fill and its publisher to be blocked (" +
                    busy.confirmed.get() + " confirmed, " + control.queueDeclarePassive(BUSY_QUEUE).getMessageCount() +
                    " ready, blocked: " + busy.blocked + ")");
                final Stall stalled = Stall.measure(server, control, busy, nonReader);
                final long stalledHeap = server.liveHeapBytes("stalled");

                final ServerProcess.HeapHistogram[] roundHeap = new ServerProcess.HeapHistogram[ROUNDS];
                final long[] roundMillis = new long[ROUNDS];
                for (int round = 1; round <= ROUNDS; round++)
                {
                    final long start = System.nanoTime();
                    clients.publishRound(flows, deadline);
                    final long expected = messagesPerRound * round;
                    deadline.await(() -> clients.delivered.get() == expected && clients.confirmed.get() == expected,
                        () -> "round " + clients.rounds + ": " + clients.delivered.get() + " of " + expected +
                            " delivered, " + clients.confirmed.get() + " confirmed; first behind: " + behind(flows, expected));
                    roundMillis[round - 1] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    roundHeap[round - 1] = server.liveHeap("round-" + round);
                }
                final Stall after = Stall.measure(server, control, busy, nonReader);

                System.out.println(report(idleHeap, queuesHeap, connectedHeap, stalledHeap, roundHeap, roundMillis,
                    stalled, after));

                // Every other connection kept flowing: each published its messages, confirmed, and got its
                // queue's, all acked; every channel took part.
                for (int i = 0; i < CONNECTIONS; i++)
                {
                    long delivered = 0;
                    for (final FlowChannel flow : flows.subList(i * CHANNELS, (i + 1) * CHANNELS))
                    {
                        assertEquals((long)MESSAGES * ROUNDS, flow.confirmedUpTo.get(), flow + " confirms");
                        assertTrue(flow.delivered.get() > 0, flow + " got no delivery");
                        delivered += flow.delivered.get();
                    }
                    assertEquals((long)MESSAGES * ROUNDS * CHANNELS, delivered, "deliveries from " + queueOf(i));
                }
                assertEquals(0, clients.nacks.get() + busy.nacks.get(), "publishes nacked");
                assertTrue(clients.failures.isEmpty(), "connections or channels closed under load: " + clients.failures);

                // The non-reader is owed messages, and the server keeps no more of them than its queue's ring.
                for (final Stall stall : List.of(stalled, after))
                {
                    assertTrue(stall.ready > 0 && stall.ready <= QueueSpec.DEFAULT_CAPACITY, "the busy queue holds " +
                        stall.ready + " messages; its ring holds " + QueueSpec.DEFAULT_CAPACITY);
                    final long overshoot = FLUSH_THRESHOLD + (long)DELIVERY_BATCH * stall.deliveryBytes;
                    assertTrue(stall.pendingBytes() > LOW_WATERMARK && stall.pendingBytes() <= HIGH_WATERMARK + overshoot,
                        "pending output for the non-reader " + stall + " must be between the low watermark (" +
                            LOW_WATERMARK + ", below which it would be writable again) and the high watermark plus" +
                            " one delivery round (" + (HIGH_WATERMARK + overshoot) + ")");
                }
                assertEquals(stalled.confirmed, after.confirmed, "the busy queue took more while its consumer never read");
                assertTrue(busy.blocked, "the busy queue's publisher is no longer blocked");
                final long ringBytes = (long)(QueueSpec.DEFAULT_CAPACITY + BUSY_WINDOW) * (BUSY_BODY_BYTES +
                    MESSAGE_OVERHEAD);
                assertTrue((connectedHeap - queuesHeap) / CONNECTIONS <= CONNECTION_HEAP, "heap per connection of " +
                    CHANNELS + " channels, each consuming: " + (connectedHeap - queuesHeap) / CONNECTIONS);
                assertTrue(stalledHeap - connectedHeap <= ringBytes, "the non-reader's " + stalled.owed() +
                    " messages owed cost " + (stalledHeap - connectedHeap) + " octets of heap; its queue's ring of " +
                    QueueSpec.DEFAULT_CAPACITY + " (and " + BUSY_WINDOW + " held) allows " + ringBytes);
                // Message traffic leaves nothing behind but what the envelope pool keeps, and that stays within
                // the pool's bound (its depot, two magazines a thread, and the busy queue's envelopes in use).
                final long envelopesAtMost = ENVELOPE_POOL_CAPACITY + 2L * MAGAZINE_SIZE * SERVER_THREADS +
                    QueueSpec.DEFAULT_CAPACITY + BUSY_WINDOW + HIGH_WATERMARK / BUSY_BODY_BYTES + DELIVERY_BATCH;
                final long magazinesAtMost = 2L * ENVELOPE_POOL_CAPACITY / MAGAZINE_SIZE + 2L * SERVER_THREADS;
                for (int round = 1; round <= ROUNDS; round++)
                {
                    final ServerProcess.HeapHistogram heap = roundHeap[round - 1];
                    assertTrue(heap.instancesOf(ENVELOPE) <= envelopesAtMost, "after round " + round + " the server" +
                        " holds " + heap.instancesOf(ENVELOPE) + " envelopes; its pool and the busy queue allow " +
                        envelopesAtMost);
                    assertTrue(heap.instancesOf(MAGAZINE) <= magazinesAtMost, "after round " + round + " the server" +
                        " holds " + heap.instancesOf(MAGAZINE) + " envelope magazines; its pool allows " + magazinesAtMost);
                }
                final ServerProcess.HeapHistogram first = roundHeap[0];
                for (int round = 2; round <= ROUNDS; round++)
                {
                    final ServerProcess.HeapHistogram heap = roundHeap[round - 1];
                    final long arrays = heap.instancesOf(ENVELOPE_ARRAY) - first.instancesOf(ENVELOPE_ARRAY);
                    final long magazines = heap.instancesOf(MAGAZINE) - first.instancesOf(MAGAZINE);
                    assertTrue(arrays <= Math.max(0, magazines), "after round " + round + " the server holds " + arrays +
                        " more envelope arrays than after round 1, but only " + magazines + " more magazines (one each)");
                    final long retained = unpooledBytes(heap) - unpooledBytes(first);
                    assertTrue(retained <= messagesPerRound * (round - 1) * RETAINED_PER_MESSAGE, "after round " +
                        round + " the heap, the envelope pool apart, grew " + retained + " octets over round 1's, for " +
                        messagesPerRound * (round - 1) + " more messages");
                }
            }
            catch (final AssertionError | Exception ex)
            {
                System.err.println(server.output());
                throw ex;
            }
        }
    }

    /** @return octets of the server's live heap but the envelope pool's (envelopes, magazines and their arrays). */
    private static long unpooledBytes(final ServerProcess.HeapHistogram heap)
    {
        return heap.totalBytes() - heap.bytesOf(ENVELOPE) - heap.bytesOf(MAGAZINE) - heap.bytesOf(ENVELOPE_ARRAY);
    }

    /** The queue connection {@code i} consumes; connection i - 1 publishes to it. */
    private static String queueOf(final int connection)
    {
        return "load." + connection;
    }

    private static String behind(final List<FlowChannel> flows, final long expectedTotal)
    {
        final long perChannel = expectedTotal / flows.size();
        final StringBuilder text = new StringBuilder();
        int shown = 0;
        for (final FlowChannel flow : flows)
        {
            if (flow.confirmedUpTo.get() < perChannel && shown++ < 5)
            {
                text.append(flow).append(' ');
            }
        }
        return text.toString();
    }

    private static String report(final long idle, final long queues, final long connected, final long stalled,
        final ServerProcess.HeapHistogram[] rounds, final long[] millis, final Stall first, final Stall last)
    {
        final StringBuilder text = new StringBuilder("LoadTest: ").append(CONNECTIONS).append(" connections x ")
            .append(CHANNELS).append(" channels, ").append(ROUNDS).append(" rounds of ")
            .append((long)CONNECTIONS * CHANNELS * MESSAGES).append(" messages of ").append(BODY_BYTES).append(" B\n")
            .append(String.format("  server live heap: idle %.1f MiB; %d queues declared %.1f MiB (%.1f KiB each);"
                    + " connected %.1f MiB (%.1f KiB per connection); non-reader stalled %.1f MiB (+%.1f MiB, %d owed"
                    + " of %d B, %d ready)%n", mib(idle), CONNECTIONS, mib(queues), (queues - idle) / 1024.0 / CONNECTIONS,
                mib(connected), (connected - queues) / 1024.0 / CONNECTIONS, mib(stalled), mib(stalled - connected),
                first.owed(), BUSY_BODY_BYTES, first.ready));
        for (int i = 0; i < rounds.length; i++)
        {
            text.append(String.format("  round %d: %d ms, then heap %.1f MiB (%d envelopes pooled or in use)%n", i + 1,
                millis[i], mib(rounds[i].totalBytes()), rounds[i].instancesOf(ENVELOPE)));
        }
        return text.append("  non-reader, stalled: ").append(first).append("\n  non-reader, at the end: ").append(last)
            .toString();
    }

    private static double mib(final long bytes)
    {
        return bytes / (1024.0 * 1024.0);
    }

    private static void requireFileDescriptors()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean)
        {
            final long max = ((com.sun.management.UnixOperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
            assertTrue(max >= CONNECTIONS + 512L, "the load test opens " + CONNECTIONS + " connections and needs" +
                " `ulimit -n` of at least " + (CONNECTIONS + 512) + ", not " + max +
                " (or fewer connections: -Dringmq.load.connections=N)");
        }
    }

    /** Every wait of the test, against one deadline for the whole test. */
    private static final class Deadline
    {
        private final long end;
        private final int seconds;

        Deadline(final int seconds)
        {
            this.seconds = seconds;
            this.end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        }

        interface Condition
        {
            boolean holds() throws Exception;
        }

        interface Description
        {
            String text() throws Exception;
        }

        void await(final Condition condition, final String what) throws Exception
        {
            await(condition, () -> what);
        }

        void await(final Condition condition, final Description what) throws Exception
        {
            while (!condition.holds())
            {
                if (System.nanoTime() - end > 0)
                {
                    fail("the test's " + seconds + " s (ringmq.load.seconds) ran out waiting for " + what.text());
                }
                Thread.sleep(20);
            }
        }

        long remainingMillis()
        {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()));
        }
    }

    /** RabbitMQ's Java client in NIO mode, with shared threads: a thousand connections on a few threads. */
    private static final class Clients implements AutoCloseable
    {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong confirmed = new AtomicLong();
        final AtomicInteger nacks = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        int rounds;

        private final ConnectionFactory factory = new ConnectionFactory();
        private final ExecutorService consumerThreads = Executors.newFixedThreadPool(4);
        private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        private final ExecutorService shutdowns = Executors.newFixedThreadPool(2);
        private final ExecutorService workers = Executors.newFixedThreadPool(8);
        private final Queue<Connection> connections = new ConcurrentLinkedQueue<>();
        private final List<Closeable> closeAtEnd = new ArrayList<>();
        private volatile boolean closing;
        private final byte[] body = new byte[BODY_BYTES];

        Clients(final InetSocketAddress server)
        {
            factory.setHost(server.getHostString());
            factory.setPort(server.getPort());
            factory.useNio();
            factory.setNioParams(new NioParams().setNbIoThreads(2));
            factory.setSharedExecutor(consumerThreads);
            factory.setHeartbeatExecutor(heartbeats);
            factory.setShutdownExecutor(shutdowns);
            factory.setAutomaticRecoveryEnabled(false);
            factory.setConnectionTimeout(20_000);
        }

        Connection open(final String name) throws Exception
        {
            final Connection connection = factory.newConnection(name);
            connections.add(connection);
            connection.addShutdownListener(cause ->
            {
                if (!closing)
                {
                    failures.add(name + ": " + cause.getMessage());
                }
            });
            return connection;
        }

        void closeAtEnd(final Closeable resource)
        {
            closeAtEnd.add(resource);
        }

        /**
         * Opens the connections and their channels: every channel of connection i consumes queue load.i (manual
         * acks, the prefetch; they compete for its messages) and publishes, with confirms, to load.(i+1), the
         * next connection's queue.
         */
        List<FlowChannel> openFlowChannels(final Deadline deadline) throws Exception
        {
            final List<Future<List<FlowChannel>>> opened = new ArrayList<>();
            for (int i = 0; i < CONNECTIONS; i++)
            {
                final int index = i;
                opened.add(workers.submit(() -> openFlowConnection(index)));
            }
            final List<FlowChannel> flows = new ArrayList<>();
            for (final Future<List<FlowChannel>> connection : opened)
            {
                flows.addAll(connection.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS));
            }
            return flows;
        }

        private List<FlowChannel> openFlowConnection(final int index) throws Exception
        {
            final Connection connection = open("load-" + index);
            final List<FlowChannel> flows = new ArrayList<>();
            for (int c = 0; c < CHANNELS; c++)
            {
                final Channel channel = connection.createChannel();
                final FlowChannel flow = new FlowChannel(channel, queueOf(index) + "#" + c, queueOf(index),
                    queueOf((index + 1) % CONNECTIONS));
                channel.addShutdownListener(cause ->
                {
                    if (!closing && !cause.isHardError())
                    {
                        failures.add(flow + ": " + cause.getMessage());
                    }
                });
                channel.confirmSelect();
                channel.addConfirmListener((tag, multiple) ->
                {
                    final long before = flow.confirmedUpTo.getAndAccumulate(tag, Math::max);
                    confirmed.addAndGet(Math.max(0, tag - before));
                }, (tag, multiple) -> nacks.incrementAndGet());
                channel.basicQos(PREFETCH);
                channel.basicConsume(flow.queue, false, new DefaultConsumer(channel)
                {
                    @Override
                    public void handleDelivery(final String consumerTag, final Envelope envelope,
                        final AMQP.BasicProperties properties, final byte[] message) throws IOException
                    {
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                        flow.delivered.incrementAndGet();
                        delivered.incrementAndGet();
                    }
                });
                flows.add(flow);
            }
            return flows;
        }

        /** Every channel publishes its messages, from a few threads: a channel is published on by one at a time. */
        void publishRound(final List<FlowChannel> flows, final Deadline deadline) throws Exception
        {
            rounds++;
            final int threads = 4;
            final List<Future<?>> publishing = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int first = t;
                publishing.add(workers.submit(() ->
                {
                    for (int i = first; i < flows.size(); i += threads)
                    {
                        final FlowChannel flow = flows.get(i);
                        for (int m = 0; m < MESSAGES; m++)
                        {
                            flow.channel.basicPublish("", flow.target, null, body);
                        }
                    }
                    return null;
                }));
            }
            for (final Future<?> done : publishing)
            {
                done.get(deadline.remainingMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() throws IOException
        {
            closing = true;
            for (final Closeable resource : closeAtEnd)
            {
                resource.close();
            }
            for (final Connection connection : connections)
            {
                connection.abort(1000);
            }
            workers.shutdownNow();
            consumerThreads.shutdownNow();
            heartbeats.shutdownNow();
            shutdowns.shutdownNow();
        }
    }

    /** One channel of the thousand connections: the queue it consumes, the one it publishes to, its counts. */
    private static final class FlowChannel
    {
        final Channel channel;
        final String name;
        final String queue;
        final String target;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong confirmedUpTo = new AtomicLong();

        FlowChannel(final Channel channel, final String name, final String queue, final String target)
        {
            this.channel = channel;
            this.name = name;
            this.queue = queue;
            this.target = target;
        }

        @Override
        public String toString()
        {
            return name + "{delivered " + delivered.get() + ", confirmed " + confirmedUpTo.get() + "}";
        }
    }

    /**
     * Publishes to the busy queue with confirms, at most {@value #BUSY_WINDOW} unconfirmed, until closed.
     * Its publishes are held once the queue is full, so confirms stop and it waits: it never blocks on its
     * socket, and what the queue took is exactly what was confirmed.
     */
    private static final class BusyPublisher implements Closeable
    {
        final Thread thread;
        final AtomicLong confirmed = new AtomicLong();
        final AtomicInteger nacks = new AtomicInteger();
        volatile boolean blocked;
        private volatile Exception failure;
        private final Semaphore window = new Semaphore(BUSY_WINDOW);
        private volatile boolean stopped;
        private long lastConfirmed = -1;
        private long unchangedSince;

        BusyPublisher(final Connection connection) throws IOException
        {
            connection.addBlockedListener(new BlockedListener()
            {
                @Override
                public void handleBlocked(final String reason)
                {
                    blocked = true;
                }

                @Override
                public void handleUnblocked()
                {
                    blocked = false;
                }
            });
            final Channel channel = connection.createChannel();
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) ->
            {
                final long before = confirmed.getAndAccumulate(tag, Math::max);
                window.release((int)Math.max(0, tag - before));
            }, (tag, multiple) -> nacks.incrementAndGet());
            final byte[] body = new byte[BUSY_BODY_BYTES];
            thread = new Thread(() ->
            {
                try
                {
                    while (!stopped)
                    {
                        if (window.tryAcquire(50, TimeUnit.MILLISECONDS))
                        {
                            channel.basicPublish("", BUSY_QUEUE, null, body);
                        }
                    }
                }
                catch (final InterruptedException | IOException | RuntimeException ex)
                {
                    if (!stopped)
                    {
                        failure = ex;
                    }
                }
            }, "load-busy-publisher");
            thread.setDaemon(true);
            thread.start();
        }

        /** @return true once blocked and no confirm has come for a second: the queue is full and stays so. */
        boolean isStalled()
        {
            if (failure != null)
            {
                throw new IllegalStateException("the busy queue's publisher failed", failure);
            }
            final long now = System.nanoTime();
            final long current = confirmed.get();
            if (current != lastConfirmed)
            {
                lastConfirmed = current;
                unchangedSince = now;
                return false;
            }
            return blocked && now - unchangedSince > TimeUnit.SECONDS.toNanos(1);
        }

        @Override
        public void close()
        {
            stopped = true;
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The consumer that never reads: the handshake and {@code basic.consume} (no-ack) by hand, then one
     * delivery read to learn what one costs on the wire, then nothing.
     */
    private static final class NonReader
    {
        final RawAmqpConnection connection;
        final int serverPort;
        long deliveryBytes;
        long bytesReadBeforeDeliveries;

        private NonReader(final RawAmqpConnection connection, final int serverPort)
        {
            this.connection = connection;
            this.serverPort = serverPort;
        }

        static NonReader consume(final InetSocketAddress server, final String queue) throws IOException
        {
            final RawAmqpConnection connection = RawAmqpConnection.open(server, NON_READER_RECEIVE_BUFFER);
            connection.send(new AMQImpl.Basic.Consume(0, queue, "", false, true, false, false, Map.of()));
            connection.expect(AMQImpl.Basic.ConsumeOk.class);
            final NonReader nonReader = new NonReader(connection, server.getPort());
            nonReader.bytesReadBeforeDeliveries = connection.bytesRead();
            return nonReader;
        }

        /** Reads the first delivery's frames: basic.deliver, its header, its body; every later one is as long. */
        void readOneDelivery() throws IOException
        {
            final Frame method = connection.readFrame();
            assertTrue(method.type == AMQP.FRAME_METHOD && AMQImpl.readMethodFrom(method.getInputStream())
                instanceof AMQImpl.Basic.Deliver, "expected basic.deliver, got " + method);
            assertEquals(AMQP.FRAME_HEADER, connection.readFrame().type, "the delivery's content header");
            final Frame body = connection.readFrame();
            assertTrue(body.type == AMQP.FRAME_BODY && body.getPayload().length == BUSY_BODY_BYTES,
                "expected one body frame of " + BUSY_BODY_BYTES + " octets, got " + body);
            deliveryBytes = connection.bytesRead() - bytesReadBeforeDeliveries;
        }
    }

    /**
     * The non-reader's state once its socket stopped taking deliveries: what its queue holds, what the
     * server took from the queue for it, and where those octets are.
     */
    private static final class Stall
    {
        long confirmed;
        long ready;
        long deliveryBytes;
        long kernelBytes;
        long unreadBytes;

        static Stall measure(final ServerProcess server, final Channel control, final BusyPublisher busy,
            final NonReader nonReader) throws IOException
        {
            final Stall stall = new Stall();
            stall.confirmed = busy.confirmed.get();
            final AMQP.Queue.DeclareOk queue = control.queueDeclarePassive(BUSY_QUEUE);
            assertEquals(1, queue.getConsumerCount(), "consumers of the busy queue");
            stall.ready = queue.getMessageCount();
            stall.deliveryBytes = nonReader.deliveryBytes;
            // With no-ack, what was confirmed and is no longer ready was delivered; the first one was read.
            stall.unreadBytes = (stall.confirmed - stall.ready - 1) * nonReader.deliveryBytes;
            stall.kernelBytes = KernelSocketQueues.available() ? KernelSocketQueues.serverToClient(
                server.address().getPort(), nonReader.connection.localPort()) : -1;
            return stall;
        }

        long delivered()
        {
            return confirmed - ready;
        }

        /** Messages the non-reader is owed: every one the queue took, but the one it read. */
        long owed()
        {
            return confirmed - 1;
        }

        /** @return what the server still holds for the non-reader: delivered to it, and neither read nor in the kernel. */
        long pendingBytes()
        {
            if (kernelBytes < 0)
            {
                throw new IllegalStateException("the kernel's socket queues are not readable here (" +
                    "/proc/net/tcp): the server's pending output cannot be told apart from them");
            }
            return unreadBytes - kernelBytes;
        }

        @Override
        public String toString()
        {
            return "{confirmed " + confirmed + ", ready " + ready + ", delivered " + delivered() + " x " + deliveryBytes +
                " B, unread " + unreadBytes + " B, in the kernel " + kernelBytes + " B, pending in the server " +
                (kernelBytes < 0 ? "?" : Long.toString(pendingBytes())) + " B}";
        }
    }
}
