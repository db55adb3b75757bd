package io.ringmq;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code x-single-active-consumer}: one consumer at a time, and a handover that loses and reorders nothing. */
class SingleActiveConsumerTest extends BrokerTestBase
{
    @BeforeEach
    void declareFixture()
    {
        channel.queueDeclare(QueueSpec.builder("q").singleActiveConsumer(true).build());
    }

    @Test
    void onlyTheFirstRegisteredConsumerReceives()
    {
        final List<Integer> first = new CopyOnWriteArrayList<>();
        final List<Integer> second = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> first.add(seqOf(d.body())));
        channel.consume("q", true, d -> second.add(seqOf(d.body())));
        for (int i = 0; i < 200; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("all 200 delivered", () -> first.size() == 200);
        assertEquals(List.of(), second);
    }

    @Test
    void whenTheActiveConsumersChannelClosesTheNextGetsItsUnackedFirstInOrderFlaggedThenTheRest()
    {
        final Channel leaving = broker.openChannel();
        final Consumer active = leaving.consume("q", ConsumeOptions.manualAck(5), d -> { });
        final List<String> next = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> next.add(seqOf(d.body()) + (d.redelivered() ? "r" : "")));
        for (int i = 1; i <= 8; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("five held by the active consumer", () -> active.unackedCount() == 5);
        assertEquals(List.of(), next);
        leaving.close();
        Await.until("the rest delivered", () -> next.size() == 8);
        assertEquals(List.of("1r", "2r", "3r", "4r", "5r", "6", "7", "8"), next);
    }

    @Test
    void aCancelHandsOverAtOnceWhileTheLeaversUnackedStayWithItsChannelAsInRabbitMq()
    {
        final Channel leaving = broker.openChannel();
        final List<Long> tags = new CopyOnWriteArrayList<>();
        final Consumer active = leaving.consume("q", ConsumeOptions.manualAck(2), d -> tags.add(d.deliveryTag()));
        final List<String> next = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> next.add(seqOf(d.body()) + (d.redelivered() ? "r" : "")));
        for (int i = 1; i <= 4; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("two held by the active consumer", () -> active.unackedCount() == 2);
        active.cancel();
        Await.until("the next one took over with what was never delivered", () -> next.size() == 2);
        assertEquals(List.of("3", "4"), next);
        assertEquals(2, leaving.unackedCount(), "the cancelled consumer's deliveries are still outstanding");
        leaving.ack(tags.get(0), false);
        leaving.nack(tags.get(1), false, true);
        Await.until("the nacked one reached the new active consumer", () -> next.size() == 3);
        assertEquals("2r", next.get(2));
        leaving.close();
    }

    @Test
    void closingTheActiveConsumersChannelHandsOverToo()
    {
        final Channel other = broker.openChannel();
        final Consumer active = other.consume("q", ConsumeOptions.manualAck(1), d -> { });
        final List<Integer> next = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> next.add(seqOf(d.body())));
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        Await.until("one held", () -> active.unackedCount() == 1);
        other.close();
        Await.until("handed over", () -> next.size() == 2);
        assertEquals(List.of(1, 2), next);
    }

    @Test
    void aHandoverGoesToTheHighestPriorityConsumer()
    {
        final Consumer first = channel.consume("q", true, d -> { });
        final List<Integer> low = new CopyOnWriteArrayList<>();
        final List<Integer> high = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.builder().autoAck(true).build(), d -> low.add(seqOf(d.body())));
        channel.consume("q", ConsumeOptions.builder().autoAck(true).priority(5).build(), d -> high.add(seqOf(d.body())));
        first.cancel();
        channel.publish("", "q", seq(1));
        Await.until("delivered", () -> high.size() == 1);
        assertEquals(List.of(), low);
    }

    @Test
    void aGetIsNotAConsumerAndIsNotRestricted()
    {
        channel.consume("q", ConsumeOptions.manualAck(1), d -> { });
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        final Delivery[] got = new Delivery[1];
        Await.until("a get", () -> (got[0] = channel.get("q", true)) != null);
        assertNotNull(got[0]);
    }

    @Test
    void aHandoverUnderLoadLosesAndReordersNothing() throws Exception
    {
        // The active consumer acks each message until it has seen 300, then holds the rest (up to its prefetch)
        // and its channel closes; the next one must continue the exact sequence, the held ones first.
        final int total = 2000;
        final List<Integer> firstAcked = new CopyOnWriteArrayList<>();
        final Channel leaving = broker.openChannel();
        final Consumer active = leaving.consume("q", ConsumeOptions.manualAck(20), d ->
        {
            final int value = seqOf(d.body());
            if (value < 300)
            {
                firstAcked.add(value);
                d.ack();
            }
        });
        final List<Integer> next = new CopyOnWriteArrayList<>();
        final AtomicBoolean flagsRight = new AtomicBoolean(true);
        channel.consume("q", ConsumeOptions.manualAck(50), d ->
        {
            next.add(seqOf(d.body()));
            if (d.redelivered() != (seqOf(d.body()) < 320))
            {
                flagsRight.set(false);
            }
            d.ack();
        });
        final Thread publisher = new Thread(() ->
        {
            try (Channel mine = broker.openChannel())
            {
                for (int i = 0; i < total; i++)
                {
                    while (!mine.publish("", "q", seq(i)).isFullyAccepted())
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        publisher.start();
        Await.until("the active consumer holds its window", () -> active.unackedCount() == 20);
        leaving.close();
        publisher.join();
        Await.until("everything delivered", () -> firstAcked.size() + next.size() == total);
        final List<Integer> all = new ArrayList<>(firstAcked);
        all.addAll(next);
        for (int i = 0; i < total; i++)
        {
            assertEquals(i, all.get(i), "position " + i);
        }
        assertTrue(flagsRight.get(), "exactly the held messages (300..319) come back flagged redelivered");
    }
}
