package io.ringmq;

import io.ringmq.error.ReplyCode;
import io.ringmq.error.RingMqException;

/**
 * AMQP 405 RESOURCE_LOCKED: the queue is exclusive to another connection.
 */
public final class ResourceLockedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message which queue is locked, and by whom. */
    public ResourceLockedException(final String message)
    {
        super(ReplyCode.RESOURCE_LOCKED, message);
    }
}
