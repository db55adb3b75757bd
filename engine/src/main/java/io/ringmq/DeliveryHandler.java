package io.ringmq;

/**
 * Receives pushed deliveries one at a time, in queue order, on the thread the consumer's
 * {@link ConsumerThreading} names (never two at once for one consumer).
 * <p>
 * The {@link Delivery} passed in is a flyweight the consumer reuses for its next delivery: read it
 * during the call, and call {@link Delivery#copy()} to keep the message longer. Its delivery tag
 * stays valid after the call returns: settle it with {@link Channel#ack} and friends, from any thread.
 * <p>
 * If the handler throws, the delivery is not lost: see {@link ConsumeOptions.Builder#onHandlerError}.
 */
@FunctionalInterface
public interface DeliveryHandler
{
    /**
     * Handles one delivery. With manual acknowledgement, settle it now or later; with automatic
     * acknowledgement it is settled when this returns normally.
     *
     * @param delivery the consumer's reused flyweight, valid during this call only.
     * @throws Exception anything: the delivery is requeued or rejected as the consume options say, and
     *                   the consumer goes on.
     */
    void handle(Delivery delivery) throws Exception;
}
