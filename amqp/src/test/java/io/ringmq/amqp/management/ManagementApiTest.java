package io.ringmq.amqp.management;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The management API read over real HTTP, after data made through the AMQP door with RabbitMQ's own client:
 * RabbitMQ's paths, field names and values, so scripts and dashboards written for RabbitMQ read RingMQ.
 */
@Timeout(60)
class ManagementApiTest
{
    private ManagedServer server;
    private Connection client;

    @BeforeEach
    void start()
    {
        server = ManagedServer.start();
        client = server.connect();
    }

    @AfterEach
    void stop() throws IOException
    {
        try
        {
            client.abort();
        }
        finally
        {
            server.close();
        }
    }

    private static byte[] body(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode named(final JsonNode list, final String field, final String value)
    {
        for (final JsonNode item : list)
        {
            if (item.path(field).asString().equals(value))
            {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + " = " + value + " in " + list);
    }

    @Test
    void aQueueShowsItsDepthUnackedConsumersAndMessageStatsUnderRabbitMqsNames() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("orders", true, false, false, Map.of("x-max-length", 1000));
        for (int i = 0; i < 5; i++)
        {
            channel.basicPublish("", "orders", null, body("order " + i));
        }
        final GetResponse first = channel.basicGet("orders", false); // one delivered, not acknowledged yet
        assertNotNull(first);
        channel.basicAck(channel.basicGet("orders", false).getEnvelope().getDeliveryTag(), false);

        final JsonNode queue = server.awaitJson("/api/queues/%2F/orders", "the counts",
            q -> q.path("messages").asInt() == 4);
        assertEquals("orders", queue.get("name").asString());
        assertEquals("/", queue.get("vhost").asString());
        assertTrue(queue.get("durable").asBoolean());
        assertFalse(queue.get("auto_delete").asBoolean());
        assertFalse(queue.get("exclusive").asBoolean());
        assertEquals(1000, queue.get("arguments").get("x-max-length").asInt());
        assertEquals("classic", queue.get("type").asString());
        assertEquals("running", queue.get("state").asString());
        assertEquals(4, queue.get("messages").asInt(), "ready + unacknowledged");
        assertEquals(3, queue.get("messages_ready").asInt());
        assertEquals(1, queue.get("messages_unacknowledged").asInt());
        assertEquals(3 * "order 0".length(), queue.get("message_bytes_ready").asLong());
        assertEquals(0, queue.get("consumers").asInt());
        final JsonNode stats = queue.get("message_stats");
        assertEquals(5, stats.get("publish").asLong());
        assertEquals(2, stats.get("deliver_get").asLong());
        assertEquals(1, stats.get("ack").asLong());
        assertEquals(0, stats.get("redeliver").asLong());
        for (final String rate : new String[] {"publish_details", "deliver_get_details", "ack_details", "redeliver_details"})
        {
            assertTrue(stats.get(rate).get("rate").isNumber(), rate);
        }

        final JsonNode listed = named(server.json("/api/queues"), "name", "orders");
        assertEquals(3, listed.get("messages_ready").asInt());
        assertEquals(listed.get("name"), named(server.json("/api/queues/%2F"), "name", "orders").get("name"));
    }

    @Test
    void aQueueThatKeepsReceivingShowsAPublishRate() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("stream", false, false, false, null);
        final Runnable publish = () ->
        {
            try
            {
                channel.basicPublish("", "stream", null, body("tick"));
            }
            catch (final IOException ex)
            {
                throw new java.io.UncheckedIOException(ex);
            }
        };
        publish.run();
        final JsonNode queue = server.awaitJson("/api/queues/%2F/stream", "a publish rate",
            q -> q.path("message_stats").path("publish_details").path("rate").asDouble() > 0, publish);
        final double rate = queue.get("message_stats").get("publish_details").get("rate").asDouble();
        assertTrue(rate < 1_000, "about one message per 50 ms poll, per second: " + rate);
        assertEquals(0.0, queue.get("message_stats").get("ack_details").get("rate").asDouble(), "nothing acknowledged");
    }

    @Test
    void aConsumerShowsItsQueueChannelAndPrefetchAsTheClientSeesThem() throws IOException
    {
        final Channel channel = client.createChannel(7); // a wire number the engine's own numbering would not give
        channel.queueDeclare("work", false, false, false, null);
        channel.basicQos(25);
        final String tag = channel.basicConsume("work", false, "worker-1", new com.rabbitmq.client.DefaultConsumer(channel));

        final JsonNode consumer = named(server.json("/api/consumers"), "consumer_tag", tag);
        assertEquals("work", consumer.get("queue").get("name").asString());
        assertEquals("/", consumer.get("queue").get("vhost").asString());
        assertTrue(consumer.get("ack_required").asBoolean());
        assertFalse(consumer.get("exclusive").asBoolean());
        assertEquals(25, consumer.get("prefetch_count").asInt());
        assertTrue(consumer.get("active").asBoolean());
        final JsonNode details = consumer.get("channel_details");
        assertEquals(7, details.get("number").asInt());
        assertEquals(connectionName(), details.get("connection_name").asString());
        assertEquals(connectionName() + " (7)", details.get("name").asString());
        assertEquals("127.0.0.1", details.get("peer_host").asString());
        assertEquals(clientPort(), details.get("peer_port").asInt());
        assertEquals("guest", details.get("user").asString());
        assertEquals(1, named(server.json("/api/queues"), "name", "work").get("consumers").asInt());
    }

