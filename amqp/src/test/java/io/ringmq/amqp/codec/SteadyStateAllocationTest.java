package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringmq.MessageProperties;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate nothing once names and properties are cached: decoding basic.publish with its
 * content header and body, reading the publish arguments and properties, reading basic.ack, and writing
 * basic.deliver with its content. Measured with the JVM's per-thread allocation counter.
 */
class SteadyStateAllocationTest
{
    private static final int MESSAGES_PER_ROUND = 8;

    /** What a server does with a publisher's frames, minus the engine: read everything, keep nothing. */
    private static final class Server implements FrameListener
    {
        final ShortStringCache names = new ShortStringCache();
        final MethodReaders readers = new MethodReaders(names);
        final PropertiesDecoder properties = new PropertiesDecoder(names);
        final byte[] body = new byte[64];
        String exchange;
        String routingKey;
        MessageProperties lastProperties;
        long acked;
        int bodies;

        @Override
        public void onProtocolHeader(final boolean supported, final ByteBuf header)
        {
        }

        @Override
        public void onMethod(final int channel, final int classId, final int methodId, final ByteBuf arguments)
        {
            if (methodId == 40)
            {
                final BasicMethods.Publish p = readers.basicPublish(arguments);
                exchange = p.exchange();
                routingKey = p.routingKey();
            }
            else
            {
                acked += readers.basicAck(arguments).deliveryTag();
            }
        }

        @Override
        public void onContentHeader(final int channel, final int classId, final long bodySize, final ByteBuf props)
        {
            lastProperties = properties.decode(props);
        }

        @Override
        public void onContentBody(final int channel, final ByteBuf body)
        {
            body.getBytes(body.readerIndex(), this.body, 0, body.readableBytes());
            bodies++;
        }

        @Override
        public void onHeartbeat(final int channel)
        {
        }

        @Override
        public void onFrameError(final int replyCode, final String text)
        {
            throw new AssertionError(text);
        }
    }

    private static ByteBuf publisherFrames()
    {
        final AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/octet-stream")
            .deliveryMode(2).headers(Map.of("x-sent-by", "perf-test")).build();
        final ByteBuf in = Unpooled.buffer();
        for (int i = 0; i < MESSAGES_PER_ROUND; i++)
        {
            in.writeBytes(ClientOracle.frame(new AMQImpl.Basic.Publish(0, "direct", "3c9c2b4e-8d53-4d0a-9d2a-6b8f1f0f2a11",
                false, false), 1));
            in.writeBytes(ClientOracle.headerFrame(props, 1, 12));
            in.writeByte(AmqpProtocol.FRAME_BODY).writeShort(1).writeInt(12).writeBytes(new byte[12])
                .writeByte(AmqpProtocol.FRAME_END);
            in.writeBytes(ClientOracle.frame(new AMQImpl.Basic.Ack(i + 1, false), 1));
        }
        return in;
    }

    /**
     * HotSpot's per-thread allocation counter, looked up reflectively: tests compile into module
     * io.ringmq.amqp, which does not read jdk.management (routing's tests count the same way).
     */
    private static final class AllocatedBytes
    {
        private final Object bean;
        private final MethodHandle counter;

        AllocatedBytes() throws ReflectiveOperationException
        {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            final Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            counter = MethodHandles.publicLookup()
                .findVirtual(hotspot, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                .asType(MethodType.methodType(long.class, Object.class, long.class));
        }

        long ofThisThread() throws Throwable
        {
            return (long)counter.invokeExact(bean, Thread.currentThread().getId());
        }
    }

    @Test
    void publishingAndDeliveringAllocateNothingInSteadyState() throws Throwable
    {
        final AllocatedBytes allocatedBytes = new AllocatedBytes();
        final Server server = new Server();
        final FrameDecoder decoder = new FrameDecoder(server);
        decoder.decode(Unpooled.wrappedBuffer(AmqpProtocol.protocolHeader()));
        final ByteBuf in = publisherFrames();
        final ContentWriter writer = new ContentWriter();
        final ByteBuf out = Unpooled.buffer(64 * 1024);
        final byte[] body = new byte[12];

        final Runnable round = () ->
        {
            in.readerIndex(0);
            decoder.decode(in);
            out.clear();
            for (int i = 0; i < MESSAGES_PER_ROUND; i++)
            {
                writer.writeDeliver(out, 1, 131072, "amq.ctag-1", i, false, server.exchange, server.routingKey,
                    server.lastProperties, body);
            }
        };
        for (int i = 0; i < 20_000; i++)
        {
            round.run();
        }
        final MessageProperties cached = server.lastProperties;
        final int rounds = 50_000;
        final long before = allocatedBytes.ofThisThread();
        for (int i = 0; i < rounds; i++)
        {
            round.run();
        }
        final long allocated = allocatedBytes.ofThisThread() - before;

        assertSame(cached, server.lastProperties);
        assertEquals((20_000L + rounds) * MESSAGES_PER_ROUND, server.bodies);
        assertTrue(allocated < 1024, allocated + " bytes allocated for " + rounds * MESSAGES_PER_ROUND +
            " messages published, acked and delivered");
    }
}
