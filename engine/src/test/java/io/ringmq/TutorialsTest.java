package io.ringmq;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RabbitMQ tutorials every AMQP user starts with, run in process through the public API. */
class TutorialsTest
{
    @Test
    void helloWorldThroughADurableDirectExchangeIsConsumedAndAcknowledged() throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare(ExchangeSpec.builder("logs", ExchangeType.DIRECT).durable(true).build());
            channel.queueDeclare(QueueSpec.builder("hello").durable(true).build());
            channel.queueBind("hello", "logs", "info");

            final BlockingQueue<String> received = new ArrayBlockingQueue<>(1);
            final Consumer consumer = channel.consume("hello", ConsumeOptions.manualAck(1), delivery ->
            {
                received.add(delivery.bodyAsString() + " via " + delivery.exchange() + "/" + delivery.routingKey());
                delivery.ack();
            });

            final PublishResult result = channel.publish("logs", "info", "Hello World!".getBytes(StandardCharsets.UTF_8));
            assertTrue(result.isFullyAccepted(), result.toString());

            assertEquals("Hello World! via logs/info", received.poll(20, TimeUnit.SECONDS));
            Await.until("the ack to land", () -> consumer.unackedCount() == 0);
            assertEquals(0, channel.queueDeclarePassive("hello").messageCount());
        }
    }

    @Test
    void helloWorldThroughTheDefaultExchangeReachesTheQueueNamedByTheKey()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("hello");
            channel.publish("", "hello", "Hello World!".getBytes(StandardCharsets.UTF_8));

            final Delivery delivery = channel.get("hello", false);
            assertNotNull(delivery);
            assertEquals("Hello World!", delivery.bodyAsString());
            assertFalse(delivery.redelivered());
            channel.ack(delivery.deliveryTag(), false);
            assertEquals(0, channel.queueDeclarePassive("hello").messageCount());
        }
    }

    @Test
    void publishSubscribeFanoutDeliversEveryMessageToEveryBoundQueue() throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("logs-fanout", ExchangeType.FANOUT);
            final String first = channel.queueDeclare(QueueSpec.builder("").exclusive(true).build()).name();
            final String second = channel.queueDeclare(QueueSpec.builder("").exclusive(true).build()).name();
            assertTrue(first.startsWith("amq.gen-") && !first.equals(second));
            channel.queueBind(first, "logs-fanout", "");
            channel.queueBind(second, "logs-fanout", "ignored-by-fanout");

            final List<String> firstSaw = new CopyOnWriteArrayList<>();
            final List<String> secondSaw = new CopyOnWriteArrayList<>();
            channel.consume(first, true, d -> firstSaw.add(d.bodyAsString()));
            channel.consume(second, true, d -> secondSaw.add(d.bodyAsString()));

            for (int i = 0; i < 3; i++)
            {
                assertEquals(2, channel.publish("logs-fanout", "any", ("log " + i).getBytes(StandardCharsets.UTF_8))
                    .acceptedQueues());
            }
            Await.until("both subscribers to get three logs", () -> firstSaw.size() == 3 && secondSaw.size() == 3);
            assertEquals(List.of("log 0", "log 1", "log 2"), firstSaw);
            assertEquals(List.of("log 0", "log 1", "log 2"), secondSaw);
        }
    }

    @Test
    void topicRoutingDeliversByPattern() throws Exception
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("topic_logs", ExchangeType.TOPIC);
            channel.queueDeclare("kern-and-critical");
            channel.queueDeclare("everything");
            channel.queueBind("kern-and-critical", "topic_logs", "kern.*");
            channel.queueBind("kern-and-critical", "topic_logs", "*.critical");
            channel.queueBind("everything", "topic_logs", "#");

            for (final String key : List.of("kern.critical", "kern.info", "auth.critical", "auth.info.detail", ""))
            {
                channel.publish("topic_logs", key, key.getBytes(StandardCharsets.UTF_8));
            }

            assertEquals(List.of("kern.critical", "kern.info", "auth.critical"), drainAll(channel, "kern-and-critical"));
            assertEquals(List.of("kern.critical", "kern.info", "auth.critical", "auth.info.detail", ""),
                drainAll(channel, "everything"));
        }
    }

    @Test
    void routingSemanticsReachThroughThePublicPublishPath()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("hdr", ExchangeType.HEADERS);
            channel.exchangeDeclare("front", ExchangeType.DIRECT);
            channel.exchangeDeclare(ExchangeSpec.builder("unrouted", ExchangeType.FANOUT).internal(true).build());
            channel.exchangeDeclare(ExchangeSpec.builder("with-ae", ExchangeType.DIRECT)
                .alternateExchange("unrouted").build());
            channel.queueDeclare("pdf");
            channel.queueDeclare("lost-and-found");
            channel.queueBind("pdf", "hdr", "", java.util.Map.of("x-match", "all", "format", "pdf"));
            channel.exchangeBind("hdr", "front", "docs");
            channel.queueBind("lost-and-found", "unrouted", "");

            final MessageProperties pdf = MessageProperties.builder().header("format", "pdf").build();
            assertEquals(1, channel.publish("front", "docs", pdf, new byte[] {1}).acceptedQueues());
            assertEquals(0, channel.publish("front", "docs", MessageProperties.EMPTY, new byte[] {2}).routedQueues());
            assertEquals(1, channel.publish("with-ae", "nobody", new byte[] {3}).acceptedQueues());

            assertEquals(1, channel.queueDeclarePassive("pdf").messageCount());
            assertEquals(1, channel.queueDeclarePassive("lost-and-found").messageCount());
        }
    }

    private static List<String> drainAll(final Channel channel, final String queue) throws Exception
    {
        final List<String> bodies = new java.util.ArrayList<>();
        channel.drain(queue, true, Integer.MAX_VALUE, d -> bodies.add(d.bodyAsString()));
        return bodies;
    }
}
