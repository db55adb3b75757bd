package io.ringmq.amqp.management;

import io.ringmq.BindingInfo;
import io.ringmq.BrokerOverview;
import io.ringmq.ChannelInfo;
import io.ringmq.ConnectionInfo;
import io.ringmq.ConsumerInfo;
import io.ringmq.QueueInfo;
import io.ringmq.QueueSpec;
import io.ringmq.amqp.server.WireConnection;
import io.ringmq.routing.ExchangeSpec;
import tools.jackson.core.JsonGenerator;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's and the AMQP listener's views written with the field names of RabbitMQ's management API
 * ({@code rabbit_mgmt_format}), so that what reads RabbitMQ's JSON reads ours. Only what RingMQ knows is
 * written: a field RabbitMQ has and RingMQ cannot fill truthfully (memory, disk, message rates it does not
 * count) is left out rather than reported as 0. RingMQ's own extras are under a {@code "ringmq"} key.
 */
final class ManagementJson
{
    /** The only virtual host: RingMQ's AMQP listener accepts {@code /} alone. */
    static final String VHOST = "/";

    private final String node;

    /** @param node the node name written in {@code node} fields, as RabbitMQ's {@code rabbit@host}. */
    ManagementJson(final String node)
    {
        this.node = node;
    }

    String node()
    {
        return node;
    }

    /** A listener for {@code /api/overview}'s {@code listeners}: protocol {@code amqp}, {@code amqp/ssl}, {@code http}, {@code http/prometheus}. */
    record Listener(String protocol, String ipAddress, int port)
    {
    }

