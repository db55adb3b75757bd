package io.ringmq.amqp;

import io.ringmq.QueueSpec;
import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rabbitmq.conf as a RabbitMQ user writes it: the keys RingMQ supports take effect, the rest are named as ignored. */
class RabbitConfTest
{
    @TempDir
    Path dir;

    private AmqpServerOptions apply(final String... lines) throws IOException
    {
        return conf(lines).applyTo(AmqpServerOptions.builder()).build();
    }

    private RabbitConf conf(final String... lines) throws IOException
    {
        final Path file = dir.resolve("rabbitmq.conf");
        Files.write(file, List.of(lines));
        return RabbitConf.read(file);
    }

    @Test
    void anEmptyFileLeavesRabbitMqsDefaults() throws IOException
    {
        final AmqpServerOptions options = apply("# nothing but a comment", "");
        assertEquals("127.0.0.1", options.bindAddress());
        assertEquals(AmqpServerOptions.DEFAULT_PORT, options.port());
        assertNull(options.tls());
        assertEquals(Map.of("guest", "guest"), options.users());
        assertEquals(Set.of("guest"), options.loopbackUsers());
        assertEquals(AmqpServerOptions.DEFAULT_HEARTBEAT, options.heartbeat());
        assertEquals(AmqpServerOptions.DEFAULT_FRAME_MAX, options.frameMax());
        assertEquals(AmqpServerOptions.DEFAULT_CHANNEL_MAX, options.channelMax());
        assertEquals(AmqpServerOptions.DEFAULT_MAX_MESSAGE_SIZE, options.maxMessageSize());
        assertEquals(QueueSpec.DEFAULT_CAPACITY, options.queueCapacity());
        assertEquals(0, options.managementPort(), "an embedded server starts no HTTP listener unless asked");
        assertEquals(0, options.prometheusPort());
    }

    @Test
    void theManagementAndPrometheusKeysPlaceTheirHttpListeners() throws IOException
    {
        final RabbitConf conf = conf("management.tcp.port = 15673", "management.tcp.ip = 0.0.0.0",
            "prometheus.tcp.port = 15693");
        final AmqpServerOptions options = conf.applyTo(AmqpServerOptions.builder()).build();
        assertEquals("0.0.0.0", options.managementBindAddress());
        assertEquals(15673, options.managementPort());
        assertEquals("127.0.0.1", options.prometheusBindAddress(), "loopback unless prometheus.tcp.ip says otherwise");
        assertEquals(15693, options.prometheusPort());
        assertEquals(List.of(), conf.ignored());

        final AmqpServerOptions ipOnly = apply("prometheus.tcp.ip = 127.0.0.2");
        assertEquals("127.0.0.2", ipOnly.prometheusBindAddress());
        assertEquals(AmqpServerOptions.DEFAULT_PROMETHEUS_PORT, ipOnly.prometheusPort());
    }

    @Test
    void portZeroTurnsAnHttpListenerOff() throws IOException
    {
        final AmqpServerOptions options = conf("management.tcp.port = 0", "prometheus.tcp.port = 0").applyTo(
            AmqpServerOptions.builder().management("127.0.0.1", 15672).prometheus("127.0.0.1", 15692)).build();
        assertEquals(0, options.managementPort());
        assertEquals(0, options.prometheusPort());
        assertThrows(InvalidArgumentException.class, () -> apply("management.tcp.port = none"), "no word for off but 0");
    }

    @Test
    void aBarePortListensOnEveryInterfaceAndHostPortOnThatHost() throws IOException
    {
        final AmqpServerOptions everywhere = apply("listeners.tcp.default = 5673");
        assertEquals("0.0.0.0", everywhere.bindAddress());
        assertEquals(5673, everywhere.port());

        final AmqpServerOptions loopback = apply("listeners.tcp.local = 127.0.0.1:5674   # loopback only");
        assertEquals("127.0.0.1", loopback.bindAddress());
        assertEquals(5674, loopback.port());

        final AmqpServerOptions ipv6 = apply("listeners.tcp.default = [::1]:5675");
        assertEquals("::1", ipv6.bindAddress());
        assertEquals(5675, ipv6.port());
    }

    @Test
    void limitsAndTimersAreTheirKeys() throws IOException
    {
        final AmqpServerOptions options = apply(
            "heartbeat = 30",
            "frame_max = 8192",
            "channel_max = 16",
            "max_message_size = 1048576",
            "connection_max = 100",
            "ringmq.queue_capacity = 65536");
        assertEquals(30, options.heartbeat());
        assertEquals(8192, options.frameMax());
        assertEquals(16, options.channelMax());
        assertEquals(1_048_576, options.maxMessageSize());
        assertEquals(100, options.maxConnections());
        assertEquals(65_536, options.queueCapacity());
        assertEquals(Integer.MAX_VALUE, apply("connection_max = infinity").maxConnections());
    }

