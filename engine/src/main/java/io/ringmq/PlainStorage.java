package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.ringmq.internal.MpmcGrowingRing;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

/**
 * The storage of a queue declared without policies: a bounded lock-free queue of messages never
 * delivered, and ahead of it an unbounded lock-free queue of returned ones.
 * <p>
 * <b>Why an {@link MpmcGrowingRing}:</b> a queue has many publishers and several competing takers,
 * each message going to exactly one of them: the shape of a bounded MPMC ring (Vyukov's, as JCTools'
 * {@code MpmcArrayQueue}), lock-free, allocation-free once sized, with per-producer FIFO. The Disruptor's
 * ring is built for every consumer seeing every event, Agrona's rings are single-consumer. A ring of the
 * queue's full capacity, though, costs 12 bytes a slot before the first message (8,192 slots: 96 KB),
 * and brokers hold queues by the ten thousand (a reply queue per RPC client, a queue per device). The
 * growing ring starts at 16 slots and grows by chained, larger rings up to the capacity, the bound
 * exact; a queue that reached its size keeps one ring and allocates nothing more.
 * <p>
 * Returned messages go to a separate unbounded MPMC queue (chunked, chunks pooled) taken first: they
 * were delivered before, so RabbitMQ puts them back ahead; and a requeue must never fail for want of
 * room. It is created by the first return (a few KB that most queues never need).
 * <p>
 * What a plain queue pays for policies existing elsewhere: one test of a field of the message's
 * (already loaded) properties per take, for a per-message TTL ({@code expiration}), which RabbitMQ
 * honours in every queue; the clock is read only for a message that has one.
 */
final class PlainStorage implements QueueStorage
{
    /** Chunk size of the returned queue: returns are rare and bursty (a cancelled consumer's window). */
    private static final int RETURNED_CHUNK = 256;

    private static final VarHandle RETURNED;

    static
    {
        try
        {
            RETURNED = MethodHandles.lookup().findVarHandle(PlainStorage.class, "returned", MpmcUnboundedXaddArrayQueue.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final StoredQueue queue;
    private final OverflowPolicy overflow;
    private final MpmcGrowingRing<Envelope> ready;
    /** Null until the first return; see {@link #returned()}. */
    @SuppressWarnings("unused")
    private volatile MpmcUnboundedXaddArrayQueue<Returned> returned;

    PlainStorage(final StoredQueue queue, final OverflowPolicy overflow, final int capacity)
    {
        this.queue = queue;
        this.overflow = overflow;
        this.ready = new MpmcGrowingRing<>(capacity);
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

    /** One CAS per part of the run that fits a ring ({@link MpmcGrowingRing#offerRun}); what does not fit is left to {@link #offer}. */
    @Override
    public int offerRun(final Envelope[] envelopes, final int from, final int count)
    {
        return ready.offerRun(envelopes, from, count);
    }

    @Override
    public boolean take(final Taken out)
    {
        while (true)
        {
            final MpmcUnboundedXaddArrayQueue<Returned> returned = laReturned();
            final Returned back = returned == null || returned.isEmpty() ? null : returned.poll();
            final Envelope envelope;
            if (back != null)
            {
                out.set(back);
                envelope = back.envelope;
            }
            // relaxedPoll: an empty queue or a not-yet-published head answers null without reading the producers'
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

    /**
     * Returned messages first, one poll each (they are rare); then what the ring has ready, with one claim
     * of its consumer index unless the queue grew under the batch ({@link MpmcGrowingRing#relaxedPollBatch}),
     * written straight into the batch.
     */
    @Override
    public int takeBatch(final TakenBatch out, final int max)
    {
        int n = 0;
        final MpmcUnboundedXaddArrayQueue<Returned> returned = laReturned();
        if (returned != null && !returned.isEmpty())
        {
            Returned back;
            while (n < max && (back = returned.poll()) != null)
            {
                out.add(back);
                n++;
            }
        }
        if (n < max)
        {
            final int run = ready.relaxedPollBatch(out.envelopes, out.size, max - n);
            out.size += run;
            n += run;
        }
        return n;
    }

    @Override
    public void putBack(final Returned message)
    {
        returned().offer(message);
    }

    /** The returned queue, created by the first return: one CAS; a racing loser's queue is garbage before its first use. */
    @SuppressWarnings("unchecked")
    private MpmcUnboundedXaddArrayQueue<Returned> returned()
    {
        final MpmcUnboundedXaddArrayQueue<Returned> existing = laReturned();
        if (existing != null)
        {
            return existing;
        }
        final MpmcUnboundedXaddArrayQueue<Returned> created = new MpmcUnboundedXaddArrayQueue<>(RETURNED_CHUNK);
        final Object witness = RETURNED.compareAndExchangeRelease(this, null, created); // pairs with laReturned
        return witness == null ? created : (MpmcUnboundedXaddArrayQueue<Returned>)witness;
    }

    @SuppressWarnings("unchecked")
    private MpmcUnboundedXaddArrayQueue<Returned> laReturned()
    {
        return (MpmcUnboundedXaddArrayQueue<Returned>)RETURNED.getAcquire(this);
    }

    @Override
    public boolean hasMessages()
    {
        final MpmcUnboundedXaddArrayQueue<Returned> returned = laReturned();
        return (returned != null && !returned.isEmpty()) || !ready.isEmpty();
    }

    @Override
    public int messageCount()
    {
        final MpmcUnboundedXaddArrayQueue<Returned> returned = laReturned();
        return (returned == null ? 0 : returned.size()) + ready.size();
    }

    @Override
    public int drain()
    {
        int removed = 0;
        final MpmcUnboundedXaddArrayQueue<Returned> returned = laReturned();
        Returned back;
        while (returned != null && (back = returned.poll()) != null)
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

    /** The rings' producer index: every offer they accepted moved it on by one, and nothing else does (returns go apart). */
    @Override
    public long acceptedCount()
    {
        return ready.producerIndex();
    }

    @Override
    public void sweepExpired()
    {
        // JCTools' rings cannot remove a head conditionally; a plain queue expires per-message TTLs as it takes.
    }
}