    /** The client's end of its socket (amqp-client tells it on its implementation class only). */
    private int clientPort()
    {
        return ((com.rabbitmq.client.impl.AMQConnection)client).getLocalPort();
    }

    /** RabbitMQ's name for the test's connection: the client's end, then the server's. */
    private String connectionName()
    {
        return "127.0.0.1:" + clientPort() + " -> 127.0.0.1:" + server.server().address().getPort();
    }

    @Test
    void aConnectionShowsItsPeerUserLimitsAndClientProperties()
    {
        final JsonNode connection = named(server.json("/api/connections"), "name", connectionName());
        assertEquals("network", connection.get("type").asString());
        assertEquals("AMQP 0-9-1", connection.get("protocol").asString());
        assertEquals("running", connection.get("state").asString());
        assertEquals("guest", connection.get("user").asString());
        assertEquals("/", connection.get("vhost").asString());
        assertEquals("PLAIN", connection.get("auth_mechanism").asString());
        assertEquals("127.0.0.1", connection.get("peer_host").asString());
        assertEquals(clientPort(), connection.get("peer_port").asInt());
        assertEquals(server.server().address().getPort(), connection.get("port").asInt());
        assertFalse(connection.get("ssl").asBoolean());
        assertEquals(client.getFrameMax(), connection.get("frame_max").asInt());
        assertEquals(client.getChannelMax(), connection.get("channel_max").asInt());
        assertEquals(client.getHeartbeat(), connection.get("timeout").asInt());
        assertTrue(connection.get("connected_at").asLong() > 0);
        final JsonNode properties = connection.get("client_properties");
        assertEquals("management-test", properties.get("connection_name").asString());
        assertEquals("RabbitMQ", properties.get("product").asString());
        assertTrue(properties.get("capabilities").get("publisher_confirms").asBoolean());
    }

    @Test
    void anInProcessConnectionIsListedAsRabbitMqListsADirectOne()
    {
        try (io.ringmq.Connection local = server.broker().openConnection("in-process app"))
        {
            local.openChannel();
            final JsonNode connection = named(server.json("/api/connections"), "name", "in-process app");
            assertEquals("direct", connection.get("type").asString());
            assertEquals(1, connection.get("channels").asInt());
        }
    }

    @Test
    void aChannelShowsItsWireNumberModesAndUnacked() throws IOException
    {
        final Channel channel = client.createChannel(3);
        channel.confirmSelect();
        channel.basicQos(10);
        channel.queueDeclare("pending", false, false, false, null);
        channel.basicPublish("", "pending", null, body("x"));
        assertNotNull(channel.basicGet("pending", false));

        final JsonNode listed = named(server.json("/api/channels"), "name", connectionName() + " (3)");
        assertEquals(3, listed.get("number").asInt());
        assertTrue(listed.get("confirm").asBoolean());
        assertFalse(listed.get("transactional").asBoolean());
        assertEquals(10, listed.get("prefetch_count").asInt());
        assertEquals(1, listed.get("messages_unacknowledged").asInt());
        assertEquals("guest", listed.get("user").asString());
        assertEquals(connectionName(), listed.get("connection_details").get("name").asString());
        assertEquals(clientPort(), listed.get("connection_details").get("peer_port").asInt());
    }

    @Test
    void exchangesAndBindingsIncludeTheDefaultExchangeAndItsImplicitBindings() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.exchangeDeclare("events", "topic", true, false, false, null);
        channel.queueDeclare("audit", false, false, true, null);
        channel.queueBind("audit", "events", "order.*");

        final JsonNode exchanges = server.json("/api/exchanges");
        assertEquals("direct", named(exchanges, "name", "").get("type").asString());
        assertEquals("fanout", named(exchanges, "name", "amq.fanout").get("type").asString());
        final JsonNode events = named(exchanges, "name", "events");
        assertEquals("topic", events.get("type").asString());
        assertEquals("/", events.get("vhost").asString());
        assertTrue(events.get("durable").asBoolean());
        assertFalse(events.get("auto_delete").asBoolean());
        assertFalse(events.get("internal").asBoolean());
        assertEquals(events, server.json("/api/exchanges/%2F/events"));
        assertEquals(404, server.send("GET", server.management("/api/exchanges/%2F/no-such")).statusCode());

