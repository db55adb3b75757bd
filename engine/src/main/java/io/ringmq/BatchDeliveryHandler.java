package io.ringmq;

/**
 * Receives pushed deliveries one at a time, as {@link DeliveryHandler} does, and is told which delivery
 * ends a batch, what the queue had ready: the Disruptor's {@code onEvent(…, endOfBatch)}. Register one
 * with {@link Channel#consumeBatched}.
 * <p>
 * A consumer takes, in one go, the messages its queue has ready, up to its prefetch credit and a bound
 * of its own, and hands them over in queue order, one after another; {@code endOfBatch} is true on the
 * last of them: nothing more was ready when the batch was taken, or the bound is reached. So a manual-acknowledgement consumer can settle the whole batch with one
 * {@link Delivery#ack(boolean) delivery.ack(true)} at its end, as many RabbitMQ consumers ack with
 * {@code multiple}, and a consumer that writes somewhere can flush once per batch. A batch is never held
 * back waiting for more messages: when the queue has one message ready, that delivery ends its batch.
 * <p>
 * <b>A batch cut short:</b> when the handler throws, the failed delivery is settled as
 * {@link ConsumeOptions.Builder#onHandlerError} says, and the messages already taken behind it go back
 * to the head of the queue, in order, unflagged, behind the failed message if it was requeued: so the
 * queue's order is the same as with a per-message handler. The same happens when the consumer is
 * cancelled, loses its single-active-consumer turn, or is joined by a second consumer (the queue's
 * messages are then shared in turn) in the middle of a batch. A message whose TTL passes while the
 * deliveries ahead of it are handled is dropped (or dead-lettered) at its turn, never delivered; if it
 * was the batch's last, the batch ends without a delivery marked {@code endOfBatch}. In these cases the
 * earlier deliveries of that batch stay unacknowledged until settled, for instance by the {@code multiple}
 * ack at the end of the next batch, which covers every outstanding delivery of the channel up to its tag.
 * <p>
 * The {@link Delivery} passed in is the consumer's reused flyweight, valid during the call only, as for
 * {@link DeliveryHandler}.
 */
@FunctionalInterface
public interface BatchDeliveryHandler
{
    /**
     * Handles one delivery of a batch. With manual acknowledgement, settle it now or later; with
     * automatic acknowledgement it is settled when this returns normally.
     *
     * @param delivery   the consumer's reused flyweight, valid during this call only.
     * @param endOfBatch true on the batch's last delivery: nothing more was ready when it was taken (or the batch's bound is reached).
     * @throws Exception anything: the delivery is requeued or rejected as the consume options say, the
     *                   batch ends, and the consumer goes on.
     */
    void handle(Delivery delivery, boolean endOfBatch) throws Exception;
}
