package io.ringmq.bench.network;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded Qpid as the network stage runs it: it accepts PerfTest's login (PLAIN, guest/guest, virtual host
 * "/", on a plain TCP port), routes through the default exchange, and its port is closed once it is closed.
 * Loopback only, one ephemeral port, one message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class QpidBrokerTest
{
    @TempDir
    Path workDir;

    @Test
    void acceptsPlainGuestLoginOnLoopbackAndRoundTripsAMessageThenReleasesItsPort() throws Exception
    {
        final int port;
        try (QpidBroker broker = QpidBroker.start(0, "127.0.0.1", workDir))
        {
            port = broker.port();
            assertTrue(port > 0, "bound to an ephemeral port");
            assertTrue(broker.version().startsWith("10."), broker.version());

            final ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(port);
            factory.setUsername("guest");
            factory.setPassword("guest");
            factory.setVirtualHost("/");
            factory.setConnectionTimeout(10_000);
            try (Connection connection = factory.newConnection("qpid-broker-test");
                 Channel channel = connection.createChannel())
            {
                final String queue = channel.queueDeclare().getQueue();
                channel.basicPublish("", queue, null, "hello".getBytes(UTF_8));
                GetResponse response = null;
                for (int i = 0; i < 100 && response == null; i++)
                {
                    response = channel.basicGet(queue, true);
                    if (response == null)
                    {
                        Thread.sleep(20);
                    }
                }
                assertNotNull(response, "the message came back through the default exchange");
                assertArrayEquals("hello".getBytes(UTF_8), response.getBody());
                assertEquals(0, channel.messageCount(queue));
            }
        }
        assertThrows(ConnectException.class, () -> connect(port), "the port is closed with the broker");
    }

    @Test
    void refusesAWrongPassword() throws Exception
    {
        try (QpidBroker broker = QpidBroker.start(0, "127.0.0.1", workDir))
        {
            final ConnectionFactory factory = new ConnectionFactory();
            factory.setHost("127.0.0.1");
            factory.setPort(broker.port());
            factory.setUsername("guest");
            factory.setPassword("not-guest");
            factory.setConnectionTimeout(10_000);
            assertThrows(IOException.class, factory::newConnection);
        }
    }

    private static void connect(final int port) throws IOException
    {
        try (Socket socket = new Socket())
        {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        }
    }
}
