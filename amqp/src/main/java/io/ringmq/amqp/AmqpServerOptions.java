package io.ringmq.amqp;

import io.ringmq.QueueSpec;

import io.ringmq.error.InvalidArgumentException;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings of an {@link AmqpServer}, with RabbitMQ's defaults and names: each setter names the
 * {@code rabbitmq.conf} key it corresponds to, and {@link RabbitConf} reads those keys from a file.
 * Immutable; build with {@link #builder()}.
 */
public final class AmqpServerOptions
{
    /** RabbitMQ's AMQP port. */
    public static final int DEFAULT_PORT = 5672;
    /** RabbitMQ's AMQP-over-TLS port. */
    public static final int DEFAULT_TLS_PORT = 5671;
    /** RabbitMQ's default {@code frame_max}: 128 KiB. */
    public static final int DEFAULT_FRAME_MAX = 131_072;
    /** RabbitMQ's default {@code channel_max}. */
    public static final int DEFAULT_CHANNEL_MAX = 2047;
    /** RabbitMQ's default {@code heartbeat}, in seconds. */
    public static final int DEFAULT_HEARTBEAT = 60;
    /** RabbitMQ's default {@code max_message_size}: 128 MiB. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 134_217_728;
    /** The largest {@code max_message_size} RabbitMQ accepts: 512 MiB. */
    public static final int MAX_MESSAGE_SIZE_LIMIT = 536_870_912;

    private final String bindAddress;
    private final int port;
    private final String tlsBindAddress;
    private final int tlsPort;
    private final Tls tls;
    private final Map<String, String> users;
    private final Set<String> loopbackUsers;
    private final int heartbeat;
    private final int frameMax;
    private final int channelMax;
    private final int maxMessageSize;
    private final int maxConnections;
    private final int queueCapacity;
    private final int ioThreads;

    private AmqpServerOptions(final Builder b)
    {
        bindAddress = b.bindAddress;
        port = b.port;
        tlsBindAddress = b.tlsBindAddress;
        tlsPort = b.tlsPort;
        tls = b.tls;
        users = Collections.unmodifiableMap(new LinkedHashMap<>(b.users));
        loopbackUsers = Collections.unmodifiableSet(new LinkedHashSet<>(b.loopbackUsers));
        heartbeat = b.heartbeat;
        frameMax = b.frameMax;
        channelMax = b.channelMax;
        maxMessageSize = b.maxMessageSize;
        maxConnections = b.maxConnections;
        queueCapacity = b.queueCapacity;
        ioThreads = b.ioThreads;
    }

    /** @return a builder with RabbitMQ's defaults: 127.0.0.1:5672, no TLS, guest/guest from loopback only. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return the address the plain listener binds, or null when it is off. */
    public String bindAddress()
    {
        return bindAddress;
    }

    /** @return the plain listener's port (0: any free port). */
    public int port()
    {
        return port;
    }

    /** @return the address the TLS listener binds, or null when it is off. */
    public String tlsBindAddress()
    {
        return tlsBindAddress;
    }

    /** @return the port the TLS listener binds (0: any free port), meaningful only when {@link #tls()} is set. */
    public int tlsPort()
    {
        return tlsPort;
    }

    /** @return the TLS settings, or null without TLS. */
    public Tls tls()
    {
        return tls;
    }

    /** @return user name → password. */
    public Map<String, String> users()
    {
        return users;
    }

    /** @return users who may connect from loopback addresses only ({@code loopback_users}). */
    public Set<String> loopbackUsers()
    {
        return loopbackUsers;
    }

    /** @return the heartbeat the server proposes, in seconds (0: none). */
    public int heartbeat()
    {
        return heartbeat;
    }

    /** @return the largest frame the server accepts and proposes at tune time, in octets ({@code frame_max}). */
    public int frameMax()
    {
        return frameMax;
    }

    /** @return the most channels one connection may open, proposed at tune time ({@code channel_max}). */
    public int channelMax()
    {
        return channelMax;
    }

    /**
     * @return the largest message body a publish may carry, in octets ({@code max_message_size}); a larger
     *         one closes its channel with 406 PRECONDITION_FAILED, as RabbitMQ does.
     */
    public int maxMessageSize()
    {
        return maxMessageSize;
    }

    /** @return the most connections open at once. */
    public int maxConnections()
    {
        return maxConnections;
    }

    /**
     * @return the ring capacity of a queue a client declares without {@code x-ringmq-capacity}. RabbitMQ's
     * queues grow until its memory alarm blocks every publisher; a RingMQ queue is a ring, and a full one
     * holds its publishers back (their connections get connection.blocked), so this is the backlog a
     * queue can take before that happens.
     */
    public int queueCapacity()
    {
        return queueCapacity;
    }

    /** @return event-loop threads serving connections. */
    public int ioThreads()
    {
        return ioThreads;
    }

    /**
     * TLS settings, as RabbitMQ's {@code ssl_options}: a PEM certificate chain and private key, or a
     * PKCS#12 / JKS key store; optionally a CA file to verify client certificates against.
     */
    public static final class Tls
    {
        private final Path certificateChain;
        private final Path privateKey;
        private final String privateKeyPassword;
        private final Path keyStore;
        private final String keyStorePassword;
        private final Path trustedCertificates;
        private final boolean verifyPeer;
        private final boolean failIfNoPeerCertificate;

        private Tls(final Path certificateChain, final Path privateKey, final String privateKeyPassword, final Path keyStore,
            final String keyStorePassword, final Path trustedCertificates, final boolean verifyPeer,
            final boolean failIfNoPeerCertificate)
        {
            this.certificateChain = certificateChain;
            this.privateKey = privateKey;
            this.privateKeyPassword = privateKeyPassword;
            this.keyStore = keyStore;
            this.keyStorePassword = keyStorePassword;
            this.trustedCertificates = trustedCertificates;
            this.verifyPeer = verifyPeer;
            this.failIfNoPeerCertificate = failIfNoPeerCertificate;
        }

        /**
         * {@code ssl_options.certfile} and {@code ssl_options.keyfile} (PEM; PKCS#8 key, optionally
         * {@code ssl_options.password}).
         *
         * @param certificateChain the PEM file of the server's certificate, then its intermediates.
         * @param privateKey       the PEM file of the server's PKCS#8 private key.
         * @param privateKeyPassword the key's password, or null for an unencrypted key.
         * @return TLS settings without client certificate verification.
         */
        public static Tls pem(final Path certificateChain, final Path privateKey, final String privateKeyPassword)
        {
            return new Tls(Objects.requireNonNull(certificateChain, "certificateChain"), Objects.requireNonNull(privateKey,
                "privateKey"), privateKeyPassword, null, null, null, false, false);
        }

        /**
         * A PKCS#12 or JKS key store holding the server's key and certificate chain.
         *
         * @param keyStore the key store file.
         * @param password the store's (and its key's) password, or null for none.
         * @return TLS settings without client certificate verification.
         */
        public static Tls keyStore(final Path keyStore, final String password)
        {
            return new Tls(null, null, null, Objects.requireNonNull(keyStore, "keyStore"), password, null, false, false);
        }

        /**
         * {@code ssl_options.cacertfile}, {@code ssl_options.verify = verify_peer} and
         * {@code ssl_options.fail_if_no_peer_cert}: client certificates are checked against these CAs.
         *
         * @param trustedCertificates     the PEM file of the CA certificates client certificates must chain to.
         * @param verifyPeer              true to ask clients for a certificate and verify the one sent.
         * @param failIfNoPeerCertificate true to refuse a client that sends none (with {@code verifyPeer}).
         * @return these settings with peer verification; this object is unchanged.
         */
        public Tls withPeerVerification(final Path trustedCertificates, final boolean verifyPeer,
            final boolean failIfNoPeerCertificate)
        {
            return new Tls(certificateChain, privateKey, privateKeyPassword, keyStore, keyStorePassword, trustedCertificates,
                verifyPeer, failIfNoPeerCertificate);
        }

        /** @return the PEM certificate chain file, or null when a key store is used. */
        public Path certificateChain()
        {
            return certificateChain;
        }

        /** @return the PEM private key file, or null when a key store is used. */
        public Path privateKey()
        {
            return privateKey;
        }

        /** @return the PEM private key's password, or null for none. */
        public String privateKeyPassword()
        {
            return privateKeyPassword;
        }

        /** @return the PKCS#12 or JKS key store file, or null when PEM files are used. */
        public Path keyStore()
        {
            return keyStore;
        }

        /** @return the key store's password, or null for none. */
        public String keyStorePassword()
        {
            return keyStorePassword;
        }

        /** @return the PEM file of CAs that client certificates are verified against, or null for none. */
        public Path trustedCertificates()
        {
            return trustedCertificates;
        }

        /** @return whether clients are asked for a certificate, which is then verified. */
        public boolean verifyPeer()
        {
            return verifyPeer;
        }

        /** @return whether a client that sends no certificate is refused. */
        public boolean failIfNoPeerCertificate()
        {
            return failIfNoPeerCertificate;
        }
    }

    /** Mutable builder of {@link AmqpServerOptions}; not thread-safe. */
    public static final class Builder
    {
        private String bindAddress = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private String tlsBindAddress;
        private int tlsPort = DEFAULT_TLS_PORT;
        private Tls tls;
        private final Map<String, String> users = new LinkedHashMap<>(Map.of("guest", "guest"));
        private final Set<String> loopbackUsers = new LinkedHashSet<>(Set.of("guest"));
        private int heartbeat = DEFAULT_HEARTBEAT;
        private int frameMax = DEFAULT_FRAME_MAX;
        private int channelMax = DEFAULT_CHANNEL_MAX;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxConnections = Integer.MAX_VALUE;
        private int queueCapacity = QueueSpec.DEFAULT_CAPACITY;
        private int ioThreads = Runtime.getRuntime().availableProcessors();

        private Builder()
        {
        }

        /**
         * {@code listeners.tcp.*}: the plain listener's address and port.
         *
         * @param address the address to bind (default 127.0.0.1; 0.0.0.0 for every interface).
         * @param port    the port (default 5672; 0: any free port, see {@link AmqpServer#address()}).
         * @return this builder.
         */
        public Builder listen(final String address, final int port)
        {
            this.bindAddress = Objects.requireNonNull(address, "address");
            this.port = checkPort(port);
            return this;
        }

        /**
         * {@code listeners.tcp = none}: no plain listener (TLS only).
         *
         * @return this builder.
         */
        public Builder noPlainListener()
        {
            this.bindAddress = null;
            return this;
        }

        /**
         * {@code listeners.ssl.*} with {@code ssl_options.*}: a TLS listener, besides the plain one unless
         * {@link #noPlainListener()}.
         *
         * @param address the address to bind.
         * @param port    the port (0: any free port).
         * @param tls     the server's key and certificates.
         * @return this builder.
         */
        public Builder listenTls(final String address, final int port, final Tls tls)
        {
            this.tlsBindAddress = Objects.requireNonNull(address, "address");
            this.tlsPort = checkPort(port);
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * {@code default_user} / {@code default_pass}, or one more user (PLAIN and AMQPLAIN authentication).
         *
         * @param name     the user name; an existing user's password is replaced.
         * @param password the password.
         * @return this builder.
         */
        public Builder user(final String name, final String password)
        {
            users.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Removes a user (the default {@code guest} too).
         *
         * @param name the user name.
         * @return this builder.
         */
        public Builder withoutUser(final String name)
        {
            users.remove(name);
            loopbackUsers.remove(name);
            return this;
        }

        /**
         * {@code loopback_users.NAME = true|false}.
         *
         * @param name         the user name.
         * @param loopbackOnly true: the user may connect from loopback addresses only (as {@code guest} by default).
         * @return this builder.
         */
        public Builder loopbackOnly(final String name, final boolean loopbackOnly)
        {
            if (loopbackOnly)
            {
                loopbackUsers.add(name);
            }
            else
            {
                loopbackUsers.remove(name);
            }
            return this;
        }

        /**
         * {@code loopback_users = none}: every user may connect from anywhere.
         *
         * @return this builder.
         */
        public Builder noLoopbackUsers()
        {
            loopbackUsers.clear();
            return this;
        }

        /**
         * {@code heartbeat}: the heartbeat interval the server proposes at tune time.
         *
         * @param seconds 0 to 65535; 0 proposes none.
         * @return this builder.
         */
        public Builder heartbeat(final int seconds)
        {
            this.heartbeat = range("heartbeat", seconds, 0, 65_535);
            return this;
        }

        /**
         * {@code frame_max}: the largest frame, proposed at tune time.
         *
         * @param frameMax 4096 to 2^31-1 octets (RabbitMQ refuses 0, unlimited, at tune time as well).
         * @return this builder.
         */
        public Builder frameMax(final int frameMax)
        {
            this.frameMax = range("frame_max", frameMax, 4096, Integer.MAX_VALUE);
            return this;
        }

        /**
         * {@code channel_max}: the most channels per connection, proposed at tune time.
         *
         * @param channelMax 1 to 65535.
         * @return this builder.
         */
        public Builder channelMax(final int channelMax)
        {
            this.channelMax = range("channel_max", channelMax, 1, 65_535);
            return this;
        }

        /**
         * {@code max_message_size}: the largest message body a publish may carry.
         *
         * @param octets 1 octet to 512 MiB.
         * @return this builder.
         */
        public Builder maxMessageSize(final int octets)
        {
            this.maxMessageSize = range("max_message_size", octets, 1, MAX_MESSAGE_SIZE_LIMIT);
            return this;
        }

        /**
         * The most connections open at once (RabbitMQ's per-node {@code connection_max}); one more is
         * refused.
         *
         * @param connections 0 or more.
         * @return this builder.
         */
        public Builder maxConnections(final int connections)
        {
            this.maxConnections = range("connection_max", connections, 0, Integer.MAX_VALUE);
            return this;
        }

        /**
         * {@code ringmq.queue_capacity}: the ring capacity of queues clients declare without
         * {@code x-ringmq-capacity}, a power of two from 2 to {@link QueueSpec#MAX_CAPACITY} (default
         * {@link QueueSpec#DEFAULT_CAPACITY}); see {@link AmqpServerOptions#queueCapacity()}.
         *
         * @param slots the messages such a queue holds before it holds its publishers back.
         * @return this builder.
         */
        public Builder queueCapacity(final int slots)
        {
            QueueSpec.builder("").capacity(slots); // the engine's own check and words
            this.queueCapacity = slots;
            return this;
        }

        /**
         * Event-loop threads, which serve every connection's reads and writes.
         *
         * @param threads 1 to 1024 (default: the available processors).
         * @return this builder.
         */
        public Builder ioThreads(final int threads)
        {
            this.ioThreads = range("io threads", threads, 1, 1024);
            return this;
        }

        /**
         * @return the options, immutable.
         * @throws io.ringmq.error.InvalidArgumentException when neither a plain nor a TLS listener is set.
         */
        public AmqpServerOptions build()
        {
            if (bindAddress == null && tls == null)
            {
                throw new InvalidArgumentException("no listener: neither listeners.tcp nor listeners.ssl is set");
            }
            return new AmqpServerOptions(this);
        }

        private static int checkPort(final int port)
        {
            return range("port", port, 0, 65_535);
        }

        private static int range(final String what, final int value, final int min, final int max)
        {
            if (value < min || value > max)
            {
                throw new InvalidArgumentException(what + " must be " + min + " to " + max + ", was " + value);
            }
            return value;
        }
    }
}
