package io.ringmq.bench.contenders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, every contender, every shape (as JCTools' {@code QueueSanityTest} runs one suite against
 * every queue): at tiny scale, each published message is delivered exactly once to one consumer (or once to
 * each consumer under fanout), and each consumer sees each publisher's messages in publish order.
 *
 * <p>The capacity is small on purpose, so that rings wrap, queues fill and offers are refused many times.
 * RabbitMQ runs only when a broker answers on its port ({@code bench/scripts/rabbitmq.sh start}).
 */
class ContenderContractTest
{
    private static final int CAPACITY = 256;
    /** Publisher {@code p}'s i-th message has sequence {@code p * PUBLISHER_STRIDE + i}. */
    private static final long PUBLISHER_STRIDE = 1_000_000_000L;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    static Stream<Arguments> everyContenderAndShape()
    {
        return Contenders.names().stream()
            .flatMap(name -> Arrays.stream(Shape.values()).map(shape -> Arguments.of(name, shape)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyContenderAndShape")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyMessageIsDeliveredExactlyOnceInPublishOrder(final String name, final Shape shape) throws Exception
    {
        if (Contenders.entry(name).externalBroker())
        {
            Assumptions.assumeTrue(!"rabbitmq".equals(name) || RabbitMqContender.brokerReachable(),
                "no RabbitMQ on 127.0.0.1:" + RabbitMqContender.port() + " (bench/scripts/rabbitmq.sh start)");
        }
        final boolean broker = "artemis".equals(name) || Contenders.entry(name).externalBroker();
        final int perPublisher = broker ? 3_000 : 50_000;

        try (Contender contender = Contenders.create(name))
        {
            contender.open(shape, CAPACITY);
            final long totalDeliveries = (long) perPublisher * shape.publishers() * shape.deliveriesPerMessage();
            final AtomicLong delivered = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final long deadline = System.nanoTime() + DEADLINE_NANOS;
            final List<Thread> threads = new ArrayList<>();
            final List<LongList> received = new ArrayList<>();

            for (int p = 0; p < shape.publishers(); p++)
            {
                final Publisher publisher = contender.publisher(p);
                final long base = p * PUBLISHER_STRIDE;
                threads.add(thread("publisher-" + p, failure, () ->
                {
                    final YieldingIdle idle = new YieldingIdle();
                    for (long i = 0; i < perPublisher; i++)
                    {
                        while (!publisher.offer(base + i))
                        {
                            checkDeadline(deadline, "publishing");
                            idle.idle();
                        }
                        idle.reset();
                    }
                }));
            }
            for (int c = 0; c < shape.consumers(); c++)
            {
                final Subscriber subscriber = contender.subscriber(c);
                final LongList sink = new LongList();
                received.add(sink);
                final long expectedHere = shape.fanout() ? (long) perPublisher * shape.publishers() : -1;
                threads.add(thread("consumer-" + c, failure, () ->
                {
                    final YieldingIdle idle = new YieldingIdle();
                    while (shape.fanout() ? sink.size() < expectedHere : delivered.get() < totalDeliveries)
                    {
                        final int n = subscriber.poll(sink, 64);
                        if (n == 0)
                        {
                            checkDeadline(deadline, "consuming");
                            idle.idle();
                        }
                        else
                        {
                            delivered.addAndGet(n);
                            idle.reset();
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join();
            }
            if (failure.get() != null)
            {
                fail(name + " " + shape + ": " + failure.get(), failure.get());
            }

            // Nothing more may arrive: a duplicate would show up here.
            Thread.sleep(broker ? 300 : 10);
            for (int c = 0; c < shape.consumers(); c++)
            {
                assertEquals(0, contender.subscriber(c).poll(received.get(c), 64),
                    "consumer " + c + " got a message after all were delivered: a duplicate");
            }
            verify(shape, perPublisher, received);
        }
    }

    private static void verify(final Shape shape, final int perPublisher, final List<LongList> received)
    {
        // Per consumer, per publisher: strictly increasing, i.e. publish order and no repeats.
        for (int c = 0; c < received.size(); c++)
        {
            final long[] last = new long[shape.publishers()];
            Arrays.fill(last, -1);
            final LongList list = received.get(c);
            for (int i = 0; i < list.size(); i++)
            {
                final long sequence = list.get(i);
                final int publisher = (int) (sequence / PUBLISHER_STRIDE);
                final long index = sequence % PUBLISHER_STRIDE;
                assertTrue(publisher < shape.publishers() && index < perPublisher, "unknown message " + sequence);
                assertTrue(index > last[publisher], "consumer " + c + " saw publisher " + publisher + "'s message "
                    + index + " after " + last[publisher] + ": out of order or duplicated");
                last[publisher] = index;
            }
        }
        if (shape.fanout())
        {
            for (int c = 0; c < received.size(); c++)
            {
                assertEquals((long) perPublisher * shape.publishers(), received.get(c).size(),
                    "fanout: consumer " + c + " must get every message");
            }
        }
        else
        {
            // Competing or single consumer: the union is every message, each exactly once.
            final boolean[][] seen = new boolean[shape.publishers()][perPublisher];
            long total = 0;
            for (final LongList list : received)
            {
                for (int i = 0; i < list.size(); i++)
                {
                    final long sequence = list.get(i);
                    final int publisher = (int) (sequence / PUBLISHER_STRIDE);
                    final int index = (int) (sequence % PUBLISHER_STRIDE);
                    assertTrue(!seen[publisher][index], "message " + sequence + " delivered twice");
                    seen[publisher][index] = true;
                    total++;
                }
            }
            assertEquals((long) perPublisher * shape.publishers(), total, "every message delivered once");
        }
    }

    private static void checkDeadline(final long deadline, final String what)
    {
        if (System.nanoTime() > deadline)
        {
            throw new AssertionError("stuck " + what + " for " + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NANOS) + "s");
        }
    }

    private static Thread thread(final String name, final AtomicReference<Throwable> failure, final Runnable body)
    {
        final Thread thread = new Thread(() ->
        {
            try
            {
                body.run();
            }
            catch (final Throwable t)
            {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** A growable long array that is also the consumer's sink. Single thread until joined. */
    private static final class LongList implements MessageSink
    {
        private long[] values = new long[1024];
        private int size;

        @Override
        public void onMessage(final long sequence)
        {
            if (size == values.length)
            {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = sequence;
        }

        int size()
        {
            return size;
        }

        long get(final int index)
        {
            return values[index];
        }
    }
}
