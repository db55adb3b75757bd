package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.Test;

/** RabbitMQ tutorial one, "Hello World!": a named queue, the default exchange, an auto-ack consumer. */
@InteropTest
class HelloWorldTutorialTest
{
    @Test
    void messagePublishedToTheDefaultExchangeReachesTheQueueNamedByItsRoutingKey(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("hello");
        Channel sender = amqp.connect().createChannel();
        Channel receiver = amqp.connect().createChannel();
        sender.queueDeclare(queue, false, false, false, null);
        receiver.queueDeclare(queue, false, false, false, null);

        BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();
        receiver.basicConsume(queue, true, (tag, delivery) -> received.add(delivery), tag -> { });
        sender.basicPublish("", queue, null, "Hello World!".getBytes(UTF_8));

        Delivery delivery = Await.take(received, "Hello World!");
        assertEquals("Hello World!", new String(delivery.getBody(), UTF_8));
        assertEquals("", delivery.getEnvelope().getExchange());
        assertEquals(queue, delivery.getEnvelope().getRoutingKey());
        assertFalse(delivery.getEnvelope().isRedeliver());
        Await.nothingMore(received, "one publish delivers one message");
    }
}
