package io.ringmq;

/**
 * What one take from a queue returns: the message, whether it was delivered before, and its
 * {@link DeliveryOrigin}. One reusable instance per taker (a consumer, the dispatcher, a channel's
 * gets), so taking allocates nothing.
 */
final class Taken
{
    Envelope envelope;
    boolean redelivered;
    DeliveryOrigin origin;

    void set(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin)
    {
        this.envelope = envelope;
        this.redelivered = redelivered;
        this.origin = origin;
    }

    /** A message from a queue's returned side. */
    void set(final Returned returned)
    {
        set(returned.envelope, returned.redelivered, returned);
    }

    /** Drops the references, so a reused holder keeps nothing reachable. */
    void clear()
    {
        envelope = null;
        origin = null;
    }
}
