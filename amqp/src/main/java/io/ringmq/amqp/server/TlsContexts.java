package io.ringmq.amqp.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.ringmq.amqp.AmqpServerOptions;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Netty {@link SslContext}s from RabbitMQ-style {@code ssl_options}: PEM files, or a PKCS#12 / JKS key
 * store; with a CA file, client certificates are requested or required as {@code verify} and
 * {@code fail_if_no_peer_cert} say.
 */
public final class TlsContexts
{
    private TlsContexts()
    {
    }

    /** @throws IllegalStateException naming the file that could not be read. */
    public static SslContext server(final AmqpServerOptions.Tls tls)
    {
        try
        {
            final SslContextBuilder builder;
            if (tls.keyStore() != null)
            {
                final String type = tls.keyStore().toString().toLowerCase().endsWith(".jks") ? "JKS" : "PKCS12";
                final KeyStore store = KeyStore.getInstance(type);
                final char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
                try (InputStream in = Files.newInputStream(tls.keyStore()))
                {
                    store.load(in, password);
                }
                final KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
                builder = SslContextBuilder.forServer(keys);
            }
            else
            {
                builder = SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile(),
                    tls.privateKeyPassword());
            }
            if (tls.trustedCertificates() != null)
            {
                builder.trustManager(tls.trustedCertificates().toFile());
            }
            if (tls.verifyPeer())
            {
                builder.clientAuth(tls.failIfNoPeerCertificate() ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
            }
            return builder.build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalStateException("cannot set up TLS: " + ex.getMessage(), ex);
        }
        catch (final IOException | GeneralSecurityException ex)
        {
            throw new IllegalStateException("cannot read the TLS key store " + tls.keyStore() + ": " + ex.getMessage(), ex);
        }
    }
}
