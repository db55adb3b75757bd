package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import io.ringmq.amqp.codec.ClientOracle;
import io.ringmq.amqp.codec.TableEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of a live server: many raw connections handshake and then send valid frames with damage among
 * them (bit flips, cuts, wrong sizes, random method ids and arguments, unknown frame types, content out of
 * place, garbage, a damaged handshake), while one clean amqp-client connection publishes with confirms and
 * consumes. It holds that:
 * <ul>
 *   <li>the server never stops accepting: every connection's handshake succeeds (unless the scenario damages it);</li>
 *   <li>every raw connection ends within a bound, in a connection.close whose code is a connection-level one
 *       (not 541 INTERNAL_ERROR, which would be a server bug, nor 320) and whose text starts with the code's
 *       name, or in close-ok to the client's own connection.close, or silently where RabbitMQ closes silently
 *       (a damaged handshake before tune-ok); every channel.close on the way carries a channel-level code;</li>
 *   <li>the clean connection receives every message exactly once and every publish is confirmed.</li>
 * </ul>
 * Every run prints its seed; {@code -Dringmq.livefuzz.seed=S} replays the bytes of each connection (the
 * interleaving of connections differs), {@code -Dringmq.livefuzz.connections=N} and
 * {@code -Dringmq.livefuzz.messages=M} size it.
 */
@Timeout(180)
class LiveFuzzTest
{
    private static final int WORKERS = 3;
    private static final int FRAME_MAX = AmqpProtocol.FRAME_MIN_SIZE;
    /** How long a connection may take to end after the fuzzer's last octet. */
    private static final long END_MILLIS = 5_000;
    private static final List<Method> CLIENT_METHODS = new ArrayList<>();

    static
    {
        for (final Method method : Method.values())
        {
            if (method.sentByClient())
            {
                CLIENT_METHODS.add(method);
            }
        }
    }

    private enum Scenario
    {
        BIT_FLIPS, CUT_FRAME, WRONG_SIZE, RANDOM_METHOD_IDS, RANDOM_ARGUMENTS, UNKNOWN_FRAME_TYPE, CONTENT_OUT_OF_PLACE,
        GARBAGE, DAMAGED_HANDSHAKE
    }

