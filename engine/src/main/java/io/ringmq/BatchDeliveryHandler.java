package io.ringmq;

/**
 * Receives pushed deliveries one at a time, as {@link DeliveryHandler} does, and is told which delivery
 * ends a batch, what the queue had ready: the Disruptor's {@code onEvent(…, endOfBatch)}. Register one
 * with {@link Channel#consumeBatched}.
 * <p>
 * A consumer hands over, in queue order, the messages its queue has ready, one after another, up to its
 * prefetch credit and a bound of its own; {@code endOfBatch} is true on a delivery when nothing more was
 * ready behind it (the consumer takes each next message before handing over the one ahead of it), or the
 * bound is reached. So a manual-acknowledgement consumer can settle the whole batch with one
 * {@link Delivery#ack(boolean) delivery.ack(true)} at its end, as many RabbitMQ consumers ack with
 * {@code multiple}, and a consumer that writes somewhere can flush once per batch. A batch is never held
 * back waiting for more messages: when the queue has one message ready, that delivery ends its batch.
 * <p>
 * <b>A batch cut short:</b> when the handler throws, the failed delivery is settled as
 * {@link ConsumeOptions.Builder#onHandlerError} says, and the message already taken behind it goes back
 * to the head of the queue, unflagged, behind the failed message if it was requeued: so the queue's
 * order is the same as with a per-message handler. The same happens when the consumer is cancelled, or
 * loses its single-active-consumer turn, in the middle of a batch. A message whose TTL passes while the
 * delivery ahead of it is handled is dropped (or dead-lettered) at its turn, never delivered; if nothing
 * is ready after it, the batch too ends without a delivery marked {@code endOfBatch}. In these cases the
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
     * @param endOfBatch true when nothing more was ready behind this delivery (or the batch's bound is reached).
     * @throws Exception anything: the delivery is requeued or rejected as the consume options say, the
     *                   batch ends, and the consumer goes on.
     */
    void handle(Delivery delivery, boolean endOfBatch) throws Exception;
}
