package io.ringmq;

import io.ringmq.error.InvalidArgumentException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The AMQP basic properties of a message: immutable, so one instance may be shared by every
 * message that carries the same properties (publishing then allocates nothing for them).
 * <p>
 * {@link #EMPTY} has no property set. Build others with {@link #builder()}.
 */
public final class MessageProperties
{
    /** No property set; no headers. */
    public static final MessageProperties EMPTY = new Builder().build();

    /** AMQP delivery mode 1: the message is not meant to survive a restart (RingMQ is in memory either way). */
    public static final int NON_PERSISTENT = 1;
    /** AMQP delivery mode 2: recorded for fidelity; RingMQ keeps every message in memory only. */
    public static final int PERSISTENT = 2;

    private final String contentType;
    private final String contentEncoding;
    private final Map<String, Object> headers;
    private final int deliveryMode;
    private final int priority;
    private final String correlationId;
    private final String replyTo;
    private final String expiration;
    private final String messageId;
    private final long timestamp;
    private final String type;
    private final String userId;
    private final String appId;
    private final String clusterId;
    /** {@link #expiration} parsed once, in nanoseconds; -1 when not set. Read on the delivery path. */
    private final long expirationNanos;

    private MessageProperties(final Builder b)
    {
        contentType = b.contentType;
        contentEncoding = b.contentEncoding;
        headers = b.headers == null || b.headers.isEmpty() ?
            Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        deliveryMode = b.deliveryMode;
        priority = b.priority;
        correlationId = b.correlationId;
        replyTo = b.replyTo;
        expiration = b.expiration;
        messageId = b.messageId;
        timestamp = b.timestamp;
        type = b.type;
        userId = b.userId;
        appId = b.appId;
        clusterId = b.clusterId;
        expirationNanos = expiration == null ? -1 : toNanos(Long.parseLong(expiration));
    }

    private static long toNanos(final long millis)
    {
        // Beyond ~292 years in nanoseconds: treat as "practically never" rather than overflow.
        return millis > Long.MAX_VALUE / 2_000_000 ? Long.MAX_VALUE / 2 : millis * 1_000_000;
    }

    /** @return a builder with nothing set. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a builder holding these properties, to derive a variant. */
    public Builder toBuilder()
    {
        final Builder b = new Builder();
        b.contentType = contentType;
        b.contentEncoding = contentEncoding;
        b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
        b.deliveryMode = deliveryMode;
        b.priority = priority;
        b.correlationId = correlationId;
        b.replyTo = replyTo;
        b.expiration = expiration;
        b.messageId = messageId;
        b.timestamp = timestamp;
        b.type = type;
        b.userId = userId;
        b.appId = appId;
        b.clusterId = clusterId;
        return b;
    }

    /** @return the MIME content type, or null. */
    public String contentType()
    {
        return contentType;
    }

    /** @return the content encoding, or null. */
    public String contentEncoding()
    {
        return contentEncoding;
    }

    /** @return the application headers (unmodifiable, never null); routed on by headers exchanges. */
    public Map<String, Object> headers()
    {
        return headers;
    }

    /** @return 1 (non-persistent), 2 (persistent) or 0 when not set. */
    public int deliveryMode()
    {
        return deliveryMode;
    }

    /** @return the priority 0..255, or -1 when not set. */
    public int priority()
    {
        return priority;
    }

    /** @return the correlation id, or null. */
    public String correlationId()
    {
        return correlationId;
    }

    /** @return the reply-to address, or null. */
    public String replyTo()
    {
        return replyTo;
    }

    /**
     * @return the per-message TTL in milliseconds as AMQP spells it (a decimal string), or null.
     * <p>
     * As in RabbitMQ, every queue honours it, counting from when the message was published: an expired
     * message is never delivered. It is dropped (or, from a queue with a dead-letter exchange,
     * dead-lettered with reason {@code expired}) when it reaches the head of a queue — checked by each get
     * and consumer poll — so a message with a long TTL at the head keeps expired ones behind it until it
     * goes. Queues with policies are also swept by the broker, so they shed expired heads without
     * consumers; a plain queue sheds them when next polled or purged. With {@code x-message-ttl} too,
     * the lower of the two applies. A dead-lettered message loses its expiration (kept in its
     * {@code x-death} entry as {@code original-expiration}) so it does not expire again.
     */
    public String expiration()
    {
        return expiration;
    }

    /** @return {@link #expiration()} in nanoseconds, or -1 when not set (parsed once, when built). */
    long expirationNanos()
    {
        return expirationNanos;
    }

    /** @return the message id, or null. */
    public String messageId()
    {
        return messageId;
    }

    /** @return the timestamp in milliseconds since the epoch, or 0 when not set. */
    public long timestamp()
    {
        return timestamp;
    }

    /** @return the message type name, or null. */
    public String type()
    {
        return type;
    }

    /** @return the user id, or null. */
    public String userId()
    {
        return userId;
    }

    /** @return the application id, or null. */
    public String appId()
    {
        return appId;
    }

    /**
     * @return the cluster id, or null. AMQP 0-9-1 deprecates this property, but RabbitMQ still carries
     *     it unchanged from publisher to consumer, so RingMQ keeps it for the same round trip.
     */
    public String clusterId()
    {
        return clusterId;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof MessageProperties))
        {
            return false;
        }
        final MessageProperties that = (MessageProperties)o;
        return deliveryMode == that.deliveryMode && priority == that.priority && timestamp == that.timestamp &&
            Objects.equals(contentType, that.contentType) && Objects.equals(contentEncoding, that.contentEncoding) &&
            headers.equals(that.headers) && Objects.equals(correlationId, that.correlationId) &&
            Objects.equals(replyTo, that.replyTo) && Objects.equals(expiration, that.expiration) &&
            Objects.equals(messageId, that.messageId) && Objects.equals(type, that.type) &&
            Objects.equals(userId, that.userId) && Objects.equals(appId, that.appId) &&
            Objects.equals(clusterId, that.clusterId);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(contentType, headers, priority, correlationId, messageId, timestamp, clusterId);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("MessageProperties{");
        append(sb, "contentType", contentType);
        append(sb, "contentEncoding", contentEncoding);
        if (!headers.isEmpty())
        {
            append(sb, "headers", headers);
        }
        append(sb, "deliveryMode", deliveryMode == 0 ? null : deliveryMode);
        append(sb, "priority", priority < 0 ? null : priority);
        append(sb, "correlationId", correlationId);
        append(sb, "replyTo", replyTo);
        append(sb, "expiration", expiration);
        append(sb, "messageId", messageId);
        append(sb, "timestamp", timestamp == 0 ? null : timestamp);
        append(sb, "type", type);
        append(sb, "userId", userId);
        append(sb, "appId", appId);
        append(sb, "clusterId", clusterId);
        if (sb.charAt(sb.length() - 1) == ' ')
        {
            sb.setLength(sb.length() - 2);
        }
        return sb.append('}').toString();
    }

    private static void append(final StringBuilder sb, final String name, final Object value)
    {
        if (value != null)
        {
            sb.append(name).append('=').append(value).append(", ");
        }
    }

    /** Mutable builder of {@link MessageProperties}; not thread-safe. */
    public static final class Builder
    {
        private String contentType;
        private String contentEncoding;
        private Map<String, Object> headers;
        private int deliveryMode;
        private int priority = -1;
        private String correlationId;
        private String replyTo;
        private String expiration;
        private String messageId;
        private long timestamp;
        private String type;
        private String userId;
        private String appId;
        private String clusterId;

        private Builder()
        {
        }

        /**
         * Sets the {@code content-type} property: the body's MIME type, such as {@code application/json}.
         *
         * @param contentType the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder contentType(final String contentType)
        {
            this.contentType = contentType;
            return this;
        }

        /**
         * Sets the {@code content-encoding} property: how the body is encoded, such as {@code gzip}.
         *
         * @param contentEncoding the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder contentEncoding(final String contentEncoding)
        {
            this.contentEncoding = contentEncoding;
            return this;
        }

        /**
         * Replaces all headers with a copy of {@code headers} (null clears them). Headers exchanges route
         * by them.
         *
         * @param headers the new headers, copied; null for none.
         * @return this builder.
         */
        public Builder headers(final Map<String, ?> headers)
        {
            this.headers = headers == null ? null : new LinkedHashMap<>(headers);
            return this;
        }

        /**
         * Adds or replaces one header. A null value records the header's presence with no value.
         *
         * @param name  the header's name, not null.
         * @param value its value (an AMQP field value: a string, number, boolean, byte array, list, map...).
         * @return this builder.
         */
        public Builder header(final String name, final Object value)
        {
            if (name == null)
            {
                throw new InvalidArgumentException("header name must not be null");
            }
            if (headers == null)
            {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Sets the {@code delivery-mode} property, carried for clients that read it: RingMQ keeps every
         * message in memory either way.
         *
         * @param deliveryMode {@link #NON_PERSISTENT} or {@link #PERSISTENT}.
         * @return this builder.
         */
        public Builder deliveryMode(final int deliveryMode)
        {
            if (deliveryMode != NON_PERSISTENT && deliveryMode != PERSISTENT)
            {
                throw new InvalidArgumentException("delivery mode must be 1 or 2, was " + deliveryMode);
            }
            this.deliveryMode = deliveryMode;
            return this;
        }

        /**
         * Sets the {@code priority} property, which a queue with {@code x-max-priority} orders by (values
         * above its maximum count as its maximum).
         *
         * @param priority 0..255, as the AMQP octet.
         * @return this builder.
         */
        public Builder priority(final int priority)
        {
            if (priority < 0 || priority > 255)
            {
                throw new InvalidArgumentException("priority must be 0..255, was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /**
         * Sets the {@code correlation-id} property: ties a reply to its request.
         *
         * @param correlationId the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder correlationId(final String correlationId)
        {
            this.correlationId = correlationId;
            return this;
        }

        /**
         * Sets the {@code reply-to} property: the queue a reply should be sent to ({@code amq.rabbitmq.reply-to} for direct reply-to).
         *
         * @param replyTo the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder replyTo(final String replyTo)
        {
            this.replyTo = replyTo;
            return this;
        }

        /**
         * Sets the {@code expiration} property: the message's own time to live, after which the queue
         * drops or dead-letters it (the shorter of it and the queue's {@code x-message-ttl} applies).
         *
         * @param expirationMillis the per-message TTL in milliseconds as a non-negative decimal string, or null for none.
         * @return this builder.
         */
        public Builder expiration(final String expirationMillis)
        {
            if (expirationMillis != null)
            {
                final long ttl;
                try
                {
                    ttl = Long.parseLong(expirationMillis);
                }
                catch (final NumberFormatException ex)
                {
                    throw new InvalidArgumentException("expiration must be a decimal number of milliseconds, was '" +
                        expirationMillis + "'");
                }
                if (ttl < 0)
                {
                    throw new InvalidArgumentException("expiration must not be negative, was " + ttl);
                }
            }
            this.expiration = expirationMillis;
            return this;
        }

        /**
         * Sets the {@code message-id} property: the application's identifier of the message.
         *
         * @param messageId the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder messageId(final String messageId)
        {
            this.messageId = messageId;
            return this;
        }

        /**
         * Sets the {@code timestamp} property (AMQP carries it in whole seconds).
         *
         * @param epochMillis milliseconds since the epoch.
         * @return this builder.
         */
        public Builder timestamp(final long epochMillis)
        {
            this.timestamp = epochMillis;
            return this;
        }

        /**
         * Sets the {@code type} property: the application's name for the kind of message.
         *
         * @param type the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder type(final String type)
        {
            this.type = type;
            return this;
        }

        /**
         * Sets the {@code user-id} property: the publishing user, as the application states it.
         *
         * @param userId the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder userId(final String userId)
        {
            this.userId = userId;
            return this;
        }

        /**
         * Sets the {@code app-id} property: the publishing application.
         *
         * @param appId the value, or null to leave the property out.
         * @return this builder.
         */
        public Builder appId(final String appId)
        {
            this.appId = appId;
            return this;
        }

        /**
         * Sets the {@code cluster-id} property.
         *
         * @param clusterId the deprecated AMQP cluster-id property, kept for a faithful round trip.
         * @return this builder.
         */
        public Builder clusterId(final String clusterId)
        {
            this.clusterId = clusterId;
            return this;
        }

        /** @return the properties, immutable. */
        public MessageProperties build()
        {
            return new MessageProperties(this);
        }
    }
}
