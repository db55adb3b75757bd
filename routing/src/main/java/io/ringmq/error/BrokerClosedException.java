package io.ringmq.error;

/**
 * The broker or channel was closed: nothing more can be declared, published or consumed through it.
 */
public final class BrokerClosedException extends RingMqException
{
    private static final long serialVersionUID = 1L;

    public BrokerClosedException(final String message)
    {
        super(ReplyCode.CHANNEL_ERROR, message);
    }
}
