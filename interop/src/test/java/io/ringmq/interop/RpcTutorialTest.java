package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ tutorial six, "RPC": a server consuming a request queue with prefetch 1 and answering
 * to each request's reply-to with its correlation id; the client either owns a reply queue or
 * uses direct reply-to ({@code amq.rabbitmq.reply-to}).
 */
@InteropTest
class RpcTutorialTest
{
    private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

    @Test
    void clientWithItsOwnReplyQueueMatchesAnswersByCorrelationId(Amqp amqp) throws Exception
    {
        String rpcQueue = amqp.queueName("rpc_queue");
        BlockingQueue<String> replyTos = startFibonacciServer(amqp, rpcQueue);

        Channel client = amqp.connect().createChannel();
        String replyQueue = client.queueDeclare().getQueue();
        BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
        client.basicConsume(replyQueue, true, (tag, d) -> replies.add(d), tag -> { });

        for (int n : new int[] {10, 20, 30})
        {
            String correlationId = UUID.randomUUID().toString();
            client.basicPublish("", rpcQueue,
                new AMQP.BasicProperties.Builder().correlationId(correlationId).replyTo(replyQueue).build(),
                Integer.toString(n).getBytes(UTF_8));
            Delivery reply = Await.take(replies, "fib(" + n + ")");
            assertEquals(correlationId, reply.getProperties().getCorrelationId());
            assertEquals(Long.toString(fib(n)), new String(reply.getBody(), UTF_8));
            assertEquals(replyQueue, Await.take(replyTos, "the server's view of reply-to"));
        }
    }

    @Test
    void clientUsingDirectReplyToGetsTheAnswerWithoutAReplyQueue(Amqp amqp) throws Exception
    {
        String rpcQueue = amqp.queueName("rpc_queue");
        BlockingQueue<String> replyTos = startFibonacciServer(amqp, rpcQueue);

        Channel client = amqp.connect().createChannel();
        BlockingQueue<Delivery> replies = new LinkedBlockingQueue<>();
        // Direct reply-to: consume the pseudo-queue in no-ack mode first, then publish on the same channel.
        client.basicConsume(DIRECT_REPLY_TO, true, (tag, d) -> replies.add(d), tag -> { });
        String correlationId = UUID.randomUUID().toString();
        client.basicPublish("", rpcQueue,
            new AMQP.BasicProperties.Builder().correlationId(correlationId).replyTo(DIRECT_REPLY_TO).build(),
            "25".getBytes(UTF_8));

        Delivery reply = Await.take(replies, "fib(25) over direct reply-to");
        assertEquals(correlationId, reply.getProperties().getCorrelationId());
        assertEquals(Long.toString(fib(25)), new String(reply.getBody(), UTF_8));
        // The server sees a per-channel name the broker made up, routable through the default exchange.
        String seen = Await.take(replyTos, "the server's view of reply-to");
        assertTrue(seen.startsWith(DIRECT_REPLY_TO + "."), seen);
    }

    /** The tutorial's RPC server; returns the reply-to of each request it answered. */
    private static BlockingQueue<String> startFibonacciServer(Amqp amqp, String rpcQueue) throws Exception
    {
        Channel server = amqp.connect().createChannel();
        server.queueDeclare(rpcQueue, false, false, false, null);
        server.queuePurge(rpcQueue);
        server.basicQos(1);
        BlockingQueue<String> replyTos = new LinkedBlockingQueue<>();
        server.basicConsume(rpcQueue, false, (tag, request) -> {
            AMQP.BasicProperties asked = request.getProperties();
            int n = Integer.parseInt(new String(request.getBody(), UTF_8));
            server.basicPublish("", asked.getReplyTo(),
                new AMQP.BasicProperties.Builder().correlationId(asked.getCorrelationId()).build(),
                Long.toString(fib(n)).getBytes(UTF_8));
            server.basicAck(request.getEnvelope().getDeliveryTag(), false);
            replyTos.add(asked.getReplyTo());
        }, tag -> { });
        return replyTos;
    }

    private static long fib(int n)
    {
        long a = 0;
        long b = 1;
        for (int i = 0; i < n; i++)
        {
            long next = a + b;
            a = b;
            b = next;
        }
        return a;
    }
}
