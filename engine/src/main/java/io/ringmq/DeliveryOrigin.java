package io.ringmq;

/**
 * Where an unacknowledged delivery came from, as the acknowledgement path needs it: kept beside the
 * envelope in the {@link AckScope}'s table, and told when the delivery is requeued or rejected.
 * <p>
 * For almost every delivery that is simply its {@link MessageQueue}. A message redelivered from a
 * queue with {@code x-delivery-limit} carries a {@link DeliveryCount} instead, which knows how often
 * that message came back to that queue.
 */
interface DeliveryOrigin
{
    /** Puts a delivered, unsettled message back into its queue (or dead-letters it past its delivery limit). */
    void requeue(Envelope envelope);

    /** A consumer rejected the message without requeue: it leaves its queue (dead-lettered when the queue says so). */
    void discardRejected(Envelope envelope);
}
