package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shutdown closes every connection as RabbitMQ does on a node stop: connection.close 320 CONNECTION_FORCED
 * "broker forced connection closure with reason 'shutdown'", which amqp-client reports as a hard-error
 * ShutdownSignalException the application did not initiate. Here {@link AmqpServer#close()} in an application;
 * SIGTERM to {@code bin/ringmq-server} in {@link RingmqServerSigtermTest}, which needs the packaged jar.
 */
@Timeout(60)
class ShutdownTest
{
    static final String SHUTDOWN_TEXT = "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'";
    static final long WAIT_SECONDS = 15;

    /** An amqp-client connection with a channel, whose shutdown signal the future gets. */
    static CompletableFuture<ShutdownSignalException> watched(final Connection connection) throws IOException
    {
        final CompletableFuture<ShutdownSignalException> signal = new CompletableFuture<>();
        connection.addShutdownListener(signal::complete);
        connection.createChannel().queueDeclare();
        return signal;
    }

    static void assertForcedByServer(final CompletableFuture<ShutdownSignalException> signal) throws Exception
    {
        final ShutdownSignalException shutdown = signal.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(shutdown.isHardError(), "a connection error");
        assertFalse(shutdown.isInitiatedByApplication(), "initiated by the server");
        final AMQP.Connection.Close close = assertInstanceOf(AMQP.Connection.Close.class, shutdown.getReason());
        assertEquals(AMQP.CONNECTION_FORCED, close.getReplyCode());
        assertEquals(SHUTDOWN_TEXT, close.getReplyText());
    }

    @Test
    void closingTheServerSends320ToEveryConnectionAndStopsListeningButLeavesTheBrokerOpen() throws Exception
    {
        final EmbeddedServer embedded = EmbeddedServer.start();
        try (RawAmqpClient raw = embedded.rawWithChannel();
             RawAmqpClient midHandshake = embedded.raw())
        {
            final CompletableFuture<ShutdownSignalException> first = watched(embedded.connect());
            final CompletableFuture<ShutdownSignalException> second = watched(embedded.connect());
            midHandshake.sendBytes(AmqpProtocol.protocolHeader()).nextMethod(); // connection.start, then nothing
            final InetSocketAddress address = embedded.address();

            embedded.server().close();

            assertForcedByServer(first);
            assertForcedByServer(second);
            raw.expectConnectionClose(ReplyCode.CONNECTION_FORCED, SHUTDOWN_TEXT, 0, 0);
            midHandshake.expectEnd(); // RabbitMQ tells a connection that is not yet running nothing
            assertEquals(0, embedded.server().connectionCount());
            assertThrows(IOException.class, () -> new Socket(address.getAddress(), address.getPort()).close(),
                "the listener still accepts connections after close()");
            assertTrue(embedded.broker().isOpen(), "close() leaves the application's broker open");
            embedded.server().close(); // idempotent
        }
        finally
        {
            embedded.close();
        }
    }
}
