package io.ringmq.error;

/**
 * AMQP 403 ACCESS_REFUSED: the default exchange, an internal exchange or a reserved {@code amq.} name was used in a way AMQP forbids.
 */
public final class AccessRefusedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message what was refused, naming the exchange or queue. */
    public AccessRefusedException(final String message)
    {
        super(ReplyCode.ACCESS_REFUSED, message);
    }
}
