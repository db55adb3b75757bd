package io.ringmq;

import io.ringmq.error.ReplyCode;
import io.ringmq.error.RingMqException;

/**
 * The broker, connection or channel was closed: nothing more can be declared, published or consumed
 * through it (AMQP 504 CHANNEL_ERROR, the code for using a closed channel).
 */
public final class BrokerClosedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    /** @param message what was closed (the broker, a connection or a channel) and what was tried on it. */
    public BrokerClosedException(final String message)
    {
        super(ReplyCode.CHANNEL_ERROR, message);
    }
}
