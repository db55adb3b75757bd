package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AMQP over TLS (amqps) with a self-signed certificate the test makes with the JDK alone ({@code keytool} into a
 * PKCS#12 key store, and the same key and certificate written out as PEM): the server is started with either,
 * amqp-client trusts exactly that certificate, checks the host name against it, and publishes and consumes over
 * TLS. A client that does not trust it is refused in the TLS handshake, and the server goes on.
 */
@Timeout(60)
class TlsTest
{
    private static final String PASSWORD = "ringmq-test";

    @TempDir
    static Path directory;

    private static Path keyStore;
    private static Path certificatePem;
    private static Path privateKeyPem;
    private static SSLContext trustingClient;

    @BeforeAll
    static void makeCertificate() throws Exception
    {
        keyStore = directory.resolve("server.p12");
        final Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        final Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "ringmq",
            "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
            "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
            "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
            .redirectErrorStream(true)
            .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), () -> "keytool failed: " + output);

        final KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore))
        {
            store.load(in, PASSWORD.toCharArray());
        }
        final Certificate certificate = store.getCertificate("ringmq");
        final Key key = store.getKey("ringmq", PASSWORD.toCharArray());
        assertEquals("PKCS#8", key.getFormat());
        certificatePem = directory.resolve("server-cert.pem");
        privateKeyPem = directory.resolve("server-key.pem");
        Files.writeString(certificatePem, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(privateKeyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);

        final KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ringmq", certificate);
        final TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        trustingClient = SSLContext.getInstance("TLS");
        trustingClient.init(null, trust.getTrustManagers(), null);
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" +
            Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }

    private static EmbeddedServer serverWith(final AmqpServerOptions.Tls tls)
    {
        return EmbeddedServer.start(options -> options.listenTls("127.0.0.1", 0, tls));
    }

    private static ConnectionFactory tlsFactory(final EmbeddedServer server, final SSLContext context)
    {
        final ConnectionFactory factory = server.factory();
        factory.setPort(server.server().tlsAddress().getPort());
        factory.useSslProtocol(context);
        factory.enableHostnameVerification();
        return factory;
    }

    /** Publishes over TLS and gets the message back through a consumer on the same connection. */
    private static void assertRoundTripOverTls(final EmbeddedServer server) throws Exception
    {
        try (Connection connection = tlsFactory(server, trustingClient).newConnection())
        {
            final Channel channel = connection.createChannel();
            final String queue = channel.queueDeclare().getQueue();
            final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
            channel.basicConsume(queue, true, new DefaultConsumer(channel)
            {
                @Override
                public void handleDelivery(final String tag, final Envelope envelope, final AMQP.BasicProperties props,
                    final byte[] body)
                {
                    received.add(body);
                }
            });
            final byte[] body = new byte[200_000]; // several frames, several TLS records
            for (int i = 0; i < body.length; i++)
            {
                body[i] = (byte)(i * 31);
            }
            channel.basicPublish("", queue, null, body);
            final byte[] got = received.poll(RawAmqpClient.ANSWER_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(got, "no delivery over TLS");
            assertArrayEquals(body, got);
        }
    }

    @Test
    void aClientTrustingTheSelfSignedCertificatePublishesAndConsumesOverTlsWithAKeyStore() throws Exception
    {
        try (EmbeddedServer server = serverWith(AmqpServerOptions.Tls.keyStore(keyStore, PASSWORD)))
        {
            assertRoundTripOverTls(server);
            server.assertUnaffected(); // the plain listener beside it
        }
    }

    @Test
    void aClientTrustingTheSelfSignedCertificatePublishesAndConsumesOverTlsWithPemFiles() throws Exception
    {
        try (EmbeddedServer server = serverWith(AmqpServerOptions.Tls.pem(certificatePem, privateKeyPem, null)))
        {
            assertRoundTripOverTls(server);
            server.assertUnaffected();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsRefusedInTheHandshakeAndTheServerGoesOn() throws Exception
    {
        try (EmbeddedServer server = serverWith(AmqpServerOptions.Tls.keyStore(keyStore, PASSWORD)))
        {
            final SSLContext jdkTrustOnly = SSLContext.getInstance("TLS");
            jdkTrustOnly.init(null, null, null);
            final ConnectionFactory untrusting = tlsFactory(server, jdkTrustOnly);
            final Exception refused = assertThrows(Exception.class, untrusting::newConnection);
            assertTrue(causedBy(refused, SSLHandshakeException.class), () -> "expected a TLS handshake failure: " + refused);
            assertRoundTripOverTls(server);
            server.assertUnaffected();
        }
    }

    private static boolean causedBy(final Throwable thrown, final Class<? extends Throwable> type)
    {
        for (Throwable t = thrown; t != null; t = t.getCause())
        {
            if (type.isInstance(t))
            {
                return true;
            }
        }
        return false;
    }
}
