package io.ringmq;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one queue counts of the messages that left it other than by acknowledgement, by cause, and
 * what dead-lettering did with them: the accounting behind {@link QueueInfo} and the stress tests'
 * ledgers. Every count only grows; each is updated with one atomic add, never on publish → deliver → ack.
 * <p>
 * One {@link AtomicLongArray} rather than a field per count: a queue that is only declared pays 136
 * bytes here instead of 320 (eleven {@code AtomicLong}s), and brokers hold queues by the hundred
 * thousand. The counts share cache lines, which costs nothing as none is on the hot path.
 */
final class QueueCounters
{
    /** The counts, each one slot of the array. */
    enum Count
    {
        /** Removed by a length limit (drop-head), whichever limit: reason maxlen. */
        DROPPED_HEAD,
        /** Of {@link #DROPPED_HEAD}: heads dropped because a return (requeue) took the queue past its limit. */
        DROPPED_ON_RETURN,
        /** Deleted with the queue (including publishes that landed after the deletion). */
        DISCARDED,
        /** Removed because a consumer rejected them (or a handler gave up on them): reason rejected. */
        REJECTED,
        EXPIRED,
        PAST_DELIVERY_LIMIT,
        /** Publishes refused by {@code reject-publish-dlx} (each dead-lettered when the queue has a DLX). */
        REFUSED_TO_DEAD_LETTER,
        /** Dead letters from this queue that at least one queue accepted. */
        DEAD_LETTERED,
        DEAD_LETTER_ACCEPTED_COPIES,
        DEAD_LETTER_REFUSED_COPIES,
        DEAD_LETTER_UNROUTABLE
    }

    private static final Count[] COUNTS = Count.values();

    private final AtomicLongArray counts = new AtomicLongArray(COUNTS.length);

    void add(final Count count, final long delta)
    {
        counts.addAndGet(count.ordinal(), delta);
    }

    long get(final Count count)
    {
        return counts.get(count.ordinal());
    }

    /** Counts one message that left for {@code reason}. */
    void died(final DeathReason reason)
    {
        add(count(reason), 1);
    }

    long removedCount(final DeathReason reason)
    {
        return get(count(reason));
    }

    private static Count count(final DeathReason reason)
    {
        switch (reason)
        {
            case REJECTED:
                return Count.REJECTED;
            case EXPIRED:
                return Count.EXPIRED;
            case MAXLEN:
                return Count.DROPPED_HEAD;
            case DELIVERY_LIMIT:
            default:
                return Count.PAST_DELIVERY_LIMIT;
        }
    }

    /** Dead-lettering's outcome for one message; see {@link DeadLetters}. */
    void countDeadLetter(final int acceptedCopies, final int refusedCopies)
    {
        if (acceptedCopies > 0)
        {
            add(Count.DEAD_LETTERED, 1);
            add(Count.DEAD_LETTER_ACCEPTED_COPIES, acceptedCopies);
        }
        else
        {
            add(Count.DEAD_LETTER_UNROUTABLE, 1);
        }
        if (refusedCopies > 0)
        {
            add(Count.DEAD_LETTER_REFUSED_COPIES, refusedCopies);
        }
    }
}
