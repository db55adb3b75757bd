package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code x-max-priority}: higher priorities first, FIFO within a priority, RabbitMQ's treatment of missing and excess priorities. */
class PriorityQueueTest extends BrokerTestBase
{
    private void publish(final String queue, final int priority, final int value)
    {
        final MessageProperties props = priority < 0 ? MessageProperties.EMPTY : MessageProperties.builder().priority(priority).build();
        assertTrue(channel.publish("", queue, props, seq(value)).isFullyAccepted());
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
    void higherPrioritiesComeFirstAndEqualPrioritiesInPublishOrder()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(10).build());
        publish("q", 1, 10);
        publish("q", 5, 50);
        publish("q", 3, 30);
        publish("q", 5, 51);
        publish("q", 0, 0);
        publish("q", -1, 1); // no priority: counts as 0, after the 0 published before it
        assertEquals(List.of(50, 51, 30, 10, 0, 1), drain("q"));
    }

    @Test
    void prioritiesAboveTheMaximumCountAsTheMaximum()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(3).build());
        publish("q", 2, 2);
        publish("q", 200, 200);
        publish("q", 3, 3);
        assertEquals(List.of(200, 3, 2), drain("q"));
    }

    @Test
    void aRequeuedMessageGoesBackAheadOfItsPriorityLevelButBehindHigherOnes()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(5).build());
        publish("q", 2, 20);
        publish("q", 2, 21);
        final long held = channel.get("q", false).deliveryTag(); // 20
        publish("q", 4, 40);
        channel.nack(held, false, true);
        final List<String> order = new ArrayList<>();
        Delivery d;
        while ((d = channel.get("q", true)) != null)
        {
            order.add(seqOf(d.body()) + (d.redelivered() ? "r" : ""));
        }
        assertEquals(List.of("40", "20r", "21"), order);
    }

    @Test
    void aConsumerReceivesTheBacklogHighestPriorityFirst()
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(9).build());
        for (int i = 0; i < 100; i++)
        {
            publish("q", i % 10, i);
        }
        final List<Integer> received = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.manualAck(1), d ->
        {
            received.add(seqOf(d.body()));
            d.ack();
        });
        Await.until("all delivered", () -> received.size() == 100);
        final List<Integer> expected = new ArrayList<>();
        for (int p = 9; p >= 0; p--)
        {
            for (int i = p; i < 100; i += 10)
            {
                expected.add(i);
            }
        }
        assertEquals(expected, received);
    }

    @Test
    void concurrentPublishersOfEveryPriorityLoseNothingAndKeepEachPublishersOrderWithinAPriority() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(3).capacity(1 << 14).build());
        final int perPublisher = 4000;
        final List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < 4; p++)
        {
            final int publisher = p;
            publishers.add(new Thread(() ->
            {
                try (Channel mine = broker.openChannel())
                {
                    for (int i = 0; i < perPublisher; i++)
                    {
                        mine.publish("", "q", MessageProperties.builder().priority(i % 4).build(), seq(publisher * perPublisher + i));
                    }
                }
            }));
        }
        final List<Integer> received = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> received.add(seqOf(d.body())));
        publishers.forEach(Thread::start);
        for (final Thread t : publishers)
        {
            t.join();
        }
        Await.until("all delivered", () -> received.size() == 4 * perPublisher);
        final int[][] last = new int[4][4];
        for (final int[] row : last)
        {
            java.util.Arrays.fill(row, -1);
        }
        for (final int value : received)
        {
            final int publisher = value / perPublisher;
            final int index = value % perPublisher;
            final int priority = index % 4;
            assertTrue(index > last[publisher][priority], "publisher " + publisher + ", priority " + priority + " out of order");
            last[publisher][priority] = index;
        }
    }
}
