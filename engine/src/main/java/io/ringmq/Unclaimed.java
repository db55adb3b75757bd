package io.ringmq;

/**
 * A message that waited in a consumer's {@link Mailbox} when the consumer was cancelled: it goes back
 * to its queue as it was — its redelivered flag and origin unchanged, no delivery counted — since no
 * handler ever saw it. Made only when a consumer stops, so never on the hot path.
 */
final class Unclaimed
{
    final Envelope envelope;
    final boolean redelivered;
    final DeliveryOrigin origin;

    Unclaimed(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin)
    {
        this.envelope = envelope;
        this.redelivered = redelivered;
        this.origin = origin;
    }

    /**
     * @param queued what a queue's requeue side holds: an {@link Envelope} (requeued after a delivery),
     *               a {@link DeliveryCount} (the same, in a queue with a delivery limit) or an {@link Unclaimed}.
     * @return its message; null for null.
     */
    static Envelope envelopeOf(final Object queued)
    {
        if (queued == null || queued instanceof Envelope)
        {
            return (Envelope)queued;
        }
        return queued instanceof DeliveryCount ? ((DeliveryCount)queued).envelope : ((Unclaimed)queued).envelope;
    }

    /**
     * Sets {@code out} from what a queue's requeue side held.
     *
     * @param queue the queue it came from, the origin of a plainly requeued envelope.
     */
    static void take(final Object queued, final MessageQueue queue, final Taken out)
    {
        if (queued instanceof Unclaimed)
        {
            final Unclaimed unclaimed = (Unclaimed)queued;
            out.set(unclaimed.envelope, unclaimed.redelivered, unclaimed.origin);
        }
        else if (queued instanceof DeliveryCount)
        {
            out.set(((DeliveryCount)queued).envelope, true, (DeliveryCount)queued);
        }
        else
        {
            out.set((Envelope)queued, true, queue);
        }
    }
}
