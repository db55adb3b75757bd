package io.ringmq.bench.pipeline;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.ringmq.bench.contenders.Shape;

/**
 * The exactly-once bookkeeping of one trial: how many messages the producers began to publish, and whether
 * the consumers have been handed all of them, no more and no fewer. A batch ends when every message begun
 * before it ended has arrived: for one producer that is its own batch; for 2P1C it includes the other
 * producer's batch in progress, so the two producers end their batches together (the score stays the total
 * consumed per second, which is what it measures).
 * <p>
 * A peer that loses a message never completes a batch: after {@link #timeoutNanos} waiting the batch fails
 * with {@link LostMessagesException}, and JMH fails the trial loudly. One that hands a message twice is
 * caught as soon as a consumer count exceeds what was published.
 */
final class Deliveries
{
    /** Time a batch may take to arrive once published before it counts as lost: far above any healthy batch. */
    static final long DEFAULT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Shape shape;
    private final Tally[] tallies;
    private final long timeoutNanos;
    /** Messages the producers began to publish (a fanout message counts once, not once per consumer). */
    private final AtomicLong begun = new AtomicLong();

    Deliveries(final Shape shape, final Tally[] tallies, final long timeoutNanos)
    {
        if (tallies.length != shape.consumers())
        {
            throw new IllegalArgumentException(shape + " has " + shape.consumers() + " consumers, not " + tallies.length);
        }
        this.shape = shape;
        this.tallies = tallies;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Publishes one batch through the peer and returns when its consumers have been handed all of it.
     *
     * @return the deliveries the batch made: {@code count}, or {@code count} × consumers under fanout
     * @throws LostMessagesException when the batch did not arrive in time
     * @throws DuplicateDeliveryException when a consumer was handed more than was published
     */
    long publishBatch(final Peer peer, final int producer, final int count) throws Exception
    {
        begun.addAndGet(count);
        peer.publish(producer, count);
        awaitArrival(begun.get());
        return (long) count * shape.deliveriesPerMessage();
    }

    /** Waits until every message begun so far has arrived, then checks that nothing arrived twice; trial end. */
    void verifyExactlyOnce()
    {
        awaitArrival(begun.get());
        checkNoExcess();
    }

    /** @return messages the producers began to publish so far. */
    long begun()
    {
        return begun.get();
    }

    private void awaitArrival(final long messages)
    {
        int spins = 0;
        long deadline = 0;
        while (!arrived(messages))
        {
            if (++spins < 100)
            {
                Thread.onSpinWait();
                continue;
            }
            // The producer waits like the Disruptor's yielding strategy: its core is the consumers' too.
            Thread.yield();
            if ((spins & 1023) == 0)
            {
                final long now = System.nanoTime();
                if (deadline == 0)
                {
                    deadline = now + timeoutNanos;
                }
                else if (now - deadline > 0)
                {
                    throw new LostMessagesException(shape, messages, counts());
                }
            }
        }
        checkNoExcess();
    }

    private boolean arrived(final long messages)
    {
        if (shape.fanout())
        {
            for (final Tally tally : tallies)
            {
                if (tally.seen() < messages)
                {
                    return false;
                }
            }
            return true;
        }
        long sum = 0;
        for (final Tally tally : tallies)
        {
            sum += tally.seen();
        }
        return sum >= messages;
    }

    private void checkNoExcess()
    {
        // Counts first, then what was begun: a count can only have grown from messages begun before it was read,
        // while the other 2P1C producer may begin (and have consumed) more between the two reads the other way round.
        final long[] counts = counts();
        final long published = begun.get();
        final long handed = shape.fanout() ? Arrays.stream(counts).max().orElse(0) : Arrays.stream(counts).sum();
        if (handed > published)
        {
            throw new DuplicateDeliveryException(shape, published, counts);
        }
    }

    private long[] counts()
    {
        final long[] counts = new long[tallies.length];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = tallies[i].seen();
        }
        return counts;
    }

    /** A batch that never fully arrived: the peer lost messages (or stalled for a minute, which is as bad). */
    static final class LostMessagesException extends IllegalStateException
    {
        LostMessagesException(final Shape shape, final long expected, final long[] counts)
        {
            super(shape.label() + ": waited for " + expected + " message(s)" + (shape.fanout() ? " per consumer" : "")
                + " but the consumers were handed " + Arrays.toString(counts) + ": messages lost");
        }
    }

    /** More arrived than was published: some message was handed out twice. */
    static final class DuplicateDeliveryException extends IllegalStateException
    {
        DuplicateDeliveryException(final Shape shape, final long published, final long[] counts)
        {
            super(shape.label() + ": " + published + " message(s) published but the consumers were handed "
                + Arrays.toString(counts) + ": duplicate deliveries");
        }
    }
}
