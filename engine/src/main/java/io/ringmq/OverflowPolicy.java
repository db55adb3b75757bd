package io.ringmq;

import io.ringmq.error.InvalidArgumentException;

/**
 * What a publish does when a queue is full: the queue argument {@code x-overflow}, as in RabbitMQ,
 * plus {@link #BLOCK}, RingMQ's back-pressure. Nothing is ever lost silently: the publisher's
 * {@link PublishResult} counts every message a queue refused or dropped.
 * <p>
 * A queue is full when whichever of its limits is reached first: its ring's
 * {@linkplain QueueSpec#capacity() capacity}, {@code x-max-length} (ready messages) or
 * {@code x-max-length-bytes} (their body bytes; an object payload counts as 0 bytes). The one
 * policy applies to all three. Without {@code x-overflow} the policy is {@link #DROP_HEAD} when
 * {@code x-max-length} or {@code x-max-length-bytes} is set (RabbitMQ's default), else {@link #BLOCK}.
 */
public enum OverflowPolicy
{
    /**
     * {@code drop-head}: the message at the head (the next one a consumer would get) is removed to make
     * room, counted, and dead-lettered with reason {@code maxlen} when the queue has a dead-letter exchange.
     * A message that can never fit ({@code x-max-length} 0, or a body larger than {@code x-max-length-bytes})
     * is taken and dropped at once, as RabbitMQ does.
     */
    DROP_HEAD("drop-head"),
    /** {@code reject-publish}: the new message is refused by this queue; the publisher is told ({@link PublishResult#refusedQueues()}). */
    REJECT_PUBLISH("reject-publish"),
    /**
     * {@code reject-publish-dlx}: the new message is refused, as with {@link #REJECT_PUBLISH}, and
     * dead-lettered with reason {@code maxlen} when the queue has a dead-letter exchange.
     */
    REJECT_PUBLISH_DLX("reject-publish-dlx"),
    /**
     * {@code block} (RingMQ): the publisher waits for room, up to its channel's publish timeout, then is
     * refused. It parks between tries (a short OS sleep, some 50 µs on Linux) rather than spinning, so
     * the consumers of a full queue drain it undisturbed.
     */
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

    /**
     * Reads the {@code x-overflow} queue argument.
     *
     * @param value the argument's value: {@code drop-head}, {@code reject-publish},
     *              {@code reject-publish-dlx} or {@code block}.
     * @return the policy it names.
     * @throws io.ringmq.error.InvalidArgumentException for any other value.
     */
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
            "': expected drop-head, reject-publish, reject-publish-dlx or block");
    }
}
