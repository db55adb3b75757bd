package io.ringmq;

/**
 * Why a message left a queue other than by acknowledgement, purge or deletion: the {@code reason}
 * RabbitMQ writes into a dead-lettered message's {@code x-death} history.
 */
enum DeathReason
{
    /** Rejected or nacked without requeue (or a handler failed with requeue-on-error off). */
    REJECTED("rejected"),
    /** Its message TTL ({@code x-message-ttl} or the {@code expiration} property) passed. */
    EXPIRED("expired"),
    /** Dropped by a length limit ({@code drop-head}), or refused by one with {@code reject-publish-dlx}. */
    MAXLEN("maxlen"),
    /** Returned to the queue more often than its {@code x-delivery-limit} allows. */
    DELIVERY_LIMIT("delivery_limit");

    private static final DeathReason[] VALUES = values();

    private final String value;

    DeathReason(final String value)
    {
        this.value = value;
    }

    /** @return the name RabbitMQ uses in {@code x-death}. */
    String value()
    {
        return value;
    }

    static int count()
    {
        return VALUES.length;
    }
}
