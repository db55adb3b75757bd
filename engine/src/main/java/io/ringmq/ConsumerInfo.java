package io.ringmq;

/**
 * One push consumer at one moment, as the management API's {@code /api/consumers} shows it.
 *
 * @param consumerTag    its tag, unique within its connection.
 * @param queue          the queue it consumes from.
 * @param connectionName the name of the connection its channel belongs to.
 * @param channelNumber  its channel's {@link Channel#number()}.
 * @param autoAck        true for {@code no-ack} consumers (RabbitMQ's {@code ack_required} is the opposite).
 * @param exclusive      true when it was registered as the queue's exclusive consumer.
 * @param prefetch       its own prefetch (0: unlimited).
 * @param unacked        deliveries it handed out that are not settled yet.
 * @param priority       its {@code x-priority} (0 by default).
 * @param threading      how its deliveries are run.
 * @param active         false once cancelled, or while another consumer is a single-active-consumer queue's active one.
 */
public record ConsumerInfo(String consumerTag, String queue, String connectionName, int channelNumber, boolean autoAck,
    boolean exclusive, int prefetch, int unacked, int priority, ConsumerThreading threading, boolean active)
{
}
