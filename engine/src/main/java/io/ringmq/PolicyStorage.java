package io.ringmq;

import io.ringmq.internal.LinkedMpmcQueue;
import io.ringmq.internal.MpmcRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The storage of a queue declared with policies ({@link QueuePolicies}) that change how messages are
 * stored: TTL, length limits, priorities.
 *
 * <h2>Layout</h2>
 * One <em>level</em> per priority (one level without {@code x-max-priority}). Each level has a bounded
 * {@link MpmcRing} of messages never delivered (allocated on the level's first message, so a queue with
 * policies costs no ring until it is used; it keeps its full ring, which the sweeper's conditional poll
 * needs, where a plain queue grows one) and an
 * unbounded {@link LinkedMpmcQueue} of returned ones, taken first. A take scans the levels from the
 * highest, so a higher priority is always delivered first and each level is FIFO. Both structures
 * support a conditional poll of their head, which is what lets the TTL sweeper remove an expired head
 * while consumers take from the same queue, without a lock and without reordering.
 *
 * <h2>Where each policy's state lives</h2>
 * <ul>
 *   <li>TTL: the start of a message's TTL clock is a stamp in its {@link Envelope}; the queue TTL is a
 *       final field here. Checked on every take; the broker's sweeper calls {@link #sweepExpired}.</li>
 *   <li>Length limits: two counters here ({@code length}, {@code bytes}) of ready messages, which a
 *       publisher reserves by CAS before its ring offer and every removal gives back, so the limits
 *       hold exactly under concurrent publishers. Only queues with a limit keep them.</li>
 * </ul>
 * Single-active-consumer election ({@link SingleActiveConsumer}), queue expiry ({@link QueueExpiry}),
 * delivery limits and dead-lettering are the queue's business, not storage.
 * <p>
 * Memory ordering: the per-level rings are created lazily and published with
 * {@link #casRelease} into {@code rings}, which {@link #laRing} pairs with; everything else is inside
 * the lock-free structures and the atomic counters.
 */
final class PolicyStorage implements QueueStorage
{
    private static final VarHandle RINGS = MethodHandles.arrayElementVarHandle(MpmcRing[].class);

    private final StoredQueue queue;
    private final OverflowPolicy overflow;
    private final int capacity;
    /** The highest level: {@code x-max-priority}, or 0. */
    private final int top;
    /** Per level; null until the level's first message. Only through {@link #laRing} and {@link #casRelease}. */
    private final MpmcRing<Envelope>[] rings;
    private final LinkedMpmcQueue<Returned>[] returned;
    private final long ttlNanos;
    private final boolean limited;
    private final long maxLength;
    private final long maxBytes;
    private final AtomicLong length;
    private final AtomicLong bytes;
    /** Offers accepted and dropped at once, never in a ring (drop-head, a message that can never fit). */
    private final AtomicLong acceptedBeyondRings = new AtomicLong();
    /** The sweeper's conditions, allocated once. */
    private final Predicate<Envelope> envelopeExpiredNow = this::isExpiredNow;
    private final Predicate<Returned> returnedExpiredNow = r -> isExpiredNow(r.envelope);

    @SuppressWarnings("unchecked")
    PolicyStorage(final StoredQueue queue, final QueuePolicies policies, final int capacity)
    {
        this.queue = queue;
        this.overflow = policies.overflow();
        this.capacity = capacity;
        this.top = policies.maxPriority();
        this.rings = (MpmcRing<Envelope>[])new MpmcRing<?>[top + 1];
        this.returned = (LinkedMpmcQueue<Returned>[])new LinkedMpmcQueue<?>[top + 1];
        for (int level = 0; level <= top; level++)
        {
            returned[level] = new LinkedMpmcQueue<>();
        }
        this.ttlNanos = policies.messageTtlNanos();
        this.maxLength = policies.maxLength();
        this.maxBytes = policies.maxLengthBytes();
        this.limited = policies.hasLengthLimit();
        this.length = maxLength != QueuePolicies.UNSET ? new AtomicLong() : null;
        this.bytes = maxBytes != QueuePolicies.UNSET ? new AtomicLong() : null;
    }

    // ------------------------------------------------------------------ publishing

    /**
     * The policy applies to whichever limit is reached first: ring, length or bytes. A message that can
     * never fit with drop-head is taken and dropped at once, as RabbitMQ does.
     */
    @Override
    public int offer(final Envelope envelope, final PublishResult result)
    {
        if (ttlNanos >= 0 && envelope.properties.expirationNanos() < 0)
        {
            envelope.stampNow(); // before the ring's release store publishes the envelope
        }
        final MpmcRing<Envelope> ring = ring(levelOf(envelope));
        final long size = bytes != null ? envelope.bodySize() : 0;
        while (!queue.isDeleted())
        {
            final boolean withinLimits = !limited || tryReserve(size);
            if (withinLimits)
            {
                if (ring.offer(envelope))
                {
                    return ACCEPTED;
                }
                unreserve(size); // the ring is the limit reached first
            }
            switch (overflow)
            {
                case REJECT_PUBLISH:
                    return REFUSED;
                case REJECT_PUBLISH_DLX:
                    queue.deadLetterRefused(envelope);
                    return REFUSED;
                case DROP_HEAD:
                    // A full ring frees room only by losing its own head; a length limit by losing the next message due.
                    final Envelope head = withinLimits ? pollRing(ring) : pollNext();
                    if (head != null)
                    {
                        result.addDropped(1);
                        queue.dropDead(head, DeathReason.MAXLEN);
                    }
                    else if (!withinLimits && neverFits(size))
                    {
                        acceptedBeyondRings.incrementAndGet();
                        result.addDropped(1);
                        queue.dropDead(envelope, DeathReason.MAXLEN);
                        return ACCEPTED;
                    }
                    else
                    {
                        Thread.onSpinWait(); // the room is held by publishes still between reserve and offer
                    }
                    continue;
                case BLOCK:
                default:
                    return NO_ROOM;
            }
        }
        return REFUSED;
    }

    private boolean neverFits(final long size)
    {
        return (length != null && maxLength == 0) || (bytes != null && size > maxBytes);
    }

    /**
     * None: every message goes through {@link #offer}, which stamps its TTL, reserves its length and
     * bytes and picks its priority ring one at a time.
     */
    @Override
    public int offerRun(final Envelope[] envelopes, final int from, final int count)
    {
        return 0;
    }

    @Override
    public void putBack(final Returned message)
    {
        added(message.envelope);
        returned[levelOf(message.envelope)].offer(message);
        if (limited && overflow == OverflowPolicy.DROP_HEAD)
        {
            // RabbitMQ applies drop-head after a requeue too: while over a limit, the head goes (which is
            // the oldest message: often the very one that came back).
            Envelope head;
            while (isOverLimit() && (head = pollNext()) != null)
            {
                queue.dropHeadAfterReturn(head);
            }
        }
    }

    private boolean isOverLimit()
    {
        return (length != null && length.get() > maxLength) || (bytes != null && bytes.get() > maxBytes);
    }

    // ------------------------------------------------------------------ taking

    @Override
    public boolean take(final Taken out)
    {
        for (int level = top; level >= 0; level--)
        {
            final LinkedMpmcQueue<Returned> back = returned[level];
            Returned message;
            // isEmpty first: two loads, where an empty poll takes four; most levels are empty most of the time.
            while (!back.isEmpty() && (message = back.poll()) != null)
            {
                final Envelope envelope = message.envelope;
                removed(envelope);
                if (mayExpire(envelope) && envelope.isExpired(ttlNanos, System.nanoTime()))
                {
                    queue.dropDead(envelope, DeathReason.EXPIRED);
                    continue;
                }
                out.set(message);
                return true;
            }
            final MpmcRing<Envelope> ring = laRing(level);
            if (ring == null)
            {
                continue;
            }
            Envelope envelope;
            while ((envelope = ring.poll()) != null)
            {
                removed(envelope);
                if (mayExpire(envelope) && envelope.isExpired(ttlNanos, System.nanoTime()))
                {
                    queue.dropDead(envelope, DeathReason.EXPIRED);
                    continue;
                }
                out.set(envelope, false, queue);
                return true;
            }
        }
        return false;
    }

    private boolean mayExpire(final Envelope envelope)
    {
        return ttlNanos >= 0 || envelope.properties.expirationNanos() >= 0;
    }

    /** The broker's sweeper: removes every expired message at the head of each level, as RabbitMQ expires at the head. */
    @Override
    public void sweepExpired()
    {
        for (int level = top; level >= 0; level--)
        {
            Returned message;
            while ((message = returned[level].pollIf(returnedExpiredNow)) != null)
            {
                removed(message.envelope);
                queue.dropDead(message.envelope, DeathReason.EXPIRED);
            }
            final MpmcRing<Envelope> ring = laRing(level);
            if (ring != null)
            {
                Envelope envelope;
                while ((envelope = ring.pollIf(envelopeExpiredNow)) != null)
                {
                    removed(envelope);
                    queue.dropDead(envelope, DeathReason.EXPIRED);
                }
            }
        }
    }

    /** pollIf's condition: may see an envelope another poller is taking (see MpmcRing.pollIf); Envelope.isExpired tolerates that. */
    private boolean isExpiredNow(final Envelope envelope)
    {
        return envelope.isExpired(ttlNanos, System.nanoTime());
    }

    /** @return the next message due, removed without any check (drop-head), or null. */
    private Envelope pollNext()
    {
        for (int level = top; level >= 0; level--)
        {
            final Returned message = returned[level].poll();
            if (message != null)
            {
                removed(message.envelope);
                return message.envelope;
            }
            final MpmcRing<Envelope> ring = laRing(level);
            final Envelope envelope = ring == null ? null : pollRing(ring);
            if (envelope != null)
            {
                return envelope;
            }
        }
        return null;
    }

    private Envelope pollRing(final MpmcRing<Envelope> ring)
    {
        final Envelope envelope = ring.poll();
        if (envelope != null)
        {
            removed(envelope);
        }
        return envelope;
    }

    @Override
    public boolean hasMessages()
    {
        for (int level = top; level >= 0; level--)
        {
            final MpmcRing<Envelope> ring = laRing(level);
            if (!returned[level].isEmpty() || ring != null && !ring.isEmpty())
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public int messageCount()
    {
        long count = 0;
        for (int level = 0; level <= top; level++)
        {
            final MpmcRing<Envelope> ring = laRing(level);
            count += returned[level].size() + (ring == null ? 0 : ring.size());
        }
        return (int)Math.min(Integer.MAX_VALUE, count);
    }

    /** The rings' producer indexes (each accepted offer moves one on; returns go apart), plus those dropped at once. */
    @Override
    public long acceptedCount()
    {
        long accepted = acceptedBeyondRings.get();
        for (int level = 0; level <= top; level++)
        {
            final MpmcRing<Envelope> ring = laRing(level);
            accepted += ring == null ? 0 : ring.producerIndex();
        }
        return accepted;
    }

    @Override
    public int drain()
    {
        int removed = 0;
        for (int level = top; level >= 0; level--)
        {
            Returned message;
            while ((message = returned[level].poll()) != null)
            {
                removed(message.envelope);
                queue.leftReady(message.envelope);
                message.envelope.release();
                removed++;
            }
            final MpmcRing<Envelope> ring = laRing(level);
            Envelope envelope;
            while (ring != null && (envelope = pollRing(ring)) != null)
            {
                queue.leftReady(envelope);
                envelope.release();
                removed++;
            }
        }
        return removed;
    }

    // ------------------------------------------------------------------ helpers

    private int levelOf(final Envelope envelope)
    {
        if (top == 0)
        {
            return 0;
        }
        final int priority = envelope.properties.priority(); // -1 when not set: counts as 0
        return priority <= 0 ? 0 : Math.min(priority, top);
    }

    @SuppressWarnings("unchecked")
    private MpmcRing<Envelope> laRing(final int level)
    {
        return (MpmcRing<Envelope>)RINGS.getAcquire(rings, level); // pairs with casRelease in ring
    }

    @SuppressWarnings("unchecked")
    private MpmcRing<Envelope> casRelease(final int level, final MpmcRing<Envelope> created)
    {
        return (MpmcRing<Envelope>)RINGS.compareAndExchangeRelease(rings, level, null, created);
    }

    private MpmcRing<Envelope> ring(final int level)
    {
        final MpmcRing<Envelope> existing = laRing(level);
        if (existing != null)
        {
            return existing;
        }
        final MpmcRing<Envelope> created = new MpmcRing<>(capacity);
        final MpmcRing<Envelope> witness = casRelease(level, created);
        return witness == null ? created : witness;
    }

    private boolean tryReserve(final long size)
    {
        if (length != null)
        {
            long n;
            do
            {
                n = length.get();
                if (n >= maxLength)
                {
                    return false;
                }
            }
            while (!length.compareAndSet(n, n + 1));
        }
        if (bytes != null)
        {
            long b;
            do
            {
                b = bytes.get();
                if (b + size > maxBytes)
                {
                    if (length != null)
                    {
                        length.decrementAndGet();
                    }
                    return false;
                }
            }
            while (!bytes.compareAndSet(b, b + size));
        }
        return true;
    }

    private void unreserve(final long size)
    {
        if (length != null)
        {
            length.decrementAndGet();
        }
        if (bytes != null)
        {
            bytes.addAndGet(-size);
        }
    }

    /** A message entered the ready set outside a reservation (a return: never refused, may exceed the limit). */
    private void added(final Envelope envelope)
    {
        if (length != null)
        {
            length.incrementAndGet();
        }
        if (bytes != null)
        {
            bytes.addAndGet(envelope.bodySize());
        }
    }

    /** A message left the ready set: gives back its share of the limits. */
    private void removed(final Envelope envelope)
    {
        if (length != null)
        {
            length.decrementAndGet();
        }
        if (bytes != null)
        {
            bytes.addAndGet(-envelope.bodySize());
        }
    }
}
