package io.ringmq.bench.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import io.ringmq.Broker;
import io.ringmq.amqp.AmqpServer;
import io.ringmq.amqp.AmqpServerOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What RingMQ's AMQP listener allocates per message, from basic.publish to basic.deliver (and basic.ack):
 * run it with {@code -prof gc} and read {@code gc.alloc.rate.norm}, in bytes per message. The target is
 * nothing beyond the body: the one {@code byte[]} a message's body is copied into (16 octets of array
 * header plus the body, rounded up to 8).
 * <p>
 * <b>How it is driven.</b> {@code -prof gc} counts what every thread of the JVM allocates, so the clients
 * must allocate nothing, which no real client does. The server runs here as an application runs it, on
 * its own {@link Broker} and its real Netty event loops, sockets and write-buffer watermarks (driving its
 * pipeline in-process would leave out exactly the socket reads, writes and flushes a server does per
 * message). The JMH thread is both of its clients, each a {@link RawAmqpConnection}: one operation writes
 * one message, pre-encoded once (basic.publish, content header, body), from one reused direct buffer on the
 * publisher's connection; whenever {@value #WINDOW} messages are in flight it reads the consumer's
 * connection with a {@link DeliveryReader}, which allocates nothing either. The window (below the queue's
 * ring of {@code QueueSpec.DEFAULT_CAPACITY} and below the prefetch) keeps the queue from filling, so
 * publishes are never held and the publisher's write never waits for the reader.
 * <p>
 * Shapes: 1 publisher → 1 consumer on one queue, 12-octet and 1 KiB bodies, {@code basic.consume} with
 * no-ack ({@code ack=auto}) or manual acks, one {@code basic.ack} per message, with a prefetch of
 * {@value #PREFETCH} ({@code ack=manual}). The score is messages per second, published and delivered.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class ServerAllocationBenchmark
{
    static final String QUEUE = "bench.allocation";
    /** Messages published and not yet read back, at most. */
    static final int WINDOW = 512;
    static final int PREFETCH = 2 * WINDOW;

    @Param({"12", "1024"})
    public int bodySize;

    @Param({"auto", "manual"})
    public String ack;

    private Broker broker;
    private AmqpServer server;
    private RawAmqpConnection publisher;
    private RawAmqpConnection consumer;
    private ByteBuffer message;
    private DeliveryReader deliveries;
    private long published;

    @Setup(Level.Trial)
    public void start() throws IOException
    {
        final boolean autoAck = switch (ack)
        {
            case "auto" -> true;
            case "manual" -> false;
            default -> throw new IllegalArgumentException("ack must be auto or manual, was " + ack);
        };
        broker = Broker.create();
        server = AmqpServer.start(broker, AmqpServerOptions.builder().listen("127.0.0.1", 0).build());
        consumer = RawAmqpConnection.open(server.address(), 0);
        consumer.send(new AMQImpl.Queue.Declare(0, QUEUE, false, false, false, false, false, Map.of()));
        consumer.expect(AMQImpl.Queue.DeclareOk.class);
        if (!autoAck)
        {
            consumer.send(new AMQImpl.Basic.Qos(0, PREFETCH, false));
            consumer.expect(AMQImpl.Basic.QosOk.class);
        }
        consumer.send(new AMQImpl.Basic.Consume(0, QUEUE, "", false, autoAck, false, false, Map.of()));
        consumer.expect(AMQImpl.Basic.ConsumeOk.class);
        deliveries = new DeliveryReader(consumer.socket(), !autoAck, 2 * consumer.frameMax());

        publisher = RawAmqpConnection.open(server.address(), 0);
        final byte[] frames = RawAmqpConnection.publishFrames("", QUEUE, bodySize);
        message = ByteBuffer.allocateDirect(frames.length).put(frames);
    }

    /** One message: published, and read back (with its ack) once the window is full. */
    @Benchmark
    public long publishAndConsume() throws IOException
    {
        message.rewind();
        publisher.write(message);
        published++;
        while (published - deliveries.received() >= WINDOW)
        {
            deliveries.readOnce();
        }
        return published;
    }

    /** @return messages the consumer has been delivered so far. */
    long delivered()
    {
        return deliveries.received();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException
    {
        try
        {
            if (publisher != null)
            {
                publisher.close();
            }
            if (consumer != null)
            {
                consumer.close();
            }
        }
        finally
        {
            if (server != null)
            {
                server.close();
            }
            if (broker != null)
            {
                broker.close();
            }
        }
    }
}
