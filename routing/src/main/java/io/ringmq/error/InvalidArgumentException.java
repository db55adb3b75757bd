package io.ringmq.error;

/**
 * A name, routing key, pattern or argument that RingMQ cannot accept: null or blank where a name is required, longer than 255 UTF-8 bytes (the AMQP short-string limit), or a malformed argument. RabbitMQ answers these with 406 PRECONDITION_FAILED, and so does {@link #replyCode()}.
 */
public final class InvalidArgumentException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message which argument was refused, and its value. */
    public InvalidArgumentException(final String message)
    {
        super(ReplyCode.PRECONDITION_FAILED, message);
    }
}
