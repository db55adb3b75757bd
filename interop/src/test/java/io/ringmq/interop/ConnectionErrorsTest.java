package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MetricsCollector;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.ChannelManager;
import com.rabbitmq.client.impl.ConnectionParams;
import com.rabbitmq.client.impl.FrameHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Connection errors: RabbitMQ answers these with connection.close (the codes AMQP 0-9-1 calls
 * hard errors: 503, 530, 540 ...), so the connection is gone afterwards. The comment on each test
 * quotes RabbitMQ 3.10.8's answer; the tests assert the code, and the text where it is stable.
 */
@InteropTest
class ConnectionErrorsTest
{
    @Test
    void wrongPasswordIsRefusedWith403WhenTheClientAsksForAuthenticationFailureClose(Amqp amqp)
    {
        // connection.close 403 "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN.
        // For details see the broker logfile." (the Java client announces authentication_failure_close)
        ConnectionFactory factory = amqp.factory();
        factory.setPassword("not-the-password");
        AuthenticationFailureException refused = assertThrows(AuthenticationFailureException.class,
            () -> amqp.connect(factory));
        assertTrue(refused.getMessage().startsWith("ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN"),
                   refused.getMessage());
    }

    @Test
    void wrongPasswordJustClosesTheSocketForAClientWithoutAuthenticationFailureClose(Amqp amqp)
    {
        // Without the capability RabbitMQ closes the TCP connection after start-ok, with no connection.close;
        // the Java client reports that as a possible authentication failure.
        ConnectionFactory factory = amqp.factory();
        factory.setPassword("not-the-password");
        Map<String, Object> properties = new HashMap<>(factory.getClientProperties());
        @SuppressWarnings("unchecked")
        Map<String, Object> capabilities = new HashMap<>((Map<String, Object>) properties.get("capabilities"));
        capabilities.remove("authentication_failure_close");
        properties.put("capabilities", capabilities);
        factory.setClientProperties(properties);
        PossibleAuthenticationFailureException refused = assertThrows(PossibleAuthenticationFailureException.class,
            () -> amqp.connect(factory));
        assertFalse(refused instanceof AuthenticationFailureException, "no connection.close, so no certainty");
    }

    @Test
    void unknownVirtualHostIs530OnConnectionOpen(Amqp amqp)
    {
        // connection.close 530 "NOT_ALLOWED - vhost no-such-vhost not found" (class 10, method 40 connection.open)
        ConnectionFactory factory = amqp.factory();
        factory.setVirtualHost("no-such-vhost");
        AMQP.Connection.Close close = refusal(() -> amqp.connect(factory));
        assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
        assertEquals("NOT_ALLOWED - vhost no-such-vhost not found", close.getReplyText());
        assertEquals(10, close.getClassId());
        assertEquals(40, close.getMethodId());
    }

    @Test
    void reusingAConsumerTagOnTheSameChannelIs530AndClosesTheConnection(Amqp amqp) throws Exception
    {
        // connection.close 530 "NOT_ALLOWED - attempt to reuse consumer tag 'TAG'" (class 60, method 20)
        String queue = amqp.queueName("tagged");
        Connection connection = amqp.connect();
        Channel channel = connection.createChannel();
        channel.queueDeclare(queue, false, false, false, null);
        String tag = Amqp.unique("tag");
        channel.basicConsume(queue, true, tag, (t, d) -> { }, t -> { });
        AMQP.Connection.Close close = ServerErrors.connectionClose(channel,
            () -> channel.basicConsume(queue, true, tag, (t, d) -> { }, t -> { }));
        assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
        assertEquals("NOT_ALLOWED - attempt to reuse consumer tag '" + tag + "'", close.getReplyText());
        assertFalse(connection.isOpen());
    }

