package io.ringmq.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Bytes that break the framing or a method's grammar, on an open connection: each is a connection.close with
 * RabbitMQ's reply code, with no class and method where RabbitMQ's reader names none (a frame error knows no
 * method) and with the method's where it does (arguments that do not decode). After each test the other
 * connections still work.
 */
@Timeout(30)
class FrameErrorsTest extends ServerTestBase
{
    private static byte[] queueDeclare(final String queue, final Map<String, Object> arguments)
    {
        return RawAmqpClient.frame(AmqpProtocol.FRAME_METHOD, 1,
            RawAmqpClient.methodPayload(new AMQImpl.Queue.Declare(0, queue, false, false, false, true, false, arguments)));
    }

    @Test
    void aFrameNotEndedBy0xCEIs501()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            final byte[] frame = queueDeclare("q", Map.of());
            frame[frame.length - 1] = 0x00;
            client.sendBytes(frame).expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void aFrameLargerThanFrameMaxIs501AsSoonAsItsHeaderArrives()
    {
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), AmqpProtocol.FRAME_MIN_SIZE, 0);
            client.open("/");
            client.openChannel(1);
            // Only the 7 octets of the frame header: RabbitMQ refuses on the announced size, before any payload.
            final byte[] header = Arrays.copyOf(RawAmqpClient.frame(AmqpProtocol.FRAME_BODY, 1,
                new byte[AmqpProtocol.FRAME_MIN_SIZE + 1]), AmqpProtocol.FRAME_PAYLOAD_OFFSET);
            client.sendBytes(header).expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void aFrameOfExactlyFrameMaxOctetsOfPayloadIsAccepted()
    {
        // RabbitMQ lets a payload be frame_max octets (8 more than frame_max allows a whole frame): clients miscount.
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), AmqpProtocol.FRAME_MIN_SIZE, 0);
            client.open("/");
            client.openChannel(1);
            client.send(1, new AMQImpl.Basic.Publish(0, "", "nowhere", false, false));
            client.sendContentHeader(1, AmqpProtocol.FRAME_MIN_SIZE);
            client.sendBody(1, new byte[AmqpProtocol.FRAME_MIN_SIZE]);
            client.send(1, new AMQImpl.Channel.Close(200, "done", 0, 0));
            client.expect(AMQImpl.Channel.CloseOk.class);
        }
    }

    @Test
    void anUnknownFrameTypeIs501()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendFrame(9, 1, new byte[] {1, 2, 3}).expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void aHeartbeatCarryingAPayloadIs501()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendFrame(AmqpProtocol.FRAME_HEARTBEAT, 0, new byte[] {0})
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void aMethodFrameTooShortForItsIdsIs501()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, new byte[] {0, 50, 0})
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void aContentHeaderTooShortIs501()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Basic.Publish(0, "", "q", false, false));
            client.sendFrame(AmqpProtocol.FRAME_HEADER, 1, new byte[] {0, 60, 0, 0, 0, 0})
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
    }

    @Test
    void truncatedMethodArgumentsAre501NamingTheMethod()
    {
        // RabbitMQ: "FRAME_ERROR - cannot decode <<...>>" from the method's decoder, with its class and method.
        try (RawAmqpClient client = server.rawWithChannel())
        {
            final byte[] payload = RawAmqpClient.methodPayload(
                new AMQImpl.Queue.Declare(0, "a-queue-name", false, false, false, true, false, Map.of()));
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, Arrays.copyOf(payload, 10))
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 50, 10);
        }
    }

    @Test
    void octetsLeftOverAfterTheArgumentsAre501NamingTheMethod()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            final byte[] payload = RawAmqpClient.methodPayload(new AMQImpl.Basic.Qos(0, 10, false));
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, Arrays.copyOf(payload, payload.length + 3))
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 60, 10);
        }
    }

    @Test
    void aFieldTableWithAnUnknownValueTypeIs502NamingTheMethod()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, queueDeclareWithTable(table("x-bad", 'Z', new byte[] {1})))
                .expectConnectionClose(ReplyCode.SYNTAX_ERROR, null, 50, 10);
        }
    }

    @Test
    void aFieldTableWhoseLengthRunsPastTheFrameIs501NamingTheMethod()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            final byte[] entry = table("x-len", 'S', new byte[] {0, 0, 0, 100, 'a'});
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, queueDeclareWithTable(entry))
                .expectConnectionClose(ReplyCode.FRAME_ERROR, null, 50, 10);
        }
    }

    @Test
    void aHeartbeatOnAChannelOtherThanZeroIs505()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendHeartbeat(1).expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, null, 0, 0);
        }
    }

    @Test
    void aHeartbeatOnChannelZeroIsAcceptedAtAnyTime()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendHeartbeat(0).sendHeartbeat(0);
            client.send(1, new AMQImpl.Channel.Close(200, "done", 0, 0));
            client.expect(AMQImpl.Channel.CloseOk.class);
        }
    }

    @Test
    void aMethodAmqp091DoesNotDefineIs540()
    {
        // RabbitMQ's reader crashes on an unknown method id and drops the socket; RingMQ says why, with the
        // code AMQP gives a method the server does not implement.
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendFrame(AmqpProtocol.FRAME_METHOD, 1, new byte[] {0, 60, 0, (byte)200})
                .expectConnectionClose(ReplyCode.NOT_IMPLEMENTED, null, 0, 0);
        }
    }

    @Test
    void nothingTheClientSendsAfterAFrameErrorIsRead()
    {
        // After a frame error RabbitMQ no longer trusts the stream: a valid frame behind the bad one is not run.
        try (RawAmqpClient client = server.rawWithChannel())
        {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(RawAmqpClient.frame(9, 1, new byte[0]));
            bytes.writeBytes(queueDeclare("declared-after-a-frame-error", Map.of()));
            client.sendBytes(bytes.toByteArray()).expectConnectionClose(ReplyCode.FRAME_ERROR, null, 0, 0);
        }
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Queue.Declare(0, "declared-after-a-frame-error", true, false, false, false, false,
                null));
            client.expectChannelClose(1, ReplyCode.NOT_FOUND, null, 50, 10);
        }
    }

    /** One field-table entry: name, type tag, value octets as given. */
    private static byte[] table(final String name, final char tag, final byte[] value)
    {
        final ByteArrayOutputStream entry = new ByteArrayOutputStream();
        entry.write(name.length());
        entry.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        entry.write(tag);
        entry.writeBytes(value);
        return entry.toByteArray();
    }

    /** queue.declare of an auto-delete queue "q" whose arguments table holds {@code entries}, as they are. */
    private static byte[] queueDeclareWithTable(final byte[] entries)
    {
        final ByteArrayOutputStream payload = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(payload);
        try
        {
            out.writeShort(50);
            out.writeShort(10);
            out.writeShort(0);                  // ticket
            out.writeByte(1);
            out.writeByte('q');                 // queue
            out.writeByte(0b01000);             // passive, durable, exclusive, auto-delete, nowait
            out.writeInt(entries.length);
            out.write(entries);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
        return payload.toByteArray();
    }
}
