package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Competing consumers as RabbitMQ dispatches to them: each message to the next consumer in a rotation,
 * skipping those without credit (RabbitMQ tutorial 2's "round-robin" and "fair dispatch").
 */
class RoundRobinDispatchTest extends BrokerTestBase
{
    @Test
    void consumersWithCreditReceiveMessagesInStrictRotation()
    {
        channel.queueDeclare("work");
        final int consumers = 3;
        final int messages = 300;
        final Map<Integer, Integer> consumerOf = new ConcurrentHashMap<>();
        // Caller-driven, so that this thread runs every delivery: with threads of their own, the first
        // consumer's thread may have read "one consumer, take directly" before the others registered and act
        // on it once, whenever it is next scheduled, which on a loaded machine can be well into the run.
        final Consumer[] handles = new Consumer[consumers];
        for (int c = 0; c < consumers; c++)
        {
            final int id = c;
            handles[c] = channel.consume("work", ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(),
                d -> consumerOf.put(seqOf(d.body()), id));
        }
        for (int i = 0; i < messages; i++)
        {
            channel.publish("", "work", seq(i));
        }
        for (int round = 0; round < 1_000 && consumerOf.size() < messages; round++)
        {
            for (final Consumer consumer : handles)
            {
                consumer.deliver(64);
            }
        }
        assertEquals(messages, consumerOf.size(), "all delivered");
        for (int i = 0; i + consumers < messages; i++)
        {
            assertEquals(consumerOf.get(i), consumerOf.get(i + consumers), "message " + i + " and " + (i + consumers));
            assertNotEquals(consumerOf.get(i), consumerOf.get(i + 1), "message " + i + " and the next");
            assertNotEquals(consumerOf.get(i), consumerOf.get(i + 2), "message " + i + " and the one after next");
        }
    }

    @Test
    void aConsumerWithoutCreditIsSkippedWhileTheOthersKeepTheirTurns()
    {
        channel.queueDeclare("work");
        final AtomicInteger[] received = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        final List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Consumer 0: prefetch 1 and never acks, so after one message it has no credit.
        channel.consume("work", ConsumeOptions.manualAck(1), d -> received[0].incrementAndGet());
        for (int c = 1; c <= 2; c++)
        {
            final int id = c;
            channel.consume("work", ConsumeOptions.manualAck(0), d ->
            {
                received[id].incrementAndGet();
                order.add(id);
                d.ack();
            });
        }
        final int messages = 101;
        for (int i = 0; i < messages; i++)
        {
            channel.publish("", "work", seq(i));
        }
        Await.until("all delivered", () -> received[0].get() + received[1].get() + received[2].get() == messages);
        assertEquals(1, received[0].get(), "the consumer without credit got exactly its prefetch");
        assertEquals(50, received[1].get());
        assertEquals(50, received[2].get());
        for (int i = 1; i < order.size(); i++)
        {
            // Each handler records on its own thread, so only the counts are exact; but no consumer
            // may have been given long runs: the recorded order alternates but for handler timing.
            assertTrue(Math.abs(count(order.subList(0, i), 1) - count(order.subList(0, i), 2)) <= RoundRobinDispatcher.BATCH,
                "the two consumers with credit took turns: " + order);
        }
    }

    @Test
    void fairDispatchWithPrefetchOneSkipsTheBusyConsumer() throws Exception
    {
        channel.queueDeclare("tasks");
        final CountDownLatch slowTaskDone = new CountDownLatch(1);
        final AtomicInteger slow = new AtomicInteger();
        final AtomicInteger fast = new AtomicInteger();
        channel.consume("tasks", ConsumeOptions.manualAck(1), d ->
        {
            slow.incrementAndGet();
            slowTaskDone.await();
            d.ack();
        });
        channel.consume("tasks", ConsumeOptions.manualAck(1), d ->
        {
            fast.incrementAndGet();
            d.ack();
        });
        for (int i = 0; i < 20; i++)
        {
            channel.publish("", "tasks", seq(i));
        }
        try
        {
            Await.until("the fast consumer did everything the busy one could not", () -> fast.get() == 19 && slow.get() == 1);
            assertEquals(0, channel.queueDeclarePassive("tasks").messageCount());
            assertEquals(1, slow.get(), "the busy consumer, out of credit, got no second task");
        }
        finally
        {
            slowTaskDone.countDown();
        }
        channel.publish("", "tasks", seq(20));
        channel.publish("", "tasks", seq(21));
        Await.until("both work again", () -> slow.get() + fast.get() == 22);
    }

    @Test
    void cancellingAConsumerReturnsItsMailboxAtOnceAndItsUnackedWhenItsChannelCloses() throws Exception
    {
        channel.queueDeclare("work");
        final CountDownLatch stuck = new CountDownLatch(1);
        final CountDownLatch unstick = new CountDownLatch(1);
        final AtomicInteger firstDeliveries = new AtomicInteger();
        channel.publish("", "work", seq(0));
        final Consumer first = channel.consume("work", ConsumeOptions.manualAck(0), d ->
        {
            firstDeliveries.incrementAndGet();
            stuck.countDown();
            unstick.await();
        });
        // The first consumer, alone, takes a batch of what is ready: the one message. The rest is published
        // while it is stuck in its handler and before the second consumer comes, so that the second's first
        // dispatch moves them all: one to the second, the others to the first one's mailbox. (Published after
        // the second came, the later ones may find the second out of credit and wait in the queue.)
        stuck.await();
        for (int i = 1; i < 10; i++)
        {
            channel.publish("", "work", seq(i));
        }
        final Consumer second = channel.consume("work", ConsumeOptions.manualAck(1), d -> { });
        final Thread canceller = new Thread(first::cancel);
        try
        {
            Await.until("the second consumer's window is full and the rest wait in the first one's mailbox",
                () -> second.unackedCount() == 1 && channel.queueDeclarePassive("work").messageCount() == 0);
            canceller.start();
            Await.until("the cancel is waiting for the delivery in progress", () -> !first.isActive());
        }
        finally
        {
            unstick.countDown();
        }
        canceller.join();
        assertEquals(1, firstDeliveries.get(), "nothing else reached the first consumer's handler");
        assertEquals(8, channel.queueDeclarePassive("work").messageCount(), "its mailbox is back at once");
        assertEquals(2, channel.unackedCount(), "its unacked one stays outstanding on the channel, as in RabbitMQ");
        second.cancel();
        channel.close(); // requeues both outstanding deliveries
        channel = broker.openChannel();
        final Set<Integer> back = new HashSet<>();
        int flagged = 0;
        Delivery d;
        while ((d = channel.get("work", true)) != null)
        {
            flagged += d.redelivered() ? 1 : 0;
            back.add(seqOf(d.body()));
        }
        assertEquals(10, back.size(), "every message, once: " + back);
        assertEquals(2, flagged, "the two that reached a handler come back flagged redelivered, the mailbox's eight do not");
    }

    @Test
    void aLoneConsumerKeepsGettingMessagesAfterTheOthersLeave()
    {
        channel.queueDeclare("work");
        final AtomicInteger stayer = new AtomicInteger();
        final AtomicInteger leaverGot = new AtomicInteger();
        channel.consume("work", ConsumeOptions.autoAck(), d -> stayer.incrementAndGet());
        final Consumer leaver = channel.consume("work", ConsumeOptions.autoAck(), d -> leaverGot.incrementAndGet());
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "work", seq(i));
        }
        leaver.cancel(); // what waits in its mailbox goes back to the queue, for the stayer
        final int leaverTotal = leaverGot.get(); // final: cancel returned, its handler runs no more
        for (int i = 10; i < 20; i++)
        {
            channel.publish("", "work", seq(i));
        }
        // Counted against the leaver's final total, not a snapshot of the stayer's: some of the first ten may
        // still be on their way to the stayer when the later ten are published.
        Await.until("the stayer took every message the leaver did not", () -> stayer.get() == 20 - leaverTotal);
        assertNull(channel.get("work", true), "nothing left behind");
        assertEquals(20 - leaverTotal, stayer.get(), "and nothing twice");
    }

    @Test
    void aMailboxIsFirstInFirstOutAndBounded()
    {
        final Mailbox mailbox = new Mailbox(4);
        final List<Envelope> envelopes = new ArrayList<>();
        final EnvelopePool pool = new EnvelopePool(8, 0);
        for (int i = 0; i < 4; i++)
        {
            final Envelope envelope = pool.acquire();
            envelopes.add(envelope);
            mailbox.put(envelope, i % 2 == 0, null);
        }
        assertEquals(4, mailbox.size());
        assertEquals(mailbox.capacity(), mailbox.size(), "full");
        final Taken taken = new Taken();
        for (int i = 0; i < 4; i++)
        {
            assertTrue(mailbox.peek(taken));
            assertNotNull(taken.envelope);
            assertEquals(envelopes.get(i), taken.envelope, "oldest first");
            assertEquals(i % 2 == 0, taken.redelivered);
            mailbox.remove();
        }
        assertTrue(mailbox.isEmpty());
        assertTrue(!mailbox.peek(taken));
    }

    @Test
    void stagedMessagesStayInvisibleToTheConsumerUntilTheTurnPublishesThemAsOneRun()
    {
        final Mailbox mailbox = new Mailbox(8);
        final EnvelopePool pool = new EnvelopePool(8, 0);
        final Taken taken = new Taken();
        final List<Envelope> envelopes = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            envelopes.add(pool.acquire());
            mailbox.stage(i, envelopes.get(i), false, null);
        }
        assertEquals(0, mailbox.ready(), "staged, not published");
        assertTrue(mailbox.isEmpty());
        assertTrue(!mailbox.peek(taken), "the consumer cannot see a staged message");
        assertEquals(0, mailbox.size(), "nor does the next turn's credit count it");

        mailbox.publish(3);

        assertEquals(3, mailbox.ready(), "one publish, the whole run");
        assertEquals(3, mailbox.size());
        for (int i = 0; i < 3; i++)
        {
            mailbox.peekReady(taken);
            assertEquals(envelopes.get(i), taken.envelope, "in the order staged");
            mailbox.remove();
        }
        assertEquals(0, mailbox.ready());
        mailbox.stage(0, envelopes.get(0), true, null);
        mailbox.publish(1);
        assertTrue(mailbox.peek(taken), "the next turn stages after what the last one published");
        assertTrue(taken.redelivered);
    }

    @Test
    void eachConsumersShareOfATurnReachesItsHandlerAsOneBatchWithConsecutiveTags()
    {
        channel.queueDeclare("work");
        final Channel second = broker.openChannel();
        final List<List<Integer>> seqs = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<Long>> tags = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<Integer>> ends = List.of(new ArrayList<>(), new ArrayList<>());
        final Consumer[] handles = new Consumer[2];
        final Channel[] channels = {channel, second};
        for (int c = 0; c < 2; c++)
        {
            final int id = c;
            handles[c] = channels[c].consumeBatched("work", ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(),
                (d, endOfBatch) ->
                {
                    if (endOfBatch)
                    {
                        ends.get(id).add(seqs.get(id).size());
                    }
                    seqs.get(id).add(seqOf(d.body()));
                    tags.get(id).add(d.deliveryTag());
                });
        }
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "work", seq(i));
        }

        assertEquals(5, handles[0].deliver(64), "its own share of the turn it dispatched");
        assertEquals(5, handles[1].deliver(64), "what the turn left in its mailbox");

        assertEquals(List.of(0, 2, 4, 6, 8), seqs.get(0), "rotation");
        assertEquals(List.of(1, 3, 5, 7, 9), seqs.get(1));
        for (int c = 0; c < 2; c++)
        {
            assertEquals(List.of(4), ends.get(c), "one batch per mailbox run, ending at its last delivery");
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), tags.get(c), "the channel's tags, gap-free, drawn once per run");
        }
    }

    @Test
    void aTurnHandsAConsumerNoMoreThanItsPrefetchLeavesAndSkipsItThen()
    {
        channel.queueDeclare("work");
        final List<Integer> limited = new ArrayList<>();
        final List<Integer> unlimited = new ArrayList<>();
        final List<Integer> unackedSeen = new ArrayList<>();
        final java.util.concurrent.atomic.AtomicReference<Consumer> self = new java.util.concurrent.atomic.AtomicReference<>();
        final Consumer first = channel.consume("work", ConsumeOptions.builder().prefetch(3).callerDriven(() -> { }).build(), d ->
        {
            limited.add(seqOf(d.body()));
            unackedSeen.add(self.get().unackedCount());
        });
        self.set(first);
        final Consumer second = broker.openChannel().consume("work",
            ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(), d -> unlimited.add(seqOf(d.body())));
        for (int i = 0; i < 20; i++)
        {
            channel.publish("", "work", seq(i));
        }

        first.deliver(64);
        second.deliver(64);

        assertEquals(List.of(0, 2, 4), limited, "its turns until its prefetch of 3 was used up, never acked");
        assertEquals(List.of(1, 2, 3), unackedSeen, "never over its prefetch");
        assertEquals(List.of(1, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19), unlimited,
            "the rest of the turn went to the one with credit");
    }

    // ------------------------------------------------------------ a turn's claims, against stub consumers
    //
    // A stub consumer is only what the dispatcher sees of one (QueueConsumer): a mailbox, a credit the test
    // sets, a priority. dispatch() runs on the test's thread, so each test sees exactly one turn's decisions.

    @Test
    void aTurnClaimsNoMoreThanTheSummedCreditAndLeavesTheRestInTheQueueUntouched()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 3);
        final StubConsumer b = stub(queue, 0, 2);
        publish(0, 20);

        assertEquals(5, queue.dispatcher().dispatch(), "the summed credit, not BATCH");

        assertEquals(List.of(0, 2, 4), a.drain());
        assertEquals(List.of(1, 3), b.drain());
        assertEquals(15, queue.messageCount(), "claimed no more than it placed");
        assertEquals(rangeOf(5, 20), getAll("work", false), "the rest in order, never taken out and put back (unflagged, ahead of nothing)");
    }

    @Test
    void aTurnWithMoreCreditThanBatchPlacesBatchMessagesOverSeveralClaimsAtMost()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 100);
        final StubConsumer b = stub(queue, 0, 100);
        publish(0, 200);

        assertEquals(RoundRobinDispatcher.BATCH, queue.dispatcher().dispatch(), "a turn is bounded by BATCH");

        assertEquals(RoundRobinDispatcher.BATCH / 2, a.drain().size());
        assertEquals(RoundRobinDispatcher.BATCH / 2, b.drain().size());
        assertEquals(200 - RoundRobinDispatcher.BATCH, queue.messageCount());
    }

    @Test
    void aBatchedTurnNeverHandsAConsumerMoreThanItsCredit()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 1);
        final StubConsumer b = stub(queue, 0, 3);
        final StubConsumer c = stub(queue, 0, 0);
        publish(0, 20);

        assertEquals(4, queue.dispatcher().dispatch());

        assertEquals(List.of(0), a.drain(), "its credit of 1");
        assertEquals(List.of(1, 2, 3), b.drain(), "its credit of 3, the rest of the claim once the first ran out");
        assertEquals(List.of(), c.drain(), "no credit, nothing");
        assertEquals(16, queue.messageCount());
    }

    @Test
    void batchedTurnsKeepTheRotationAndItsCursorAcrossTurns()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 2);
        final StubConsumer b = stub(queue, 0, 1);
        final StubConsumer c = stub(queue, 0, 1);
        publish(0, 10);

        assertEquals(4, queue.dispatcher().dispatch());
        assertEquals(List.of(0, 3), a.drain());
        assertEquals(List.of(1), b.drain());
        assertEquals(List.of(2), c.drain());

        a.credit = 5;
        b.credit = 5;
        c.credit = 5;
        assertEquals(6, queue.dispatcher().dispatch());
        assertEquals(List.of(4, 7), b.drain(), "the next turn starts after the last one served");
        assertEquals(List.of(5, 8), c.drain());
        assertEquals(List.of(6, 9), a.drain());
    }

    @Test
    void expiredMessagesInAClaimedBatchAreDroppedAndCountedNotDeliveredAndUseNoCredit() throws Exception
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 2);
        final StubConsumer b = stub(queue, 0, 2);
        for (int i = 0; i < 8; i++)
        {
            if (i % 2 == 1)
            {
                channel.publish("", "work", MessageProperties.builder().expiration("1").build(), seq(i));
            }
            else
            {
                channel.publish("", "work", seq(i));
            }
        }
        Thread.sleep(20); // the odd ones expire in the queue

        // The first claim (4, the summed credit) holds 0..3, of which 1 and 3 expired; so the turn claims again.
        assertEquals(4, queue.dispatcher().dispatch());

        assertEquals(List.of(0, 4), a.drain());
        assertEquals(List.of(2, 6), b.drain());
        final QueueInfo info = channel.queueDeclarePassive("work");
        assertEquals(3, info.expiredCount(), "1, 3 and 5 expired at their turn, as a single take drops them");
        assertEquals(1, info.messageCount(), "7 was never claimed");
    }

    @Test
    void aTurnThatThrowsReturnsWhatItClaimedAndDidNotStageInOrderAndPublishesWhatItStaged()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer a = stub(queue, 0, 10);
        final StubConsumer b = stub(queue, 0, 10);
        b.failOnMailboxCall = 3; // staging its third message: 5, the sixth of the claim
        publish(0, 10);

        final RuntimeException thrown = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
            () -> queue.dispatcher().dispatch());

        assertEquals("stub: mailbox failed", thrown.getMessage());
        assertEquals(List.of(0, 2, 4), a.drain(), "what was staged before the throw is published");
        assertEquals(List.of(1, 3), b.drain());
        assertEquals(rangeOf(5, 10), getAll("work", false), "the rest of the claim back at the head, in order, unflagged");
        publish(10, 11);
        assertEquals(1, queue.dispatcher().dispatch(), "the role was given back");
        assertEquals(List.of(10), b.drain(), "to the one whose staging threw: its turn was never served");
    }

    @Test
    void aBatchedTurnServesTheHighestPriorityWithCreditFirstAndTheLowerOnlyOnceItRunsOut()
    {
        final MessageQueue queue = stubbedQueue("work");
        final StubConsumer low = stub(queue, 0, 5);
        final StubConsumer high1 = stub(queue, 10, 2);
        final StubConsumer high2 = stub(queue, 10, 2);
        publish(0, 20);

        assertEquals(9, queue.dispatcher().dispatch());

        assertEquals(List.of(0, 2), high1.drain());
        assertEquals(List.of(1, 3), high2.drain());
        assertEquals(List.of(4, 5, 6, 7, 8), low.drain(), "only once both higher ones had no credit left");

        low.credit = 3;
        high2.credit = 1;
        assertEquals(4, queue.dispatcher().dispatch());
        assertEquals(List.of(9), high2.drain(), "the higher one with credit first, though the cursor points at the lower one after it");
        assertEquals(List.of(10, 11, 12), low.drain());
        assertEquals(List.of(), high1.drain());
    }

    @Test
    void aTurnOnAQueueWithPoliciesClaimsInTheOrderItsSingleTakesWouldAndDropsWhatExpired() throws Exception
    {
        // A queue with policies fills a claim with single takes (QueueStorage.takeBatch's default): highest
        // message priority first, expired messages dropped as taken.
        channel.queueDeclare(QueueSpec.builder("prio").maxPriority(9).build());
        final MessageQueue queue = broker.queue("prio", channel);
        final StubConsumer a = stub(queue, 0, 2);
        final StubConsumer b = stub(queue, 0, 2);
        for (int i = 0; i < 6; i++)
        {
            channel.publish("", "prio", MessageProperties.builder().priority(i % 2 == 1 ? 5 : 0).build(), seq(i));
        }

        assertEquals(4, queue.dispatcher().dispatch());

        assertEquals(List.of(1, 5), a.drain(), "the claim took 1, 3, 5 (priority 5), then 0");
        assertEquals(List.of(3, 0), b.drain());
        assertEquals(List.of(2, 4), getAll("prio", false));

        channel.queueDeclare(QueueSpec.builder("ttl").messageTtl(java.time.Duration.ofMillis(1)).build());
        final MessageQueue expiring = broker.queue("ttl", channel);
        final StubConsumer c = stub(expiring, 0, 4);
        stub(expiring, 0, 4);
        for (int i = 0; i < 4; i++)
        {
            channel.publish("", "ttl", seq(i));
        }
        Thread.sleep(20);

        assertEquals(0, expiring.dispatcher().dispatch(), "all four expired in the queue");
        assertEquals(List.of(), c.drain());
        assertEquals(4, channel.queueDeclarePassive("ttl").expiredCount(), "each dropped and counted once");
    }

    /** A queue whose consumers are stubs the test adds; nothing else dispatches from it. */
    private MessageQueue stubbedQueue(final String name)
    {
        channel.queueDeclare(name);
        return broker.queue(name, channel);
    }

    private static StubConsumer stub(final MessageQueue queue, final int priority, final int credit)
    {
        final StubConsumer consumer = new StubConsumer(priority, credit);
        queue.addConsumer(consumer); // the test's thread is the only one changing the topology
        return consumer;
    }

    private void publish(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            channel.publish("", "work", seq(i));
        }
    }

    private List<Integer> getAll(final String queue, final boolean redelivered)
    {
        final List<Integer> seqs = new ArrayList<>();
        Delivery d;
        while ((d = channel.get(queue, true)) != null)
        {
            assertEquals(redelivered, d.redelivered(), "flag of " + seqOf(d.body()));
            seqs.add(seqOf(d.body()));
        }
        return seqs;
    }

    private static List<Integer> rangeOf(final int from, final int to)
    {
        final List<Integer> seqs = new ArrayList<>();
        for (int i = from; i < to; i++)
        {
            seqs.add(i);
        }
        return seqs;
    }

    /** What the dispatcher sees of a consumer: credit as the test sets it, less what waits in its mailbox. */
    private static final class StubConsumer implements QueueConsumer
    {
        final Mailbox mailbox = new Mailbox(DeliveryAgent.MAILBOX_LIMIT);
        final int priority;
        /** What the next turn may hand it, set by the test; each message drained from its mailbox uses one. */
        int credit;
        /** The n-th call of mailbox() (from 1) throws once; 0: never. */
        int failOnMailboxCall;
        private int mailboxCalls;

        StubConsumer(final int priority, final int credit)
        {
            this.priority = priority;
            this.credit = credit;
        }

        /** @return the sequence numbers waiting in its mailbox, oldest first, now removed (and released). */
        List<Integer> drain()
        {
            final List<Integer> seqs = new ArrayList<>();
            final Taken taken = new Taken();
            while (mailbox.peek(taken))
            {
                seqs.add(seqOf(taken.envelope.body));
                assertTrue(!taken.redelivered, "fresh messages come unflagged");
                taken.envelope.release();
                mailbox.remove();
                credit--;
            }
            return seqs;
        }

        @Override
        public boolean isRunning()
        {
            return true;
        }

        @Override
        public int priority()
        {
            return priority;
        }

        @Override
        public boolean isExclusive()
        {
            return false;
        }

        @Override
        public int dispatchCredit()
        {
            return Math.max(0, Math.min(credit - mailbox.size(), mailbox.capacity() - mailbox.size()));
        }

        @Override
        public Mailbox mailbox()
        {
            if (++mailboxCalls == failOnMailboxCall)
            {
                throw new IllegalStateException("stub: mailbox failed");
            }
            return mailbox;
        }

        @Override
        public void wake()
        {
        }

        @Override
        public void wakeForMessages()
        {
        }

        @Override
        public void stopBecauseQueueWent(final String reason)
        {
        }
    }

    private static int count(final List<Integer> ids, final int id)
    {
        int n = 0;
        for (final int each : ids)
        {
            n += each == id ? 1 : 0;
        }
        return n;
    }
}