    @Test
    void publishingWithImmediateIs540(Amqp amqp) throws Exception
    {
        // connection.close 540 "NOT_IMPLEMENTED - immediate=true" (class 60, method 40): RabbitMQ dropped immediate in 3.0
        Channel channel = amqp.connect().createChannel();
        AMQP.Connection.Close close = ServerErrors.connectionClose(channel,
            () -> channel.basicPublish("", "anywhere", false, true, null, "now!".getBytes(UTF_8)));
        assertEquals(AMQP.NOT_IMPLEMENTED, close.getReplyCode());
        assertEquals("NOT_IMPLEMENTED - immediate=true", close.getReplyText());
    }

    @Test
    void recoverWithoutRequeueIs540(Amqp amqp) throws Exception
    {
        // connection.close 540 "NOT_IMPLEMENTED - requeue=false" (class 60, method 110 basic.recover)
        Channel channel = amqp.connect().createChannel();
        AMQP.Connection.Close close = ServerErrors.connectionClose(channel, () -> channel.basicRecover(false));
        assertEquals(AMQP.NOT_IMPLEMENTED, close.getReplyCode());
        assertEquals("NOT_IMPLEMENTED - requeue=false", close.getReplyText());
    }

    @Test
    void aNonZeroPrefetchSizeIs540(Amqp amqp) throws Exception
    {
        // connection.close 540 "NOT_IMPLEMENTED - prefetch_size!=0 (1)" (class 60, method 10 basic.qos)
        Channel channel = amqp.connect().createChannel();
        AMQP.Connection.Close close = ServerErrors.connectionClose(channel, () -> channel.basicQos(1, 0, false));
        assertEquals(AMQP.NOT_IMPLEMENTED, close.getReplyCode());
        assertEquals("NOT_IMPLEMENTED - prefetch_size!=0 (1)", close.getReplyText());
    }

    @Test
    void declaringAnExchangeOfAnUnknownTypeIs503(Amqp amqp) throws Exception
    {
        // connection.close 503 "COMMAND_INVALID - unknown exchange type 'x-no-such-type'" (class 40, method 10)
        String exchange = amqp.exchangeName("typeless");
        Channel channel = amqp.connect().createChannel();
        AMQP.Connection.Close close = ServerErrors.connectionClose(channel,
            () -> channel.exchangeDeclare(exchange, "x-no-such-type"));
        assertEquals(AMQP.COMMAND_INVALID, close.getReplyCode());
        assertEquals("COMMAND_INVALID - unknown exchange type 'x-no-such-type'", close.getReplyText());
    }

    @Test
    void theClientNegotiatesTheServersChannelMaxAndOpensNoMore(Amqp amqp) throws Exception
    {
        // RabbitMQ offers its channel_max in connection.tune; the Java client takes the smaller of
        // that and its own 2047, and createChannel() answers null once all are open.
        Connection connection = amqp.connect();
        int channelMax = connection.getChannelMax();
        assertTrue(channelMax > 0 && channelMax <= ConnectionFactory.DEFAULT_CHANNEL_MAX, "channel_max " + channelMax);
        List<Channel> opened = new ArrayList<>();
        for (int i = 0; i < channelMax; i++)
        {
            Channel channel = connection.createChannel();
            assertNotNull(channel, "channel " + (i + 1) + " of " + channelMax);
            opened.add(channel);
        }
        assertNull(connection.createChannel(), "no channel past channel_max");
        ServerErrors.assertUsableAfterClosing(opened.remove(0), connection);
    }

