package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameDecoderTest
{
    private static final byte[] HEADER = AmqpProtocol.protocolHeader();

    private final RecordingListener listener = new RecordingListener();
    private final FrameDecoder decoder = new FrameDecoder(listener);
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void feed(final byte[]... parts)
    {
        for (final byte[] part : parts)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(part));
        }
    }

    /** A frame with any type, channel and payload, ended with {@code end}. */
    private static byte[] frame(final int type, final int channel, final byte[] payload, final int end)
    {
        final ByteBuf f = Unpooled.buffer();
        f.writeByte(type).writeShort(channel).writeInt(payload.length).writeBytes(payload).writeByte(end);
        final byte[] bytes = new byte[f.readableBytes()];
        f.readBytes(bytes);
        return bytes;
    }

    private static byte[] frame(final int type, final int channel, final byte[] payload)
    {
        return frame(type, channel, payload, AmqpProtocol.FRAME_END);
    }

    private static byte[] publishStream()
    {
        final ByteBuf s = Unpooled.buffer();
        s.writeBytes(ClientOracle.frame(new AMQImpl.Basic.Publish(0, "amq.direct", "key", true, false), 7));
        s.writeBytes(ClientOracle.headerFrame(new AMQP.BasicProperties.Builder().contentType("text/plain").build(), 7, 5));
        s.writeBytes(frame(AmqpProtocol.FRAME_BODY, 7, "hello".getBytes(StandardCharsets.US_ASCII)));
        s.writeBytes(frame(AmqpProtocol.FRAME_HEARTBEAT, 0, new byte[0]));
        final byte[] bytes = new byte[s.readableBytes()];
        s.readBytes(bytes);
        return bytes;
    }

    private static final List<String> PUBLISH_EVENTS = List.of(
        "header true 414d515000000901",
        "method 7 60.40 0000" + "0a616d712e646972656374" + "036b6579" + "01",
        "content-header 7 60 5 8000" + "0a746578742f706c61696e",
        "body 7 68656c6c6f",
        "heartbeat 0");

    @Test
    void cutsEveryFrameTypeARealClientSendsIntoOneCallEach()
    {
        feed(HEADER, publishStream());
        assertEquals(PUBLISH_EVENTS, listener.events);
        assertTrue(listener.viewsReadOnly.stream().allMatch(b -> b), "every view is read-only");
        assertFalse(channel.finish(), "nothing is passed down the pipeline");
    }

    @Test
    void framesSplitAtAnyOctetDecodeTheSame()
    {
        final byte[] stream = new byte[HEADER.length + publishStream().length];
        System.arraycopy(HEADER, 0, stream, 0, HEADER.length);
        System.arraycopy(publishStream(), 0, stream, HEADER.length, stream.length - HEADER.length);
        for (final byte b : stream)
        {
            feed(new byte[] {b});
        }
        assertEquals(PUBLISH_EVENTS, listener.events);
    }

    @Test
    void theViewIsReadOnlyAndBoundedToThePayload()
    {
        final List<ByteBuf> seen = new ArrayList<>();
        final EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(new RecordingListener()
        {
            @Override
            public void onContentBody(final int channel, final ByteBuf body)
            {
                assertEquals(5, body.readableBytes());
                assertThrows(ReadOnlyBufferException.class, () -> body.setByte(body.readerIndex(), 'x'));
                seen.add(body);
            }
        }));
        ch.writeInbound(Unpooled.wrappedBuffer(HEADER), Unpooled.wrappedBuffer(publishStream()));
        assertEquals(1, seen.size());
    }

    @Test
    void supportsTheZeroNineHeaderAsRabbitMqDoes()
    {
        feed(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9}, publishStream());
        assertEquals("header true 414d515001010009", listener.events.get(0));
        assertEquals(5, listener.events.size());
    }

    @Test
    void anyOtherProtocolHeaderIsReportedOnceAndThenNothingIsDecoded()
    {
        for (final byte[] other : List.of(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 0},
            new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0}, "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))
        {
            final RecordingListener l = new RecordingListener();
            final FrameDecoder d = new FrameDecoder(l);
            final EmbeddedChannel ch = new EmbeddedChannel(d);
            ch.writeInbound(Unpooled.wrappedBuffer(other), Unpooled.wrappedBuffer(publishStream()));
            assertEquals(1, l.events.size(), l.events.toString());
            assertTrue(l.events.get(0).startsWith("header false "));
            assertTrue(d.isStopped());
            assertTrue(l.errorCodes.isEmpty());
        }
    }

    @Test
    void waitsForAllEightOctetsOfTheProtocolHeader()
    {
        feed(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9});
        assertTrue(listener.events.isEmpty());
        feed(new byte[] {1});
        assertEquals(List.of("header true 414d515000000901"), listener.events);
    }

    private void expectError(final int code, final byte[]... after)
    {
        feed(HEADER);
        feed(after);
        // Whatever follows an error is discarded, even valid frames.
        feed(publishStream());
        assertEquals(List.of(code), listener.errorCodes, listener.events.toString());
        assertEquals("error " + code, listener.events.get(listener.events.size() - 1));
        assertTrue(decoder.isStopped());
    }

    @Test
    void aFrameNotEndedByCeIsAFrameError()
    {
        expectError(501, frame(AmqpProtocol.FRAME_BODY, 1, new byte[] {1, 2}, 0xCD));
        assertTrue(listener.errorTexts.get(0).startsWith("FRAME_ERROR - "), listener.errorTexts.get(0));
    }

    @Test
    void aPayloadLargerThanFrameMaxIsRefusedFromTheFrameHeaderAlone()
    {
        feed(HEADER, new byte[] {3, 0, 1, 0, 0, 0x10, 0x01}); // 4097 octets announced, none sent
        assertEquals(List.of(501), listener.errorCodes);
    }

    @Test
    void framesUpToEightOctetsOverFrameMaxPassAsRabbitMqLetsThem()
    {
        feed(HEADER, frame(AmqpProtocol.FRAME_BODY, 1, new byte[AmqpProtocol.FRAME_MIN_SIZE]));
        assertEquals(List.of(), listener.errorCodes);
        feed(frame(AmqpProtocol.FRAME_BODY, 1, new byte[AmqpProtocol.FRAME_MIN_SIZE + 1]));
        assertEquals(List.of(501), listener.errorCodes);
    }

    @Test
    void theNegotiatedFrameMaxReplacesTheInitialOne()
    {
        assertEquals(AmqpProtocol.FRAME_MIN_SIZE, decoder.maxFrameSize());
        decoder.setMaxFrameSize(131072);
        feed(HEADER, frame(AmqpProtocol.FRAME_BODY, 1, new byte[131072]));
        feed(frame(AmqpProtocol.FRAME_BODY, 1, new byte[131073]));
        assertEquals(List.of(501), listener.errorCodes);
        assertEquals(2, listener.events.size() - 1);

        assertThrows(IllegalArgumentException.class, () -> decoder.setMaxFrameSize(4095));
        final FrameDecoder unlimited = new FrameDecoder(new RecordingListener());
        unlimited.setMaxFrameSize(0);
        assertEquals(0, unlimited.maxFrameSize());
    }

    @Test
    void anUnknownFrameTypeIsAFrameErrorAsInRabbitMq()
    {
        expectError(501, frame(4, 1, new byte[0]));
        assertTrue(listener.errorTexts.get(0).contains("unknown frame type 4"));
    }

    @Test
    void aMethodFrameTooShortForItsIdsIsAFrameError()
    {
        expectError(501, frame(AmqpProtocol.FRAME_METHOD, 1, new byte[] {0, 60, 0}));
    }

    @Test
    void aMethodAmqpDoesNotDefineIsNotImplemented()
    {
        expectError(540, frame(AmqpProtocol.FRAME_METHOD, 1, new byte[] {0, 60, 0, 41}));
        assertTrue(listener.errorTexts.get(0).contains("unknown method 60.41"), listener.errorTexts.get(0));
    }

    @Test
    void aContentHeaderTooShortIsAFrameError()
    {
        expectError(501, frame(AmqpProtocol.FRAME_HEADER, 1, new byte[13]));
    }

    @Test
    void aContentHeaderWithWeightIsAnUnexpectedFrame()
    {
        final byte[] payload = {0, 60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        expectError(505, frame(AmqpProtocol.FRAME_HEADER, 1, payload));
    }

    @Test
    void aBodySizeBeyondSignedLongIsAFrameError()
    {
        final byte[] payload = {0, 60, 0, 0, (byte)0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        expectError(501, frame(AmqpProtocol.FRAME_HEADER, 1, payload));
    }

    @Test
    void aHeartbeatWithAPayloadIsAFrameError()
    {
        expectError(501, frame(AmqpProtocol.FRAME_HEARTBEAT, 0, new byte[] {1}));
    }

    @Test
    void aHeartbeatOnAnotherChannelIsLeftToTheServer()
    {
        feed(HEADER, frame(AmqpProtocol.FRAME_HEARTBEAT, 5, new byte[0]));
        assertEquals(List.of("header true 414d515000000901", "heartbeat 5"), listener.events);
    }

    @Test
    void aFrameWhoseListenerThrowsIsNotDeliveredAgain()
    {
        final List<String> methods = new ArrayList<>();
        final EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(new RecordingListener()
        {
            @Override
            public void onMethod(final int channel, final int classId, final int methodId, final ByteBuf arguments)
            {
                methods.add(classId + "." + methodId);
                if (methods.size() == 1)
                {
                    throw new IllegalStateException("listener failure");
                }
            }
        }));
        final byte[] ack = ClientOracle.frame(new AMQImpl.Basic.Ack(1, false), 1);
        ch.writeInbound(Unpooled.wrappedBuffer(HEADER));
        assertThrows(Exception.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(ack)));
        ch.writeInbound(Unpooled.wrappedBuffer(ack));
        assertEquals(List.of("60.80", "60.80"), methods);
    }
}
