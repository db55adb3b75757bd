package io.ringmq;

import org.jctools.queues.MpmcArrayQueue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's pool of {@link Envelope}s: publishers take from it, whichever thread releases the
 * last hold returns to it. A JCTools MPMC ring of free envelopes, because both sides are many
 * threads; it is filled up front so that steady-state publishing allocates nothing.
 * <p>
 * When more messages are in flight than the pool holds, a publisher allocates a new envelope rather
 * than wait (counted in {@link #allocated()}); when the pool is full on return, the extra envelope is
 * left to the garbage collector. So the pool bounds nothing: it only removes allocation.
 */
final class EnvelopePool
{
    private final MpmcArrayQueue<Envelope> free;
    private final AtomicLong allocated = new AtomicLong();

    EnvelopePool(final int capacity, final int prefill)
    {
        free = new MpmcArrayQueue<>(Math.max(2, capacity));
        for (int i = 0; i < prefill && i < free.capacity(); i++)
        {
            free.offer(newEnvelope());
        }
    }

    Envelope acquire()
    {
        final Envelope envelope = free.poll();
        return envelope != null ? envelope : newEnvelope();
    }

    void recycle(final Envelope envelope)
    {
        free.offer(envelope); // a full pool lets the garbage collector have it
    }

    /** @return envelopes created since the broker started (prefill included). */
    long allocated()
    {
        return allocated.get();
    }

    /** @return envelopes idle in the pool now. */
    int idle()
    {
        return free.size();
    }

    private Envelope newEnvelope()
    {
        allocated.incrementAndGet();
        return new Envelope(this);
    }
}
