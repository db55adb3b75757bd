package io.ringmq.error;

/**
 * Base of every failure RingMQ reports. Each subtype names one AMQP reply code; the message names
 * the object and the problem. A failed call leaves everything already accepted as it was.
 */
public abstract class RingMqException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ReplyCode replyCode;

    protected RingMqException(final ReplyCode replyCode, final String message)
    {
        super(replyCode.name() + " - " + message);
        this.replyCode = replyCode;
    }

    /** @return the AMQP reply code a RabbitMQ broker would have answered with. */
    public final ReplyCode replyCode()
    {
        return replyCode;
    }
}
