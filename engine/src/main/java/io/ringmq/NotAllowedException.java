package io.ringmq;

import io.ringmq.error.ReplyCode;
import io.ringmq.error.RingMqException;

/**
 * AMQP 530 NOT_ALLOWED, as RabbitMQ answers it: a consumer tag already in use on the channel.
 */
public final class NotAllowedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message what is not allowed, naming the consumer tag and channel. */
    public NotAllowedException(final String message)
    {
        super(ReplyCode.NOT_ALLOWED, message);
    }
}
