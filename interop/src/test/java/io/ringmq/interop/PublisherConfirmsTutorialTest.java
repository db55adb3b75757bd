package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmCallback;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ tutorial seven, "Publisher confirms", in its three strategies: one message at a time,
 * in batches, and asynchronously with a map of outstanding sequence numbers.
 */
@InteropTest
class PublisherConfirmsTutorialTest
{
    private static final int MESSAGES = 500;
    private static final int BATCH = 50;
    private static final long CONFIRM_TIMEOUT_MILLIS = Await.SECONDS * 1000;

    @Test
    void publishingOneAtATimeEachMessageIsConfirmedBeforeTheNext(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("confirms");
        Channel channel = confirmingChannel(amqp, queue);
        for (int i = 0; i < MESSAGES; i++)
        {
            channel.basicPublish("", queue, null, Integer.toString(i).getBytes(UTF_8));
            channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
        }
        assertEquals(MESSAGES, channel.queueDeclarePassive(queue).getMessageCount());
    }

    @Test
    void publishingInBatchesEachBatchIsConfirmedAsAWhole(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("confirms");
        Channel channel = confirmingChannel(amqp, queue);
        int outstanding = 0;
        for (int i = 0; i < MESSAGES; i++)
        {
            channel.basicPublish("", queue, null, Integer.toString(i).getBytes(UTF_8));
            if (++outstanding == BATCH)
            {
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
                outstanding = 0;
            }
        }
        channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MILLIS);
        assertEquals(MESSAGES, channel.queueDeclarePassive(queue).getMessageCount());
    }

    @Test
    void publishingAsynchronouslyEverySequenceNumberIsAckedSomeOfThemWithMultiple(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("confirms");
        Channel channel = confirmingChannel(amqp, queue);
        ConcurrentNavigableMap<Long, String> outstanding = new ConcurrentSkipListMap<>();
        CountDownLatch allConfirmed = new CountDownLatch(MESSAGES);
        AtomicInteger nacked = new AtomicInteger();

        ConfirmCallback acked = (sequenceNumber, multiple) -> {
            // multiple: every sequence number up to this one is confirmed at once.
            ConcurrentNavigableMap<Long, String> confirmed = multiple
                ? outstanding.headMap(sequenceNumber, true)
                : outstanding.subMap(sequenceNumber, true, sequenceNumber, true);
            int count = confirmed.size();
            confirmed.clear();
            for (int i = 0; i < count; i++)
            {
                allConfirmed.countDown();
            }
        };
        channel.addConfirmListener(acked, (sequenceNumber, multiple) -> nacked.incrementAndGet());

        for (int i = 0; i < MESSAGES; i++)
        {
            String body = Integer.toString(i);
            outstanding.put(channel.getNextPublishSeqNo(), body);
            channel.basicPublish("", queue, null, body.getBytes(UTF_8));
        }

        Await.latch(allConfirmed, MESSAGES + " confirms");
        assertTrue(outstanding.isEmpty(), () -> "still outstanding: " + outstanding.keySet());
        assertEquals(0, nacked.get(), "a classic queue nacks nothing");
        assertEquals(MESSAGES, channel.queueDeclarePassive(queue).getMessageCount());
    }

    private static Channel confirmingChannel(Amqp amqp, String queue) throws Exception
    {
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        channel.confirmSelect();
        return channel;
    }
}
