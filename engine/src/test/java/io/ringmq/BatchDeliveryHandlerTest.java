package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BatchDeliveryHandler}: the end-of-batch flag marks exactly the last delivery of each batch (what
 * the queue had ready, up to the credit and the bound), one {@code ack(true)} there settles the batch, and a
 * batch cut short (a handler throwing, the consumer cancelled from its handler or from another thread, a
 * second consumer coming) hands what it took and did not deliver back to the head of the queue, in
 * order, so the queue's order is kept. Caller-driven consumers make the batches
 * deterministic: everything is published before {@link Consumer#deliver} runs.
 */
class BatchDeliveryHandlerTest extends BrokerTestBase
{
    /** One handler call as the handler saw it. */
    private record Seen(int seq, boolean endOfBatch, long tag, boolean redelivered)
    {
    }

    private static ConsumeOptions.Builder callerDriven()
    {
        return ConsumeOptions.builder().callerDriven(() -> { });
    }

    private void publish(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            channel.publish("", "q", seq(i));
        }
    }

    private static List<Integer> seqs(final List<Seen> seen)
    {
        final List<Integer> seqs = new ArrayList<>();
        seen.forEach(s -> seqs.add(s.seq()));
        return seqs;
    }

    private static List<Integer> endsAt(final List<Seen> seen)
    {
        final List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++)
        {
            if (seen.get(i).endOfBatch())
            {
                ends.add(i);
            }
        }
        return ends;
    }

    @Test
    void endOfBatchMarksTheLastDeliveryOfEachTakeAndAckTrueThereSettlesTheTake()
    {
        channel.queueDeclare("q");
        publish(10);
        final List<Seen> seen = new ArrayList<>();
        final List<Integer> unackedAtEnd = new ArrayList<>();
        final AtomicReference<Consumer> self = new AtomicReference<>();
        final Consumer consumer = channel.consumeBatched("q", callerDriven().prefetch(4).build(), (d, end) ->
        {
            seen.add(new Seen(seqOf(d.body()), end, d.deliveryTag(), d.redelivered()));
            if (end)
            {
                unackedAtEnd.add(self.get().unackedCount());
                d.ack(true);
            }
        });
        self.set(consumer);

        assertEquals(10, consumer.deliver(100));

        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seqs(seen), "queue order");
        assertEquals(List.of(3, 7, 9), endsAt(seen), "a take is what the prefetch of 4 allows, the last take what is left");
        assertEquals(List.of(4, 4, 2), unackedAtEnd, "each take held its whole batch until the end");
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals(i + 1, seen.get(i).tag(), "the channel's tags, one per delivery, drawn per take");
        }
        assertEquals(0, consumer.unackedCount(), "each ack(true) settled its take");
        final QueueInfo info = channel.queueDeclarePassive("q");
        assertEquals(0, info.messageCount());
        assertEquals(10, info.acknowledgedCount(), "every delivery counted acknowledged once");
        assertEquals(10, info.deliveredCount());
    }

    @Test
    void aTakeIsBoundedByTheTakeLimitAndByWhatTheCallerAsksFor()
    {
        channel.queueDeclare("q");
        final int published = DeliveryAgent.TAKE_LIMIT + 36;
        publish(published);
        final List<Seen> seen = new ArrayList<>();
        final Consumer consumer = channel.consumeBatched("q", callerDriven().autoAck(true).build(),
            (d, end) -> seen.add(new Seen(seqOf(d.body()), end, d.deliveryTag(), d.redelivered())));

        assertEquals(10, consumer.deliver(10));
        assertEquals(List.of(9), endsAt(seen), "the caller's bound ends the take");

        seen.clear();
        assertEquals(published - 10, consumer.deliver(1000));
        assertEquals(List.of(DeliveryAgent.TAKE_LIMIT - 1, published - 10 - 1), endsAt(seen));
        assertEquals(10, seen.get(0).seq());
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
    }

    @Test
    void aHandlerThrowingMidBatchIsRedeliveredFirstAndTheRestOfTheTakeFollowsInOrderUnflagged()
    {
        channel.queueDeclare("q");
        publish(5);
        final List<Seen> seen = new ArrayList<>();
        final AtomicBoolean thrown = new AtomicBoolean();
        final Consumer consumer = channel.consumeBatched("q", callerDriven().prefetch(10).handlerErrorListener((t, m, e) -> { })
            .build(), (d, end) ->
            {
                final int seq = seqOf(d.body());
                seen.add(new Seen(seq, end, d.deliveryTag(), d.redelivered()));
                if (seq == 2 && thrown.compareAndSet(false, true))
                {
                    throw new IllegalStateException("fails once on 2");
                }
                if (end)
                {
                    d.ack(true);
                }
            });

        consumer.deliver(100);

        assertEquals(List.of(0, 1, 2, 2, 3, 4), seqs(seen), "the failed message first, then the rest of the take");
        assertEquals(List.of(5), endsAt(seen), "the cut take had no end; the next take's end is its last");
        assertTrue(seen.get(3).redelivered(), "the failed one comes back flagged");
        assertFalse(seen.get(4).redelivered(), "the rest of the take was never handed over: not flagged");
        assertFalse(seen.get(5).redelivered());
        for (int i = 0; i < seen.size(); i++)
        {
            assertEquals(i + 1, seen.get(i).tag(), "the unused tags of the cut take were handed back");
        }
        assertEquals(0, consumer.unackedCount(), "the ack(true) covered the deliveries before the failure too");
        final QueueInfo info = channel.queueDeclarePassive("q");
        assertEquals(0, info.messageCount());
        assertEquals(5, info.acknowledgedCount(), "each message acknowledged exactly once");
        assertEquals(6, info.deliveredCount(), "five messages, one of them twice");
        assertEquals(1, info.redeliveredCount());
    }

    @Test
    void aPerMessageHandlerThrowingMidTakeKeepsTheOrderItHadWithoutBatching()
    {
        channel.queueDeclare("q");
        publish(5);
        final List<Integer> seen = new ArrayList<>();
        final AtomicBoolean thrown = new AtomicBoolean();
        final Consumer consumer = channel.consume("q", callerDriven().autoAck(true).handlerErrorListener((t, m, e) -> { })
            .build(), d ->
            {
                final int seq = seqOf(d.body());
                seen.add(seq);
                if (seq == 1 && thrown.compareAndSet(false, true))
                {
                    throw new IllegalStateException("fails once on 1");
                }
            });

        consumer.deliver(100);

        assertEquals(List.of(0, 1, 1, 2, 3, 4), seen);
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
    }

    @Test
    void aConsumerCancelledFromItsHandlerMidTakeHandsTheRestBackToTheHeadOfTheQueue()
    {
        channel.queueDeclare("q");
        publish(5);
        final List<Seen> seen = new ArrayList<>();
        final AtomicReference<Consumer> self = new AtomicReference<>();
        final Consumer consumer = channel.consumeBatched("q", callerDriven().prefetch(10).build(), (d, end) ->
        {
            final int seq = seqOf(d.body());
            seen.add(new Seen(seq, end, d.deliveryTag(), d.redelivered()));
            d.ack(); // settled: the flyweight is no longer readable
            if (seq == 1)
            {
                self.get().cancel();
            }
        });
        self.set(consumer);

        consumer.deliver(100);

        assertEquals(List.of(0, 1), seqs(seen), "no delivery after the cancel");
        assertEquals(List.of(), endsAt(seen));
        assertEquals(3, channel.queueDeclarePassive("q").messageCount());
        for (int expected = 2; expected < 5; expected++)
        {
            final Delivery next = channel.get("q", true);
            assertNotNull(next);
            assertEquals(expected, seqOf(next.body()), "back at the head, in order");
            assertFalse(next.redelivered(), "never handed to a handler: not flagged");
        }
        assertNull(channel.get("q", true));
        assertEquals(2, channel.queueDeclarePassive("q").acknowledgedCount());
    }

    @Test
    void aConsumerCancelledByAnotherThreadMidBatchHandsTheRestBackInOrderAndItsCountsAreExact() throws Exception
    {
        channel.queueDeclare("q");
        publish(5);
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final java.util.concurrent.CountDownLatch inHandler = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final Consumer consumer = channel.consumeBatched("q", ConsumeOptions.builder().autoAck(true)
            .threading(ConsumerThreading.DEDICATED_THREAD).build(), (d, end) ->
            {
                final int seq = seqOf(d.body());
                seen.add(seq);
                if (seq == 1)
                {
                    inHandler.countDown();
                    release.await(); // the batch holds 2, 3 and 4 while the cancel waits for this delivery
                }
            });
        inHandler.await();
        assertEquals(0, channel.queueDeclarePassive("q").messageCount(), "the batch took all five at once");
        final Thread canceller = new Thread(consumer::cancel);
        canceller.start();
        Await.until("the cancel is waiting for the delivery in progress", () -> !consumer.isActive());
        release.countDown();
        canceller.join(10_000);
        assertFalse(canceller.isAlive());

        assertEquals(List.of(0, 1), seen, "no delivery after the cancel");
        final QueueInfo info = channel.queueDeclarePassive("q");
        assertEquals(3, info.messageCount(), "the rest is back once cancel() returned");
        assertEquals(2, info.deliveredCount(), "the batch's deliveries were published before its counts were folded");
        for (int expected = 2; expected < 5; expected++)
        {
            final Delivery next = channel.get("q", true);
            assertNotNull(next);
            assertEquals(expected, seqOf(next.body()), "back at the head, in order");
            assertFalse(next.redelivered(), "never handed to a handler: not flagged");
        }
        assertNull(channel.get("q", true));
    }

    @Test
    void aSecondConsumerComingMidBatchEndsItAndTheRestIsSharedInTurnFromTheHead()
    {
        channel.queueDeclare("q");
        publish(5);
        final List<Seen> seen = new ArrayList<>();
        final Channel other = broker.openChannel();
        final List<Integer> secondSaw = new ArrayList<>();
        final AtomicReference<Consumer> second = new AtomicReference<>();
        final Consumer first = channel.consumeBatched("q", callerDriven().autoAck(true).build(), (d, end) ->
        {
            final int seq = seqOf(d.body());
            seen.add(new Seen(seq, end, d.deliveryTag(), d.redelivered()));
            if (seq == 1)
            {
                second.set(other.consume("q", callerDriven().autoAck(true).build(), d2 -> secondSaw.add(seqOf(d2.body()))));
            }
        });

        first.deliver(100);
        assertEquals(List.of(0, 1), seqs(seen).subList(0, 2));
        assertFalse(seen.get(1).endOfBatch(), "cut short once the queue had two consumers: 1 did not end the batch");

        // Round-robin from there on (the same deliver went on with it): the rest went back to the head,
        // then in turn to both.
        for (int round = 0; round < 10 && seen.size() + secondSaw.size() < 5; round++)
        {
            first.deliver(100);
            second.get().deliver(100);
        }
        final List<Integer> all = new ArrayList<>(seqs(seen).subList(2, seen.size()));
        final List<Integer> firstRest = new ArrayList<>(all);
        firstRest.sort(null);
        assertEquals(firstRest, seqs(seen).subList(2, seen.size()), "each consumer sees the rest in queue order");
        final List<Integer> secondSorted = new ArrayList<>(secondSaw);
        secondSorted.sort(null);
        assertEquals(secondSorted, secondSaw, "each consumer sees the rest in queue order");
        all.addAll(secondSaw);
        all.sort(null);
        assertEquals(List.of(2, 3, 4), all, "each of the rest delivered exactly once");
        assertFalse(secondSaw.isEmpty(), "the second consumer had its turn");
        for (int i = 2; i < seen.size(); i++)
        {
            assertFalse(seen.get(i).redelivered(), "the rest was never handed over before: not flagged");
        }
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
        assertEquals(5, channel.queueDeclarePassive("q").deliveredCount());
    }

    @Test
    void aMessageWhoseTtlPassesWhileItsTakeIsHandedOverIsNeverDelivered()
    {
        channel.queueDeclare("q");
        channel.publish("", "q", seq(0));
        channel.publish("", "q", MessageProperties.builder().expiration("20").build(), seq(1));
        channel.publish("", "q", seq(2));
        final List<Seen> seen = new ArrayList<>();
        final Consumer consumer = channel.consumeBatched("q", callerDriven().autoAck(true).build(), (d, end) ->
        {
            seen.add(new Seen(seqOf(d.body()), end, d.deliveryTag(), d.redelivered()));
            if (seqOf(d.body()) == 0)
            {
                Thread.sleep(60); // message 1's 20 ms pass while it waits in the take
            }
        });

        assertEquals(2, consumer.deliver(100));

        assertEquals(List.of(0, 2), seqs(seen), "the expired one was dropped at its turn, not delivered");
        assertEquals(List.of(1), endsAt(seen));
        assertEquals(List.of(1L, 2L), List.of(seen.get(0).tag(), seen.get(1).tag()), "no tag spent on it");
        assertEquals(1, channel.queueDeclarePassive("q").expiredCount());
    }

    @Test
    void aThreadedBatchConsumerAckingAtEachEndSettlesEverything()
    {
        channel.queueDeclare("q");
        final int count = 20_000;
        final List<Boolean> lastEnd = new CopyOnWriteArrayList<>();
        final int[] received = new int[1];
        final Consumer consumer = channel.consumeBatched("q", ConsumeOptions.builder().prefetch(256)
            .threading(ConsumerThreading.DEDICATED_THREAD).build(), (d, end) ->
            {
                if (seqOf(d.body()) != received[0]++)
                {
                    throw new AssertionError("out of order at " + seqOf(d.body()));
                }
                if (received[0] == count)
                {
                    lastEnd.add(end); // before the ack: once it lands, the test thread may read lastEnd
                }
                if (end)
                {
                    d.ack(true);
                }
            });
        publish(count);

        // The deliveries are counted once per take, after its last ack can land: wait for both counts.
        Await.until("all acknowledged and counted", () ->
        {
            final QueueInfo info = channel.queueDeclarePassive("q");
            return info.acknowledgedCount() == count && info.deliveredCount() == count;
        });
        assertEquals(List.of(true), lastEnd, "the last message is always the end of its take");
        assertEquals(0, consumer.unackedCount());
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
        assertEquals(count, channel.queueDeclarePassive("q").deliveredCount(), "no redelivery");
    }
}
