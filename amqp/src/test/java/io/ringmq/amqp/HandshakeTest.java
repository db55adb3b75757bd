package io.ringmq.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How a connection opens, and how it may not, over a raw socket against a live server; the answers are RabbitMQ
 * 3.10's (rabbit_reader). Before connection.tune-ok RabbitMQ trusts the client with nothing: any error there
 * closes the socket without a word (save 403 to clients that asked for it), after tune-ok it answers with
 * connection.close. After each test the other connections still work.
 */
@Timeout(30)
class HandshakeTest extends ServerTestBase
{
    @Test
    void aProtocolHeaderOtherThan091IsAnsweredWithAmqp0091AndTheSocketClosed()
    {
        final List<byte[]> headers = List.of(
            new byte[] {'A', 'M', 'Q', 'P', 0, 0, 10, 0},   // 0-10
            new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0},    // 1.0 (RabbitMQ 3.10 without its AMQP 1.0 plugin)
            new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0},    // 1.0 SASL
            new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 0},
            "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0x16, 0x03, 0x01, 0x00, (byte)0xa5, 0x01, 0x00, 0x00});   // a TLS ClientHello on the plain port
        for (final byte[] header : headers)
        {
            try (RawAmqpClient client = server.raw())
            {
                client.sendBytes(header).expectProtocolHeaderAndEnd();
            }
        }
    }

    @Test
    void theAmqp09HeaderIsSpokenAs091()
    {
        // RabbitMQ: "the protocol header for 0-9, which we can safely treat as though it were 0-9-1".
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(new byte[] {'A', 'M', 'Q', 'P', 1, 1, 0, 9});
            final AMQImpl.Connection.Start start = client.expect(AMQImpl.Connection.Start.class);
            assertEquals(0, start.getVersionMajor());
            assertEquals(9, start.getVersionMinor());
            client.send(0, RawAmqpClient.startOk("guest", "guest", RawAmqpClient.modernCapabilities()));
            final AMQImpl.Connection.Tune tune = client.expect(AMQImpl.Connection.Tune.class);
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
            client.open("/");
            client.openChannel(1);
        }
    }

    @Test
    void theServerOffersRabbitMqsDefaultsInConnectionTune()
    {
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            assertEquals(AmqpServerOptions.DEFAULT_CHANNEL_MAX, tune.getChannelMax());
            assertEquals(AmqpServerOptions.DEFAULT_FRAME_MAX, tune.getFrameMax());
            assertEquals(AmqpServerOptions.DEFAULT_HEARTBEAT, tune.getHeartbeat());
        }
    }

    @Test
    void aWrongPasswordIs403ForAClientThatAnnouncedAuthenticationFailureClose()
    {
        // RabbitMQ's auth_fail sends this connection.close itself, with class and method 0, before anything else.
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(0, RawAmqpClient.startOk("guest", "not-the-password", RawAmqpClient.modernCapabilities()));
            client.expectConnectionClose(ReplyCode.ACCESS_REFUSED,
                "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.",
                0, 0);
        }
    }

    @Test
    void anUnknownUserIsRefusedInTheSameWordsAsAWrongPassword()
    {
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(0, RawAmqpClient.startOk("nobody", "guest", RawAmqpClient.modernCapabilities()));
            client.expectConnectionClose(ReplyCode.ACCESS_REFUSED,
                "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.",
                0, 0);
        }
    }

    @Test
    void aWrongPasswordJustClosesTheSocketForAClientWithoutAuthenticationFailureClose()
    {
        final Map<String, Object> capabilities = new HashMap<>(RawAmqpClient.modernCapabilities());
        capabilities.remove("authentication_failure_close");
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(0, RawAmqpClient.startOk("guest", "not-the-password", capabilities));
            client.expectEnd();
        }
    }

    @Test
    void aMalformedSaslResponseClosesTheSocketSilently()
    {
        // RabbitMQ's PLAIN mechanism answers a response without its two NULs with a syntax_error, which the
        // reader, not yet tuned, turns into a silent close.
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            final Map<String, Object> properties = Map.of("capabilities", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.StartOk(properties, "PLAIN",
                LongStringHelper.asLongString("guest guest"), "en_US"));
            client.expectEnd();
        }
    }

    @Test
    void anUnofferedMechanismClosesTheSocketSilently()
    {
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            final Map<String, Object> properties = Map.of("capabilities", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.StartOk(properties, "EXTERNAL", LongStringHelper.asLongString(""),
                "en_US"));
            client.expectEnd();
        }
    }

    @Test
    void anUnknownVirtualHostIs530OnConnectionOpen()
    {
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
            client.send(0, new AMQImpl.Connection.Open("no-such-vhost", "", false));
            client.expectConnectionClose(ReplyCode.NOT_ALLOWED, "NOT_ALLOWED - vhost no-such-vhost not found", 10, 40);
        }
    }

    @Test
    void aMethodOutOfOrderBeforeTuneOkClosesTheSocketSilently()
    {
        // connection.open where start-ok belongs (RabbitMQ: "unexpected method in connection state starting")
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(0, new AMQImpl.Connection.Open("/", "", false)).expectEnd();
        }
        // connection.open where tune-ok belongs (state tuning)
        try (RawAmqpClient client = server.raw())
        {
            client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.Open("/", "", false)).expectEnd();
        }
        // connection.secure-ok, though no connection.secure was sent
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(0, new AMQImpl.Connection.SecureOk(LongStringHelper.asLongString("x"))).expectEnd();
        }
    }

    @Test
    void aFrameOnAChannelOrAnErrorBeforeTuneOkClosesTheSocketSilently()
    {
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            client.send(1, new AMQImpl.Channel.Open("")).expectEnd();
        }
        try (RawAmqpClient client = server.raw())
        {
            client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.sendHeartbeat(1).expectEnd();
        }
        try (RawAmqpClient client = server.raw())
        {
            client.sendBytes(AmqpProtocol.protocolHeader()).expect(AMQImpl.Connection.Start.class);
            final byte[] startOk = RawAmqpClient.frame(AmqpProtocol.FRAME_METHOD, 0,
                RawAmqpClient.methodPayload(RawAmqpClient.startOk("guest", "guest", RawAmqpClient.modernCapabilities())));
            startOk[startOk.length - 1] = 0; // not 0xCE: a frame error
            client.sendBytes(startOk).expectEnd();
        }
    }

    @Test
    void aTuneOkAskingForMoreThanOfferedClosesTheSocketSilently()
    {
        // RabbitMQ: "negotiated frame_max = ... is higher than the maximum allowed value", logged, no connection.close.
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), tune.getFrameMax() + 1, 0)).expectEnd();
        }
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax() + 1, tune.getFrameMax(), 0)).expectEnd();
        }
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), AmqpProtocol.FRAME_MIN_SIZE - 1, 0))
                .expectEnd();
        }
    }

    @Test
    void aMethodOutOfOrderAfterTuneOkIs504()
    {
        // After tune-ok RabbitMQ answers with connection.close: CHANNEL_ERROR, naming the state and the method.
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
            client.send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), tune.getFrameMax(), 0));
            client.expectConnectionClose(ReplyCode.CHANNEL_ERROR,
                "CHANNEL_ERROR - unexpected method in connection state opening", 10, 31);
        }
    }

    @Test
    void aFrameOnAChannelBeforeConnectionOpenIs505()
    {
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
            client.send(1, new AMQImpl.Channel.Open(""));
            client.expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, null, 0, 0);
        }
    }

    @Test
    void handshakeMethodsAfterTheConnectionIsOpenAre504()
    {
        final List<com.rabbitmq.client.impl.Method> methods = List.of(
            RawAmqpClient.startOk("guest", "guest", RawAmqpClient.modernCapabilities()),
            new AMQImpl.Connection.TuneOk(0, 131072, 0),
            new AMQImpl.Connection.Open("/", "", false),
            new AMQImpl.Connection.CloseOk());
        for (final com.rabbitmq.client.impl.Method method : methods)
        {
            try (RawAmqpClient client = server.raw().openConnection())
            {
                client.send(0, method);
                client.expectConnectionClose(ReplyCode.CHANNEL_ERROR,
                    "CHANNEL_ERROR - unexpected method in connection state running", method.protocolClassId(),
                    method.protocolMethodId());
            }
        }
    }

    @Test
    void aClientThatClosesCleanlyGetsCloseOk()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(0, new AMQImpl.Connection.Close(200, "bye", 0, 0));
            client.expect(AMQImpl.Connection.CloseOk.class);
            client.expectEnd();
        }
    }
}
