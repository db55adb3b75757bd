package io.ringmq.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The server's limits, reached on purpose over a raw socket: channel_max (530), the connection limit (530) and
 * max_message_size (406, a channel error: the connection lives on). After each test the other connections still
 * work.
 */
@Timeout(30)
class LimitsTest
{
    private static final int CHANNEL_MAX = 3;
    private static final int MAX_MESSAGE_SIZE = 64 * 1024;

    private static EmbeddedServer server;

    @BeforeAll
    static void start()
    {
        server = EmbeddedServer.start(options -> options.channelMax(CHANNEL_MAX).maxMessageSize(MAX_MESSAGE_SIZE));
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    @AfterEach
    void otherConnectionsAreUnaffected()
    {
        server.assertUnaffected();
    }

    /** A raw client tuned to {@code channelMax} channels and frame_max 4096, connection open. */
    private static RawAmqpClient tunedTo(final int channelMax)
    {
        final RawAmqpClient client = server.raw();
        final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
        assertEquals(CHANNEL_MAX, tune.getChannelMax());
        client.tuneOk(channelMax, AmqpProtocol.FRAME_MIN_SIZE, 0);
        client.open("/");
        return client;
    }

    @Test
    void aChannelOpenPastTheNegotiatedChannelMaxIs530()
    {
        try (RawAmqpClient client = tunedTo(CHANNEL_MAX))
        {
            client.openChannel(1).openChannel(2).openChannel(3);
            client.send(4, new AMQImpl.Channel.Open("")).expectConnectionClose(ReplyCode.NOT_ALLOWED,
                "NOT_ALLOWED - number of channels opened (3) has reached the negotiated channel_max (3)", 0, 0);
        }
    }

    @Test
    void aClientMayNegotiateFewerChannelsThanOfferedAndIsHeldToThem()
    {
        try (RawAmqpClient client = tunedTo(2))
        {
            client.openChannel(1).openChannel(2);
            client.send(3, new AMQImpl.Channel.Open("")).expectConnectionClose(ReplyCode.NOT_ALLOWED,
                "NOT_ALLOWED - number of channels opened (2) has reached the negotiated channel_max (2)", 0, 0);
        }
    }

    @Test
    void aClosedChannelFreesItsPlace()
    {
        try (RawAmqpClient client = tunedTo(CHANNEL_MAX))
        {
            client.openChannel(1).openChannel(2).openChannel(3);
            client.send(2, new AMQImpl.Channel.Close(200, "done", 0, 0)).expect(AMQImpl.Channel.CloseOk.class);
            client.openChannel(2);
        }
    }

    @Test
    void aChannelOpenBeyondChannelMaxWithPlacesFreeIs530()
    {
        // RabbitMQ counts only open channels and would open channel 5 here; AMQP says channel numbers end at
        // channel_max, and so does RingMQ, with the same code.
        try (RawAmqpClient client = tunedTo(CHANNEL_MAX))
        {
            client.openChannel(1);
            client.send(CHANNEL_MAX + 2, new AMQImpl.Channel.Open("")).expectConnectionClose(ReplyCode.NOT_ALLOWED,
                "NOT_ALLOWED - channel number 5 is above the negotiated channel_max (3)", 0, 0);
        }
    }

    @Test
    void aMethodOnAChannelNumberBeyondChannelMaxIs504LikeAnyUnopenedChannel()
    {
        try (RawAmqpClient client = tunedTo(CHANNEL_MAX))
        {
            client.openChannel(1);
            client.send(CHANNEL_MAX + 2, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null))
                .expectConnectionClose(ReplyCode.CHANNEL_ERROR, "CHANNEL_ERROR - expected 'channel.open'", 50, 10);
        }
    }

    @Test
    void aConnectionOpenPastTheConnectionLimitIs530AndAPlaceFreesWhenOneCloses()
    {
        // Its own server: the limit counts every open connection, the bystander included.
        try (EmbeddedServer limited = EmbeddedServer.start(options -> options.maxConnections(2)))
        {
            try (RawAmqpClient second = limited.raw().openConnection())
            {
                try (RawAmqpClient third = limited.raw())
                {
                    final AMQImpl.Connection.Tune tune = third.startAndLogin("guest", "guest",
                        RawAmqpClient.modernCapabilities());
                    third.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
                    third.send(0, new AMQImpl.Connection.Open("/", "", false)).expectConnectionClose(
                        ReplyCode.NOT_ALLOWED, "NOT_ALLOWED - connection refused: node connection limit (2) is reached",
                        10, 40);
                }
                second.openChannel(1);
            }
            // The second connection's socket is closed; once the server has seen it go, there is room again.
            final long deadline = System.currentTimeMillis() + RawAmqpClient.ANSWER_MILLIS;
            while (limited.server().connectionCount() > 1 && System.currentTimeMillis() < deadline)
            {
                EmbeddedServer.sleep(10);
            }
            try (RawAmqpClient again = limited.raw().openConnection())
            {
                again.openChannel(1);
            }
            limited.assertUnaffected();
        }
    }

    @Test
    void aMessageOverMaxMessageSizeClosesItsChannelWith406AndItsBodyFramesAreIgnored()
    {
        try (RawAmqpClient client = tunedTo(CHANNEL_MAX))
        {
            client.openChannel(1);
            // The whole message in one write, as a client sends it: 17 body frames follow the refused header.
            client.publish(1, "", "nowhere", new byte[MAX_MESSAGE_SIZE + 1]);
            client.expectChannelClose(1, ReplyCode.PRECONDITION_FAILED,
                "PRECONDITION_FAILED - message size 65537 is larger than configured max size 65536", 60, 40);
            // The connection lives: the channel opens again and carries a message of exactly the limit.
            client.openChannel(1);
            assertRoundTrip(client, 1, MAX_MESSAGE_SIZE);
        }
    }

    /** Declares a queue on {@code channel}, publishes {@code size} octets to it and gets them back. */
    private static void assertRoundTrip(final RawAmqpClient client, final int channel, final int size)
    {
        client.send(channel, new AMQImpl.Queue.Declare(0, "", false, false, true, true, false, null));
        final String queue = client.expect(AMQImpl.Queue.DeclareOk.class).getQueue();
        final byte[] body = new byte[size];
        Arrays.fill(body, (byte)'m');
        client.publish(channel, "", queue, body);
        client.send(channel, new AMQImpl.Basic.Get(0, queue, true));
        client.expect(AMQImpl.Basic.GetOk.class);
        final Frame header = client.nextFrame();
        assertEquals(AmqpProtocol.FRAME_HEADER, header.type);
        final byte[] received = new byte[size];
        int filled = 0;
        while (filled < size)
        {
            final Frame frame = client.nextFrame();
            assertEquals(AmqpProtocol.FRAME_BODY, frame.type);
            System.arraycopy(frame.getPayload(), 0, received, filled, frame.getPayload().length);
            filled += frame.getPayload().length;
        }
        assertArrayEquals(body, received);
    }
}
