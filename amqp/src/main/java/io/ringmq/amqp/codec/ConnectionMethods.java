package io.ringmq.amqp.codec;

import java.util.Map;

/**
 * Flyweights of the connection-class methods a client sends, filled in place by {@link MethodReaders}.
 * Each instance is reused: its values are valid until the next method of the same kind is read.
 */
public final class ConnectionMethods
{
    private ConnectionMethods()
    {
    }

    /** connection.start-ok: client-properties, mechanism, response, locale. */
    public static final class StartOk
    {
        private Map<String, Object> clientProperties;
        private String mechanism;
        private byte[] response;
        private String locale;

        StartOk read(final WireReader in)
        {
            clientProperties = in.table("client-properties");
            mechanism = in.shortString("mechanism");
            response = in.longString("response");
            locale = in.shortString("locale");
            in.end();
            return this;
        }

        /** @return the client's properties (product, version, platform, capabilities table, connection_name...). */
        public Map<String, Object> clientProperties()
        {
            return clientProperties;
        }

        /** @return the SASL mechanism the client chose, e.g. PLAIN. */
        public String mechanism()
        {
            return mechanism;
        }

        /** @return the SASL response, copied (parse it with {@link Sasl}). */
        public byte[] response()
        {
            return response;
        }

        public String locale()
        {
            return locale;
        }
    }

    /** connection.secure-ok: response. */
    public static final class SecureOk
    {
        private byte[] response;

        SecureOk read(final WireReader in)
        {
            response = in.longString("response");
            in.end();
            return this;
        }

        /** @return the SASL response to the server's challenge, copied. */
        public byte[] response()
        {
            return response;
        }
    }

    /** connection.tune-ok: channel-max, frame-max, heartbeat. */
    public static final class TuneOk
    {
        private int channelMax;
        private long frameMax;
        private int heartbeat;

        TuneOk read(final WireReader in)
        {
            channelMax = in.unsignedShort("channel-max");
            frameMax = in.unsignedInt("frame-max");
            heartbeat = in.unsignedShort("heartbeat");
            in.end();
            return this;
        }

        /** @return the channel_max the client accepts, 0 meaning no limit. */
        public int channelMax()
        {
            return channelMax;
        }

        /** @return the frame_max the client accepts (a u32), 0 meaning no limit. */
        public long frameMax()
        {
            return frameMax;
        }

        /** @return the heartbeat interval in seconds the client wants, 0 for none. */
        public int heartbeat()
        {
            return heartbeat;
        }
    }

    /** connection.open: virtual-host, capabilities (reserved), insist (reserved). */
    public static final class Open
    {
        private String virtualHost;
        private String capabilities;
        private boolean insist;

        Open read(final WireReader in)
        {
            virtualHost = in.name("virtual-host");
            capabilities = in.shortString("capabilities");
            insist = WireReader.bit(in.bits("insist"), 0);
            in.end();
            return this;
        }

        public String virtualHost()
        {
            return virtualHost;
        }

        public String capabilities()
        {
            return capabilities;
        }

        public boolean insist()
        {
            return insist;
        }
    }

    /**
     * connection.close and channel.close, which share their fields: reply-code, reply-text, and the class and
     * method ids of the method that caused the close (0 when none).
     */
    public static final class Close
    {
        private int replyCode;
        private String replyText;
        private int failingClassId;
        private int failingMethodId;

        Close read(final WireReader in)
        {
            replyCode = in.unsignedShort("reply-code");
            replyText = in.shortString("reply-text");
            failingClassId = in.unsignedShort("class-id");
            failingMethodId = in.unsignedShort("method-id");
            in.end();
            return this;
        }

        public int replyCode()
        {
            return replyCode;
        }

        public String replyText()
        {
            return replyText;
        }

        /** @return the class-id field: the class of the method that caused the close, or 0. */
        public int failingClassId()
        {
            return failingClassId;
        }

        /** @return the method-id field: the method that caused the close, or 0. */
        public int failingMethodId()
        {
            return failingMethodId;
        }
    }

    /** connection.update-secret: new-secret, reason. */
    public static final class UpdateSecret
    {
        private byte[] newSecret;
        private String reason;

        UpdateSecret read(final WireReader in)
        {
            newSecret = in.longString("new-secret");
            reason = in.shortString("reason");
            in.end();
            return this;
        }

        /** @return the new secret (e.g. an OAuth 2 token), copied. */
        public byte[] newSecret()
        {
            return newSecret;
        }

        public String reason()
        {
            return reason;
        }
    }
}