        final Set<String> bindings = new HashSet<>();
        for (final JsonNode binding : server.json("/api/bindings"))
        {
            if (binding.get("destination").asString().equals("audit"))
            {
                assertEquals("queue", binding.get("destination_type").asString());
                assertEquals("/", binding.get("vhost").asString());
                bindings.add(binding.get("source").asString() + " " + binding.get("routing_key").asString() + " " +
                    binding.get("properties_key").asString());
            }
        }
        assertEquals(Set.of(" audit audit", "events order.* order.*"), bindings);
    }

    @Test
    void theOverviewTotalsObjectsMessagesAndListsTheListenersWithTheirRealPorts() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("totals", false, false, false, null);
        channel.basicPublish("", "totals", null, body("a"));
        channel.basicPublish("", "totals", null, body("b"));

        final JsonNode overview = server.awaitJson("/api/overview", "two messages ready",
            o -> o.path("queue_totals").path("messages_ready").asInt() == 2);
        assertEquals("RingMQ", overview.get("product_name").asString());
        assertEquals("basic", overview.get("rates_mode").asString());
        assertEquals(2, overview.get("queue_totals").get("messages").asInt());
        assertEquals(0, overview.get("queue_totals").get("messages_unacknowledged").asInt());
        final JsonNode totals = overview.get("object_totals");
        assertEquals(1, totals.get("queues").asInt());
        assertEquals(server.json("/api/exchanges").size(), totals.get("exchanges").asInt(),
            "the default and amq.* exchanges, as listed");
        assertEquals(1, totals.get("connections").asInt());
        assertEquals(1, totals.get("channels").asInt());
        assertEquals(0, totals.get("consumers").asInt());
        assertEquals(2, overview.get("message_stats").get("publish").asLong());
        final Map<String, Integer> ports = new java.util.HashMap<>();
        for (final JsonNode listener : overview.get("listeners"))
        {
            ports.put(listener.get("protocol").asString(), listener.get("port").asInt());
        }
        assertEquals(server.server().address().getPort(), ports.get("amqp"));
        assertEquals(server.server().managementAddress().getPort(), ports.get("http"));
        assertEquals(server.server().prometheusAddress().getPort(), ports.get("http/prometheus"));
    }

    @Test
    void deleteRemovesTheQueueAndPurgeEmptiesItBothAnswering204() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("doomed", false, false, false, null);
        channel.queueDeclare("full", false, false, false, null);
        for (int i = 0; i < 3; i++)
        {
            channel.basicPublish("", "full", null, body("m"));
        }

        final HttpResponse<String> purge = server.send("DELETE", server.management("/api/queues/%2F/full/contents"));
        assertEquals(204, purge.statusCode(), purge::body);
        assertEquals("", purge.body());
        assertEquals(0, channel.queueDeclarePassive("full").getMessageCount());

        final HttpResponse<String> delete = server.send("DELETE", server.management("/api/queues/%2F/doomed"));
        assertEquals(204, delete.statusCode(), delete::body);
        assertEquals(404, server.send("GET", server.management("/api/queues/%2F/doomed")).statusCode());
        assertEquals(404, server.send("DELETE", server.management("/api/queues/%2F/doomed")).statusCode(),
            "deleting what is gone: RabbitMQ's 404");
        assertEquals(404, server.send("DELETE", server.management("/api/queues/%2F/doomed/contents")).statusCode());
    }

    @Test
    void deleteRemovesAnotherConnectionsExclusiveQueueAsRabbitMqsManagementDoesButPurgeKeepsAmqpsLock()
        throws Exception
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("private", false, true, false, null);
        channel.basicPublish("", "private", null, body("m"));
        final java.util.concurrent.CompletableFuture<String> cancelled = new java.util.concurrent.CompletableFuture<>();
        channel.basicConsume("private", false, new com.rabbitmq.client.DefaultConsumer(channel)
        {
            @Override
            public void handleCancel(final String consumerTag)
            {
                cancelled.complete(consumerTag);
            }
        });

        final HttpResponse<String> purge = server.send("DELETE", server.management("/api/queues/%2F/private/contents"));
        assertEquals(400, purge.statusCode(), purge::body);
        assertTrue(ManagedServer.parse(purge.body()).get("reason").asString().contains("exclusive"), purge::body);

        final HttpResponse<String> delete = server.send("DELETE", server.management("/api/queues/%2F/private"));
        assertEquals(204, delete.statusCode(), delete::body);
        assertNotNull(cancelled.get(5, java.util.concurrent.TimeUnit.SECONDS), "its consumer got basic.cancel");
        assertEquals(404, server.send("GET", server.management("/api/queues/%2F/private")).statusCode());
        assertTrue(client.isOpen() && channel.isOpen(), "the owner's connection and channel stay open");
    }

    @Test
    void deleteWithIfEmptyRefusesAQueueThatHoldsMessages() throws IOException
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("keeper", false, false, false, null);
        channel.basicPublish("", "keeper", new AMQP.BasicProperties(), body("m"));

        final HttpResponse<String> refused = server.send("DELETE", server.management("/api/queues/%2F/keeper?if-empty=true"));
        assertEquals(400, refused.statusCode(), refused::body);
        assertEquals("bad_request", ManagedServer.parse(refused.body()).get("error").asString());
        assertEquals(1, channel.queueDeclarePassive("keeper").getMessageCount(), "the queue and its message stay");
    }
}
