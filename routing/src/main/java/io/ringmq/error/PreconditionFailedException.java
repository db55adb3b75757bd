package io.ringmq.error;

/**
 * AMQP 406 PRECONDITION_FAILED: redeclared with other arguments, deleted while in use or not empty, or an unknown delivery tag.
 */
public final class PreconditionFailedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message which precondition failed, naming the object. */
    public PreconditionFailedException(final String message)
    {
        super(ReplyCode.PRECONDITION_FAILED, message);
    }
}
