package io.ringmq.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract, run against both queues with a conditional poll ({@link MpmcRing},
 * {@link LinkedMpmcQueue}): FIFO, exactly-once transfer under concurrency, and a {@code pollIf} that
 * takes the head only when its condition accepts it, never anything behind it.
 */
class ConditionalQueueContractTest
{
    /** The operations under test, so that one suite covers both implementations. */
    private interface Subject
    {
        boolean offer(Integer value);

        Integer poll();

        Integer pollIf(Predicate<Integer> condition);

        boolean isEmpty();

        int size();
    }

    enum Kind
    {
        RING
        {
            @Override
            Subject create(final int capacity)
            {
                final MpmcRing<Integer> ring = new MpmcRing<>(capacity);
                return new Subject()
                {
                    public boolean offer(final Integer value)
                    {
                        return ring.offer(value);
                    }

                    public Integer poll()
                    {
                        return ring.poll();
                    }

                    public Integer pollIf(final Predicate<Integer> condition)
                    {
                        return ring.pollIf(condition);
                    }

                    public boolean isEmpty()
                    {
                        return ring.isEmpty();
                    }

                    public int size()
                    {
                        return ring.size();
                    }
                };
            }
        },
        LINKED
        {
            @Override
            Subject create(final int capacity)
            {
                final LinkedMpmcQueue<Integer> queue = new LinkedMpmcQueue<>();
                return new Subject()
                {
                    public boolean offer(final Integer value)
                    {
                        queue.offer(value);
                        return true;
                    }

                    public Integer poll()
                    {
                        return queue.poll();
                    }

                    public Integer pollIf(final Predicate<Integer> condition)
                    {
                        return queue.pollIf(condition);
                    }

                    public boolean isEmpty()
                    {
                        return queue.isEmpty();
                    }

                    public int size()
                    {
                        return queue.size();
                    }
                };
            }
        };

        abstract Subject create(int capacity);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void elementsComeOutInTheOrderTheyWentInAcrossManyLaps(final Kind kind)
    {
        final Subject subject = kind.create(4);
        int next = 0;
        for (int i = 0; i < 1000; i++)
        {
            assertTrue(subject.offer(i));
            if (i % 3 == 2)
            {
                for (int k = 0; k < 3; k++)
                {
                    assertEquals(next++, subject.poll());
                }
            }
        }
        Integer value;
        while ((value = subject.poll()) != null)
        {
            assertEquals(next++, value);
        }
        assertEquals(1000, next);
        assertTrue(subject.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void pollIfTakesTheHeadOnlyWhenTheConditionAcceptsIt(final Kind kind)
    {
        final Subject subject = kind.create(8);
        subject.offer(1);
        subject.offer(2);
        assertNull(subject.pollIf(v -> v == 2), "2 is not the head: nothing behind the head is taken");
        assertEquals(2, subject.size());
        assertEquals(1, subject.pollIf(v -> v == 1));
        assertEquals(2, subject.pollIf(v -> true));
        assertNull(subject.pollIf(v -> true), "empty");
        assertTrue(subject.isEmpty());
    }

    @Test
    void theRingRefusesOffersWhenFullAndTakesThemAgainOnceRoomIsMade()
    {
        final Subject ring = Kind.RING.create(2);
        assertTrue(ring.offer(1));
        assertTrue(ring.offer(2));
        assertFalse(ring.offer(3));
        assertEquals(2, ring.size());
        assertEquals(1, ring.poll());
        assertTrue(ring.offer(3));
        assertEquals(2, ring.poll());
        assertEquals(3, ring.poll());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentProducersAndConsumersTransferEveryElementExactlyOnceInEachProducersOrder(final Kind kind)
        throws Exception
    {
        final Subject subject = kind.create(64);
        final int producers = 3;
        final int perProducer = 20_000;
        final AtomicInteger taken = new AtomicInteger();
        final boolean[] seen = new boolean[producers * perProducer];
        final AtomicBoolean duplicate = new AtomicBoolean();
        final AtomicBoolean disorder = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);
        for (int p = 0; p < producers; p++)
        {
            final int base = p * perProducer;
            threads.add(new Thread(() ->
            {
                await(start);
                for (int i = 0; i < perProducer; i++)
                {
                    while (!subject.offer(base + i))
                    {
                        Thread.onSpinWait();
                    }
                }
            }));
        }
        for (int c = 0; c < 3; c++)
        {
            final boolean conditional = c == 0; // one consumer takes only even heads, conditionally
            threads.add(new Thread(() ->
            {
                await(start);
                final int[] last = new int[producers];
                java.util.Arrays.fill(last, -1);
                while (taken.get() < seen.length)
                {
                    final Integer v = conditional ? subject.pollIf(x -> x % 2 == 0) : subject.poll();
                    if (v == null)
                    {
                        Thread.onSpinWait();
                        continue;
                    }
                    if (conditional && v % 2 != 0)
                    {
                        duplicate.set(true); // a refused head was taken: report as a failure
                    }
                    synchronized (seen)
                    {
                        if (seen[v])
                        {
                            duplicate.set(true);
                        }
                        seen[v] = true;
                    }
                    final int producer = v / perProducer;
                    if (v % perProducer <= last[producer])
                    {
                        disorder.set(true); // one consumer saw one producer's elements out of order
                    }
                    last[producer] = v % perProducer;
                    taken.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (final Thread t : threads)
        {
            t.join();
        }
        assertFalse(duplicate.get(), "an element was taken twice, or pollIf took a refused head");
        assertFalse(disorder.get(), "a consumer saw a producer's elements out of order");
        for (int i = 0; i < seen.length; i++)
        {
            assertTrue(seen[i], "element " + i + " lost");
        }
        assertTrue(subject.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aRacingConditionalPollerNeverRemovesAnElementItRefused(final Kind kind) throws Exception
    {
        // Producers offer odd and even values; a sweeper pollIf's only values below a bound while a
        // plain consumer polls. Whatever the sweeper takes satisfied its condition; nothing is lost.
        final Subject subject = kind.create(128);
        final int total = 50_000;
        final ConcurrentLinkedQueue<Integer> swept = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Integer> polled = new ConcurrentLinkedQueue<>();
        final AtomicInteger done = new AtomicInteger();
        final Thread producer = new Thread(() ->
        {
            for (int i = 0; i < total; i++)
            {
                while (!subject.offer(i))
                {
                    Thread.onSpinWait();
                }
            }
        });
        final Thread sweeper = new Thread(() ->
        {
            while (done.get() < total)
            {
                final Integer v = subject.pollIf(x -> x % 10 == 0);
                if (v != null)
                {
                    swept.add(v);
                    done.incrementAndGet();
                }
            }
        });
        final Thread consumer = new Thread(() ->
        {
            while (done.get() < total)
            {
                final Integer v = subject.poll();
                if (v != null)
                {
                    polled.add(v);
                    done.incrementAndGet();
                }
            }
        });
        producer.start();
        sweeper.start();
        consumer.start();
        producer.join();
        sweeper.join();
        consumer.join();
        assertTrue(swept.stream().allMatch(v -> v % 10 == 0), "the sweeper only takes what its condition accepts");
        assertEquals(total, swept.size() + polled.size());
        final boolean[] seen = new boolean[total];
        swept.forEach(v -> seen[v] = true);
        polled.forEach(v -> seen[v] = true);
        for (int i = 0; i < total; i++)
        {
            assertTrue(seen[i], "element " + i + " lost");
        }
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
