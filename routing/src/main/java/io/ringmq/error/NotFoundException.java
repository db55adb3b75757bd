package io.ringmq.error;

/**
 * AMQP 404 NOT_FOUND: the named exchange or queue does not exist (or was deleted).
 */
public final class NotFoundException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message the missing exchange or queue, by name. */
    public NotFoundException(final String message)
    {
        super(ReplyCode.NOT_FOUND, message);
    }
}
