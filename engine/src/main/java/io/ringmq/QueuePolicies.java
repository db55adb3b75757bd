package io.ringmq;

import java.util.concurrent.TimeUnit;

/**
 * The RabbitMQ queue policies one queue declared, parsed and validated once by
 * {@link QueueArguments}: immutable. {@link #needsPolicyStorage()} is the one switch between the
 * plain storage path and the policy one.
 * <p>
 * Every "unset" numeric value is {@link #UNSET} (-1).
 */
final class QueuePolicies
{
    static final long UNSET = -1;

    private final long messageTtlNanos;
    private final long expiresNanos;
    private final long maxLength;
    private final long maxLengthBytes;
    private final OverflowPolicy overflow;
    private final String deadLetterExchange;
    private final String deadLetterRoutingKey;
    private final int maxPriority;
    private final boolean singleActiveConsumer;
    private final long deliveryLimit;
    private final QueueType type;

    QueuePolicies(
        final long messageTtlMillis,
        final long expiresMillis,
        final long maxLength,
        final long maxLengthBytes,
        final OverflowPolicy overflow,
        final String deadLetterExchange,
        final String deadLetterRoutingKey,
        final int maxPriority,
        final boolean singleActiveConsumer,
        final long deliveryLimit,
        final QueueType type)
    {
        this.messageTtlNanos = messageTtlMillis == UNSET ? UNSET : TimeUnit.MILLISECONDS.toNanos(messageTtlMillis);
        this.expiresNanos = expiresMillis == UNSET ? UNSET : TimeUnit.MILLISECONDS.toNanos(expiresMillis);
        this.maxLength = maxLength;
        this.maxLengthBytes = maxLengthBytes;
        this.overflow = overflow;
        this.deadLetterExchange = deadLetterExchange;
        this.deadLetterRoutingKey = deadLetterRoutingKey;
        this.maxPriority = maxPriority;
        this.singleActiveConsumer = singleActiveConsumer;
        this.deliveryLimit = deliveryLimit;
        this.type = type;
    }

    /** @return true when none of the policies is declared. */
    boolean isPlain()
    {
        return !needsPolicyStorage() && expiresNanos == UNSET && !singleActiveConsumer && deliveryLimit == UNSET;
    }

    /**
     * @return true when the queue's messages need {@link PolicyStorage}: a TTL or length limit (counted
     * and swept there), priorities (a ring per level), or a dead-letter exchange (so that messages with
     * their own {@code expiration} are swept and dead-lettered on time even without consumers). Every
     * other policy works on {@link PlainStorage}.
     */
    boolean needsPolicyStorage()
    {
        return messageTtlNanos != UNSET || maxLength != UNSET || maxLengthBytes != UNSET || maxPriority > 0 ||
            deadLetterExchange != null;
    }

    /** @return {@code x-queue-type}. */
    QueueType type()
    {
        return type;
    }

    /** @return {@code x-message-ttl} in nanoseconds, or UNSET. */
    long messageTtlNanos()
    {
        return messageTtlNanos;
    }

    /** @return {@code x-expires} in nanoseconds, or UNSET. */
    long expiresNanos()
    {
        return expiresNanos;
    }

    /** @return {@code x-max-length}, or UNSET. */
    long maxLength()
    {
        return maxLength;
    }

    /** @return {@code x-max-length-bytes}, or UNSET. */
    long maxLengthBytes()
    {
        return maxLengthBytes;
    }

    /** @return true when a length limit (messages or bytes) is set. */
    boolean hasLengthLimit()
    {
        return maxLength != UNSET || maxLengthBytes != UNSET;
    }

    /** @return the effective overflow policy (defaults applied). */
    OverflowPolicy overflow()
    {
        return overflow;
    }

    /** @return {@code x-dead-letter-exchange} ("" is the default exchange), or null when dead letters are dropped. */
    String deadLetterExchange()
    {
        return deadLetterExchange;
    }

    /** @return {@code x-dead-letter-routing-key}, or null to keep each message's own routing key. */
    String deadLetterRoutingKey()
    {
        return deadLetterRoutingKey;
    }

    /** @return {@code x-max-priority}, 0 for a queue without priorities. */
    int maxPriority()
    {
        return maxPriority;
    }

    boolean singleActiveConsumer()
    {
        return singleActiveConsumer;
    }

    /** @return {@code x-delivery-limit} (a quorum queue's default applied), or UNSET for none. */
    long deliveryLimit()
    {
        return deliveryLimit;
    }
}
