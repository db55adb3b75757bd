package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

/** Queue declarations and policies as RabbitMQ runs them: counts, purge, delete, length limits, TTL, dead-lettering, quorum. */
@InteropTest
class QueueSemanticsTest
{
    @Test
    void declareOkCountsReadyMessagesAndConsumersButNotUnackedOnes(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("counts");
        Channel channel = amqp.channel();
        AMQP.Queue.DeclareOk fresh = channel.queueDeclare(queue, false, false, false, null);
        assertEquals(queue, fresh.getQueue());
        assertEquals(0, fresh.getMessageCount());
        assertEquals(0, fresh.getConsumerCount());

        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2", "3");
        channel.basicGet(queue, false);   // one unacked: not counted
        Channel consumer = amqp.channel();
        consumer.basicQos(1);
        consumer.basicConsume(queue, false, (tag, d) -> { }, tag -> { });
        Await.until(() -> channel.queueDeclarePassive(queue).getMessageCount() == 1, "the consumer to take one");
        AMQP.Queue.DeclareOk again = channel.queueDeclare(queue, false, false, false, null);
        assertEquals(1, again.getMessageCount());
        assertEquals(1, again.getConsumerCount());
    }

    @Test
    void purgeRemovesReadyMessagesAndSaysHowMany(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("purge");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2", "3", "4");
        GetResponse unacked = channel.basicGet(queue, false);
        assertEquals(3, channel.queuePurge(queue).getMessageCount(), "ready ones only");
        channel.basicNack(unacked.getEnvelope().getDeliveryTag(), false, true);
        // basic.nack has no reply; RabbitMQ requeues a moment later, so the count is awaited.
        Await.until(() -> channel.queueDeclarePassive(queue).getMessageCount() == 1, "the unacked one, not purged, to be requeued");
    }

    @Test
    void deleteIfUnusedAndIfEmptySucceedWhenTheyHoldAndDeleteOkCountsTheMessages(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("delete");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2");
        assertEquals(2, channel.queueDelete(queue, true, false).getMessageCount(), "unused: deleted with its 2 messages");
        assertFalse(amqp.queueExists(queue));

        String empty = amqp.queueName("delete-empty");
        channel.queueDeclare(empty, false, false, false, null);
        channel.basicConsume(empty, true, (tag, d) -> { }, tag -> { });
        assertEquals(0, amqp.channel().queueDelete(empty, false, true).getMessageCount(), "empty though used: deleted");
        assertEquals(0, amqp.channel().queueDelete(Amqp.unique("never-declared")).getMessageCount(),
                     "deleting a queue that does not exist is delete-ok");
    }

