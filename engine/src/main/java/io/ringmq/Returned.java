package io.ringmq;

/**
 * A message that came back to its queue: requeued after a delivery (nack, reject, a cancelled
 * consumer's or closed channel's unacknowledged ones, a handler that threw), or unclaimed from a
 * consumer's {@link Mailbox} when that consumer stopped. It is the one type a queue's returned side
 * holds, and the {@link DeliveryOrigin} of the message's next delivery.
 * <p>
 * <b>Why a record per (queue, message):</b> an {@link Envelope} is shared by every queue a message was
 * routed to, so counts per queue cannot live in it. The first time a message comes back to a queue the
 * queue wraps it in one of these, which then travels with it (in the returned list, in a mailbox, in an
 * unacknowledged table) and is reused by every later return: one allocation per message that ever
 * comes back, on the requeue path, never on publish → deliver → ack.
 * <p>
 * <b>Threads:</b> its counters are written only by the thread that returns it and read by the thread
 * that takes it next; the returned list's (or mailbox's) release/acquire hands them over.
 */
final class Returned implements DeliveryOrigin
{
    final Envelope envelope;
    private final StoredQueue queue;
    /** The flag its next delivery carries: false only for a message unclaimed before any handler saw it. */
    boolean redelivered;
    /** Times it came back after a delivery: {@code x-delivery-limit} and {@code x-delivery-count}. */
    int returns;
    /** Times a handler threw on it: the consumers' handler-error limit. */
    int handlerFailures;

    Returned(final Envelope envelope, final StoredQueue queue)
    {
        this.envelope = envelope;
        this.queue = queue;
    }

    /** @return {@code origin}'s own record, or a new one for a message taken fresh from {@code queue} (never delivered). */
    static Returned of(final Envelope envelope, final DeliveryOrigin origin, final StoredQueue queue)
    {
        return origin instanceof Returned ? (Returned)origin : new Returned(envelope, queue);
    }

    /** A delivery of it ended unsettled: it comes back flagged, one more return counted. */
    Returned countReturn()
    {
        redelivered = true;
        returns++;
        return this;
    }

    @Override
    public void requeue(final Envelope envelope)
    {
        queue.requeue(countReturn());
    }

    @Override
    public void requeueAfterHandlerFailure(final Envelope envelope)
    {
        handlerFailures++;
        queue.requeue(countReturn());
    }

    @Override
    public void discardRejected(final Envelope envelope)
    {
        queue.discardRejected(envelope);
    }

    @Override
    public void getSettled(final boolean acknowledged)
    {
        queue.getSettled(acknowledged);
    }

    @Override
    public int returns()
    {
        return returns;
    }

    @Override
    public int handlerFailures()
    {
        return handlerFailures;
    }

    @Override
    public String queueName()
    {
        return queue.queueName();
    }

    @Override
    public boolean isQuorum()
    {
        return queue.isQuorum();
    }

    @Override
    public String toString()
    {
        return "Returned{queue='" + queue.queueName() + "', redelivered=" + redelivered + ", returns=" + returns +
            ", handlerFailures=" + handlerFailures + '}';
    }
}
