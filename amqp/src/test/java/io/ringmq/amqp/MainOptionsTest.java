package io.ringmq.amqp;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** bin/ringmq-server's command line: RabbitMQ's ports by default, the HTTP ones movable or off, flags over the file. */
class MainOptionsTest
{
    @TempDir
    Path dir;

    @Test
    void theServerListensWhereRabbitMqAndItsManagementAndPrometheusPluginsDo()
    {
        final AmqpServerOptions options = Main.options(new String[0]);
        assertEquals("127.0.0.1", options.bindAddress());
        assertEquals(5672, options.port());
        assertEquals("127.0.0.1", options.managementBindAddress());
        assertEquals(15672, options.managementPort());
        assertEquals("127.0.0.1", options.prometheusBindAddress());
        assertEquals(15692, options.prometheusPort());
    }

    @Test
    void portFlagsMoveTheHttpListenersOrTurnThemOff()
    {
        final AmqpServerOptions free = Main.options(new String[] {"--management-port", "0", "--prometheus-port", "0"});
        assertEquals(0, free.managementPort());
        assertEquals(0, free.prometheusPort());

        final AmqpServerOptions off = Main.options(new String[] {"--management-port", "none", "--prometheus-port", "none"});
        assertNull(off.managementBindAddress());
        assertNull(off.prometheusBindAddress());
        assertEquals(5672, off.port(), "the AMQP listener is not touched");

        assertEquals("PRECONDITION_FAILED - --management-port web: expected a number",
            assertThrows(InvalidArgumentException.class,
                () -> Main.options(new String[] {"--management-port", "web"})).getMessage());
    }

    @Test
    void aFlagOverridesTheConfigurationFileAndKeepsItsAddress() throws IOException
    {
        final Path conf = Files.writeString(dir.resolve("rabbitmq.conf"),
            "management.tcp.ip = 127.0.0.2\nmanagement.tcp.port = 15000\nprometheus.tcp.port = none\n");
        final AmqpServerOptions options = Main.options(new String[] {"--config", conf.toString(), "--management-port", "0"});
        assertEquals("127.0.0.2", options.managementBindAddress());
        assertEquals(0, options.managementPort());
        assertNull(options.prometheusBindAddress(), "the file turned it off");
    }
}