    @Test
    void maxLengthDropsFromTheHead(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("max-length");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, Map.of("x-max-length", 3));
        Messages.publishConfirmed(amqp.channel(), "", queue, "1", "2", "3", "4", "5");
        assertEquals(List.of("3", "4", "5"), Messages.drain(channel, queue));
    }

    @Test
    void queueTtlAndPerMessageExpirationDropExpiredMessages(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("ttl");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, Map.of("x-message-ttl", 200));
        Messages.publishConfirmed(amqp.channel(), "", queue, "short-lived");
        String perMessage = amqp.queueName("expiration");
        channel.queueDeclare(perMessage, false, false, false, null);
        channel.confirmSelect();
        channel.basicPublish("", perMessage, new AMQP.BasicProperties.Builder().expiration("200").build(), "brief".getBytes(UTF_8));
        channel.basicPublish("", perMessage, null, "lasting".getBytes(UTF_8));
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);

        Await.until(() -> channel.queueDeclarePassive(queue).getMessageCount() == 0, "the queue TTL to expire the message");
        assertNull(channel.basicGet(queue, true));
        Thread.sleep(400);
        assertEquals(List.of("lasting"), Messages.drain(channel, perMessage), "expired at the head when it is reached");
    }

    @Test
    void rejectedAndExpiredMessagesAreDeadLetteredWithTheirXDeathHistory(Amqp amqp) throws Exception
    {
        String dlx = amqp.exchangeName("dlx");
        String dead = amqp.queueName("dead");
        String source = amqp.queueName("source");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(dlx, "fanout");
        channel.queueDeclare(dead, false, false, false, null);
        channel.queueBind(dead, dlx, "");
        channel.queueDeclare(source, false, false, false, Map.of("x-dead-letter-exchange", dlx, "x-message-ttl", 60_000));
        Messages.publishConfirmed(amqp.channel(), "", source, "rejected");
        GetResponse got = channel.basicGet(source, false);
        channel.basicReject(got.getEnvelope().getDeliveryTag(), false);

        Await.until(() -> channel.queueDeclarePassive(dead).getMessageCount() == 1, "the rejected message to be dead-lettered");
        GetResponse deadLettered = channel.basicGet(dead, true);
        assertEquals("rejected", Messages.body(deadLettered));
        assertEquals(source, deadLettered.getEnvelope().getRoutingKey(), "dead-lettered with its original routing key");
        Map<String, Object> death = onlyDeath(deadLettered);
        assertEquals("rejected", death.get("reason").toString());
        assertEquals(source, death.get("queue").toString());
        assertEquals("", death.get("exchange").toString());
        assertEquals(1L, death.get("count"));
        assertEquals(List.of(source), ((List<?>) death.get("routing-keys")).stream().map(Object::toString).toList());
        assertTrue(death.get("time") instanceof java.util.Date, "x-death time is a timestamp");
        Map<String, Object> headers = deadLettered.getProps().getHeaders();
        assertEquals("rejected", headers.get("x-first-death-reason").toString());
        assertEquals(source, headers.get("x-first-death-queue").toString());

        channel.confirmSelect();
        channel.basicPublish("", source, new AMQP.BasicProperties.Builder().expiration("50").build(), "expired".getBytes(UTF_8));
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);
        Await.until(() -> channel.queueDeclarePassive(dead).getMessageCount() == 1, "the expired message to be dead-lettered");
        GetResponse expired = channel.basicGet(dead, true);
        assertEquals("expired", onlyDeath(expired).get("reason").toString());
        assertEquals("50", onlyDeath(expired).get("original-expiration").toString());
        assertNull(expired.getProps().getExpiration(), "the expiration is removed when dead-lettered");
    }

    @Test
    void aQuorumQueueIsDeclaredDurableAndRefusesExclusiveOrNonDurable(Amqp amqp) throws Exception
    {
        // exclusive:   406 "PRECONDITION_FAILED - invalid property 'exclusive-owner' for queue 'NAME' in vhost '/'"
        // non-durable: 406 "PRECONDITION_FAILED - invalid property 'non-durable' for queue 'NAME' in vhost '/'"
        // classic redeclared as quorum: 406 "PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'NAME'
        //              in vhost '/': received the value 'quorum' of type 'longstr' but current is none"
        String queue = amqp.queueName("quorum");
        Channel channel = amqp.channel();
        AMQP.Queue.DeclareOk ok = channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        assertEquals(queue, ok.getQueue());
        Messages.publishConfirmed(amqp.channel(), "", queue, "replicated");
        GetResponse got = channel.basicGet(queue, false);
        assertEquals("replicated", Messages.body(got));
        channel.basicAck(got.getEnvelope().getDeliveryTag(), false);

        String exclusive = amqp.queueName("quorum-exclusive");
        Channel first = amqp.channel();
        AMQP.Channel.Close refusedExclusive = ServerErrors.channelClose(first,
            () -> first.queueDeclare(exclusive, true, true, false, Map.of("x-queue-type", "quorum")));
        assertEquals(AMQP.PRECONDITION_FAILED, refusedExclusive.getReplyCode());
        assertEquals("PRECONDITION_FAILED - invalid property 'exclusive-owner' for queue '" + exclusive + "' in vhost '/'",
                     refusedExclusive.getReplyText());

        String transientName = amqp.queueName("quorum-transient");
        Channel second = amqp.channel();
        AMQP.Channel.Close refusedTransient = ServerErrors.channelClose(second,
            () -> second.queueDeclare(transientName, false, false, false, Map.of("x-queue-type", "quorum")));
        assertEquals(AMQP.PRECONDITION_FAILED, refusedTransient.getReplyCode());
        assertEquals("PRECONDITION_FAILED - invalid property 'non-durable' for queue '" + transientName + "' in vhost '/'",
                     refusedTransient.getReplyText());

        String classic = amqp.queueName("classic");
        amqp.channel().queueDeclare(classic, true, false, false, null);
        Channel third = amqp.channel();
        AMQP.Channel.Close otherType = ServerErrors.channelClose(third,
            () -> third.queueDeclare(classic, true, false, false, Map.of("x-queue-type", "quorum")));
        assertEquals(AMQP.PRECONDITION_FAILED, otherType.getReplyCode(), "a classic queue redeclared as quorum");
        assertTrue(otherType.getReplyText().startsWith("PRECONDITION_FAILED - inequivalent arg 'x-queue-type'"),
                   otherType.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyDeath(GetResponse response)
    {
        List<Map<String, Object>> deaths = (List<Map<String, Object>>) response.getProps().getHeaders().get("x-death");
        assertEquals(1, deaths.size(), () -> "x-death " + deaths);
        return deaths.get(0);
    }
}
