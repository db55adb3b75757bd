package io.ringmq;

import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code x-max-length}, {@code x-max-length-bytes} and {@code x-overflow}, with the ring's capacity as one more limit. */
class LengthLimitTest extends BrokerTestBase
{
    @BeforeEach
    void declareFixture()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
    }

    private List<Integer> drain(final String queue)
    {
        final List<Integer> out = new ArrayList<>();
        Delivery d;
        while ((d = channel.get(queue, true)) != null)
        {
            out.add(seqOf(d.body()));
        }
        return out;
    }

    @Test
    void aMaxLengthDropsTheHeadByDefaultAndSaysSo()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(2).build());
        assertTrue(channel.publish("", "q", seq(1)).isFullyAccepted());
        channel.publish("", "q", seq(2));
        final PublishResult third = channel.publish("", "q", seq(3));
        assertTrue(third.isFullyAccepted());
        assertEquals(1, third.droppedMessages());
        assertEquals(List.of(2, 3), drain("q"));
        assertEquals(1, channel.queueDeclarePassive("q").droppedCount());
    }

    @Test
    @SuppressWarnings("unchecked")
    void droppedHeadsAreDeadLetteredWithReasonMaxlen()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(1).deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        final Delivery dead = channel.get("dead", true);
        assertEquals(1, seqOf(dead.body()));
        final Map<String, Object> death = ((List<Map<String, Object>>)dead.properties().headers().get("x-death")).get(0);
        assertEquals("maxlen", death.get("reason"));
        assertEquals("q", death.get("queue"));
    }

    @Test
    void rejectPublishRefusesTheNewMessageAtTheLimit()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(2).overflow(OverflowPolicy.REJECT_PUBLISH)
            .deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        final PublishResult refused = channel.publish("", "q", seq(3));
        assertEquals(1, refused.refusedQueues());
        assertEquals(List.of(1, 2), drain("q"));
        assertEquals(0, channel.queueDeclarePassive("dead").messageCount(), "reject-publish does not dead-letter");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rejectPublishDlxRefusesTheNewMessageAndDeadLettersIt()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(1).overflow(OverflowPolicy.REJECT_PUBLISH_DLX)
            .deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        final PublishResult refused = channel.publish("", "q", seq(2));
        assertEquals(1, refused.refusedQueues());
        assertEquals(0, refused.acceptedQueues());
        final Delivery dead = channel.get("dead", true);
        assertEquals(2, seqOf(dead.body()));
        assertEquals("maxlen", ((List<Map<String, Object>>)dead.properties().headers().get("x-death")).get(0).get("reason"));
        assertEquals(List.of(1), drain("q"));
        final MessageQueue q = broker.queue("q", channel);
        assertEquals(1, q.refusedToDeadLetterCount());
        assertEquals(0, q.removedCount(DeathReason.MAXLEN), "it never entered the queue: refused, not removed");
    }

    @Test
    void aByteLimitCountsBodyBytes()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLengthBytes(10).build()); // 4-byte bodies: two fit
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        assertEquals(1, channel.publish("", "q", seq(3)).droppedMessages());
        assertEquals(List.of(2, 3), drain("q"));
    }

    @Test
    void aMessageThatCanNeverFitIsTakenAndDroppedAtOnceAsInRabbitMq()
    {
        channel.queueDeclare(QueueSpec.builder("bytes").maxLengthBytes(3).deadLetterExchange("dlx").build());
        channel.queueDeclare(QueueSpec.builder("zero").maxLength(0).build());
        final PublishResult tooBig = channel.publish("", "bytes", seq(1));
        assertEquals(1, tooBig.acceptedQueues());
        assertEquals(1, tooBig.droppedMessages());
        assertEquals(1, seqOf(channel.get("dead", true).body()));
        assertEquals(1, channel.publish("", "zero", seq(2)).droppedMessages());
        assertNull(channel.get("zero", true));
        final PublishResult exact = channel.publish("", "bytes", new byte[3]);
        assertEquals(0, exact.droppedMessages(), "a body of exactly the limit fits");
        assertEquals(1, channel.queueDeclarePassive("bytes").messageCount());
    }

    @Test
    void theRingCapacityIsALimitTooAndTheSamePolicyApplies()
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(2).maxLength(100).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        assertEquals(1, channel.publish("", "q", seq(3)).refusedQueues(), "the ring filled first");
        channel.queueDeclare(QueueSpec.builder("d").capacity(2).maxLength(100).build()); // drop-head by default
        channel.publish("", "d", seq(1));
        channel.publish("", "d", seq(2));
        assertEquals(1, channel.publish("", "d", seq(3)).droppedMessages());
        assertEquals(List.of(2, 3), drain("d"));
    }

    @Test
    void unacknowledgedMessagesDoNotCountTowardsTheLimit()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(2).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        channel.get("q", false);
        assertTrue(channel.publish("", "q", seq(3)).isFullyAccepted());
    }

    @Test
    void aRequeueThatTakesTheQueuePastItsLimitDropsTheHeadAsRabbitMqDoes()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(2).build());
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        final long held = channel.get("q", false).deliveryTag(); // 1 is out
        channel.publish("", "q", seq(3)); // [2, 3]
        channel.nack(held, false, true); // [1, 2, 3] is over the limit: the head, 1 itself, goes
        assertEquals(2, channel.queueDeclarePassive("q").messageCount());
        assertEquals(1, channel.queueDeclarePassive("q").droppedCount());
        assertEquals(List.of(2, 3), drain("q"));
    }

    @Test
    void aRequeuePastTheLimitDeadLettersTheDroppedHeadWithReasonMaxlen()
    {
        channel.exchangeDeclare("dlx", io.ringmq.routing.ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
        channel.queueDeclare(QueueSpec.builder("q").maxLength(1).deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        final long held = channel.get("q", false).deliveryTag();
        channel.publish("", "q", seq(2)); // [2]
        channel.nack(held, false, true); // [1, 2]: over the limit of 1
        final Delivery dead = channel.get("dead", true);
        assertEquals(1, seqOf(dead.body()));
        final Map<?, ?> death = (Map<?, ?>)((List<?>)dead.properties().headers().get("x-death")).get(0);
        assertEquals("maxlen", death.get("reason"));
        assertEquals(List.of(2), drain("q"));
    }

    @Test
    void aRequeueIntoARejectPublishQueueMayExceedTheLimit()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(1).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        channel.publish("", "q", seq(1));
        final long held = channel.get("q", false).deliveryTag();
        channel.publish("", "q", seq(2));
        channel.nack(held, false, true); // a requeue is never refused, and reject-publish drops nothing
        assertEquals(List.of(1, 2), drain("q"));
    }

    @Test
    void concurrentPublishersNeverPushAQueuePastItsLimit() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").maxLength(1000).overflow(OverflowPolicy.REJECT_PUBLISH).build());
        final AtomicInteger accepted = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 4; p++)
        {
            publishers.add(new Thread(() ->
            {
                try (Channel mine = broker.openChannel())
                {
                    start.await();
                    for (int i = 0; i < 1000; i++)
                    {
                        accepted.addAndGet(mine.publish("", "q", seq(i)).acceptedQueues());
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        publishers.forEach(Thread::start);
        start.countDown();
        for (final Thread t : publishers)
        {
            t.join();
        }
        assertEquals(1000, accepted.get());
        assertEquals(1000, channel.queueDeclarePassive("q").messageCount());
    }

    @Test
    void everyMessageIsAccountedForByCause()
    {
        // The soak ledger's identity on one queue: accepted = acked + removed by each cause + still ready.
        channel.queueDeclare(QueueSpec.builder("q").maxLength(5).deadLetterExchange("dlx").build());
        int accepted = 0;
        for (int i = 0; i < 8; i++)
        {
            accepted += channel.publish("", "q", seq(i)).acceptedQueues(); // 3 dropped at the head
        }
        channel.reject(channel.get("q", false).deliveryTag(), false);
        channel.ack(channel.get("q", false).deliveryTag(), false);
        final MessageQueue q = broker.queue("q", channel);
        final long removed = q.removedCount(DeathReason.MAXLEN) + q.removedCount(DeathReason.REJECTED) +
            q.removedCount(DeathReason.EXPIRED) + q.removedCount(DeathReason.DELIVERY_LIMIT);
        assertEquals(accepted, 1 + removed + q.messageCount() + q.discardedCount());
        assertEquals(4, q.deadLetteredCount());
        assertEquals(4, channel.queueDeclarePassive("dead").messageCount());
    }
}
