package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ tutorial three, "Publish/Subscribe": a fanout exchange, and each subscriber's own
 * server-named, exclusive, auto-delete queue bound to it.
 */
@InteropTest
class PublishSubscribeTutorialTest
{
    @Test
    void everySubscriberGetsEveryLogThroughItsOwnServerNamedQueue(Amqp amqp) throws Exception
    {
        String logs = amqp.exchangeName("logs");
        Channel emitter = amqp.channel();
        emitter.exchangeDeclare(logs, BuiltinExchangeType.FANOUT);

        BlockingQueue<String> first = subscribe(amqp.connect(), logs);
        BlockingQueue<String> second = subscribe(amqp.connect(), logs);

        List<String> lines = List.of("info: one", "warning: two", "error: three");
        for (String line : lines)
        {
            emitter.basicPublish(logs, "", null, line.getBytes(UTF_8));
        }
        for (String line : lines)
        {
            assertEquals(line, Await.take(first, "first subscriber's " + line));
            assertEquals(line, Await.take(second, "second subscriber's " + line));
        }
    }

    @Test
    void serverNamedQueueIsExclusiveAutoDeleteAndGoneWithItsConnection(Amqp amqp) throws Exception
    {
        Connection subscriber = amqp.connect();
        Channel channel = subscriber.createChannel();
        AMQP.Queue.DeclareOk first = channel.queueDeclare();
        AMQP.Queue.DeclareOk second = channel.queueDeclare();
        // RabbitMQ 3.10 names them "amq.gen-" followed by 22 base64url characters.
        assertTrue(first.getQueue().startsWith("amq.gen-"), first.getQueue());
        assertNotEquals(first.getQueue(), second.getQueue());
        assertEquals(0, first.getMessageCount());
        assertEquals(0, first.getConsumerCount());

        Channel other = amqp.connect().createChannel();
        AMQP.Channel.Close locked = ServerErrors.channelClose(other, () -> other.queueDeclarePassive(first.getQueue()));
        assertEquals(AMQP.RESOURCE_LOCKED, locked.getReplyCode());

        subscriber.close();
        // The owner's queues go when the broker sees the connection gone, a moment after close-ok.
        Await.until(() -> !amqp.queueExists(first.getQueue()), "the exclusive queue to be deleted with its connection");
        Await.until(() -> !amqp.queueExists(second.getQueue()), "the exclusive queue to be deleted with its connection");
    }

    private static BlockingQueue<String> subscribe(Connection connection, String exchange) throws Exception
    {
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, "");
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        channel.basicConsume(queue, true, (tag, d) -> received.add(new String(d.getBody(), UTF_8)), tag -> { });
        return received;
    }
}
