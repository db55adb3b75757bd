package io.ringmq;

/**
 * How many times one message came back to one queue with {@code x-delivery-limit}.
 * <p>
 * <b>Why a holder:</b> an {@link Envelope} is shared by every queue the message was routed to, so a
 * count per (queue, message) cannot live in it. A message's first delivery needs no count (its
 * origin is the queue itself); the first time it is returned, the queue wraps it in one of these,
 * which then travels with it — in the queue's requeue list, and as the {@link DeliveryOrigin} of its
 * next delivery — and is reused by every later return. So only queues with a delivery limit
 * allocate, once per message that is returned at least once, on the requeue path.
 */
final class DeliveryCount implements DeliveryOrigin
{
    final Envelope envelope;
    final MessageQueue queue;
    /** Returns so far. Written only by the thread that requeues, read by the next that takes it: handed over by the requeue list's volatile link. */
    int returns;

    DeliveryCount(final Envelope envelope, final MessageQueue queue)
    {
        this.envelope = envelope;
        this.queue = queue;
    }

    @Override
    public void requeue(final Envelope envelope)
    {
        queue.requeueCounted(this);
    }

    @Override
    public void discardRejected(final Envelope envelope)
    {
        queue.discardRejected(envelope);
    }
}
