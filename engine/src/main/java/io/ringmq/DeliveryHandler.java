package io.ringmq;

/**
 * Receives pushed deliveries on the consumer's own thread, one at a time, in queue order.
 * <p>
 * The {@link Delivery} passed in is a flyweight the consumer reuses for its next delivery: read it
 * during the call, and call {@link Delivery#copy()} to keep the message longer. Its delivery tag
 * stays valid for {@link Consumer#ack} after the call returns.
 * <p>
 * If the handler throws, the delivery is not lost: see {@link ConsumeOptions.Builder#onHandlerError}.
 */
@FunctionalInterface
public interface DeliveryHandler
{
    void handle(Delivery delivery) throws Exception;
}
