package io.ringmq.amqp.management;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RabbitMQ's own management CLI, {@code rabbitmqadmin} (Debian's rabbitmq-server package ships it as
 * {@code /usr/bin/rabbitmqadmin}; {@code .ci/run} installs that package), pointed at RingMQ's management port
 * unchanged: the "existing scripts work" promise, tested with a real script instead of our reading of the API.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RabbitmqAdminTest
{
    private static final Path RABBITMQADMIN = Path.of("/usr/bin/rabbitmqadmin");

    private ManagedServer server;
    private Connection client;

    @BeforeEach
    void start()
    {
        if (!Files.isExecutable(RABBITMQADMIN))
        {
            fail("this test needs RabbitMQ's rabbitmqadmin (" + RABBITMQADMIN + "): apt-get install -y rabbitmq-server, " +
                "or interop/scripts/packages.sh install rabbitmq");
        }
        server = ManagedServer.start();
        client = server.connect();
    }

    @AfterEach
    void stop() throws IOException
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void listsQueuesExchangesBindingsConnectionsAndTheOverviewAsItDoesForRabbitMq() throws Exception
    {
        final Channel channel = client.createChannel();
        channel.exchangeDeclare("logs", "fanout", true);
        channel.queueDeclare("orders", true, false, false, null);
        channel.queueBind("orders", "logs", "");
        for (int i = 0; i < 3; i++)
        {
            channel.basicPublish("", "orders", null, ("order " + i).getBytes(StandardCharsets.UTF_8));
        }
        channel.basicConsume("orders", false, "watcher", new com.rabbitmq.client.DefaultConsumer(channel));

        final JsonNode queues = ManagedServer.parse(admin(0, "list", "queues"));
        assertEquals(1, queues.size(), queues.toString());
        assertEquals("orders", queues.get(0).get("name").asString());
        assertEquals(1, queues.get(0).get("consumers").asInt());

        assertTrue(names(ManagedServer.parse(admin(0, "list", "exchanges")), "name").containsAll(
            List.of("", "amq.direct", "amq.fanout", "amq.topic", "logs")));

        final JsonNode bindings = ManagedServer.parse(admin(0, "list", "bindings"));
        boolean fromLogs = false;
        for (final JsonNode binding : bindings)
        {
            fromLogs |= binding.get("source").asString().equals("logs") && binding.get("destination").asString().equals("orders");
        }
        assertTrue(fromLogs, bindings.toString());

        assertEquals(List.of("watcher"), names(ManagedServer.parse(admin(0, "list", "consumers")), "consumer_tag"));
        assertEquals(1, ManagedServer.parse(admin(0, "list", "connections")).size());
        assertFalse(ManagedServer.parse(admin(0, "list", "channels")).isEmpty());
        final JsonNode overview = ManagedServer.parse(admin(0, "show", "overview"));
        assertEquals(1, overview.get(0).get("object_totals").get("queues").asInt(), overview.toString());
    }

    @Test
    void purgesAndDeletesAQueue() throws Exception
    {
        final Channel channel = client.createChannel();
        channel.queueDeclare("orders", true, false, false, null);
        for (int i = 0; i < 4; i++)
        {
            channel.basicPublish("", "orders", null, new byte[8]);
        }
        server.awaitJson("/api/queues/%2F/orders", "4 ready", q -> q.path("messages_ready").asInt() == 4);

        assertTrue(admin(0, "purge", "queue", "name=orders").contains("queue purged"));
        assertEquals(0, channel.queueDeclarePassive("orders").getMessageCount());

        assertTrue(admin(0, "delete", "queue", "name=orders").contains("queue deleted"));
        assertEquals(0, ManagedServer.parse(admin(0, "list", "queues")).size());
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception
    {
        final String output = adminAs("guest", "not-the-password", "list", "queues");
        assertTrue(output.contains("401") || output.contains("Access refused"), output);
    }

    /** Runs rabbitmqadmin as guest with raw JSON output; asserts its exit status. */
    private String admin(final int expectedExit, final String... command) throws Exception
    {
        final Result result = run("guest", "guest", command);
        assertEquals(expectedExit, result.exit, result.output);
        return result.output;
    }

    /** Runs rabbitmqadmin as {@code user}; asserts that it failed. */
    private String adminAs(final String user, final String password, final String... command) throws Exception
    {
        final Result result = run(user, password, command);
        assertNotEquals(0, result.exit, result.output);
        return result.output;
    }

    private Result run(final String user, final String password, final String... command) throws Exception
    {
        final List<String> line = new ArrayList<>(List.of("/usr/bin/python3", RABBITMQADMIN.toString(),
            "-H", "127.0.0.1", "-P", Integer.toString(server.server().managementAddress().getPort()),
            "-u", user, "-p", password, "-f", "raw_json"));
        line.addAll(List.of(command));
        final Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(20, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            fail("rabbitmqadmin " + String.join(" ", command) + " did not finish in 20 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static List<String> names(final JsonNode list, final String field)
    {
        final List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get(field).asString()));
        return names;
    }

    private record Result(int exit, String output)
    {
    }
}