    @Test
    void theDefaultUserReplacesGuestAndIsNotLoopbackOnly() throws IOException
    {
        final AmqpServerOptions options = apply("default_user = app", "default_pass = s3cret");
        assertEquals(Map.of("app", "s3cret"), options.users());
        assertEquals(Set.of(), options.loopbackUsers());
    }

    @Test
    void loopbackUsersCanBeLiftedForOneUserOrForAll() throws IOException
    {
        assertEquals(Set.of(), apply("loopback_users.guest = false").loopbackUsers());
        assertEquals(Set.of(), apply("loopback_users = none").loopbackUsers());
        assertEquals(Set.of("guest"), apply("loopback_users.guest = true").loopbackUsers());
    }

    @Test
    void anSslListenerTakesItsCertificateAndKeyFromSslOptions() throws IOException
    {
        final AmqpServerOptions options = apply(
            "listeners.tcp = none",
            "listeners.ssl.default = 127.0.0.1:5671",
            "ssl_options.certfile = /etc/ringmq/cert.pem",
            "ssl_options.keyfile = /etc/ringmq/key.pem",
            "ssl_options.cacertfile = /etc/ringmq/ca.pem",
            "ssl_options.verify = verify_peer",
            "ssl_options.fail_if_no_peer_cert = true");
        assertNull(options.bindAddress(), "no plain listener");
        assertEquals("127.0.0.1", options.tlsBindAddress());
        assertEquals(5671, options.tlsPort());
        final AmqpServerOptions.Tls tls = options.tls();
        assertNotNull(tls);
        assertEquals(Path.of("/etc/ringmq/cert.pem"), tls.certificateChain());
        assertEquals(Path.of("/etc/ringmq/key.pem"), tls.privateKey());
        assertEquals(Path.of("/etc/ringmq/ca.pem"), tls.trustedCertificates());
        assertTrue(tls.verifyPeer());
        assertTrue(tls.failIfNoPeerCertificate());
    }

    @Test
    void keysRingMqDoesNotSupportAreNamedAsIgnored() throws IOException
    {
        final RabbitConf conf = conf("management.path_prefix = /rabbit", "log.console.level = debug", "heartbeat = 10",
            "ssl_options.certfile = /x.pem");
        final AmqpServerOptions options = conf.applyTo(AmqpServerOptions.builder()).build();
        assertEquals(10, options.heartbeat());
        assertEquals(List.of("management.path_prefix", "log.console.level", "ssl_options.* (no listeners.ssl)"),
            conf.ignored());
    }

    @Test
    void aMalformedLineOrValueIsAnErrorNamingIt() throws IOException
    {
        final InvalidArgumentException line = assertThrows(InvalidArgumentException.class,
            () -> conf("heartbeat = 10", "just some words"));
        assertTrue(line.getMessage().endsWith("rabbitmq.conf:2: expected 'key = value', got 'just some words'"),
            line.getMessage());

        // The engine's InvalidArgumentException: 406's name, then the words.
        assertEquals("PRECONDITION_FAILED - frame_max = lots: expected an integer",
            assertThrows(InvalidArgumentException.class, () -> apply("frame_max = lots")).getMessage());
        assertThrows(InvalidArgumentException.class, () -> apply("frame_max = 1024"), "below AMQP's 4096");
        assertThrows(InvalidArgumentException.class, () -> apply("channel_max = 70000"));
        assertThrows(InvalidArgumentException.class, () -> apply("listeners.tcp = everywhere"));
        assertThrows(InvalidArgumentException.class, () -> apply("listeners.tcp.default = localhost"));
        assertThrows(InvalidArgumentException.class, () -> apply("loopback_users.guest = maybe"));
        assertEquals("PRECONDITION_FAILED - management.tcp.port = http: expected an integer",
            assertThrows(InvalidArgumentException.class, () -> apply("management.tcp.port = http")).getMessage());
        assertThrows(InvalidArgumentException.class, () -> apply("prometheus.tcp.port = 70000"));
        assertEquals("PRECONDITION_FAILED - queue capacity must be a power of two from 2 to " + QueueSpec.MAX_CAPACITY
                     + ", was 1000",
            assertThrows(InvalidArgumentException.class, () -> apply("ringmq.queue_capacity = 1000")).getMessage());
        assertThrows(InvalidArgumentException.class,
            () -> apply("listeners.ssl.default = 5671", "ssl_options.certfile = /c.pem"), "no keyfile");
        assertThrows(InvalidArgumentException.class,
            () -> apply("listeners.ssl.default = 5671", "ssl_options.certfile = /c.pem", "ssl_options.keyfile = /k.pem",
                "ssl_options.verify = verify_peer"), "verify_peer without a CA file");
    }
}
