package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Consumer priorities ({@code x-priority}): higher consumers take messages while they have credit; lower ones only when they do not. */
class ConsumerPriorityTest extends BrokerTestBase
{
    @Test
    void aHigherPriorityConsumerWithCreditGetsEverything()
    {
        channel.queueDeclare("q");
        final AtomicInteger low = new AtomicInteger();
        final AtomicInteger high = new AtomicInteger();
        channel.consume("q", ConsumeOptions.builder().autoAck(true).build(), d -> low.incrementAndGet());
        channel.consume("q", ConsumeOptions.builder().autoAck(true).priority(10).build(), d -> high.incrementAndGet());
        // At most MAILBOX_LIMIT can wait for one consumer: this many never block the high one (next test).
        final int messages = DeliveryAgent.MAILBOX_LIMIT;
        for (int i = 0; i < messages; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("all delivered", () -> high.get() == messages);
        assertEquals(0, low.get(), "an auto-ack consumer has credit, as in RabbitMQ");
    }

    @Test
    void aHigherConsumerBlockedWithAFullMailboxLetsLowerOnesTakeMessages() throws Exception
    {
        channel.queueDeclare("q");
        final AtomicInteger low = new AtomicInteger();
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final AtomicInteger high = new AtomicInteger();
        channel.consume("q", ConsumeOptions.builder().autoAck(true).priority(10).build(), d ->
        {
            high.incrementAndGet();
            release.await(); // stuck in its first delivery: like RabbitMQ's consumer on a congested connection
        });
        channel.consume("q", ConsumeOptions.builder().autoAck(true).build(), d -> low.incrementAndGet());
        channel.publish("", "q", seq(0));
        Await.until("the high consumer is stuck in its first delivery", () -> high.get() == 1);
        for (int i = 1; i <= DeliveryAgent.MAILBOX_LIMIT + 50; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("the blocked high consumer's mailbox filled and the rest went low", () -> low.get() == 50);
        assertEquals(1, high.get());
        release.countDown();
        Await.until("the high consumer then worked through its mailbox", () -> high.get() == 1 + DeliveryAgent.MAILBOX_LIMIT);
        assertEquals(50, low.get());
    }

    @Test
    void lowerPriorityConsumersGetMessagesOnlyWhileEveryHigherOneIsOutOfCredit()
    {
        channel.queueDeclare(QueueSpec.builder("q").deadLetterExchange("nowhere").build()); // a queue with policies, too
        channel.queueDeclare("plain");
        for (final String queue : List.of("q", "plain"))
        {
            final Consumer high = channel.consume(queue, ConsumeOptions.builder().prefetch(2).priority(1).build(), d -> { });
            final AtomicInteger low = new AtomicInteger();
            channel.consume(queue, ConsumeOptions.builder().autoAck(true).priority(-1).build(), d -> low.incrementAndGet());
            for (int i = 0; i < 10; i++)
            {
                channel.publish("", queue, seq(i));
            }
            Await.until("the high consumer's window filled and the rest went low", () -> high.unackedCount() + low.get() == 10);
            assertEquals(2, high.unackedCount(), queue);
            assertEquals(8, low.get(), queue);
        }
    }

    @Test
    void whenTheHigherConsumerAcksItGetsMessagesAgain()
    {
        channel.queueDeclare("q");
        final List<Long> highTags = new CopyOnWriteArrayList<>();
        final Consumer high = channel.consume("q", ConsumeOptions.builder().prefetch(1).priority(5).build(),
            d -> highTags.add(d.deliveryTag()));
        final Consumer low = channel.consume("q", ConsumeOptions.builder().prefetch(1).build(), d -> { });
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        // The handler records the tag just after the delivery counts as unacknowledged: wait for both.
        Await.until("both windows full", () -> highTags.size() == 1 && high.unackedCount() == 1 && low.unackedCount() == 1);
        high.ack(highTags.get(0), false);
        channel.publish("", "q", seq(3));
        Await.until("the high consumer took the next one", () -> highTags.size() == 2);
        assertEquals(1, low.unackedCount());
    }

    @Test
    void aCancelledHigherConsumerNoLongerHoldsTheOthersBack()
    {
        channel.queueDeclare("q");
        final Consumer high = channel.consume("q", ConsumeOptions.builder().autoAck(true).priority(3).build(), d -> { });
        final AtomicInteger low = new AtomicInteger();
        channel.consume("q", ConsumeOptions.builder().autoAck(true).build(), d -> low.incrementAndGet());
        high.cancel();
        channel.publish("", "q", seq(1));
        Await.until("the low consumer got it", () -> low.get() == 1);
    }

    @Test
    void theXPriorityConsumeArgumentSetsThePriority()
    {
        assertEquals(7, ConsumeOptions.builder().arguments(Map.of("x-priority", 7L)).build().priority());
        assertEquals(-2, ConsumeOptions.builder().arguments(Map.of("x-priority", (short)-2)).build().priority());
        assertEquals(0, ConsumeOptions.builder().arguments(Map.of("x-other", "ignored")).build().priority());
        assertThrows(InvalidArgumentException.class, () -> ConsumeOptions.builder().arguments(Map.of("x-priority", "7")));
        assertThrows(InvalidArgumentException.class, () -> ConsumeOptions.builder().arguments(Map.of("x-priority", 1L << 40)));
    }
}
