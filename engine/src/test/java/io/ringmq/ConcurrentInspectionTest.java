package io.ringmq;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Listing while other threads publish, consume, acknowledge, churn consumers and delete queues: no
 * listing throws, none reports a negative value, and no cumulative count ever goes down, per queue or
 * for the broker. Bounded: a fixed number of publishes per thread.
 */
class ConcurrentInspectionTest
{
    private static final int PUBLISHES = 60_000;

    @Test
    void listingDuringTrafficNeverThrowsNorGoesNegativeNorBackwards() throws Exception
    {
        try (Broker broker = Broker.builder().statisticsInterval(Duration.ofMillis(5)).build())
        {
            final Channel setup = broker.openChannel();
            setup.queueDeclare("steady");
            setup.queueDeclare("churned");
            final ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            final AtomicBoolean done = new AtomicBoolean();
            final Channel consumers = broker.openChannel();
            consumers.consume("steady", ConsumeOptions.manualAck(64), d -> d.ack());
            consumers.consume("steady", ConsumeOptions.autoAck(), d -> { });

            final Thread publisher = thread("publisher", errors, () ->
            {
                try (Channel channel = broker.openChannel())
                {
                    for (int i = 0; i < PUBLISHES; i++)
                    {
                        channel.publish("", "steady", new byte[i % 16]);
                        if (i % 8 == 0)
                        {
                            channel.publish("", "churned", new byte[3]);
                        }
                    }
                }
            });
            final Thread churner = thread("churner", errors, () ->
            {
                try (Channel channel = broker.openChannel())
                {
                    int round = 0;
                    while (!done.get())
                    {
                        final Consumer consumer = channel.consume("churned", ConsumeOptions.manualAck(8), d ->
                        {
                            if (d.deliveryTag() % 3 == 0)
                            {
                                d.nack(true);
                            }
                            else
                            {
                                d.ack();
                            }
                        });
                        Thread.yield();
                        consumer.cancel();
                        final String temporary = "temp-" + round++;
                        channel.queueDeclare(temporary);
                        channel.publish("", temporary, new byte[5]);
                        channel.get(temporary, false); // left outstanding past its queue's deletion
                        channel.queueDelete(temporary);
                        channel.recover();
                    }
                }
            });
            publisher.start();
            churner.start();

            final Inspector inspector = broker.inspector();
            final Map<String, QueueInfo> lastByQueue = new HashMap<>();
            BrokerOverview lastOverview = inspector.overview();
            int reads = 0;
            while (publisher.isAlive() || reads < 10)
            {
                for (final QueueInfo queue : inspector.queues())
                {
                    assertNotNegative(queue);
                    final QueueInfo before = lastByQueue.put(queue.name(), queue);
                    if (before != null && !queue.name().startsWith("temp-"))
                    {
                        assertNotDecreased(before, queue);
                    }
                }
                final BrokerOverview overview = inspector.overview();
                assertNotNegative(overview);
                assertNotDecreased(lastOverview, overview);
                lastOverview = overview;
                inspector.bindings();
                inspector.exchanges();
                for (final ConsumerInfo consumer : inspector.consumers())
                {
                    assertTrue(consumer.unacked() >= 0, consumer.toString());
                }
                for (final ChannelInfo channel : inspector.channels())
                {
                    assertTrue(channel.unacked() >= 0 && channel.consumerCount() >= 0, channel.toString());
                }
                inspector.connections();
                reads++;
            }
            done.set(true);
            publisher.join();
            churner.join();
            assertTrue(errors.isEmpty(), () -> "traffic threads failed: " + errors);
            final long steadyIn = inspector.queue("steady").orElseThrow().publishedCount();
            assertEquals(PUBLISHES, steadyIn);
            Await.until("the steady queue drained", () -> inspector.queue("steady").orElseThrow().deliveredCount() == PUBLISHES &&
                inspector.queue("steady").orElseThrow().unackedCount() == 0);
            assertEquals(0, inspector.queue("steady").orElseThrow().bytesReady(), "quiet: exact");
        }
    }

    private static Thread thread(final String name, final ConcurrentLinkedQueue<Throwable> errors, final Runnable work)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                work.run();
            }
            catch (final Throwable error)
            {
                errors.add(error);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void assertNotNegative(final QueueInfo queue)
    {
        for (final long value : List.of((long)queue.messageCount(), (long)queue.unackedCount(), queue.bytesReady(),
            queue.publishedCount(), queue.deliveredCount(), queue.acknowledgedCount(), queue.redeliveredCount()))
        {
            assertTrue(value >= 0, "negative count in " + queue);
        }
        assertTrue(queue.publishRate() >= 0 && queue.deliverRate() >= 0 && queue.ackRate() >= 0 &&
            queue.redeliverRate() >= 0, queue.toString());
    }

    private static void assertNotNegative(final BrokerOverview overview)
    {
        assertTrue(overview.messagesReady() >= 0 && overview.messagesUnacked() >= 0 && overview.publishedCount() >= 0 &&
            overview.publishRate() >= 0 && overview.deliverRate() >= 0, overview.toString());
    }

    private static void assertNotDecreased(final QueueInfo before, final QueueInfo after)
    {
        assertTrue(after.publishedCount() >= before.publishedCount() && after.deliveredCount() >= before.deliveredCount() &&
            after.acknowledgedCount() >= before.acknowledgedCount() && after.redeliveredCount() >= before.redeliveredCount(),
            before + " then " + after);
    }

    private static void assertNotDecreased(final BrokerOverview before, final BrokerOverview after)
    {
        assertTrue(after.publishedCount() >= before.publishedCount() && after.deliveredCount() >= before.deliveredCount() &&
            after.acknowledgedCount() >= before.acknowledgedCount() && after.redeliveredCount() >= before.redeliveredCount(),
            before + " then " + after);
    }
}