    @Test
    void openingMoreChannelsThanNegotiatedIs530(Amqp amqp) throws Exception
    {
        // connection.close 530 "NOT_ALLOWED - number of channels opened (64) has reached the negotiated
        // channel_max (64)", with class-id 0 and method-id 0 (not channel.open's 20/10), for the 65th
        // channel.open of a client whose own channel table allows one more than it negotiated.
        Connection connection = amqp.connect(new ChannelTableLargerThanNegotiated(amqp.factory(), 1));
        int channelMax = connection.getChannelMax() - 1;   // the client's table, less the extra one
        Channel first = connection.createChannel();
        for (int i = 1; i < channelMax; i++)
        {
            connection.createChannel();
        }
        ShutdownSignalException signal = assertInstanceOf(ShutdownSignalException.class,
            assertThrows(IOException.class, connection::createChannel).getCause());
        ServerErrors.printAnswer(signal);
        AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, signal.getReason());
        assertEquals(AMQP.NOT_ALLOWED, close.getReplyCode());
        assertEquals("NOT_ALLOWED - number of channels opened (" + channelMax + ") has reached the negotiated channel_max ("
                     + channelMax + ")", close.getReplyText());
        // amqp-client shuts its channels down on a thread of its own after the connection's close.
        Await.until(() -> !first.isOpen(), "the connection's channels to be closed with it");
    }

    @Test
    void aTuneOkAskingForMoreChannelsThanOfferedClosesTheSocketWithoutConnectionClose(Amqp amqp)
    {
        // Before connection.open RabbitMQ does not answer a handshake error with connection.close: it
        // logs "negotiated channel_max = 65 is higher than the maximum allowed value (64)", waits
        // 3 s (its silent-close delay against clients that retry at once) and closes the socket.
        Throwable thrown = assertThrows(IOException.class, () -> amqp.connect(new TuneOkAboveOffer(amqp.factory())));
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            if (t instanceof ShutdownSignalException signal)
            {
                assertNull(signal.getReason(), () -> "expected no connection.close, got " + signal.getReason());
            }
        }
    }

    /** The connection.close that made {@code connect} fail, from the exception's causes. */
    private static AMQP.Connection.Close refusal(Executable connect)
    {
        Throwable thrown = assertThrows(Exception.class, connect);
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            if (t instanceof ShutdownSignalException signal)
            {
                ServerErrors.printAnswer(signal);
                return assertInstanceOf(AMQP.Connection.Close.class, signal.getReason());
            }
        }
        throw new AssertionError("expected a connection.close from the server", thrown);
    }

    /**
     * A Java client whose channel table holds {@code extra} more channels than it negotiated, so
     * it sends a channel.open the server must refuse. It uses the client's extension points for
     * connection subclasses (ConnectionFactory.createConnection, AMQConnection.instantiateChannelManager).
     */
    private static final class ChannelTableLargerThanNegotiated extends ConnectionFactory
    {
        private final int extra;

        ChannelTableLargerThanNegotiated(ConnectionFactory settings, int extra)
        {
            this.extra = extra;
            copySettings(settings, this);
        }

        @Override
        protected AMQConnection createConnection(ConnectionParams params, FrameHandler frameHandler, MetricsCollector metrics)
        {
            return new AMQConnection(params, frameHandler, metrics, com.rabbitmq.client.observation.ObservationCollector.NO_OP)
            {
                @Override
                protected ChannelManager instantiateChannelManager(int channelMax, ThreadFactory threadFactory)
                {
                    return super.instantiateChannelManager(channelMax + extra, threadFactory);
                }
            };
        }
    }

    /** A Java client that answers connection.tune with one channel more than the server offered. */
    private static final class TuneOkAboveOffer extends ConnectionFactory
    {
        TuneOkAboveOffer(ConnectionFactory settings)
        {
            copySettings(settings, this);
        }

        @Override
        protected AMQConnection createConnection(ConnectionParams params, FrameHandler frameHandler, MetricsCollector metrics)
        {
            return new AMQConnection(params, frameHandler, metrics, com.rabbitmq.client.observation.ObservationCollector.NO_OP)
            {
                @Override
                protected int negotiateChannelMax(int requestedChannelMax, int serverMax)
                {
                    return serverMax + 1;
                }
            };
        }
    }

    private static void copySettings(ConnectionFactory from, ConnectionFactory to)
    {
        to.setHost(from.getHost());
        to.setPort(from.getPort());
        to.setVirtualHost(from.getVirtualHost());
        to.setUsername(from.getUsername());
        to.setPassword(from.getPassword());
        to.setAutomaticRecoveryEnabled(false);
        to.setConnectionTimeout(from.getConnectionTimeout());
        to.setHandshakeTimeout(from.getHandshakeTimeout());
        to.setShutdownTimeout(from.getShutdownTimeout());
        to.setChannelRpcTimeout(from.getChannelRpcTimeout());
    }
}
