package io.ringmq;

import io.ringmq.internal.LinkedMpmcQueue;
import io.ringmq.internal.MpmcRing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The storage and rules of a queue declared with policies ({@link QueuePolicies}): what
 * {@link MessageQueue} delegates to when its {@code store} is not null. A plain queue has none and
 * never reaches this class.
 *
 * <h2>Layout</h2>
 * One <em>level</em> per priority (one level without {@code x-max-priority}). Each level has a
 * bounded {@link MpmcRing} of messages never delivered (allocated on the level's first message) and
 * an unbounded {@link LinkedMpmcQueue} of returned ones, taken first. A take scans the levels from
 * the highest, so a higher priority is always delivered first and each level is FIFO. Both
 * structures support a conditional poll of their head, which is what lets the TTL sweeper remove an
 * expired head while consumers take from the same queue, without a lock and without reordering.
 *
 * <h2>Where each policy's state lives</h2>
 * <ul>
 *   <li>TTL: the start of a message's TTL clock is a stamp in its {@link Envelope}; the queue TTL is a
 *       final field here. Checked on every take; the broker's sweeper calls {@link #sweepExpired}.</li>
 *   <li>Length limits: two counters here ({@code length}, {@code bytes}) of ready messages, which a
 *       publisher reserves by CAS before its ring offer and every removal gives back, so the limits
 *       hold exactly under concurrent publishers. Only queues with a limit keep them.</li>
 *   <li>Delivery limit: a {@link DeliveryCount} per returned message (see there).</li>
 *   <li>Single active consumer: {@code activeConsumer} here, elected under the broker's topology lock.</li>
 *   <li>Queue expiry: {@code lastUsedNanos} here, read by the broker's sweeper.</li>
 * </ul>
 * Dead-lettering is {@link MessageQueue#dropDead}'s business.
 */
final class PolicyStore
{
    private static final VarHandle RINGS = MethodHandles.arrayElementVarHandle(MpmcRing[].class);
    private static final VarHandle ACTIVE_CONSUMER;
    private static final VarHandle LAST_USED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ACTIVE_CONSUMER = lookup.findVarHandle(PolicyStore.class, "activeConsumer", Consumer.class);
            LAST_USED = lookup.findVarHandle(PolicyStore.class, "lastUsedNanos", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MessageQueue queue;
    private final OverflowPolicy overflow;
    private final int capacity;
    /** The highest level: {@code x-max-priority}, or 0. */
    private final int top;
    /** Per level; null until the level's first message. Only through {@link #RINGS}. */
    private final MpmcRing<Envelope>[] rings;
    /**
     * Per level; each holds {@link Envelope}s, or {@link DeliveryCount}s in a queue with a delivery limit,
     * and {@link Unclaimed}s from cancelled consumers' mailboxes.
     */
    private final LinkedMpmcQueue<Object>[] returned;
    private final long ttlNanos;
    private final boolean limited;
    private final long maxLength;
    private final long maxBytes;
    private final AtomicLong length;
    private final AtomicLong bytes;
    private final long deliveryLimit;
    private final boolean singleActiveConsumer;
    private final long expiresNanos;
    /** The sweeper's condition, allocated once. */
    private final Predicate<Object> expiredNow = this::isExpiredNow;

    /**
     * Single active consumer: written under the topology lock, read by consumers before each take.
     * Volatile on both sides, because it is one half of a Dekker pair: the election writes it and then
     * reads the winner's "sleeping" flag; a waiting consumer writes "sleeping" and then reads this.
     */
    @SuppressWarnings("unused")
    private volatile Consumer activeConsumer;
    /** x-expires: the last declare, get or consumer departure (opaque: an approximate clock is enough). */
    @SuppressWarnings("unused")
    private long lastUsedNanos;

    @SuppressWarnings("unchecked")
    PolicyStore(final MessageQueue queue, final QueuePolicies policies, final int capacity)
    {
        this.queue = queue;
        this.overflow = policies.overflow();
        this.capacity = capacity;
        this.top = policies.maxPriority();
        this.rings = (MpmcRing<Envelope>[])new MpmcRing<?>[top + 1];
        this.returned = (LinkedMpmcQueue<Object>[])new LinkedMpmcQueue<?>[top + 1];
        for (int level = 0; level <= top; level++)
        {
            returned[level] = new LinkedMpmcQueue<>();
        }
        if (top == 0)
        {
            rings[0] = new MpmcRing<>(capacity); // published with the store (final field of the queue)
        }
        this.ttlNanos = policies.messageTtlNanos();
        this.maxLength = policies.maxLength();
        this.maxBytes = policies.maxLengthBytes();
        this.limited = policies.hasLengthLimit();
        this.length = maxLength != QueuePolicies.UNSET ? new AtomicLong() : null;
        this.bytes = maxBytes != QueuePolicies.UNSET ? new AtomicLong() : null;
        this.deliveryLimit = policies.deliveryLimit();
        this.singleActiveConsumer = policies.singleActiveConsumer();
        this.expiresNanos = policies.expiresNanos();
        touch();
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Offers {@code envelope} under the limits and the overflow policy ({@link OverflowPolicy}: the
     * policy applies to whichever limit is reached first: ring, length or bytes).
     *
     * @return true when the queue took the message and holds one reference on it (or, for a message
     * that can never fit with drop-head, took it and dropped it at once).
     */
    boolean offer(final Envelope envelope, final long blockTimeoutNanos, final PublishResult result)
    {
        if (ttlNanos >= 0 && envelope.properties.expirationNanos() < 0)
        {
            envelope.stampNow(); // before the ring's release store publishes the envelope
        }
        final MpmcRing<Envelope> ring = ring(levelOf(envelope));
        final long size = bytes != null ? envelope.bodySize() : 0;
        long deadline = 0;
        boolean waiting = false;
        while (!queue.isDeleted())
        {
            final boolean withinLimits = !limited || tryReserve(size);
            if (withinLimits)
            {
                if (ring.offer(envelope))
                {
                    return true;
                }
                unreserve(size); // the ring is the limit reached first
            }
            switch (overflow)
            {
                case REJECT_PUBLISH:
                    return false;
                case REJECT_PUBLISH_DLX:
                    queue.deadLetterRefused(envelope);
                    return false;
                case DROP_HEAD:
                    // A full ring frees room only by losing its own head; a length limit by losing the next message due.
                    final Envelope head = withinLimits ? pollRing(ring) : envelopeOf(pollNext());
                    if (head != null)
                    {
                        result.addDropped(1);
                        queue.dropDead(head, DeathReason.MAXLEN);
                    }
                    else if (!withinLimits && neverFits(size))
                    {
                        // RabbitMQ enqueues, then drops heads while over the limit: this very message goes.
                        result.addDropped(1);
                        queue.dropDead(envelope, DeathReason.MAXLEN);
                        return true;
                    }
                    else
                    {
                        Thread.onSpinWait(); // the room is held by publishes still between reserve and offer
                    }
                    continue;
                case BLOCK:
                default:
                    final long now = System.nanoTime();
                    if (!waiting)
                    {
                        waiting = true;
                        deadline = now + blockTimeoutNanos;
                    }
                    if (now - deadline >= 0)
                    {
                        return false;
                    }
                    MessageQueue.awaitRoom(this);
            }
        }
        return false;
    }

    private boolean neverFits(final long size)
    {
        return (length != null && maxLength == 0) || (bytes != null && size > maxBytes);
    }

    /**
     * Puts a returned message back, ahead of those never delivered at its level. In a queue with a
     * delivery limit the message's {@link DeliveryCount} grows first, and past the limit the message is
     * dead-lettered instead.
     *
     * @param counted the message's count, or null on its first return.
     * @return true when it was requeued.
     */
    boolean requeue(final Envelope envelope, final DeliveryCount counted)
    {
        Object item = envelope;
        if (deliveryLimit != QueuePolicies.UNSET)
        {
            final DeliveryCount count = counted != null ? counted : new DeliveryCount(envelope, queue);
            count.returns++;
            if (count.returns > deliveryLimit)
            {
                queue.dropDead(envelope, DeathReason.DELIVERY_LIMIT);
                return false;
            }
            item = count;
        }
        added(envelope);
        returned[levelOf(envelope)].offer(item);
        return true;
    }

    /** A message from a cancelled consumer's mailbox comes back as it was, at the head of its level, as a requeue does. */
    void returnUnclaimed(final Unclaimed unclaimed)
    {
        added(unclaimed.envelope);
        returned[levelOf(unclaimed.envelope)].offer(unclaimed);
    }

    // ------------------------------------------------------------------ taking

    /**
     * Takes the next message due: the highest level first, returned messages before new ones. Expired
     * messages met on the way are dropped or dead-lettered, never returned.
     *
     * @return false when nothing is due.
     */
    boolean take(final Taken out)
    {
        for (int level = top; level >= 0; level--)
        {
            final LinkedMpmcQueue<Object> back = returned[level];
            Object item;
            // isEmpty first: two loads, where an empty poll takes four; most levels are empty most of the time.
            while (!back.isEmpty() && (item = back.poll()) != null)
            {
                final Envelope envelope = envelopeOf(item);
                removed(envelope);
                if (mayExpire(envelope) && envelope.isExpired(ttlNanos, System.nanoTime()))
                {
                    queue.dropDead(envelope, DeathReason.EXPIRED);
                    continue;
                }
                Unclaimed.take(item, queue, out);
                return true;
            }
            final MpmcRing<Envelope> ring = existingRing(level);
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
    void sweepExpired()
    {
        for (int level = top; level >= 0; level--)
        {
            Object item;
            while ((item = returned[level].pollIf(expiredNow)) != null)
            {
                final Envelope envelope = envelopeOf(item);
                removed(envelope);
                queue.dropDead(envelope, DeathReason.EXPIRED);
            }
            final MpmcRing<Envelope> ring = existingRing(level);
            if (ring != null)
            {
                Envelope envelope;
                while ((envelope = ring.pollIf(expiredNow)) != null)
                {
                    removed(envelope);
                    queue.dropDead(envelope, DeathReason.EXPIRED);
                }
            }
        }
    }

    /** pollIf's condition: may see an envelope another poller is taking (see MpmcRing.pollIf); Envelope.isExpired tolerates that. */
    private boolean isExpiredNow(final Object item)
    {
        return envelopeOf(item).isExpired(ttlNanos, System.nanoTime());
    }

    /** @return the next message due, removed without any check (drop-head), or null. */
    private Object pollNext()
    {
        for (int level = top; level >= 0; level--)
        {
            final Object item = returned[level].poll();
            if (item != null)
            {
                removed(envelopeOf(item));
                return item;
            }
            final MpmcRing<Envelope> ring = existingRing(level);
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

    boolean hasMessages()
    {
        for (int level = top; level >= 0; level--)
        {
            final MpmcRing<Envelope> ring = existingRing(level);
            if (!returned[level].isEmpty() || ring != null && !ring.isEmpty())
            {
                return true;
            }
        }
        return false;
    }

    int messageCount()
    {
        long count = 0;
        for (int level = 0; level <= top; level++)
        {
            final MpmcRing<Envelope> ring = existingRing(level);
            count += returned[level].size() + (ring == null ? 0 : ring.size());
        }
        return (int)Math.min(Integer.MAX_VALUE, count);
    }

    /** Removes every ready message, releasing it (purge, deletion). @return how many. */
    int drain()
    {
        int removed = 0;
        for (int level = top; level >= 0; level--)
        {
            Object item;
            while ((item = returned[level].poll()) != null)
            {
                final Envelope envelope = envelopeOf(item);
                removed(envelope);
                envelope.release();
                removed++;
            }
            final MpmcRing<Envelope> ring = existingRing(level);
            Envelope envelope;
            while (ring != null && (envelope = pollRing(ring)) != null)
            {
                envelope.release();
                removed++;
            }
        }
        return removed;
    }

    // ------------------------------------------------------------------ single active consumer, expiry

    /** @return true when {@code consumer} may take messages: always, unless single-active-consumer says it is not its turn. */
    boolean isTurnOf(final Consumer consumer)
    {
        return !singleActiveConsumer || ACTIVE_CONSUMER.getVolatile(this) == consumer; // pairs with setVolatile in elect
    }

    boolean singleActiveConsumer()
    {
        return singleActiveConsumer;
    }

    /** Under the broker's topology lock, after {@code consumers} gained one: the first consumer of an idle queue becomes active. */
    void consumerAdded(final Consumer[] consumers)
    {
        if (singleActiveConsumer && ACTIVE_CONSUMER.getVolatile(this) == null)
        {
            elect(consumers);
        }
    }

    /**
     * Under the broker's topology lock, once {@code leaver} is detached <em>and</em> its unacknowledged
     * messages are requeued: if it was the active consumer, the best of the rest takes over. Until then
     * the leaver stays "active", so nobody takes a message that its requeue should precede: that is what
     * keeps the handover in order.
     */
    void consumerLeft(final Consumer leaver, final Consumer[] consumers)
    {
        if (singleActiveConsumer && ACTIVE_CONSUMER.getVolatile(this) == leaver)
        {
            elect(consumers);
        }
    }

    /** Highest priority wins, the earliest registered among equals (the array is in registration order). */
    private void elect(final Consumer[] consumers)
    {
        Consumer best = null;
        for (final Consumer consumer : consumers)
        {
            if (best == null || consumer.priority() > best.priority())
            {
                best = consumer;
            }
        }
        ACTIVE_CONSUMER.setVolatile(this, best); // then wakeIfSleeping reads "sleeping": pairs with Consumer.idle
        if (best != null)
        {
            best.wakeIfSleeping();
        }
    }

    /** Marks the queue used now (x-expires; nothing without it). */
    void touch()
    {
        if (expiresNanos != QueuePolicies.UNSET)
        {
            LAST_USED.setOpaque(this, System.nanoTime());
        }
    }

    /** @return true when the queue has {@code x-expires} and has been unused at least that long. */
    boolean isUnusedLongerThanExpiry(final long now)
    {
        return expiresNanos != QueuePolicies.UNSET && queue.consumerCount() == 0 &&
            now - (long)LAST_USED.getOpaque(this) >= expiresNanos;
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
    private MpmcRing<Envelope> existingRing(final int level)
    {
        return (MpmcRing<Envelope>)RINGS.getAcquire(rings, level); // pairs with compareAndExchangeRelease in ring
    }

    @SuppressWarnings("unchecked")
    private MpmcRing<Envelope> ring(final int level)
    {
        final MpmcRing<Envelope> existing = existingRing(level);
        if (existing != null)
        {
            return existing;
        }
        final MpmcRing<Envelope> created = new MpmcRing<>(capacity);
        final MpmcRing<Envelope> witness = (MpmcRing<Envelope>)RINGS.compareAndExchangeRelease(rings, level, null, created);
        return witness == null ? created : witness;
    }

    private static Envelope envelopeOf(final Object item)
    {
        return Unclaimed.envelopeOf(item);
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

    /** A message entered the ready set outside a reservation (a requeue: never refused, may exceed the limit). */
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
