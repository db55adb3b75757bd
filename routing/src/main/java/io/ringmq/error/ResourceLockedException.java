package io.ringmq.error;

/**
 * AMQP 405 RESOURCE_LOCKED: the queue is exclusive to another owner.
 */
public final class ResourceLockedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    public ResourceLockedException(final String message)
    {
        super(ReplyCode.RESOURCE_LOCKED, message);
    }
}
