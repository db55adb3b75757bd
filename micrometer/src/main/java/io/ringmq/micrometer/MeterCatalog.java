package io.ringmq.micrometer;

import io.ringmq.BrokerOverview;
import io.ringmq.QueueInfo;

import java.util.List;

import static io.ringmq.micrometer.MeterDefinition.bytesGauge;
import static io.ringmq.micrometer.MeterDefinition.counter;
import static io.ringmq.micrometer.MeterDefinition.gauge;

/**
 * Every meter {@link RingMqMetrics} registers, in one table per kind of object.
 * <p>
 * Names are those of RabbitMQ's Prometheus plugin ({@code rabbitmq_prometheus}) where RingMQ counts the
 * same thing, so that dashboards and alerts written for RabbitMQ read RingMQ unchanged; {@code ringmq_}
 * names are RingMQ's own. Where RabbitMQ's meaning differs, the description says so:
 * <ul>
 *   <li>{@code rabbitmq_queue_messages_delivered_total} counts every delivery from the queue (push and
 *       get, automatic and manual acknowledgement); RabbitMQ splits these into {@code ..._delivered},
 *       {@code ..._delivered_ack}, {@code rabbitmq_queue_get} and {@code ..._get_ack}, and its
 *       {@code ..._delivered_total} is only the automatic-acknowledgement consumes.</li>
 *   <li>The removal causes per queue ({@code rabbitmq_queue_messages_dead_lettered_<reason>_total}) are
 *       RabbitMQ's global {@code rabbitmq_global_messages_dead_lettered_<reason>_total} counted per queue:
 *       like RabbitMQ's they count every message removed for that reason, dead-lettered or dropped, and
 *       {@code ..._confirmed} those that reached a dead-letter queue.</li>
 *   <li>RabbitMQ's {@code protocol} and {@code queue_type} labels are left out: the engine does not know
 *       which connections are in-process and which came over the wire.</li>
 * </ul>
 */
final class MeterCatalog
{
    /** One queue's meters, tagged {@code vhost} and {@code queue}. */
    static final List<MeterDefinition<QueueInfo>> QUEUE = List.of(
        gauge("rabbitmq.queue.messages.ready", "Messages ready to be delivered to consumers",
            QueueInfo::messageCount),
        gauge("rabbitmq.queue.messages.unacked", "Messages delivered to consumers but not yet acknowledged",
            QueueInfo::unackedCount),
        gauge("rabbitmq.queue.messages", "Sum of ready and unacknowledged messages - total queue depth",
            q -> (double)q.messageCount() + q.unackedCount()),
        gauge("rabbitmq.queue.consumers", "Consumers on a queue",
            QueueInfo::consumerCount),
        bytesGauge("rabbitmq.queue.messages.ready.bytes", "Size in bytes of ready messages (bodies)",
            QueueInfo::bytesReady),
        counter("rabbitmq.queue.messages.published",
            "Total number of messages accepted into a queue: publishes and dead letters routed to it",
            QueueInfo::publishedCount),
        counter("rabbitmq.queue.messages.delivered",
            "Total number of messages delivered from a queue: push and get, automatic and manual acknowledgement",
            QueueInfo::deliveredCount),
        counter("rabbitmq.queue.messages.acked", "Total number of messages acknowledged by consumers on a queue",
            QueueInfo::acknowledgedCount),
        counter("rabbitmq.queue.messages.redelivered", "Total number of messages redelivered from a queue",
            QueueInfo::redeliveredCount),
        counter("rabbitmq.queue.messages.dead.lettered.expired",
            "Total number of messages removed from a queue because their TTL passed (reason expired)",
            QueueInfo::expiredCount),
        counter("rabbitmq.queue.messages.dead.lettered.maxlen",
            "Total number of messages removed from a queue by drop-head overflow (reason maxlen)",
            QueueInfo::droppedCount),
        counter("rabbitmq.queue.messages.dead.lettered.rejected",
            "Total number of messages rejected or nacked without requeue (reason rejected)",
            QueueInfo::rejectedCount),
        counter("rabbitmq.queue.messages.dead.lettered.delivery.limit",
            "Total number of messages removed from a queue for passing x-delivery-limit (reason delivery_limit)",
            QueueInfo::deliveryLimitCount),
        counter("rabbitmq.queue.messages.dead.lettered.confirmed",
            "Total number of messages a queue dead-lettered that at least one queue accepted",
            QueueInfo::deadLetteredCount));

    /** The broker's meters, tagged {@code vhost}. */
    static final List<MeterDefinition<BrokerOverview>> BROKER = List.of(
        gauge("rabbitmq.queues", "Queues available", BrokerOverview::queues),
        gauge("rabbitmq.connections", "Connections currently open", BrokerOverview::connections),
        gauge("rabbitmq.channels", "Channels currently open", BrokerOverview::channels),
        gauge("rabbitmq.consumers", "Consumers currently connected", BrokerOverview::consumers),
        gauge("ringmq.exchanges", "Exchanges declared, the default and amq.* ones included",
            BrokerOverview::exchanges),
        gauge("ringmq.bindings", "Bindings, the default exchange's implicit ones included",
            BrokerOverview::bindings),
        counter("rabbitmq.global.messages.routed",
            "Total number of messages routed to queues (one per queue a publish reached), deleted queues included",
            BrokerOverview::publishedCount),
        counter("rabbitmq.global.messages.delivered",
            "Total number of messages delivered to consumers, push and get, deleted queues included",
            BrokerOverview::deliveredCount),
        counter("rabbitmq.global.messages.acknowledged",
            "Total number of messages acknowledged by consumers, deleted queues included",
            BrokerOverview::acknowledgedCount),
        counter("rabbitmq.global.messages.redelivered",
            "Total number of messages redelivered to consumers, deleted queues included",
            BrokerOverview::redeliveredCount),
        gauge("ringmq.envelope.pool.capacity", "Most idle message envelopes the pool keeps for reuse",
            BrokerOverview::poolCapacity),
        counter("ringmq.envelope.pool.allocated",
            "Total number of message envelopes the pool allocated since the broker started",
            BrokerOverview::poolAllocated));

    /**
     * One exchange's meters, tagged {@code vhost}, {@code exchange} and {@code type}; as RabbitMQ, the
     * default exchange and internal exchanges have none.
     */
    static final List<MeterDefinition<RingMqMetrics.ExchangeSnapshot>> EXCHANGE = List.of(
        gauge("rabbitmq.cluster.exchange.bindings", "Number of bindings for an exchange",
            RingMqMetrics.ExchangeSnapshot::bindings));

    private MeterCatalog()
    {
    }
}
