package io.ringmq;

/**
 * The queue argument {@code x-queue-type}, as in RabbitMQ. RingMQ keeps every queue in memory; the
 * type chooses the semantics RabbitMQ gives that type, as far as they apply in memory.
 */
public enum QueueType
{
    /** {@code classic}: the default. */
    CLASSIC("classic"),
    /**
     * {@code quorum}, RabbitMQ 4's semantics that apply in memory: durable, never exclusive, never
     * auto-delete (each refused at declare with 406 PRECONDITION_FAILED, as RabbitMQ refuses them); a
     * delivery limit of {@value QueueArguments#QUORUM_DEFAULT_DELIVERY_LIMIT} unless
     * {@code x-delivery-limit} says otherwise (a negative one means unlimited); the
     * {@code x-delivery-count} header on redeliveries; no {@code x-max-priority}, {@code x-queue-mode} or
     * {@code reject-publish-dlx}. Not replicated, and not persisted: see {@link QueueSpec#durable()}.
     */
    QUORUM("quorum");

    private final String argumentValue;

    QueueType(final String argumentValue)
    {
        this.argumentValue = argumentValue;
    }

    /** @return the value of {@code x-queue-type} that selects this type. */
    public String argumentValue()
    {
        return argumentValue;
    }
}
