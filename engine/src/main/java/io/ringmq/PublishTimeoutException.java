package io.ringmq;

import io.ringmq.error.ReplyCode;
import io.ringmq.error.RingMqException;

import java.util.List;

/**
 * A publish waited for room in full {@link OverflowPolicy#BLOCK} queues for its channel's whole
 * publish timeout and gave up: those queues did not take the message (the others it was routed to did,
 * and keep it). AMQP 506 RESOURCE_ERROR: the broker lacked the room to complete the method.
 * <p>
 * Thrown by default, so that a caller who never reads {@link PublishResult}s cannot lose a message
 * without a word; {@link Channel#setPublishTimeout(java.time.Duration, boolean)} can ask for the
 * refusal to be reported only in the result. Refusals that a queue's policy asks for
 * ({@code reject-publish}) are never thrown: they are the policy working.
 */
public final class PublishTimeoutException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** The queues that did not take the message; part of the serialized form (the result is not). */
    private final List<String> queues;
    private final transient PublishResult result;

    PublishTimeoutException(final List<String> queues, final PublishResult result, final long timeoutMillis)
    {
        super(ReplyCode.RESOURCE_ERROR, "the message was not taken by queue" + (queues.size() == 1 ? " " : "s ") +
            queues + ": still full after waiting " + timeoutMillis + " ms (x-overflow block); " + result);
        this.queues = List.copyOf(queues);
        this.result = result;
    }

    /** @return the names of the queues that did not take the message. */
    public List<String> queues()
    {
        return queues;
    }

    /** @return the publish's outcome (a detached copy): what the other queues did. */
    public PublishResult result()
    {
        return result;
    }
}