    @Test
    void damagedTrafficOnManyConnectionsEndsEachInAValidCloseAndACleanConnectionLosesNothing() throws Exception
    {
        final long seed = Long.getLong("ringmq.livefuzz.seed", new Random().nextLong());
        final int connections = Integer.getInteger("ringmq.livefuzz.connections", 2_000);
        final int messages = Integer.getInteger("ringmq.livefuzz.messages", 5_000);
        System.out.println("LiveFuzzTest: seed " + seed + " (replay with -Dringmq.livefuzz.seed=" + seed + "), " +
            connections + " connections, at least " + messages + " clean messages");

        try (EmbeddedServer server = EmbeddedServer.start())
        {
            final List<String> failures = Collections.synchronizedList(new ArrayList<>());
            final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
            final CleanTraffic clean = new CleanTraffic(server, messages);
            clean.start();

            final long started = System.nanoTime();
            final AtomicInteger next = new AtomicInteger();
            final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            final List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++)
            {
                running.add(workers.submit(() ->
                {
                    for (int i = next.getAndIncrement(); i < connections && failures.size() < 20; i = next.getAndIncrement())
                    {
                        final Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
                        final Scenario scenario = Scenario.values()[random.nextInt(Scenario.values().length)];
                        try
                        {
                            final String outcome = fuzzOne(server, random, scenario);
                            outcomes.computeIfAbsent(scenario + " -> " + outcome, k -> new AtomicInteger())
                                .incrementAndGet();
                        }
                        catch (final Throwable ex)
                        {
                            failures.add("connection " + i + " (" + scenario + ", seed " + seed + "): " + ex);
                        }
                    }
                }));
            }
            workers.shutdown();
            try
            {
                for (final Future<?> worker : running)
                {
                    worker.get(150, TimeUnit.SECONDS);
                }
            }
            finally
            {
                workers.shutdownNow();
            }
            final long fuzzMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            clean.finish();
            System.out.println("LiveFuzzTest: " + connections + " connections in " + fuzzMillis + " ms beside " +
                clean.published() + " clean messages; outcomes " + new TreeMap<>(outcomes));

            assertEquals(List.of(), failures, "seed " + seed);
            clean.assertEverythingArrivedOnce();
            server.assertUnaffected();
        }
    }

    /** One raw connection: handshake, valid frames with damage among them, then its end. @return how it ended */
    private static String fuzzOne(final EmbeddedServer server, final Random random, final Scenario scenario)
    {
        try (RawAmqpClient client = server.raw())
        {
            if (scenario == Scenario.DAMAGED_HANDSHAKE)
            {
                return damagedHandshake(client, random);
            }
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), FRAME_MAX, 0);
            client.open("/");
            client.openChannel(1);

            final List<byte[]> frames = validTraffic(random);
            final int at = random.nextInt(frames.size() + 1);
            frames.addAll(at, damage(scenario, random, frames, at));
            final boolean sentAll = sendAll(client, frames);
            return ending(client, sentAll, false);
        }
    }

    /** Sends the frames in one write; @return false when the server closed before all were sent. */
    private static boolean sendAll(final RawAmqpClient client, final List<byte[]> frames)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        frames.forEach(bytes::writeBytes);
        try
        {
            client.sendBytes(bytes.toByteArray());
            return true;
        }
        catch (final UncheckedIOException ex)
        {
            return false;
        }
    }

    /**
     * Reads a moment for the server to end the connection; if it does not, sends connection.close, and if the
     * server still does not end it (it waits for the rest of a frame whose size was damaged), octets enough to
     * end any frame the largest frame_max allows (0xCE all through, so that a frame they end is ended right and
     * the next is refused at once); then reads to the end and checks what the server said.
     */
    private static String ending(final RawAmqpClient client, final boolean open, final boolean silentAllowed)
    {
        final RawAmqpClient.Ending ending = new RawAmqpClient.Ending();
        boolean padded = false;
        if (open && !client.readToEnd(ending, 100) && ending.close == null)
        {
            try
            {
                client.send(0, new AMQImpl.Connection.Close(200, "fuzzing done", 0, 0));
                if (!client.readToEnd(ending, 300) && ending.close == null && !ending.closeOk)
                {
                    final byte[] padding = new byte[AmqpServerOptions.DEFAULT_FRAME_MAX + AmqpProtocol.FRAME_OVERHEAD];
                    Arrays.fill(padding, (byte)AmqpProtocol.FRAME_END);
                    client.sendBytes(padding);
                    padded = true;
                }
            }
            catch (final UncheckedIOException ex)
            {
                // The server closed meanwhile: what it said is read next.
            }
        }
        if (!client.readToEnd(ending, END_MILLIS))
        {
            throw new AssertionError("the connection did not end within " + END_MILLIS + " ms of the fuzzer's last " +
                "octet (connection.close " + ending.close + ", close-ok " + ending.closeOk + ", padded " + padded + ")");
        }
        final StringBuilder channelCodes = new StringBuilder();
        for (final AMQImpl.Channel.Close channelClose : ending.channelCloses)
        {
            final ReplyCode code = ReplyCode.of(channelClose.getReplyCode());
            assertTrue(code != null && !code.hardError(), () -> "channel.close with " + channelClose);
            assertTrue(channelClose.getReplyText().startsWith(code.name() + " - "), () -> "text of " + channelClose);
            channelCodes.append(" after channel.close ").append(code.code());
        }
        return endingOf(ending, padded, silentAllowed) + channelCodes;
    }

    private static String endingOf(final RawAmqpClient.Ending ending, final boolean padded, final boolean silentAllowed)
    {
        if (ending.close != null)
        {
            final AMQImpl.Connection.Close close = ending.close;
            final ReplyCode code = ReplyCode.of(close.getReplyCode());
            assertTrue(code != null && (code.hardError() || (silentAllowed && code == ReplyCode.ACCESS_REFUSED)) &&
                code != ReplyCode.INTERNAL_ERROR && code != ReplyCode.CONNECTION_FORCED, () -> "connection.close " + close);
            assertTrue(close.getReplyText().startsWith(code.name() + " - "), () -> "text of " + close);
            return "close " + code.code();
        }
        if (ending.closeOk)
        {
            return "close-ok";
        }
        if (ending.protocolHeader && silentAllowed)
        {
            return "protocol header";
        }
        if (ending.reset && padded)
        {
            return "reset"; // the server closed with padding unread: the kernel resets the connection
        }
        assertTrue(silentAllowed, "the server closed the connection without a word");
        return "silent";
    }

    /** The handshake with one of its client frames damaged: before tune-ok RabbitMQ may just close the socket. */
    private static String damagedHandshake(final RawAmqpClient client, final Random random)
    {
        final byte[] startOk = ClientOracle.frame(RawAmqpClient.startOk("guest", "guest",
            RawAmqpClient.modernCapabilities()), 0);
        final byte[] tuneOk = ClientOracle.frame(new AMQImpl.Connection.TuneOk(random.nextInt(4) == 0 ?
            random.nextInt(65536) : 2047, random.nextInt(4) == 0 ? random.nextInt() : FRAME_MAX, 0), 0);
        final byte[] open = ClientOracle.frame(new AMQImpl.Connection.Open(random.nextInt(4) == 0 ? "x" : "/", "",
            false), 0);
        final List<byte[]> frames = new ArrayList<>(List.of(AmqpProtocol.protocolHeader(), startOk, tuneOk, open));
        final int damaged = random.nextInt(frames.size());
        frames.set(damaged, flipBits(frames.get(damaged), random));
        return ending(client, sendAll(client, frames), true);
    }

    // ------------------------------------------------------------------ traffic

    /** Frames a client might send on channel 1 of an open connection; the first declares the channel's queue. */
    private static List<byte[]> validTraffic(final Random random)
    {
        final List<byte[]> frames = new ArrayList<>();
        frames.add(ClientOracle.frame(new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null), 1));
        final int units = 1 + random.nextInt(8);
        for (int u = 0; u < units; u++)
        {
            switch (random.nextInt(8))
            {
                case 0 -> frames.add(ClientOracle.frame(new AMQImpl.Basic.Qos(0, random.nextInt(100), false), 1));
                case 1 -> frames.add(ClientOracle.frame(new AMQImpl.Basic.Get(0, "", random.nextBoolean()), 1));
                case 2 -> frames.add(ClientOracle.frame(new AMQImpl.Basic.Consume(0, "", "", false, true, false, false,
                    null), 1));
                case 3 -> frames.add(ClientOracle.frame(new AMQImpl.Confirm.Select(false), 1));
                case 4 -> frames.add(RawAmqpClient.frame(AmqpProtocol.FRAME_HEARTBEAT, 0, new byte[0]));
                default -> publish(frames, random);
            }
        }
        return frames;
    }

    /** basic.publish to the channel's queue (or nowhere), its header and its body split to frame_max. */
    private static void publish(final List<byte[]> frames, final Random random)
    {
        final byte[] body = TableEncoder.randomBytes(random, random.nextInt(3) == 0 ? random.nextInt(3 * FRAME_MAX) :
            random.nextInt(64));
        frames.add(ClientOracle.frame(new AMQImpl.Basic.Publish(0, "", random.nextBoolean() ? "" : "nowhere",
            random.nextBoolean(), false), 1));
        frames.add(ClientOracle.headerFrame(new AMQP.BasicProperties.Builder().messageId(TableEncoder.randomName(random))
            .build(), 1, body.length));
        final int chunk = FRAME_MAX - AmqpProtocol.FRAME_OVERHEAD;
        for (int from = 0; from < body.length; from += chunk)
        {
            frames.add(RawAmqpClient.frame(AmqpProtocol.FRAME_BODY, 1,
                Arrays.copyOfRange(body, from, Math.min(body.length, from + chunk))));
        }
    }

    /**
     * The damage of one scenario at position {@code at}: new frames to insert there, or (for damage to an existing
     * frame) that frame replaced in {@code frames} and nothing inserted.
     */
    private static List<byte[]> damage(final Scenario scenario, final Random random, final List<byte[]> frames,
        final int at)
    {
        final int victim = Math.min(at, frames.size() - 1);
        switch (scenario)
        {
            case BIT_FLIPS:
                frames.set(victim, flipBits(frames.get(victim), random));
                return List.of();
            case CUT_FRAME:
                final byte[] whole = frames.get(victim);
                frames.set(victim, Arrays.copyOf(whole, random.nextInt(whole.length)));
                return List.of();
            case WRONG_SIZE:
                final byte[] frame = frames.get(victim).clone();
                final int size = ByteBuffer.wrap(frame, AmqpProtocol.FRAME_SIZE_OFFSET, 4).getInt();
                final int[] sizes = {random.nextInt(), size + 1 + random.nextInt(8), Math.max(0, size - 1 - random.nextInt(8)),
                    0, -1, FRAME_MAX + 1 + random.nextInt(16)};
                ByteBuffer.wrap(frame).putInt(AmqpProtocol.FRAME_SIZE_OFFSET, sizes[random.nextInt(sizes.length)]);
                frames.set(victim, frame);
                return List.of();
            case RANDOM_METHOD_IDS:
                final byte[] payload = TableEncoder.randomBytes(random, 4 + random.nextInt(60));
                if (random.nextBoolean())
                {
                    final Method known = CLIENT_METHODS.get(random.nextInt(CLIENT_METHODS.size()));
                    ByteBuffer.wrap(payload).putShort(0, (short)known.classId()).putShort(2, (short)known.methodId());
                }
                return List.of(RawAmqpClient.frame(AmqpProtocol.FRAME_METHOD, randomChannel(random), payload));
            case RANDOM_ARGUMENTS:
                // Well-formed methods with random values: the server's semantics, not its decoding, are fuzzed.
                final List<byte[]> methods = new ArrayList<>();
                for (int n = 1 + random.nextInt(6); n > 0; n--)
                {
                    final Method method = CLIENT_METHODS.get(random.nextInt(CLIENT_METHODS.size()));
                    final ByteBuf encoded = Unpooled.buffer();
                    TableEncoder.payload(encoded, method, TableEncoder.randomValues(method, random));
                    final byte[] arguments = new byte[encoded.readableBytes()];
                    encoded.readBytes(arguments);
                    methods.add(RawAmqpClient.frame(AmqpProtocol.FRAME_METHOD, random.nextInt(8) == 0 ? 0 : 1, arguments));
                }
                return methods;
            case UNKNOWN_FRAME_TYPE:
                int type;
                do
                {
                    type = random.nextInt(256);
                }
                while (type == AmqpProtocol.FRAME_METHOD || type == AmqpProtocol.FRAME_HEADER ||
                    type == AmqpProtocol.FRAME_BODY || type == AmqpProtocol.FRAME_HEARTBEAT);
                return List.of(RawAmqpClient.frame(type, randomChannel(random), TableEncoder.randomBytes(random, 20)));
            case CONTENT_OUT_OF_PLACE:
                if (random.nextBoolean())
                {
                    final byte[] header = ClientOracle.headerFrame(new AMQP.BasicProperties(), randomChannel(random),
                        random.nextInt(10_000));
                    if (random.nextBoolean())
                    {
                        ByteBuffer.wrap(header).putShort(AmqpProtocol.FRAME_PAYLOAD_OFFSET, (short)random.nextInt(100));
                    }
                    return List.of(header);
                }
                return List.of(RawAmqpClient.frame(AmqpProtocol.FRAME_BODY, randomChannel(random),
                    TableEncoder.randomBytes(random, random.nextInt(100))));
            default: // GARBAGE
                return List.of(TableEncoder.randomBytes(random, 1 + random.nextInt(300)));
        }
    }

    private static int randomChannel(final Random random)
    {
        final int pick = random.nextInt(8);
        return pick < 3 ? pick : pick < 7 ? 1 : random.nextInt(65536);
    }

    private static byte[] flipBits(final byte[] frame, final Random random)
    {
        final byte[] flipped = frame.clone();
        final int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++)
        {
            final int bit = random.nextInt(flipped.length * 8);
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        return flipped;
    }

    // ------------------------------------------------------------------ the clean connection

    /**
     * One amqp-client connection that publishes with confirms on one channel and consumes on another, from before
     * the fuzzing starts until it is over, and at least a given number of messages.
     */
    private static final class CleanTraffic
    {
        private final int minimum;
        private final AtomicInteger published = new AtomicInteger();
        private volatile boolean fuzzingOver;
        private final Connection connection;
        private final Channel publisher;
        private final String queue = "live-fuzz-clean-" + UUID.randomUUID();
        private final NumberedMessageLedger ledger;
        private final AtomicReference<Throwable> publishFailure = new AtomicReference<>();
        private final Thread publishing;

        CleanTraffic(final EmbeddedServer server, final int minimum) throws IOException
        {
            this.minimum = minimum;
            this.connection = server.connect();
            this.publisher = connection.createChannel();
            publisher.queueDeclare(queue, false, false, true, null);
            publisher.confirmSelect();
            final Channel consumer = connection.createChannel();
            consumer.basicQos(200);
            this.ledger = new NumberedMessageLedger(consumer);
            consumer.basicConsume(queue, false, ledger);
            this.publishing = new Thread(this::publishAll, "live-fuzz-clean-publisher");
            publishing.setDaemon(true);
        }

        void start()
        {
            publishing.start();
        }

        /** In batches of 50, each confirmed (none nacked) before the next, paced to last the whole fuzzing. */
        private void publishAll()
        {
            try
            {
                while (!fuzzingOver || published.get() < minimum)
                {
                    for (int b = 0; b < 50; b++)
                    {
                        publisher.basicPublish("", queue, null,
                            ByteBuffer.allocate(Integer.BYTES).putInt(published.getAndIncrement()).array());
                    }
                    publisher.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(10));
                    Thread.sleep(20);
                }
            }
            catch (final Exception ex)
            {
                publishFailure.set(ex);
            }
        }

        int published()
        {
            return published.get();
        }

        /** The fuzzing is over: publish up to the minimum, then wait for every delivery (bounded). */
        void finish() throws InterruptedException
        {
            fuzzingOver = true;
            publishing.join(TimeUnit.SECONDS.toMillis(60));
            final long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(30);
            while (ledger.deliveries() < published.get() && System.currentTimeMillis() < deadline)
            {
                Thread.sleep(10);
            }
        }

        void assertEverythingArrivedOnce() throws IOException
        {
            assertNull(publishFailure.get(), () -> "the clean publisher failed: " + publishFailure.get());
            assertTrue(connection.isOpen(), () -> "the clean connection was closed: " + connection.getCloseReason());
            ledger.assertEachOnce(published.get());
            connection.close();
        }
    }
}
