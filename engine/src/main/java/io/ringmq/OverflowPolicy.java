package io.ringmq;

import io.ringmq.error.InvalidArgumentException;

/**
 * What a publish does when a queue is full: the queue argument {@code x-overflow}, as in RabbitMQ,
 * plus {@link #BLOCK}, RingMQ's back-pressure. Nothing is ever lost silently: the publisher's
 * {@link PublishResult} counts every message a queue refused or dropped.
 */
public enum OverflowPolicy
{
    /** {@code drop-head}: the oldest ready message is removed (counted, and dead-lettered once that exists) to make room. */
    DROP_HEAD("drop-head"),
    /** {@code reject-publish}: the new message is refused by this queue; the publisher is told. */
    REJECT_PUBLISH("reject-publish"),
    /** {@code block} (RingMQ): the publisher waits for room, up to its channel's publish timeout, then is refused. */
    BLOCK("block");

    private final String argumentValue;

    OverflowPolicy(final String argumentValue)
    {
        this.argumentValue = argumentValue;
    }

    /** @return the value of the {@code x-overflow} queue argument that selects this policy. */
    public String argumentValue()
    {
        return argumentValue;
    }

    /** @return the policy named by an {@code x-overflow} value. */
    public static OverflowPolicy fromArgument(final Object value)
    {
        for (final OverflowPolicy policy : values())
        {
            if (policy.argumentValue.equals(value))
            {
                return policy;
            }
        }
        throw new InvalidArgumentException("invalid x-overflow '" + value +
            "': expected drop-head, reject-publish or block");
    }
}
