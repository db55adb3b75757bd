package io.ringmq;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Consumers without a thread of their own: the shared pool, a dedicated thread, and caller-driven delivery. */
class ConsumerThreadingTest extends BrokerTestBase
{
    @Test
    void fiveHundredConsumersShareTheBrokersFewPoolThreads()
    {
        final Set<Thread> handlerThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger delivered = new AtomicInteger();
        for (int q = 0; q < 500; q++)
        {
            channel.queueDeclare("q" + q);
            final Consumer consumer = channel.consume("q" + q, ConsumeOptions.autoAck(), d ->
            {
                handlerThreads.add(Thread.currentThread());
                delivered.incrementAndGet();
            });
            assertEquals(ConsumerThreading.SHARED_POOL, consumer.threading(), "the default");
        }
        for (int q = 0; q < 500; q++)
        {
            channel.publish("", "q" + q, seq(q));
        }
        Await.until("every consumer got its message", () -> delivered.get() == 500);
        assertTrue(handlerThreads.size() <= ConsumerPool.DEFAULT_THREADS, handlerThreads.size() + " threads");
        for (final Thread thread : handlerThreads)
        {
            assertTrue(broker.consumerPool().owns(thread), thread.getName());
        }
    }

    @Test
    void aHandlerBlockedInThePoolHoldsUpOnlyItsOwnThread() throws Exception
    {
        channel.queueDeclare("stuck");
        channel.queueDeclare("free");
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);
        channel.consume("stuck", ConsumeOptions.autoAck(), d ->
        {
            entered.countDown();
            release.await();
        });
        final AtomicInteger free = new AtomicInteger();
        channel.consume("free", ConsumeOptions.autoAck(), d -> free.incrementAndGet());
        channel.publish("", "stuck", seq(0));
        assertTrue(entered.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 100; i++)
        {
            channel.publish("", "free", seq(i));
        }
        Await.until("the other consumer kept receiving", () -> free.get() == 100);
        release.countDown();
    }

    @Test
    void aPoolOfOneServesAllConsumersInTurn()
    {
        try (Broker small = Broker.builder().consumerPool(1).build(); Channel ch = small.openChannel())
        {
            final List<Integer> seen = new CopyOnWriteArrayList<>();
            for (int q = 0; q < 3; q++)
            {
                ch.queueDeclare("q" + q);
                final int queue = q;
                ch.consume("q" + q, ConsumeOptions.autoAck(), d -> seen.add(queue));
            }
            for (int i = 0; i < 300; i++)
            {
                ch.publish("", "q" + (i % 3), seq(i));
            }
            Await.until("all delivered", () -> seen.size() == 300);
            assertEquals(100, seen.stream().filter(q -> q == 2).count());
        }
    }

    @Test
    void aDedicatedThreadIsTheConsumersOwnAndEndsWithIt() throws Exception
    {
        channel.queueDeclare("q");
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final Consumer consumer = channel.consume("q", ConsumeOptions.builder().autoAck(true).dedicatedThread().build(),
            d -> threads.add(Thread.currentThread()));
        channel.publish("", "q", seq(1));
        Await.until("delivered", () -> threads.size() == 1);
        final Thread own = threads.get(0);
        assertTrue(own.getName().startsWith("ringmq-consumer-q-"), own.getName());
        consumer.cancel();
        assertFalse(own.isAlive(), "cancel joined it");
    }

    @Test
    void aCallerDrivenConsumerDeliversOnlyWhenCalledOnTheCallersThreadAndNeverWaits()
    {
        channel.queueDeclare("q");
        final AtomicInteger readySignals = new AtomicInteger();
        final List<Thread> threads = new ArrayList<>();
        final Consumer consumer = channel.consume("q", ConsumeOptions.builder().prefetch(2).callerDriven(readySignals::incrementAndGet)
            .build(), d -> threads.add(Thread.currentThread()));
        assertEquals(ConsumerThreading.CALLER_DRIVEN, consumer.threading());
        assertEquals(0, consumer.deliver(10), "nothing yet: returns at once");
        final int before = readySignals.get();
        for (int i = 0; i < 5; i++)
        {
            channel.publish("", "q", seq(i));
        }
        assertTrue(readySignals.get() > before, "armed by the empty deliver: a publisher told the listener");
        assertEquals(0, threads.size(), "no thread delivered on its own");
        assertEquals(2, consumer.deliver(10), "up to the consumer's credit (prefetch 2)");
        assertEquals(0, consumer.deliver(10), "out of credit: returns at once, armed");
        final int armed = readySignals.get();
        channel.ack(0, true);
        assertTrue(readySignals.get() > armed, "the ack freed credit: the listener was told");
        assertEquals(2, consumer.deliver(10));
        channel.ack(0, true);
        assertEquals(1, consumer.deliver(1), "at most the number asked for");
        assertEquals(0, consumer.deliver(10), "the fifth message is delivered; the queue is empty");
        assertEquals(5, threads.size());
        for (final Thread thread : threads)
        {
            assertEquals(Thread.currentThread(), thread);
        }
        assertThrows(IllegalStateException.class, () -> channel.consume("q", ConsumeOptions.autoAck(), d -> { }).deliver(1),
            "deliver() is for caller-driven consumers");
    }

    @Test
    void aCallerDrivenConsumerIsToldOfMessagesAlreadyWaitingAtItsStart()
    {
        channel.queueDeclare("q");
        channel.publish("", "q", seq(1));
        final AtomicInteger readySignals = new AtomicInteger();
        final List<Integer> got = new ArrayList<>();
        final Consumer consumer = channel.consume("q", ConsumeOptions.builder().autoAck(true).callerDriven(readySignals::incrementAndGet)
            .build(), d -> got.add(seqOf(d.body())));
        assertEquals(1, readySignals.get());
        assertEquals(1, consumer.deliver(5));
        assertEquals(List.of(1), got);
        consumer.cancel();
        channel.publish("", "q", seq(2));
        assertEquals(0, consumer.deliver(5), "a cancelled consumer delivers nothing");
    }

    @Test
    void competingCallerDrivenConsumersShareTheQueueRoundRobin()
    {
        channel.queueDeclare("q");
        final List<String> got = new ArrayList<>();
        final Consumer a = channel.consume("q", ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(),
            d -> got.add("a" + seqOf(d.body())));
        final Consumer b = channel.consume("q", ConsumeOptions.builder().autoAck(true).callerDriven(() -> { }).build(),
            d -> got.add("b" + seqOf(d.body())));
        for (int i = 0; i < 4; i++)
        {
            channel.publish("", "q", seq(i));
        }
        int delivered = 0;
        for (int round = 0; round < 10 && delivered < 4; round++)
        {
            delivered += a.deliver(10) + b.deliver(10);
        }
        assertEquals(4, delivered);
        assertEquals(2, got.stream().filter(s -> s.startsWith("a")).count(), got.toString());
    }

    @Test
    void twoBlockingConsumersOutOfCreditParkInsteadOfSpinning() throws Exception
    {
        // The bug: in the idle path the "waiting for messages" test also covered the round-robin wait, so
        // two BLOCKING consumers out of credit with messages waiting never parked (2-4 s of CPU in 2 s).
        channel.queueDeclare("q");
        final ConsumeOptions blocking = ConsumeOptions.builder().prefetch(1).waitStrategy(WaitStrategy.BLOCKING).build();
        final Consumer first = channel.consume("q", blocking, d -> { });
        final Consumer second = channel.consume("q", blocking, d -> { });
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("both out of credit", () -> first.unackedCount() == 1 && second.unackedCount() == 1);
        final List<Thread> threads = List.of(((DedicatedThread)first.agent().runner()).thread(),
            ((DedicatedThread)second.agent().runner()).thread());
        Thread.sleep(200); // past the short spin and yield before parking
        final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        final long before = cpuNanos(mx, threads);
        Thread.sleep(1000);
        final long used = cpuNanos(mx, threads) - before;
        assertTrue(used < TimeUnit.MILLISECONDS.toNanos(100), "two idle consumers used " + used / 1_000_000 +
            " ms of CPU in one second: they spin instead of parking");
        channel.ack(0, true);
        Await.until("credit wakes them", () -> channel.queueDeclarePassive("q").messageCount() == 6);
    }

    private static long cpuNanos(final ThreadMXBean mx, final List<Thread> threads)
    {
        long total = 0;
        for (final Thread thread : threads)
        {
            total += mx.getThreadCpuTime(thread.getId());
        }
        return total;
    }

    @Test
    void cancellingAPooledConsumerFromAnotherThreadWaitsForTheDeliveryInProgress() throws Exception
    {
        channel.queueDeclare("q");
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final AtomicInteger finished = new AtomicInteger();
        final Consumer consumer = channel.consume("q", ConsumeOptions.autoAck(), d ->
        {
            inHandler.countDown();
            finish.await();
            finished.incrementAndGet();
        });
        channel.publish("", "q", seq(1));
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));
        final Thread canceller = new Thread(consumer::cancel);
        canceller.start();
        canceller.join(200);
        assertTrue(canceller.isAlive(), "cancel waits while the handler runs");
        finish.countDown();
        canceller.join(10_000);
        assertFalse(canceller.isAlive());
        assertEquals(1, finished.get(), "the delivery in progress ended before cancel returned");
    }

    @Test
    void thePoolsThreadsEndWithTheBroker() throws Exception
    {
        channel.queueDeclare("q");
        channel.consume("q", ConsumeOptions.autoAck(), d -> { });
        final List<Thread> pool = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (broker.consumerPool().owns(thread))
            {
                pool.add(thread);
            }
        }
        assertEquals(ConsumerPool.DEFAULT_THREADS, pool.size());
        broker.close();
        for (final Thread thread : pool)
        {
            assertFalse(thread.isAlive(), thread.getName());
        }
    }
}
