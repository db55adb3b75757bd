package io.ringmq.error;

/**
 * Base of every failure RingMQ reports. Each subtype names one AMQP reply code; the message names
 * the object and the problem. A failed call leaves everything already accepted as it was.
 */
public abstract class RingMqException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** The AMQP reply code; part of the serialized form, so a deserialized exception still names it. */
    private final ReplyCode replyCode;

    /**
     * For the subtypes, each of which fixes its reply code.
     *
     * @param replyCode the AMQP reply code a RabbitMQ broker would have answered with.
     * @param message   what failed, naming the object; the reply code's name is put in front of it.
     */
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
