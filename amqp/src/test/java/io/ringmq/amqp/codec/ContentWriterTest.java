package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.MessageProperties;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ContentWriterTest
{
    private final ContentWriter writer = new ContentWriter();

    private static final MessageProperties PROPERTIES = MessageProperties.builder().contentType("text/plain")
        .deliveryMode(2).header("x-tenant", "eu").messageId("m-1").timestamp(1_700_000_000_000L).build();

    private static byte[] body(final int size)
    {
        final byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    /** Checks header and body frames as the client reassembles them, and returns the body. */
    private static byte[] content(final List<Frame> frames, final int channel, final int frameMax, final int size)
    {
        assertEquals(AMQP.FRAME_HEADER, frames.get(1).type);
        final AMQP.BasicProperties p = ClientOracle.properties(frames.get(1));
        assertEquals(size, p.getBodySize());
        assertEquals("text/plain", p.getContentType());
        assertEquals(2, p.getDeliveryMode());
        assertEquals("eu", p.getHeaders().get("x-tenant").toString());
        assertEquals(1_700_000_000_000L, p.getTimestamp().getTime());
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (final Frame f : frames.subList(2, frames.size()))
        {
            assertEquals(AMQP.FRAME_BODY, f.type);
            assertEquals(channel, f.channel);
            assertEquals(true, f.size() <= frameMax || frameMax == 0, "frame of " + f.size() + " octets");
            body.writeBytes(f.getPayload());
        }
        return body.toByteArray();
    }

    @Test
    void aDeliveryIsMethodHeaderAndBodySplitToFrameMax()
    {
        for (final int size : new int[] {0, 1, 4088, 4089, 10_000, 100_000})
        {
            final byte[] body = body(size);
            final ByteBuf out = Unpooled.buffer();
            writer.writeDeliver(out, 5, 4096, "ctag", 9L, false, "amq.direct", "rk", PROPERTIES, body);
            final List<Frame> frames = ClientOracle.frames(out);

            final AMQImpl.Basic.Deliver d = (AMQImpl.Basic.Deliver)ClientOracle.method(frames.get(0));
            assertEquals("ctag", d.getConsumerTag());
            assertEquals(9L, d.getDeliveryTag());
            assertArrayEquals(body, content(frames, 5, 4096, size));
            assertEquals(2 + (size + 4087) / 4088, frames.size(), "body frames of at most frame_max - 8 octets");
        }
    }

    @Test
    void withoutAFrameMaxTheBodyIsOneFrame()
    {
        final ByteBuf out = Unpooled.buffer();
        writer.writeDeliver(out, 1, 0, "c", 1L, true, "", "q", PROPERTIES, body(300_000));
        assertEquals(3, ClientOracle.frames(out).size());
    }

    @Test
    void returnAndGetOkCarryTheirContentToo()
    {
        final byte[] body = body(5000);
        final ByteBuf returned = Unpooled.buffer();
        writer.writeReturn(returned, 2, 4096, 312, "NO_ROUTE", "orders", "nowhere", PROPERTIES, body);
        final List<Frame> r = ClientOracle.frames(returned);
        final AMQImpl.Basic.Return ret = (AMQImpl.Basic.Return)ClientOracle.method(r.get(0));
        assertEquals(312, ret.getReplyCode());
        assertEquals("nowhere", ret.getRoutingKey());
        assertArrayEquals(body, content(r, 2, 4096, 5000));

        final ByteBuf got = Unpooled.buffer();
        writer.writeGetOk(got, 3, 131072, 77L, true, "ex", "rk", 12, PROPERTIES, body);
        final List<Frame> g = ClientOracle.frames(got);
        final AMQImpl.Basic.GetOk ok = (AMQImpl.Basic.GetOk)ClientOracle.method(g.get(0));
        assertEquals(12, ok.getMessageCount());
        assertEquals(77L, ok.getDeliveryTag());
        assertArrayEquals(body, content(g, 3, 131072, 5000));
    }

    @Test
    void theSamePropertiesInstanceWritesTheSameOctets()
    {
        final ByteBuf first = Unpooled.buffer();
        writer.writeDeliver(first, 1, 4096, "c", 1L, false, "e", "k", PROPERTIES, body(10));
        final ByteBuf second = Unpooled.buffer();
        writer.writeDeliver(second, 1, 4096, "c", 1L, false, "e", "k", PROPERTIES, body(10));
        assertEquals(first, second);
        final ByteBuf other = Unpooled.buffer();
        writer.writeDeliver(other, 1, 4096, "c", 1L, false, "e", "k",
            MessageProperties.builder().contentType("text/plain").headers(Map.of("x-tenant", "us")).build(), body(10));
        assertEquals("us", ClientOracle.properties(ClientOracle.frames(other).get(1)).getHeaders().get("x-tenant")
            .toString());
    }

    @Test
    void aMessageThatCannotBeWrittenLeavesTheBufferAsItWas()
    {
        final ByteBuf out = Unpooled.buffer().writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> writer.writeDeliver(out, 1, 4096, "t".repeat(256), 1L,
            false, "", "", PROPERTIES, body(1)));
        assertThrows(IllegalArgumentException.class, () -> writer.writeDeliver(out, 1, 4096, "t", 1L, false, "", "",
            MessageProperties.builder().appId("a".repeat(256)).build(), body(1)));
        assertThrows(IllegalArgumentException.class, () -> writer.writeDeliver(out, 1, 100, "t", 1L, false, "", "",
            PROPERTIES, body(1)));
        assertArrayEquals(new byte[] {1}, ByteBufUtil.getBytes(out));
    }
}
