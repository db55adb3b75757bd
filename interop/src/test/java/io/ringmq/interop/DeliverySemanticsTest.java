package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.Return;
import org.junit.jupiter.api.Test;

/** How RabbitMQ delivers: redelivery flags, get counts, returns, consumer priorities, prefetch, server cancels. */
@InteropTest
class DeliverySemanticsTest
{
    @Test
    void aNackedAndRequeuedMessageComesBackFirstFlaggedRedelivered(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "nack");
        Messages.publishConfirmed(amqp.channel(), "", queue, "first", "second");
        Channel channel = amqp.channel();
        GetResponse first = channel.basicGet(queue, false);
        assertFalse(first.getEnvelope().isRedeliver());
        channel.basicNack(first.getEnvelope().getDeliveryTag(), false, true);

        GetResponse again = channel.basicGet(queue, false);
        assertEquals("first", Messages.body(again), "a requeued message goes back to its place at the head");
        assertTrue(again.getEnvelope().isRedeliver());
        GetResponse second = channel.basicGet(queue, false);
        assertEquals("second", Messages.body(second));
        assertFalse(second.getEnvelope().isRedeliver());
    }

    @Test
    void unackedMessagesOfAClosedChannelAreRedeliveredFlagged(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "closed-channel");
        Messages.publishConfirmed(amqp.channel(), "", queue, "a", "b");
        Channel consumer = amqp.channel();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        consumer.basicConsume(queue, false, (tag, d) -> got.add(d), tag -> { });
        assertFalse(Await.take(got, "a").getEnvelope().isRedeliver());
        assertFalse(Await.take(got, "b").getEnvelope().isRedeliver());
        consumer.close();

        Channel next = amqp.channel();
        // The queue requeues when it learns the channel is gone, a moment after close-ok.
        Await.until(() -> next.queueDeclarePassive(queue).getMessageCount() == 2, "both to be requeued");
        GetResponse a = next.basicGet(queue, true);
        GetResponse b = next.basicGet(queue, true);
        assertEquals(List.of("a", "b"), List.of(Messages.body(a), Messages.body(b)), "requeued in their original order");
        assertTrue(a.getEnvelope().isRedeliver() && b.getEnvelope().isRedeliver());
    }

    @Test
    void recoverWithRequeueRedeliversWhatIsUnacked(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "recover");
        Messages.publishConfirmed(amqp.channel(), "", queue, "again");
        Channel channel = amqp.channel();
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        channel.basicConsume(queue, false, (tag, d) -> got.add(d), tag -> { });
        assertFalse(Await.take(got, "the first delivery").getEnvelope().isRedeliver());
        channel.basicRecover(true);
        Delivery redelivered = Await.take(got, "the redelivery after basic.recover");
        assertEquals("again", new String(redelivered.getBody(), UTF_8));
        assertTrue(redelivered.getEnvelope().isRedeliver());
    }

    @Test
    void getOkCountsTheMessagesLeftBehindIt(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "get");
        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2", "3");
        Channel channel = amqp.channel();
        assertEquals(2, channel.basicGet(queue, false).getMessageCount());
        assertEquals(1, channel.basicGet(queue, true).getMessageCount());
        assertEquals(0, channel.basicGet(queue, false).getMessageCount());
        assertNull(channel.basicGet(queue, false), "get-empty");
    }

    @Test
    void aMandatoryMessageNoQueueTakesIsReturnedWith312NoRoute(Amqp amqp) throws Exception
    {
        Channel channel = amqp.channel();
        CompletableFuture<Return> returned = new CompletableFuture<>();
        channel.addReturnListener(returned::complete);
        channel.confirmSelect();
        String key = Amqp.unique("unbound");
        channel.basicPublish("amq.direct", key, true, new AMQP.BasicProperties.Builder().messageId("m-1").build(),
                             "nowhere".getBytes(UTF_8));
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);   // RabbitMQ sends basic.return before basic.ack
        assertTrue(returned.isDone(), "basic.return arrived before the confirm");
        Return r = returned.get();
        assertEquals(AMQP.NO_ROUTE, r.getReplyCode());
        assertEquals("NO_ROUTE", r.getReplyText());
        assertEquals("amq.direct", r.getExchange());
        assertEquals(key, r.getRoutingKey());
        assertEquals("m-1", r.getProperties().getMessageId());
        assertEquals("nowhere", new String(r.getBody(), UTF_8));

        // Without mandatory the same message is dropped silently.
        CompletableFuture<Return> none = new CompletableFuture<>();
        channel.addReturnListener(none::complete);
        channel.basicPublish("amq.direct", key, false, null, "dropped".getBytes(UTF_8));
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);
        assertFalse(none.isDone());
    }

    @Test
    void theHigherPriorityConsumerGetsEverythingWhileItHasCredit(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "priorities");
        Channel channel = amqp.channel();
        BlockingQueue<String> low = new LinkedBlockingQueue<>();
        BlockingQueue<String> high = new LinkedBlockingQueue<>();
        channel.basicConsume(queue, true, Map.of("x-priority", 0), (tag, d) -> low.add(new String(d.getBody(), UTF_8)), tag -> { });
        channel.basicConsume(queue, true, Map.of("x-priority", 10), (tag, d) -> high.add(new String(d.getBody(), UTF_8)), tag -> { });
        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2", "3", "4", "5", "6");
        for (int i = 1; i <= 6; i++)
        {
            assertEquals(Integer.toString(i), Await.take(high, "message " + i + " at the high-priority consumer"));
        }
        Await.nothingMore(low, "the low-priority consumer gets nothing while the high one can take");
    }

    @Test
    void perConsumerPrefetchLimitsEachConsumerGlobalPrefetchLimitsTheChannel(Amqp amqp) throws Exception
    {
        String q1 = declaredQueue(amqp, "qos-1");
        String q2 = declaredQueue(amqp, "qos-2");
        Channel publisher = amqp.channel();
        Messages.publishConfirmed(publisher, "", q1, "a", "b", "c", "d");
        Messages.publishConfirmed(publisher, "", q2, "a", "b", "c", "d");

        // basic.qos(global=false) in RabbitMQ: the count applies to each consumer started after it.
        Channel perConsumer = amqp.channel();
        perConsumer.basicQos(2, false);
        BlockingQueue<Delivery> got = new LinkedBlockingQueue<>();
        perConsumer.basicConsume(q1, false, (tag, d) -> got.add(d), tag -> { });
        perConsumer.basicConsume(q2, false, (tag, d) -> got.add(d), tag -> { });
        for (int i = 0; i < 4; i++)
        {
            Await.take(got, "delivery " + (i + 1) + " of 2 per consumer");
        }
        Await.nothingMore(got, "each consumer holds 2");
        perConsumer.close();

        // basic.qos(global=true): the count is shared by all consumers of the channel.
        Channel shared = amqp.channel();
        shared.basicQos(2, true);
        BlockingQueue<Delivery> sharedGot = new LinkedBlockingQueue<>();
        shared.basicConsume(q1, false, (tag, d) -> sharedGot.add(d), tag -> { });
        shared.basicConsume(q2, false, (tag, d) -> sharedGot.add(d), tag -> { });
        Await.take(sharedGot, "the first of 2 on the channel");
        Await.take(sharedGot, "the second of 2 on the channel");
        Await.nothingMore(sharedGot, "the channel holds 2 in all");
    }

    @Test
    void deletingAQueueCancelsItsConsumersWithBasicCancel(Amqp amqp) throws Exception
    {
        String queue = declaredQueue(amqp, "cancelled");
        Channel channel = amqp.channel();
        CompletableFuture<String> cancelledTag = new CompletableFuture<>();
        String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel)
        {
            @Override
            public void handleCancel(String consumerTag)
            {
                cancelledTag.complete(consumerTag);
            }

            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
            {
            }
        });
        amqp.channel().queueDelete(queue);
        assertEquals(tag, cancelledTag.get(Await.SECONDS, TimeUnit.SECONDS), "consumer_cancel_notify: basic.cancel from the server");
        assertTrue(channel.isOpen(), "the consumer's channel stays open");
    }

    private static String declaredQueue(Amqp amqp, String role) throws Exception
    {
        String queue = amqp.queueName(role);
        amqp.channel().queueDeclare(queue, false, false, false, null);
        return queue;
    }
}
