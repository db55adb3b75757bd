package io.ringmq;

/**
 * Where an unacknowledged delivery came from, as the acknowledgement path needs it: kept beside the
 * envelope in the {@link AckScope}'s table, and told when the delivery is requeued or rejected.
 * <p>
 * A message delivered for the first time comes from its {@link MessageQueue}; one that came back to
 * its queue before carries its {@link Returned} record, which knows how often it came back.
 */
interface DeliveryOrigin
{
    /** Puts a delivered, unsettled message back into its queue (or dead-letters it past its delivery limit). */
    void requeue(Envelope envelope);

    /** A consumer rejected the message without requeue: it leaves its queue (dead-lettered when the queue says so). */
    void discardRejected(Envelope envelope);

    /** @return how many times the message came back to its queue before this delivery (0 on a first delivery). */
    int returns();

    /** @return how many handlers threw on this message before this delivery. */
    int handlerFailures();

    /** A handler threw on this delivery: counts it, then puts the message back as {@link #requeue} does. */
    void requeueAfterHandlerFailure(Envelope envelope);

    /** A {@code basic.get} delivery of the message was settled (acknowledged, or not): its queue's get counts. */
    void getSettled(boolean acknowledged);

    /** @return the name of the queue the message belongs to. */
    String queueName();

    /** @return true when that queue is a quorum queue ({@code x-delivery-count} on redeliveries). */
    boolean isQuorum();
}
