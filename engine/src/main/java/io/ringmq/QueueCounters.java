package io.ringmq;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one queue counts of the messages that left it other than by acknowledgement, by cause, and
 * what dead-lettering did with them: the accounting behind {@link QueueInfo} and the stress tests'
 * ledgers. Every count only grows; each is updated with one atomic add, never on publish → deliver → ack.
 */
final class QueueCounters
{
    /** Removed by a length limit (drop-head), whichever limit: reason maxlen. */
    final AtomicLong droppedHead = new AtomicLong();
    /** Of {@link #droppedHead}: heads dropped because a return (requeue) took the queue past its limit. */
    final AtomicLong droppedOnReturn = new AtomicLong();
    /** Deleted with the queue (including publishes that landed after the deletion). */
    final AtomicLong discarded = new AtomicLong();
    /** Removed because a consumer rejected them (or a handler gave up on them): reason rejected. */
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final AtomicLong pastDeliveryLimit = new AtomicLong();
    /** Publishes refused by {@code reject-publish-dlx} (each dead-lettered when the queue has a DLX). */
    final AtomicLong refusedToDeadLetter = new AtomicLong();
    /** Dead letters from this queue that at least one queue accepted. */
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong deadLetterAcceptedCopies = new AtomicLong();
    final AtomicLong deadLetterRefusedCopies = new AtomicLong();
    final AtomicLong deadLetterUnroutable = new AtomicLong();

    /** Counts one message that left for {@code reason}. */
    void died(final DeathReason reason)
    {
        counter(reason).incrementAndGet();
    }

    long removedCount(final DeathReason reason)
    {
        return counter(reason).get();
    }

    private AtomicLong counter(final DeathReason reason)
    {
        switch (reason)
        {
            case REJECTED:
                return rejected;
            case EXPIRED:
                return expired;
            case MAXLEN:
                return droppedHead;
            case DELIVERY_LIMIT:
            default:
                return pastDeliveryLimit;
        }
    }

    /** Dead-lettering's outcome for one message; see {@link DeadLetters}. */
    void countDeadLetter(final int acceptedCopies, final int refusedCopies)
    {
        if (acceptedCopies > 0)
        {
            deadLettered.incrementAndGet();
            deadLetterAcceptedCopies.addAndGet(acceptedCopies);
        }
        else
        {
            deadLetterUnroutable.incrementAndGet();
        }
        if (refusedCopies > 0)
        {
            deadLetterRefusedCopies.addAndGet(refusedCopies);
        }
    }
}