    void overview(final JsonGenerator json, final BrokerOverview overview, final List<Listener> listeners,
        final String version)
    {
        json.writeStartObject();
        json.writeStringProperty("management_version", version);
        json.writeStringProperty("rates_mode", "basic");
        json.writeStringProperty("product_name", "RingMQ");
        json.writeStringProperty("product_version", version);
        json.writeStringProperty("cluster_name", "ringmq");
        json.writeStringProperty("node", node);
        json.writeObjectPropertyStart("message_stats");
        Json.countAndRate(json, "publish", overview.publishedCount(), overview.publishRate());
        Json.countAndRate(json, "deliver_get", overview.deliveredCount(), overview.deliverRate());
        Json.countAndRate(json, "ack", overview.acknowledgedCount(), overview.ackRate());
        Json.countAndRate(json, "redeliver", overview.redeliveredCount(), overview.redeliverRate());
        json.writeEndObject();
        json.writeObjectPropertyStart("queue_totals");
        json.writeNumberProperty("messages", overview.messagesReady() + overview.messagesUnacked());
        json.writeNumberProperty("messages_ready", overview.messagesReady());
        json.writeNumberProperty("messages_unacknowledged", overview.messagesUnacked());
        json.writeEndObject();
        json.writeObjectPropertyStart("object_totals");
        json.writeNumberProperty("connections", overview.connections());
        json.writeNumberProperty("channels", overview.channels());
        json.writeNumberProperty("exchanges", overview.exchanges());
        json.writeNumberProperty("queues", overview.queues());
        json.writeNumberProperty("consumers", overview.consumers());
        json.writeEndObject();
        json.writeArrayPropertyStart("listeners");
        for (final Listener listener : listeners)
        {
            json.writeStartObject();
            json.writeStringProperty("node", node);
            json.writeStringProperty("protocol", listener.protocol());
            json.writeStringProperty("ip_address", listener.ipAddress());
            json.writeNumberProperty("port", listener.port());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectPropertyStart("ringmq");
        json.writeNumberProperty("bindings", overview.bindings());
        json.writeNumberProperty("envelope_pool_capacity", overview.poolCapacity());
        json.writeNumberProperty("envelope_pool_allocated", overview.poolAllocated());
        json.writeEndObject();
        json.writeEndObject();
    }

    void queue(final JsonGenerator json, final QueueInfo queue)
    {
        final QueueSpec spec = queue.spec();
        json.writeStartObject();
        json.writeStringProperty("name", queue.name());
        json.writeStringProperty("vhost", VHOST);
        json.writeBooleanProperty("durable", spec.durable());
        json.writeBooleanProperty("auto_delete", spec.autoDelete());
        json.writeBooleanProperty("exclusive", spec.exclusive());
        Json.table(json, "arguments", spec.arguments());
        json.writeStringProperty("type", spec.type().argumentValue());
        json.writeStringProperty("node", node);
        json.writeStringProperty("state", "running");
        json.writeNumberProperty("messages", (long)queue.messageCount() + queue.unackedCount());
        json.writeNumberProperty("messages_ready", queue.messageCount());
        json.writeNumberProperty("messages_unacknowledged", queue.unackedCount());
        json.writeNumberProperty("message_bytes_ready", queue.bytesReady());
        json.writeNumberProperty("consumers", queue.consumerCount());
        json.writeObjectPropertyStart("message_stats");
        Json.countAndRate(json, "publish", queue.publishedCount(), queue.publishRate());
        Json.countAndRate(json, "deliver_get", queue.deliveredCount(), queue.deliverRate());
        Json.countAndRate(json, "ack", queue.acknowledgedCount(), queue.ackRate());
        Json.countAndRate(json, "redeliver", queue.redeliveredCount(), queue.redeliverRate());
        json.writeEndObject();
        json.writeObjectPropertyStart("ringmq");
        json.writeNumberProperty("capacity", spec.capacity());
        json.writeStringProperty("overflow", spec.overflow().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        json.writeNumberProperty("expired", queue.expiredCount());
        json.writeNumberProperty("dropped", queue.droppedCount());
        json.writeNumberProperty("rejected", queue.rejectedCount());
        json.writeNumberProperty("delivery_limit_reached", queue.deliveryLimitCount());
        json.writeNumberProperty("dead_lettered", queue.deadLetteredCount());
        json.writeEndObject();
        json.writeEndObject();
    }

    void exchange(final JsonGenerator json, final ExchangeSpec exchange)
    {
        json.writeStartObject();
        json.writeStringProperty("name", exchange.name());
        json.writeStringProperty("vhost", VHOST);
        json.writeStringProperty("type", exchange.type().amqpName());
        json.writeBooleanProperty("durable", exchange.durable());
        json.writeBooleanProperty("auto_delete", exchange.autoDelete());
        json.writeBooleanProperty("internal", exchange.internal());
        Json.table(json, "arguments", exchange.arguments());
        json.writeEndObject();
    }

    void binding(final JsonGenerator json, final BindingInfo binding)
    {
        json.writeStartObject();
        json.writeStringProperty("source", binding.source());
        json.writeStringProperty("vhost", VHOST);
        json.writeStringProperty("destination", binding.destination());
        json.writeStringProperty("destination_type",
            binding.destinationType() == BindingInfo.DestinationType.QUEUE ? "queue" : "exchange");
        json.writeStringProperty("routing_key", binding.routingKey());
        Json.table(json, "arguments", binding.arguments());
        json.writeStringProperty("properties_key", propertiesKey(binding));
        json.writeEndObject();
    }

    /**
     * RabbitMQ's binding id within its source and destination: the routing key ({@code ~} for an empty one),
     * followed by {@code ~} and a digest of the arguments when there are any.
     */
    static String propertiesKey(final BindingInfo binding)
    {
        final String key = binding.routingKey().isEmpty() ? "~" : binding.routingKey();
        return binding.arguments().isEmpty() ? key : key + "~" + Integer.toHexString(binding.arguments().hashCode());
    }

    void consumer(final JsonGenerator json, final ConsumerInfo consumer, final Wire wire)
    {
        final WireConnection connection = wire.connection(consumer.connectionName());
        json.writeStartObject();
        json.writeStringProperty("consumer_tag", consumer.consumerTag());
        json.writeObjectPropertyStart("queue");
        json.writeStringProperty("name", consumer.queue());
        json.writeStringProperty("vhost", VHOST);
        json.writeEndObject();
        json.writeObjectPropertyStart("channel_details");
        final int number = wire.channelNumber(connection, consumer.channelNumber());
        json.writeStringProperty("name", channelName(consumer.connectionName(), number));
        json.writeNumberProperty("number", number);
        json.writeStringProperty("connection_name", consumer.connectionName());
        json.writeStringProperty("node", node);
        peer(json, connection);
        json.writeEndObject();
        json.writeBooleanProperty("ack_required", !consumer.autoAck());
        json.writeBooleanProperty("exclusive", consumer.exclusive());
        json.writeNumberProperty("prefetch_count", consumer.prefetch());
        json.writeBooleanProperty("active", consumer.active());
        json.writeStringProperty("activity_status", consumer.active() ? "up" : "waiting");
        json.writeObjectPropertyStart("arguments");
        if (consumer.priority() != 0)
        {
            json.writeNumberProperty("x-priority", consumer.priority());
        }
        json.writeEndObject();
        json.writeObjectPropertyStart("ringmq");
        json.writeNumberProperty("messages_unacknowledged", consumer.unacked());
        json.writeStringProperty("threading", String.valueOf(consumer.threading()));
        json.writeEndObject();
        json.writeEndObject();
    }

    void channel(final JsonGenerator json, final ChannelInfo channel, final Wire wire)
    {
        final WireConnection connection = wire.connection(channel.connectionName());
        final WireConnection.WireChannel onWire = wire.channel(connection, channel.number());
        final int number = onWire != null ? onWire.number() : channel.number();
        json.writeStartObject();
        json.writeStringProperty("name", channelName(channel.connectionName(), number));
        json.writeNumberProperty("number", number);
        json.writeStringProperty("node", node);
        json.writeStringProperty("vhost", VHOST);
        if (connection != null && connection.user() != null)
        {
            json.writeStringProperty("user", connection.user());
        }
        json.writeStringProperty("state", "running");
        json.writeObjectPropertyStart("connection_details");
        json.writeStringProperty("name", channel.connectionName());
        peer(json, connection);
        json.writeEndObject();
        json.writeNumberProperty("consumer_count", channel.consumerCount());
        json.writeNumberProperty("messages_unacknowledged", channel.unacked());
        json.writeNumberProperty("prefetch_count", onWire != null ? onWire.prefetch() : 0);
        json.writeNumberProperty("global_prefetch_count", channel.globalPrefetch());
        json.writeBooleanProperty("confirm", onWire != null && onWire.confirm());
        json.writeBooleanProperty("transactional", onWire != null && onWire.transactional());
        json.writeObjectPropertyStart("ringmq");
        json.writeNumberProperty("held_publishes", channel.heldPublishes());
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * A connection: the wire listener's ones with everything RabbitMQ shows of a network connection, the
     * application's own in-process ones as RabbitMQ shows its direct (Erlang client) connections.
     */
    void connection(final JsonGenerator json, final ConnectionInfo info, final WireConnection wire)
    {
        json.writeStartObject();
        json.writeStringProperty("name", info.name());
        json.writeStringProperty("node", node);
        json.writeStringProperty("vhost", wire != null && wire.vhost() != null ? wire.vhost() : VHOST);
        json.writeNumberProperty("channels", info.channelCount());
        if (wire == null)
        {
            json.writeStringProperty("type", "direct");
            json.writeStringProperty("protocol", "Direct 0-9-1");
            json.writeStringProperty("state", "running");
            json.writeEndObject();
            return;
        }
        json.writeStringProperty("type", "network");
        json.writeStringProperty("protocol", "AMQP 0-9-1");
        json.writeStringProperty("state", wire.state());
        if (wire.user() != null)
        {
            json.writeStringProperty("user", wire.user());
        }
        if (wire.authMechanism() != null)
        {
            json.writeStringProperty("auth_mechanism", wire.authMechanism());
        }
        json.writeStringProperty("peer_host", wire.peerHost());
        json.writeNumberProperty("peer_port", wire.peerPort());
        json.writeStringProperty("host", wire.host());
        json.writeNumberProperty("port", wire.port());
        json.writeBooleanProperty("ssl", wire.tls());
        json.writeNumberProperty("frame_max", wire.frameMax());
        json.writeNumberProperty("channel_max", wire.channelMax());
        json.writeNumberProperty("timeout", wire.heartbeat());
        json.writeNumberProperty("connected_at", wire.connectedAt());
        Json.table(json, "client_properties", wire.clientProperties());
        json.writeEndObject();
    }

    private static void peer(final JsonGenerator json, final WireConnection connection)
    {
        if (connection != null)
        {
            json.writeStringProperty("peer_host", connection.peerHost());
            json.writeNumberProperty("peer_port", connection.peerPort());
            if (connection.user() != null)
            {
                json.writeStringProperty("user", connection.user());
            }
        }
    }

    /** RabbitMQ's channel name: its connection's name and its number, {@code "... -> 127.0.0.1:5672 (1)"}. */
    static String channelName(final String connectionName, final int number)
    {
        return connectionName + " (" + number + ")";
    }

    /** The AMQP listener's connections by name, and within each, its channels by engine channel number. */
    record Wire(Map<String, WireConnection> connections)
    {
        static Wire of(final List<WireConnection> snapshots)
        {
            final Map<String, WireConnection> byName = new java.util.HashMap<>();
            for (final WireConnection connection : snapshots)
            {
                byName.put(connection.name(), connection);
            }
            return new Wire(byName);
        }

        WireConnection connection(final String name)
        {
            return connections.get(name);
        }

        WireConnection.WireChannel channel(final WireConnection connection, final int engineNumber)
        {
            if (connection != null)
            {
                for (final WireConnection.WireChannel channel : connection.channels())
                {
                    if (channel.engineNumber() == engineNumber)
                    {
                        return channel;
                    }
                }
            }
            return null;
        }

        /** @return the number the client knows the channel by; the engine's own for in-process channels. */
        int channelNumber(final WireConnection connection, final int engineNumber)
        {
            final WireConnection.WireChannel channel = channel(connection, engineNumber);
            return channel != null ? channel.number() : engineNumber;
        }
    }

    static boolean isVhost(final String vhost)
    {
        return Objects.equals(vhost, VHOST);
    }
}
