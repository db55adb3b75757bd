package io.ringmq;

/**
 * Receives pushed deliveries one at a time, as {@link DeliveryHandler} does, and is told which delivery
 * ends what the consumer took from its queue in one go: the Disruptor's {@code onEvent(…, endOfBatch)}.
 * <p>
 * A consumer takes every message its queue has ready, up to its prefetch credit and a bound of its own,
 * and hands them over in queue order; {@code endOfBatch} is true on the last of them. So a
 * manual-acknowledgement consumer can settle the whole take with one {@link Delivery#ack(boolean)
 * delivery.ack(true)} at the end of the batch, as many RabbitMQ consumers ack with {@code multiple}, and
 * a consumer that writes somewhere can flush once per batch. A batch is never held back waiting for
 * more messages: when the queue has one message ready, that delivery ends its batch.
 * <p>
 * <b>A take cut short:</b> when the handler throws, the failed delivery is settled as
 * {@link ConsumeOptions.Builder#onHandlerError} says, and the rest of the take (not yet handed over) goes
 * back to the head of the queue, in order, without being flagged redelivered, behind the failed message
 * if it was requeued: so the queue's order is the same as with a per-message handler. The same happens
 * when the consumer is cancelled, or loses its single-active-consumer turn, in the middle of a take. A
 * message whose TTL passes while its take is handed over is dropped (or dead-lettered) at its turn, never
 * delivered; if the take's last messages all expire so, after the delivery before them was handed over,
 * the take too ends without a delivery marked {@code endOfBatch}. In these cases the earlier deliveries of that
 * take stay unacknowledged until settled, for instance by the {@code multiple} ack at the end of the next
 * batch, which covers every outstanding delivery of the channel up to its tag.
 * <p>
 * The {@link Delivery} passed in is the consumer's reused flyweight, valid during the call only, as for
 * {@link DeliveryHandler}.
 */
@FunctionalInterface
public interface BatchDeliveryHandler
{
    /**
     * Handles one delivery of a take. With manual acknowledgement, settle it now or later; with
     * automatic acknowledgement it is settled when this returns normally.
     *
     * @param delivery   the consumer's reused flyweight, valid during this call only.
     * @param endOfBatch true on the last delivery of what the consumer took from its queue in one go.
     * @throws Exception anything: the delivery is requeued or rejected as the consume options say, the
     *                   rest of the take goes back to the head of the queue, and the consumer goes on.
     */
    void handle(Delivery delivery, boolean endOfBatch) throws Exception;
}
