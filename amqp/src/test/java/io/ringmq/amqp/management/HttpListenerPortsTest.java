package io.ringmq.amqp.management;

import io.ringmq.Broker;
import io.ringmq.amqp.AmqpServer;
import io.ringmq.amqp.AmqpServerOptions;
import io.ringmq.amqp.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Port 0 turns an HTTP listener off; a taken port fails the whole start and leaves no listener behind. */
@Timeout(30)
class HttpListenerPortsTest
{
    @Test
    void portZeroStartsNoHttpListenerAndAnEmbeddedServerStartsNoneUnlessAsked()
    {
        try (Broker broker = Broker.create())
        {
            try (AmqpServer server = AmqpServer.start(broker, AmqpServerOptions.builder().listen("127.0.0.1", 0)
                .management("127.0.0.1", 0).prometheus("127.0.0.1", 0).build()))
            {
                assertNotNull(server.address());
                assertNull(server.managementAddress());
                assertNull(server.prometheusAddress());
            }
            try (AmqpServer server = AmqpServer.start(broker, AmqpServerOptions.builder().listen("127.0.0.1", 0).build()))
            {
                assertNull(server.managementAddress(), "off unless asked: an application's 15672 stays its own");
                assertNull(server.prometheusAddress());
            }
        }
    }

    @Test
    void aTakenManagementPortFailsTheStartWithTheBindErrorAndFreesTheAmqpPort() throws IOException
    {
        final int amqpPort = FreePort.pick();
        try (Broker broker = Broker.create();
            ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> AmqpServer.start(broker,
                AmqpServerOptions.builder().listen("127.0.0.1", amqpPort).management("127.0.0.1", taken.getLocalPort())
                    .build()));
            assertInstanceOf(BindException.class, refused.getCause(), refused::toString);
            try (ServerSocket amqpAgain = new ServerSocket(amqpPort, 1, InetAddress.getLoopbackAddress()))
            {
                assertNotNull(amqpAgain, "the AMQP listener of the failed start was closed");
            }
        }
    }
}
