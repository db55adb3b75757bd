package io.ringmq.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import com.rabbitmq.client.impl.Method;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Methods on the wrong channel or in the wrong channel state, and content frames out of order, on an open
 * connection. RabbitMQ's reader and channel answer each with connection.close (all are hard errors); the reply
 * code, text and class/method ids asserted here are RabbitMQ 3.10's (rabbit_reader, rabbit_channel,
 * rabbit_command_assembler). After each test the other connections still work.
 */
@Timeout(30)
class ChannelStateErrorsTest extends ServerTestBase
{
    private static final String EXPECTED_METHOD_FRAME =
        "UNEXPECTED_FRAME - expected method frame, got non method frame instead";
    private static final String EXPECTED_CONTENT_HEADER =
        "UNEXPECTED_FRAME - expected content header for class 60, got non content header frame instead";
    private static final String EXPECTED_CONTENT_BODY =
        "UNEXPECTED_FRAME - expected content body, got non content body frame instead";

    private static Method queueDeclare()
    {
        return new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null);
    }

    private static Method publish()
    {
        return new AMQImpl.Basic.Publish(0, "", "q", false, false);
    }

    // ------------------------------------------------------------------ channels

    @Test
    void aMethodOnAChannelThatWasNeverOpenedIs504()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(2, queueDeclare())
                .expectConnectionClose(ReplyCode.CHANNEL_ERROR, "CHANNEL_ERROR - expected 'channel.open'", 50, 10);
        }
    }

    @Test
    void aMethodOnAChannelAfterItsCloseOkIs504()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Channel.Close(200, "done", 0, 0)).expect(AMQImpl.Channel.CloseOk.class);
            client.send(1, queueDeclare())
                .expectConnectionClose(ReplyCode.CHANNEL_ERROR, "CHANNEL_ERROR - expected 'channel.open'", 50, 10);
        }
    }

    @Test
    void aSecondChannelOpenIs504()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Channel.Open(""))
                .expectConnectionClose(ReplyCode.CHANNEL_ERROR, "CHANNEL_ERROR - second 'channel.open' seen", 20, 10);
        }
    }

    @Test
    void aConnectionMethodOnAnOpenChannelIs503()
    {
        // rabbit_channel's last handle_method clause: "unimplemented method", naming the method.
        final List<Method> methods = List.of(new AMQImpl.Connection.Close(200, "bye", 0, 0),
            new AMQImpl.Connection.TuneOk(0, 131072, 0), new AMQImpl.Connection.Open("/", "", false));
        for (final Method method : methods)
        {
            try (RawAmqpClient client = server.rawWithChannel())
            {
                client.send(1, method).expectConnectionClose(ReplyCode.COMMAND_INVALID,
                    "COMMAND_INVALID - unimplemented method", method.protocolClassId(), method.protocolMethodId());
            }
        }
    }

    @Test
    void aConnectionMethodOnAChannelNotOpenIs504()
    {
        // The channel is still "starting": RabbitMQ wants channel.open before it looks at the method.
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(2, new AMQImpl.Connection.Close(200, "bye", 0, 0))
                .expectConnectionClose(ReplyCode.CHANNEL_ERROR, "CHANNEL_ERROR - expected 'channel.open'", 10, 50);
        }
    }

    @Test
    void aMethodOnlyTheServerSendsIs503()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Channel.OpenOk(LongStringHelper.asLongString("")))
                .expectConnectionClose(ReplyCode.COMMAND_INVALID, "COMMAND_INVALID - unimplemented method", 20, 11);
        }
    }

    @Test
    void aChannelMethodOnChannelZeroIs504()
    {
        final List<Method> methods = List.of(new AMQImpl.Basic.Qos(0, 1, false), new AMQImpl.Channel.Open(""),
            publish());
        for (final Method method : methods)
        {
            try (RawAmqpClient client = server.rawWithChannel())
            {
                client.send(0, method).expectConnectionClose(ReplyCode.CHANNEL_ERROR,
                    "CHANNEL_ERROR - unexpected method in connection state running", method.protocolClassId(),
                    method.protocolMethodId());
            }
        }
    }

    // ------------------------------------------------------------------ content

    @Test
    void aContentHeaderWithoutAPublishIs505()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendContentHeader(1, 3)
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_METHOD_FRAME, 0, 0);
        }
    }

    @Test
    void aBodyWithoutAPublishIs505()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendBody(1, new byte[] {1, 2, 3})
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_METHOD_FRAME, 0, 0);
        }
    }

    @Test
    void aBodyWhereTheContentHeaderBelongsIs505NamingThePublish()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, publish()).sendBody(1, new byte[] {1, 2, 3})
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_CONTENT_HEADER, 60, 40);
        }
    }

    @Test
    void aMethodWhereTheContentHeaderBelongsIs505NamingThePublish()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, publish()).send(1, queueDeclare())
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_CONTENT_HEADER, 60, 40);
        }
    }

    @Test
    void aContentHeaderOfAnotherClassIs505NamingThePublish()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, publish());
            client.sendFrame(AmqpProtocol.FRAME_HEADER, 1, new byte[] {0, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0})
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME,
                    "UNEXPECTED_FRAME - expected content header for class 60, got one for class 50 instead", 60, 40);
        }
    }

    @Test
    void aMethodBetweenTheContentHeaderAndTheBodyIs505NamingThePublish()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, publish()).sendContentHeader(1, 3).send(1, queueDeclare())
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_CONTENT_BODY, 60, 40);
        }
    }

    @Test
    void aSecondContentHeaderIs505NamingThePublish()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, publish()).sendContentHeader(1, 3).sendContentHeader(1, 3)
                .expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, EXPECTED_CONTENT_BODY, 60, 40);
        }
    }

    @Test
    void contentOnChannelZeroIs505()
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendContentHeader(0, 3).expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, null, 0, 0);
        }
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.sendBody(0, new byte[] {1}).expectConnectionClose(ReplyCode.UNEXPECTED_FRAME, null, 0, 0);
        }
    }

    @Test
    void contentInterleavedAcrossChannelsIsAssembledPerChannel()
    {
        // Each channel has its own assembly: frames of two publishes may alternate between channels.
        try (RawAmqpClient client = server.rawWithChannel().openChannel(2))
        {
            client.send(1, queueDeclare());
            final AMQImpl.Queue.DeclareOk declared = client.expect(AMQImpl.Queue.DeclareOk.class);
            final String queue = declared.getQueue();
            client.send(1, new AMQImpl.Basic.Publish(0, "", queue, false, false));
            client.send(2, new AMQImpl.Basic.Publish(0, "", queue, false, false));
            client.sendContentHeader(2, 2).sendContentHeader(1, 2);
            client.sendBody(1, new byte[] {'a'}).sendBody(2, new byte[] {'b'});
            client.sendBody(2, new byte[] {'b'}).sendBody(1, new byte[] {'a'});
            client.send(1, new AMQImpl.Queue.Declare(0, queue, true, false, false, false, false, null));
            final AMQImpl.Queue.DeclareOk counted = client.expect(AMQImpl.Queue.DeclareOk.class);
            assertEquals(2, counted.getMessageCount());
        }
    }
}
