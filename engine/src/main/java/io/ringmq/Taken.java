package io.ringmq;

/**
 * What one take from a queue with policies returns: the message, whether it was delivered before,
 * and its {@link DeliveryOrigin}. One reusable instance per consumer (and per channel for gets), so
 * taking allocates nothing.
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

    /** Drops the references, so a reused holder keeps nothing reachable. */
    void clear()
    {
        envelope = null;
        origin = null;
    }
}
