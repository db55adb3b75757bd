package io.ringmq.amqp;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        final AmqpServerOptions moved = Main.options(new String[] {"--management-port", "25672", "--prometheus-port", "25692"});
        assertEquals(25672, moved.managementPort());
        assertEquals(25692, moved.prometheusPort());
        assertEquals("127.0.0.1", moved.managementBindAddress());

        final AmqpServerOptions off = Main.options(new String[] {"--management-port", "0", "--prometheus-port", "0"});
        assertEquals(0, off.managementPort(), "0 turns a listener off, as the issue and rabbitmq.conf's keys say");
        assertEquals(0, off.prometheusPort());
        assertEquals(5672, off.port(), "the AMQP listener is not touched");

        assertEquals("PRECONDITION_FAILED - --management-port none: expected a number",
            assertThrows(InvalidArgumentException.class,
                () -> Main.options(new String[] {"--management-port", "none"})).getMessage());
    }

    @Test
    void aFlagOverridesTheConfigurationFileAndKeepsItsAddress() throws IOException
    {
        final Path conf = Files.writeString(dir.resolve("rabbitmq.conf"),
            "management.tcp.ip = 127.0.0.2\nmanagement.tcp.port = 15000\nprometheus.tcp.port = 0\n");
        final AmqpServerOptions options = Main.options(new String[] {"--management-port", "15001", "--config", conf.toString()});
        assertEquals("127.0.0.2", options.managementBindAddress());
        assertEquals(15001, options.managementPort());
        assertEquals(0, options.prometheusPort(), "the file turned it off");
    }
}
