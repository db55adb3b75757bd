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
 * lock-free queue of requeued messages, and the consumers that compete for both.
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
 */
final class MessageQueue
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
    /** Chunk size of the requeue queue: requeues are rare and bursty (a cancelled consumer's window). */
    private static final int REQUEUE_CHUNK = 256;

    private final String name;
    private final QueueSpec spec;
    private final OverflowPolicy overflow;
    private final Channel owner;
    private final MpmcArrayQueue<Envelope> ready;
    private final MpmcUnboundedXaddArrayQueue<Envelope> requeued;

    @SuppressWarnings("unused")
    private volatile boolean deleted;
    /** BLOCKING consumers parked, or about to park, waiting for a message. */
    @SuppressWarnings("unused")
    private volatile int sleepers;
    /** Copy-on-write array, replaced under the broker's topology lock, read lock-free. */
    @SuppressWarnings("unused")
    private volatile Consumer[] consumers = NO_CONSUMERS;
    /** Set once a consumer has attached: an auto-delete queue is deleted only after it had one. */
    private volatile boolean hadConsumer;

    private final AtomicLong droppedHead = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong rejectedByConsumers = new AtomicLong();

    MessageQueue(final QueueSpec spec, final Channel owner)
    {
        this.name = spec.name();
        this.spec = spec;
        this.overflow = spec.overflow();
        this.owner = owner;
        this.ready = new MpmcArrayQueue<>(spec.capacity());
        this.requeued = new MpmcUnboundedXaddArrayQueue<>(REQUEUE_CHUNK);
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
        if (ready.offer(envelope))
        {
            return true;
        }
        switch (overflow)
        {
            case REJECT_PUBLISH:
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
        int idles = 0;
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
            // Consumers do not signal publishers (that would put a check on every poll): back off instead.
            if (idles < 100)
            {
                Thread.onSpinWait();
            }
            else if (idles < 200)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(this, TimeUnit.MICROSECONDS.toNanos(50));
            }
            idles++;
        }
        return false;
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

    /** @return the next requeued message, or null; requeued messages go first. */
    Envelope pollRequeued()
    {
        return requeued.isEmpty() ? null : requeued.poll();
    }

    /** @return the next message never delivered, or null. */
    Envelope pollReady()
    {
        return ready.poll();
    }

    boolean hasMessages()
    {
        return !requeued.isEmpty() || !ready.isEmpty();
    }

    /** Puts a delivered message back, ahead of those never delivered; it is redelivered flagged. */
    void requeue(final Envelope envelope)
    {
        if (isDeleted())
        {
            discarded.incrementAndGet();
            envelope.release();
            return;
        }
        requeued.offer(envelope);
        VarHandle.fullFence(); // same pairing as afterPublish: the requeue is visible before the checks
        afterPublish();
    }

    /** A consumer rejected the message without requeue: it leaves the queue (dead-lettering builds on this). */
    void discardRejected(final Envelope envelope)
    {
        rejectedByConsumers.incrementAndGet();
        envelope.release();
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
        return next.length == 0 && spec.autoDelete() && hadConsumer;
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
        return requeued.size() + ready.size();
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
        int removed = 0;
        Envelope envelope;
        while ((envelope = requeued.poll()) != null || (envelope = ready.poll()) != null)
        {
            envelope.release();
            removed++;
        }
        return removed;
    }

    /** @return messages removed by drop-head overflow since declaration. */
    long droppedHeadCount()
    {
        return droppedHead.get();
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
        return new QueueInfo(name, messageCount(), consumerCount());
    }

    @Override
    public String toString()
    {
        return "queue '" + name + "'";
    }
}
