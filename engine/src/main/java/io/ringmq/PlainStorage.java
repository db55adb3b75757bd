package io.ringmq;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * The storage of a queue declared without policies: a bounded lock-free ring of messages never
 * delivered, and ahead of it an unbounded lock-free queue of returned ones.
 * <p>
 * <b>Why JCTools' {@link MpmcArrayQueue}:</b> a queue has many publishers and several competing
 * takers, each message going to exactly one of them. The Disruptor's ring is built for every
 * consumer seeing every event (its competing-consumer WorkerPool is gone in version 4), Agrona's
 * rings are single-consumer; JCTools' MPMC ring is exactly this shape, allocation-free and lock-free,
 * with per-producer FIFO. Returned messages go to a separate unbounded MPMC queue (chunked, chunks
 * pooled) taken first: they were delivered before, so RabbitMQ puts them back ahead; and a requeue
 * must never fail for want of room.
 * <p>
 * What a plain queue pays for policies existing elsewhere: one test of a field of the message's
 * (already loaded) properties per take, for a per-message TTL ({@code expiration}), which RabbitMQ
 * honours in every queue; the clock is read only for a message that has one.
 */
final class PlainStorage implements QueueStorage
{
    /** Chunk size of the returned queue: returns are rare and bursty (a cancelled consumer's window). */
    private static final int RETURNED_CHUNK = 256;

    private final StoredQueue queue;
    private final OverflowPolicy overflow;
    private final MpmcArrayQueue<Envelope> ready;
    private final MpmcUnboundedXaddArrayQueue<Returned> returned = new MpmcUnboundedXaddArrayQueue<>(RETURNED_CHUNK);

    PlainStorage(final StoredQueue queue, final OverflowPolicy overflow, final int capacity)
    {
        this.queue = queue;
        this.overflow = overflow;
        this.ready = new MpmcArrayQueue<>(capacity);
    }

    @Override
    public int offer(final Envelope envelope, final PublishResult result)
    {
        if (ready.offer(envelope))
        {
            return ACCEPTED;
        }
        switch (overflow)
        {
            case REJECT_PUBLISH:
            case REJECT_PUBLISH_DLX: // a plain queue has no dead-letter exchange: refusing is all there is to do
                return REFUSED;
            case DROP_HEAD:
                while (!queue.isDeleted())
                {
                    final Envelope oldest = ready.poll();
                    if (oldest != null)
                    {
                        result.addDropped(1);
                        queue.dropDead(oldest, DeathReason.MAXLEN);
                    }
                    if (ready.offer(envelope))
                    {
                        return ACCEPTED;
                    }
                }
                return REFUSED;
            case BLOCK:
            default:
                return NO_ROOM;
        }
    }

    @Override
    public boolean take(final Taken out)
    {
        while (true)
        {
            final Returned back = returned.isEmpty() ? null : returned.poll();
            final Envelope envelope;
            if (back != null)
            {
                out.set(back);
                envelope = back.envelope;
            }
            // relaxedPoll: an empty or not-yet-published slot answers null without reading the producers'
            // index, the cache line every publish writes; a message being offered is simply taken next round.
            else if ((envelope = ready.relaxedPoll()) != null)
            {
                out.set(envelope, false, queue);
            }
            else
            {
                return false;
            }
            if (!queue.dropIfExpired(envelope))
            {
                return true;
            }
            out.clear();
        }
    }

    @Override
    public void putBack(final Returned message)
    {
        returned.offer(message);
    }

    @Override
    public boolean hasMessages()
    {
        return !returned.isEmpty() || !ready.isEmpty();
    }

    @Override
    public int messageCount()
    {
        return returned.size() + ready.size();
    }

    @Override
    public int drain()
    {
        int removed = 0;
        Returned back;
        while ((back = returned.poll()) != null)
        {
            queue.leftReady(back.envelope);
            back.envelope.release();
            removed++;
        }
        Envelope envelope;
        while ((envelope = ready.poll()) != null)
        {
            queue.leftReady(envelope);
            envelope.release();
            removed++;
        }
        return removed;
    }

    /** The ring's producer index: every offer it accepted moved it on by one, and nothing else does (returns go apart). */
    @Override
    public long acceptedCount()
    {
        return ready.currentProducerIndex();
    }

    @Override
    public void sweepExpired()
    {
        // JCTools' rings cannot remove a head conditionally; a plain queue expires per-message TTLs as it takes.
    }
}
