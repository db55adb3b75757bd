package io.ringmq;

import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue: a bounded lock-free ring of messages never delivered, ahead of it an unbounded
 * lock-free queue of requeued messages, and the consumers that compete for both: one takes directly,
 * two or more are served in turn by the queue's {@link RoundRobinDispatcher}.
 * <p>
 * <b>Why JCTools' {@link MpmcArrayQueue}:</b> a queue has many publishers and several competing
 * consumers, each message going to exactly one of them. The Disruptor's ring is built for every
 * consumer seeing every event (its competing-consumer WorkerPool is gone in version 4), Agrona's
 * rings are single-consumer; JCTools' MPMC ring is exactly this shape, allocation-free and
 * lock-free, with per-producer FIFO. Requeued messages go to a separate unbounded MPMC queue
 * (chunked, chunks pooled) that consumers poll first: they were delivered before, so RabbitMQ puts
 * them back ahead of messages never delivered; and a requeue must never fail for want of room.
 * <p>
 * <b>Deletion:</b> {@link #markDeleted} sets the flag and then drains. A publisher that offered
 * concurrently re-checks the flag after a full fence ({@link #afterPublish}) and drains too, so a
 * message can never be left behind in a deleted queue uncounted: it is either delivered, or counted
 * as discarded with the queue (the Dekker pairing of the deleter's volatile write then drain, with
 * the publisher's offer, fence, then volatile read).
 * <p>
 * <b>Policies:</b> a queue declared with RabbitMQ policies (TTL, length limits, dead-lettering,
 * priorities, single active consumer, delivery limit, expiry) has a {@link PolicyStore}, chosen once at
 * declare time, and every storage operation goes there; its JCTools rings are never allocated. A plain
 * queue has {@code store == null} and keeps the paths above. What it pays for policies existing: the
 * null check in {@link #offer}; and, because a per-message TTL ({@code expiration}) is a property of
 * the message that RabbitMQ honours in every queue, one test of a field of the message's (already
 * loaded) properties at publish and at delivery — the clock is read only for a message that has one.
 * No lock, no allocation.
 * <p>
 * <b>Accounting:</b> every message that leaves the queue other than by acknowledgement is counted
 * here, by cause: {@link #removedCount(DeathReason)} (rejected, expired, maxlen, delivery_limit),
 * {@link #discardedCount()} (deleted with the queue) and {@link Channel#queuePurge}'s return. What
 * dead-lettering did with them is counted too ({@link #deadLetterAcceptedCopies()} and friends).
 */
final class MessageQueue implements DeliveryOrigin
{
    private static final VarHandle DELETED;
    private static final VarHandle SLEEPERS;
    private static final VarHandle CONSUMERS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DELETED = lookup.findVarHandle(MessageQueue.class, "deleted", boolean.class);
            SLEEPERS = lookup.findVarHandle(MessageQueue.class, "sleepers", int.class);
            CONSUMERS = lookup.findVarHandle(MessageQueue.class, "consumers", Consumer[].class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final Consumer[] NO_CONSUMERS = new Consumer[0];
    /** What a publisher waiting for room asks to park for; the OS rounds it up to its timer slack. */
    private static final long ROOM_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);
    /** Chunk size of the requeue queue: requeues are rare and bursty (a cancelled consumer's window). */
    private static final int REQUEUE_CHUNK = 256;

    private final String name;
    private final QueueSpec spec;
    private final OverflowPolicy overflow;
    private final Channel owner;
    /** Plain queues only (null with a store). */
    private final MpmcArrayQueue<Envelope> ready;
    /** Plain queues only (null with a store). */
    private final MpmcUnboundedXaddArrayQueue<Object> requeued;
    /** Null for a plain queue: the one switch between the plain path and the policies. */
    private final PolicyStore store;
    private final QueuePolicies policies;
    private final DeadLetters deadLetters;

    @SuppressWarnings("unused")
    private volatile boolean deleted;
    /** BLOCKING consumers parked, or about to park, waiting for a message. */
    @SuppressWarnings("unused")
    private volatile int sleepers;
    /** Copy-on-write array, replaced under the broker's topology lock, read lock-free. */
    @SuppressWarnings("unused")
    private volatile Consumer[] consumers = NO_CONSUMERS;
    /** Whether consumers share messages through {@link #dispatcher}; written under the topology lock. */
    private volatile boolean roundRobin;
    private final RoundRobinDispatcher dispatcher = new RoundRobinDispatcher(this);
    /** Set once a consumer has attached: an auto-delete queue is deleted only after it had one. */
    private volatile boolean hadConsumer;

    /** Removed by a length limit (drop-head), whichever limit: reason maxlen. */
    private final AtomicLong droppedHead = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    /** Removed because a consumer rejected them: reason rejected. */
    private final AtomicLong rejectedByConsumers = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong pastDeliveryLimit = new AtomicLong();
    private final AtomicLong refusedToDeadLetter = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong deadLetterAcceptedCopies = new AtomicLong();
    private final AtomicLong deadLetterRefusedCopies = new AtomicLong();
    private final AtomicLong deadLetterUnroutable = new AtomicLong();

    /**
     * @param deadLetters the broker's dead-letter publisher; used only when the spec has a dead-letter exchange.
     */
    MessageQueue(final QueueSpec spec, final Channel owner, final DeadLetters deadLetters)
    {
        this.name = spec.name();
        this.spec = spec;
        this.overflow = spec.overflow();
        this.owner = owner;
        this.policies = spec.policies();
        this.deadLetters = deadLetters;
        if (policies == null)
        {
            this.ready = new MpmcArrayQueue<>(spec.capacity());
            this.requeued = new MpmcUnboundedXaddArrayQueue<>(REQUEUE_CHUNK);
            this.store = null;
        }
        else
        {
            this.ready = null;
            this.requeued = null;
            this.store = new PolicyStore(this, policies, spec.capacity());
        }
    }

    /** @return the policy store, or null for a plain queue. */
    PolicyStore store()
    {
        return store;
    }

    /** @return the declared policies, or null for a plain queue. */
    QueuePolicies policies()
    {
        return policies;
    }

    String name()
    {
        return name;
    }

    QueueSpec spec()
    {
        return spec;
    }

    /** @return the channel an exclusive queue belongs to, or null. */
    Channel owner()
    {
        return owner;
    }

    boolean isDeleted()
    {
        return (boolean)DELETED.getVolatile(this);
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Offers {@code envelope} under the queue's overflow policy.
     *
     * @param blockTimeoutNanos how long a {@link OverflowPolicy#BLOCK} queue may keep the publisher waiting.
     * @param result where messages dropped from the head are counted.
     * @return true when the queue took the message and now holds one reference on it.
     */
    boolean offer(final Envelope envelope, final long blockTimeoutNanos, final PublishResult result)
    {
        if (isDeleted())
        {
            return false;
        }
        final PolicyStore store = this.store;
        if (store != null)
        {
            return store.offer(envelope, blockTimeoutNanos, result);
        }
        if (ready.offer(envelope))
        {
            return true;
        }
        switch (overflow)
        {
            case REJECT_PUBLISH:
            case REJECT_PUBLISH_DLX: // a plain queue has no dead-letter exchange: refusing is all there is to do
                return false;
            case DROP_HEAD:
                return offerDroppingHead(envelope, result);
            case BLOCK:
            default:
                return offerBlocking(envelope, blockTimeoutNanos);
        }
    }

    private boolean offerDroppingHead(final Envelope envelope, final PublishResult result)
    {
        while (!isDeleted())
        {
            final Envelope oldest = ready.poll();
            if (oldest != null)
            {
                droppedHead.incrementAndGet();
                result.addDropped(1);
                oldest.release();
            }
            if (ready.offer(envelope))
            {
                return true;
            }
        }
        return false;
    }

    private boolean offerBlocking(final Envelope envelope, final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + timeoutNanos;
        while (!isDeleted())
        {
            if (ready.offer(envelope))
            {
                return true;
            }
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            awaitRoom(this);
        }
        return false;
    }

    /**
     * A publisher found no room (a full ring under {@code block}, or a length limit): it parks at once
     * instead of spinning, as the Disruptor's multi-producer sequencer does when its ring is full. A
     * publisher that spins re-reads the head slot and the consumers' index, the very cache lines the
     * consumer writes to free room, and slows it several times over (1P1C manual ack: 3.6 M msgs/s
     * spinning, 19-23 M parking at once, in the same run). Consumers do not signal publishers, which
     * would put a check on every poll; the park is short (the OS timer's slack, some 50 µs on Linux),
     * and a full queue holds far more than that many microseconds of work for its consumers.
     */
    static void awaitRoom(final Object blocker)
    {
        LockSupport.parkNanos(blocker, ROOM_PARK_NANOS);
    }

    /**
     * Called by a publisher after its offers and one {@code VarHandle.fullFence()}: the fence orders
     * the offer before these volatile reads (pairs with {@link #markDeleted} and with a consumer's
     * sleeper registration in {@link Consumer}).
     */
    void afterPublish()
    {
        if (isDeleted())
        {
            discardAll();
        }
        else if ((int)SLEEPERS.getVolatile(this) > 0)
        {
            wakeSleepers();
        }
    }

    // ------------------------------------------------------------------ consuming

    /**
     * Takes the next message: requeued ones first (they were delivered before, so RabbitMQ puts them
     * back ahead), a priority queue's highest level first. Expired messages met on the way are dropped
     * or dead-lettered, never returned. Consumers, the dispatcher and {@code basic.get} all take here.
     *
     * @return false when nothing is ready; else {@code out} holds the message, its redelivered flag
     * and its origin, and the caller holds the queue's reference on it.
     */
    boolean take(final Taken out)
    {
        final PolicyStore store = this.store;
        if (store != null)
        {
            return store.take(out);
        }
        while (true)
        {
            final Object back = requeued.isEmpty() ? null : requeued.poll();
            final Envelope envelope;
            if (back != null)
            {
                Unclaimed.take(back, this, out);
                envelope = out.envelope;
            }
            // relaxedPoll: an empty or not-yet-published slot answers null without reading the producers'
            // index, the cache line every publish writes; a message being offered is simply taken next round.
            else if ((envelope = ready.relaxedPoll()) != null)
            {
                out.set(envelope, false, this);
            }
            else
            {
                return false;
            }
            // A per-message TTL: one test of a field of the already loaded properties; the clock only for such a message.
            if (!dropIfExpired(envelope))
            {
                return true;
            }
            out.clear();
        }
    }

    boolean hasMessages()
    {
        final PolicyStore store = this.store;
        return store != null ? store.hasMessages() : !requeued.isEmpty() || !ready.isEmpty();
    }

    /**
     * A plain queue's take, or a consumer about to hand over a message that waited in its
     * {@link Mailbox}: a message whose TTL (its own or the queue's) has passed is not delivered but
     * dropped or dead-lettered, as RabbitMQ expires messages — never delivered expired. The clock is
     * read only for a message that can expire.
     *
     * @return true when it expired; the caller's hold on it is taken over.
     */
    boolean dropIfExpired(final Envelope envelope)
    {
        final long queueTtlNanos = policies == null ? QueuePolicies.UNSET : policies.messageTtlNanos();
        if ((queueTtlNanos < 0 && envelope.properties.expirationNanos() < 0) ||
            !envelope.isExpired(queueTtlNanos, System.nanoTime()))
        {
            return false;
        }
        dropDead(envelope, DeathReason.EXPIRED);
        return true;
    }

    /** Puts a delivered message back, ahead of those never delivered; it is redelivered flagged. */
    @Override
    public void requeue(final Envelope envelope)
    {
        requeue(envelope, null);
    }

    /** A message with a {@link DeliveryCount} (delivery-limit queues) comes back. */
    void requeueCounted(final DeliveryCount count)
    {
        requeue(count.envelope, count);
    }

    private void requeue(final Envelope envelope, final DeliveryCount count)
    {
        if (isDeleted())
        {
            discarded.incrementAndGet();
            envelope.release();
            return;
        }
        final PolicyStore store = this.store;
        if (store == null)
        {
            requeued.offer(envelope);
        }
        else if (!store.requeue(envelope, count))
        {
            return; // past its delivery limit: dead-lettered instead
        }
        VarHandle.fullFence(); // same pairing as afterPublish: the requeue is visible before the checks
        afterPublish();
    }

    /**
     * A message from a cancelled consumer's mailbox, which no handler saw, comes back as it was: ahead
     * of those never delivered, with its own redelivered flag, no delivery counted.
     */
    void returnUnclaimed(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin)
    {
        if (isDeleted())
        {
            discarded.incrementAndGet();
            envelope.release();
            return;
        }
        final Unclaimed unclaimed = new Unclaimed(envelope, redelivered, origin);
        final PolicyStore store = this.store;
        if (store == null)
        {
            requeued.offer(unclaimed);
        }
        else
        {
            store.returnUnclaimed(unclaimed);
        }
        VarHandle.fullFence(); // as in requeue: visible before afterPublish's checks
        afterPublish();
    }

    /** A consumer rejected the message without requeue: it leaves the queue, dead-lettered if the queue says so. */
    @Override
    public void discardRejected(final Envelope envelope)
    {
        dropDead(envelope, DeathReason.REJECTED);
    }

    /**
     * A message leaves the queue for {@code reason}: counted, then dead-lettered when the queue has a
     * dead-letter exchange, else released. Takes over the caller's hold on the envelope.
     */
    void dropDead(final Envelope envelope, final DeathReason reason)
    {
        switch (reason)
        {
            case REJECTED:
                rejectedByConsumers.incrementAndGet();
                break;
            case EXPIRED:
                expired.incrementAndGet();
                break;
            case MAXLEN:
                droppedHead.incrementAndGet();
                break;
            case DELIVERY_LIMIT:
            default:
                pastDeliveryLimit.incrementAndGet();
                break;
        }
        if (policies != null && policies.deadLetterExchange() != null)
        {
            deadLetters.deadLetter(this, envelope, reason);
        }
        else
        {
            envelope.release();
        }
    }

    /**
     * {@code reject-publish-dlx}: the queue refused {@code envelope} (the publisher still holds it and
     * releases the queue's hold); a copy is dead-lettered with reason maxlen.
     */
    void deadLetterRefused(final Envelope envelope)
    {
        refusedToDeadLetter.incrementAndGet();
        if (policies.deadLetterExchange() != null)
        {
            envelope.retain(); // the dead-letter job's own hold: the publisher releases the queue's
            deadLetters.deadLetter(this, envelope, DeathReason.MAXLEN);
        }
    }

    /** Dead-lettering's outcome for one message from this queue; see {@link DeadLetters}. */
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

    /** Consumer thread: it is about to park waiting for a message. Volatile RMW, a full fence. */
    void registerSleeper()
    {
        SLEEPERS.getAndAdd(this, 1);
    }

    void unregisterSleeper()
    {
        SLEEPERS.getAndAdd(this, -1);
    }

    private void wakeSleepers()
    {
        for (final Consumer consumer : consumers())
        {
            consumer.wakeIfSleeping();
        }
    }

    // ------------------------------------------------------------------ consumers

    Consumer[] consumers()
    {
        return (Consumer[])CONSUMERS.getAcquire(this); // pairs with setRelease in add/removeConsumer
    }

    int consumerCount()
    {
        return consumers().length;
    }

    /** Under the broker's topology lock. */
    void addConsumer(final Consumer consumer)
    {
        final Consumer[] current = consumers();
        final Consumer[] next = java.util.Arrays.copyOf(current, current.length + 1);
        next[current.length] = consumer;
        hadConsumer = true;
        CONSUMERS.setRelease(this, next);
        updateRoundRobin(next);
        if (store != null)
        {
            store.consumerAdded(next);
        }
    }

    /** Under the topology lock, once {@code leaver}'s unacknowledged messages are requeued: single-active-consumer handover. */
    void consumerLeft(final Consumer leaver)
    {
        if (store != null)
        {
            store.consumerLeft(leaver, consumers());
        }
    }

    /**
     * Under the broker's topology lock.
     *
     * @return true when that was the last consumer of an auto-delete queue, which must now go.
     */
    boolean removeConsumer(final Consumer consumer)
    {
        final Consumer[] current = consumers();
        int index = -1;
        for (int i = 0; i < current.length; i++)
        {
            if (current[i] == consumer)
            {
                index = i;
                break;
            }
        }
        if (index < 0)
        {
            return false;
        }
        final Consumer[] next = new Consumer[current.length - 1];
        System.arraycopy(current, 0, next, 0, index);
        System.arraycopy(current, index + 1, next, index, current.length - index - 1);
        CONSUMERS.setRelease(this, next);
        updateRoundRobin(next);
        if (store != null && next.length == 0)
        {
            store.touch(); // x-expires: the idle time starts when the last consumer goes
        }
        for (final Consumer remaining : next)
        {
            remaining.wakeIfSleeping(); // one that waited for its turn (single active consumer) re-checks
        }
        return next.length == 0 && spec.autoDelete() && hadConsumer;
    }

    /**
     * Under the topology lock, after the consumers changed: two or more consumers share the queue
     * through the {@link RoundRobinDispatcher}; a lone one, or the active one of a single-active-consumer
     * queue, takes directly.
     */
    private void updateRoundRobin(final Consumer[] consumers)
    {
        roundRobin = consumers.length >= 2 && (store == null || !store.singleActiveConsumer());
    }

    /** @return true when consumers take their messages from the {@link #dispatcher()} (read once per consumer round). */
    boolean isRoundRobin()
    {
        return roundRobin;
    }

    RoundRobinDispatcher dispatcher()
    {
        return dispatcher;
    }

    /** @return true when some consumer could be handed a message now (BLOCKING consumers decide with it whether to park). */
    boolean anyConsumerHasCredit()
    {
        for (final Consumer consumer : consumers())
        {
            if (consumer.hasCredit())
            {
                return true;
            }
        }
        return false;
    }

    boolean hasExclusiveConsumer()
    {
        for (final Consumer consumer : consumers())
        {
            if (consumer.isExclusive())
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ management

    /** @return messages ready for delivery (requeued and never delivered), approximate under concurrency. */
    int messageCount()
    {
        final PolicyStore store = this.store;
        return store != null ? store.messageCount() : requeued.size() + ready.size();
    }

    /** Removes every ready message (not those delivered and unacknowledged, as AMQP says). */
    int purge()
    {
        return drain();
    }

    /**
     * Marks the queue deleted, then drains it. Volatile write then polls; pairs with the publisher's
     * offer, fence, volatile read in {@link #afterPublish}.
     *
     * @return the messages this call removed.
     */
    int markDeleted()
    {
        DELETED.setVolatile(this, true);
        final int removed = drain();
        discarded.addAndGet(removed);
        return removed;
    }

    private void discardAll()
    {
        discarded.addAndGet(drain());
    }

    private int drain()
    {
        if (store != null)
        {
            return store.drain();
        }
        int removed = 0;
        Object item;
        while ((item = requeued.poll()) != null || (item = ready.poll()) != null)
        {
            Unclaimed.envelopeOf(item).release();
            removed++;
        }
        return removed;
    }

    /** @return messages removed by drop-head overflow since declaration (reason maxlen, whichever limit). */
    long droppedHeadCount()
    {
        return droppedHead.get();
    }

    /** @return messages that left the queue for {@code reason} (dead-lettered or, without a dead-letter exchange, dropped). */
    long removedCount(final DeathReason reason)
    {
        switch (reason)
        {
            case REJECTED:
                return rejectedByConsumers.get();
            case EXPIRED:
                return expired.get();
            case MAXLEN:
                return droppedHead.get();
            case DELIVERY_LIMIT:
            default:
                return pastDeliveryLimit.get();
        }
    }

    /**
     * @return publishes refused by {@code reject-publish-dlx} (each also in the publisher's refusedQueues):
     * with a dead-letter exchange, each was dead-lettered although it never entered the queue.
     */
    long refusedToDeadLetterCount()
    {
        return refusedToDeadLetter.get();
    }

    /** @return dead-lettered messages from this queue that at least one queue accepted. */
    long deadLetteredCount()
    {
        return deadLettered.get();
    }

    /** @return copies of this queue's dead letters that target queues accepted (a fanout dead-letter exchange makes several per message). */
    long deadLetterAcceptedCopies()
    {
        return deadLetterAcceptedCopies.get();
    }

    /** @return copies of this queue's dead letters that a full target queue refused (dead-lettering never blocks). */
    long deadLetterRefusedCopies()
    {
        return deadLetterRefusedCopies.get();
    }

    /**
     * @return this queue's dead letters that no queue accepted: the dead-letter exchange is missing or
     * internal, nothing is bound, every target was a cycle (dropped as RabbitMQ does) or refused.
     */
    long deadLetterUnroutableCount()
    {
        return deadLetterUnroutable.get();
    }

    /** @return messages removed because the queue was deleted (including late arrivals). */
    long discardedCount()
    {
        return discarded.get();
    }

    /** @return messages consumers rejected or nacked without requeue. */
    long rejectedCount()
    {
        return rejectedByConsumers.get();
    }

    QueueInfo info()
    {
        return new QueueInfo(name, messageCount(), consumerCount(), expired.get(), droppedHead.get(),
            rejectedByConsumers.get(), pastDeliveryLimit.get(), deadLettered.get());
    }

    @Override
    public String toString()
    {
        return "queue '" + name + "'";
    }
}
