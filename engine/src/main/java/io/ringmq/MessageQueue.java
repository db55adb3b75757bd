package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue: its declaration, its {@link QueueStorage} (chosen once at declare time: plain or with
 * policies), the consumers that compete for its messages (one takes directly, two or more are served
 * in turn by its {@link RoundRobinDispatcher}), and what happens to messages that leave it.
 * <p>
 * <b>Deletion:</b> {@link #markDeleted} sets the flag and then drains. A publisher that offered
 * concurrently re-checks the flag after a full fence ({@link #afterPublish}) and drains too, so a
 * message can never be left behind in a deleted queue uncounted: it is either delivered, or counted as
 * discarded with the queue (the Dekker pairing of the deleter's volatile write then drain, with the
 * publisher's offer, fence, then volatile read).
 * <p>
 * <b>Waiting:</b> consumers that found nothing to do may arm themselves for messages
 * ({@link #registerSleeper}); a publisher wakes them after its offers and a fence. The queue knows its
 * consumers as {@link QueueConsumer}s only. A publisher that
 * found no room either parks briefly ({@link #offer} with a timeout) or, if it may not wait, leaves a
 * callback in the queue's {@link RoomSignal}, run by the next take.
 * <p>
 * <b>Accounting:</b> every message that leaves the queue other than by acknowledgement is counted in
 * {@link QueueCounters}, by cause; {@link Channel#queuePurge} returns what a purge removed. Deliveries,
 * acknowledgements and ready bytes, for monitoring, are {@link QueueStatistics}': a ready message's bytes
 * stop counting when it is delivered or got, or when it leaves ready otherwise ({@link #dropDead} and
 * {@link #leftReady} are for ready messages only; a delivered one that dies goes through {@code die}).
 * <p>
 * Memory ordering: {@code deleted}, {@code sleepers} and {@code consumers} go through the accessors at
 * the bottom ({@code lv}/{@code sv} volatile, {@code la}/{@code so} acquire/release, {@code faa}
 * fetch-and-add); each use names its partner.
 */
final class MessageQueue implements StoredQueue
{
    private static final VarHandle DELETED;
    private static final VarHandle SLEEPERS;
    private static final VarHandle CONSUMERS;
    private static final VarHandle DISPATCHER;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            DELETED = lookup.findVarHandle(MessageQueue.class, "deleted", boolean.class);
            SLEEPERS = lookup.findVarHandle(MessageQueue.class, "sleepers", int.class);
            CONSUMERS = lookup.findVarHandle(MessageQueue.class, "consumers", QueueConsumer[].class);
            DISPATCHER = lookup.findVarHandle(MessageQueue.class, "dispatcher", RoundRobinDispatcher.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final QueueConsumer[] NO_CONSUMERS = new QueueConsumer[0];
    /** What a publisher waiting for room asks to park for; the OS rounds it up to its timer slack. */
    private static final long ROOM_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(1);

    private final String name;
    private final QueueSpec spec;
    private final QueuePolicies policies;
    /** The exclusive owner (a connection), compared by identity only; null for a shared queue. */
    private final Object owner;
    private final QueueStorage storage;
    private final DeadLetters deadLetters;
    /** Null unless {@code x-single-active-consumer}. */
    private final SingleActiveConsumer singleActiveConsumer;
    /** Null unless {@code x-expires}. */
    private final QueueExpiry expiry;
    private final QueueCounters counters = new QueueCounters();
    private final QueueStatistics statistics = new QueueStatistics();
    private final RoomSignal room = new RoomSignal();
    /** Null until first asked for ({@link #dispatcher()}): most queues never have two consumers. */
    @SuppressWarnings("unused")
    private volatile RoundRobinDispatcher dispatcher;

    @SuppressWarnings("unused")
    private volatile boolean deleted;
    /** Consumers armed, or about to arm, for messages: publishers wake them. */
    @SuppressWarnings("unused")
    private volatile int sleepers;
    /** Copy-on-write array, replaced under the broker's topology lock, read lock-free. */
    @SuppressWarnings("unused")
    private volatile QueueConsumer[] consumers = NO_CONSUMERS;
    /** Whether consumers share messages through {@link #dispatcher()}; written under the topology lock. */
    private volatile boolean roundRobin;
    /** Set once a consumer has attached: an auto-delete queue is deleted only after it had one. */
    private volatile boolean hadConsumer;

    /**
     * @param owner       the connection an exclusive queue belongs to, or null.
     * @param deadLetters the broker's dead-letter publisher; used only when the spec has a dead-letter exchange.
     */
    MessageQueue(final QueueSpec spec, final Object owner, final DeadLetters deadLetters)
    {
        this.name = spec.name();
        this.spec = spec;
        this.policies = spec.policies();
        this.owner = owner;
        this.deadLetters = deadLetters;
        this.storage = policies.needsPolicyStorage() ?
            new PolicyStorage(this, policies, spec.capacity()) : new PlainStorage(this, policies.overflow(), spec.capacity());
        this.singleActiveConsumer = policies.singleActiveConsumer() ? new SingleActiveConsumer() : null;
        this.expiry = policies.expiresNanos() != QueuePolicies.UNSET ? new QueueExpiry(policies.expiresNanos()) : null;
    }

    String name()
    {
        return name;
    }

    QueueSpec spec()
    {
        return spec;
    }

    QueuePolicies policies()
    {
        return policies;
    }

    QueueStorage storage()
    {
        return storage;
    }

    /** @return the connection an exclusive queue belongs to, or null. */
    Object owner()
    {
        return owner;
    }

    /** @return the election of a single-active-consumer queue, or null. */
    SingleActiveConsumer singleActiveConsumer()
    {
        return singleActiveConsumer;
    }

    /** @return true when the broker's housekeeping thread must visit this queue (TTL sweeps, expiry). */
    boolean needsHousekeeping()
    {
        return storage instanceof PolicyStorage || expiry != null;
    }

    @Override
    public boolean isQuorum()
    {
        return spec.type() == QueueType.QUORUM;
    }

    @Override
    public String queueName()
    {
        return name;
    }

    @Override
    public boolean isDeleted()
    {
        return lvDeleted();
    }

    /** A declare, get or consumer departure renews {@code x-expires}; nothing without it. */
    void touch()
    {
        if (expiry != null)
        {
            expiry.touch();
        }
    }

    /** @return true when the queue has {@code x-expires} and has been unused at least that long. */
    boolean isUnusedLongerThanExpiry(final long now)
    {
        return expiry != null && expiry.isUnusedLongerThanExpiry(now, consumerCount());
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Offers {@code envelope} under the queue's overflow policy. A {@code block} queue that is full keeps
     * the publisher waiting (parked, never spinning) up to {@code blockTimeoutNanos}; with 0 it answers
     * {@link QueueStorage#NO_ROOM} at once.
     *
     * @param result where messages dropped from the head are counted.
     * @return {@link QueueStorage#ACCEPTED} when the queue took the message and now holds one reference on
     * it; {@link QueueStorage#REFUSED}; or {@link QueueStorage#NO_ROOM} when still full at the deadline.
     */
    int offer(final Envelope envelope, final long blockTimeoutNanos, final PublishResult result)
    {
        if (isDeleted())
        {
            return QueueStorage.REFUSED;
        }
        final long bytes = envelope.bodySize(); // read now: once offered, a consumer may settle and recycle it
        statistics.enteringReady(bytes); // before the offer: its delivery, counted out, must find it counted in
        final int outcome = offerUnderPolicy(envelope, blockTimeoutNanos, result);
        if (outcome != QueueStorage.ACCEPTED)
        {
            statistics.leftReady(bytes);
        }
        return outcome;
    }

    /**
     * A batch publish's fast path: offers {@code envelopes[from..from+count)}, in order, as far as the
     * storage takes them at once ({@link QueueStorage#offerRun}), with the ready bytes counted in once for
     * the run rather than once per message. The caller offers the rest one by one through {@link #offer},
     * which applies the overflow policy and may wait: per message, the outcome is what {@link #offer}
     * would have given.
     *
     * @param runBytes the body bytes of the run's messages, summed by the caller before any offer.
     * @return how many of the run's first messages the queue took (and holds one reference on each); 0
     * when it is deleted.
     */
    int offerRun(final Envelope[] envelopes, final int from, final int count, final long runBytes)
    {
        if (isDeleted())
        {
            return 0;
        }
        statistics.enteringReady(runBytes); // before the offer: its deliveries, counted out, must find them counted in
        final int taken = storage.offerRun(envelopes, from, count);
        if (taken < count)
        {
            // Safe to read: not taken, so this queue's hold keeps them alive. Their single offers count them again.
            statistics.leftReady(Envelope.bodySizes(envelopes, from + taken, from + count));
        }
        return taken;
    }

    private int offerUnderPolicy(final Envelope envelope, final long blockTimeoutNanos, final PublishResult result)
    {
        int outcome = storage.offer(envelope, result);
        if (outcome != QueueStorage.NO_ROOM || blockTimeoutNanos == 0)
        {
            return outcome;
        }
        final long deadline = System.nanoTime() + blockTimeoutNanos;
        while (true)
        {
            awaitRoom(this);
            if (isDeleted())
            {
                return QueueStorage.REFUSED;
            }
            outcome = storage.offer(envelope, result);
            if (outcome != QueueStorage.NO_ROOM || System.nanoTime() - deadline >= 0)
            {
                return outcome;
            }
        }
    }

    /**
     * A publisher found no room and may wait: it parks at once instead of spinning, as the Disruptor's
     * multi-producer sequencer does when its ring is full. A publisher that spins re-reads the head slot
     * and the consumers' index, the very cache lines the consumer writes to free room, and slows it
     * several times over (1P1C manual ack: 3.6 M msgs/s spinning, 19-23 M parking at once, in the same
     * run). The park is short (the OS timer's slack, some 50 µs on Linux), and a full queue holds far
     * more than that many microseconds of work for its consumers.
     */
    private static void awaitRoom(final Object blocker)
    {
        LockSupport.parkNanos(blocker, ROOM_PARK_NANOS);
    }

    /**
     * A publisher that may not wait: {@code callback} runs once, on the thread that next frees room (or
     * deletes the queue). Offer again after registering: see {@link RoomSignal}.
     */
    void callWhenRoom(final Runnable callback)
    {
        room.await(callback);
    }

    /**
     * Called by a publisher after its offers and one {@code VarHandle.fullFence()}: the fence orders
     * the offer before these volatile reads (pairs with {@link #markDeleted} and with a consumer's
     * arming for messages, {@code DeliveryAgent.arm}).
     */
    void afterPublish()
    {
        if (isDeleted())
        {
            counters.add(QueueCounters.Count.DISCARDED, storage.drain());
        }
        else if (lvSleepers() > 0)
        {
            for (final QueueConsumer consumer : laConsumers())
            {
                consumer.wakeForMessages();
            }
        }
    }

    // ------------------------------------------------------------------ taking

    /**
     * Takes the next message (see {@link QueueStorage#take}); consumers, the dispatcher and
     * {@code basic.get} all take here. Runs the callbacks of publishers waiting for room.
     */
    boolean take(final Taken out)
    {
        if (storage.take(out))
        {
            room.signal();
            return true;
        }
        return false;
    }

    /**
     * Takes a batch for one consumer (see {@link QueueStorage#takeBatch}); the callbacks of publishers
     * waiting for room run once for the batch.
     *
     * @return how many messages were appended to {@code out}.
     */
    int takeBatch(final TakenBatch out, final int max)
    {
        final int taken = storage.takeBatch(out, max);
        if (taken > 0)
        {
            room.signal();
        }
        return taken;
    }

    boolean hasMessages()
    {
        return storage.hasMessages();
    }

    /**
     * A message about to be delivered (taken, or waiting in a consumer's {@link Mailbox}) whose TTL (its
     * own or the queue's) has passed is not delivered but dropped or dead-lettered, as RabbitMQ expires
     * messages: never delivered expired. The clock is read only for a message that can expire.
     *
     * @return true when it expired; the caller's hold on it is taken over.
     */
    @Override
    public boolean dropIfExpired(final Envelope envelope)
    {
        final long queueTtlNanos = policies.messageTtlNanos();
        if ((queueTtlNanos < 0 && envelope.properties.expirationNanos() < 0) ||
            !envelope.isExpired(queueTtlNanos, System.nanoTime()))
        {
            return false;
        }
        dropDead(envelope, DeathReason.EXPIRED);
        return true;
    }

    // ------------------------------------------------------------------ returns

    /** A delivered message taken fresh from this queue comes back unsettled. */
    @Override
    public void requeue(final Envelope envelope)
    {
        requeue(new Returned(envelope, this).countReturn());
    }

    @Override
    public void requeueAfterHandlerFailure(final Envelope envelope)
    {
        final Returned returned = new Returned(envelope, this);
        returned.handlerFailures++;
        requeue(returned.countReturn());
    }

    @Override
    public int returns()
    {
        return 0;
    }

    @Override
    public int handlerFailures()
    {
        return 0;
    }

    /**
     * Puts a delivered message back, ahead of those never delivered; it is redelivered flagged. Past the
     * queue's delivery limit it is dead-lettered (or dropped) instead, as RabbitMQ's quorum queues do.
     */
    @Override
    public void requeue(final Returned returned)
    {
        if (isDeleted())
        {
            counters.add(QueueCounters.Count.DISCARDED, 1);
            returned.envelope.release();
            return;
        }
        final long limit = policies.deliveryLimit();
        if (limit != QueuePolicies.UNSET && returned.returns > limit)
        {
            die(returned.envelope, DeathReason.DELIVERY_LIMIT);
            return;
        }
        statistics.returned(returned.envelope.bodySize()); // before it can be taken again
        putBack(returned);
    }

    /**
     * A message from a stopped consumer's mailbox, which no handler saw, comes back as it was: ahead of
     * those never delivered, with its own redelivered flag, no return counted.
     */
    void returnUnclaimed(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin)
    {
        if (isDeleted())
        {
            counters.add(QueueCounters.Count.DISCARDED, 1);
            leftReady(envelope); // never delivered: its bytes were still counted ready
            envelope.release();
            return;
        }
        final Returned returned = Returned.of(envelope, origin, this);
        returned.redelivered = redelivered;
        putBack(returned);
    }

    private void putBack(final Returned returned)
    {
        storage.putBack(returned);
        VarHandle.fullFence(); // as after a publish: the return is visible before afterPublish's checks
        afterPublish();
    }

    /** A consumer rejected the message without requeue: it leaves the queue, dead-lettered if the queue says so. */
    @Override
    public void discardRejected(final Envelope envelope)
    {
        die(envelope, DeathReason.REJECTED);
    }

    /** A ready message (stored, or in a consumer's mailbox) leaves the queue for {@code reason}; see {@link #die}. */
    @Override
    public void dropDead(final Envelope envelope, final DeathReason reason)
    {
        leftReady(envelope);
        die(envelope, reason);
    }

    @Override
    public void leftReady(final Envelope envelope)
    {
        statistics.leftReady(envelope.bodySize());
    }

    @Override
    public void getSettled(final boolean acknowledged)
    {
        statistics.getSettled(acknowledged);
    }

    /**
     * A message leaves the queue for {@code reason}: counted, then dead-lettered when the queue has a
     * dead-letter exchange, else released. Takes over the caller's hold on the envelope.
     */
    private void die(final Envelope envelope, final DeathReason reason)
    {
        counters.died(reason);
        if (policies.deadLetterExchange() != null)
        {
            deadLetters.deadLetter(this, envelope, reason);
        }
        else
        {
            envelope.release();
        }
    }

    /** A return took a drop-head queue past its limit: its head goes, counted apart (no publisher is told of it). */
    @Override
    public void dropHeadAfterReturn(final Envelope head)
    {
        counters.add(QueueCounters.Count.DROPPED_ON_RETURN, 1);
        dropDead(head, DeathReason.MAXLEN);
    }

    /**
     * {@code reject-publish-dlx}: the queue refused {@code envelope} (the publisher still holds it and
     * releases the queue's hold); a copy is dead-lettered with reason maxlen.
     */
    @Override
    public void deadLetterRefused(final Envelope envelope)
    {
        counters.add(QueueCounters.Count.REFUSED_TO_DEAD_LETTER, 1);
        if (policies.deadLetterExchange() != null)
        {
            envelope.retain(); // the dead-letter job's own hold: the publisher releases the queue's
            deadLetters.deadLetter(this, envelope, DeathReason.MAXLEN);
        }
    }

    /** Dead-lettering's outcome for one message from this queue; see {@link DeadLetters}. */
    void countDeadLetter(final int acceptedCopies, final int refusedCopies)
    {
        counters.countDeadLetter(acceptedCopies, refusedCopies);
    }

    // ------------------------------------------------------------------ consumers

    /** A consumer arms for messages. A volatile read-modify-write, so a full fence: pairs with afterPublish's fence. */
    void registerSleeper()
    {
        SLEEPERS.getAndAdd(this, 1);
    }

    void unregisterSleeper()
    {
        SLEEPERS.getAndAdd(this, -1);
    }

    QueueConsumer[] consumers()
    {
        return laConsumers();
    }

    int consumerCount()
    {
        return laConsumers().length;
    }

    /** Under the broker's topology lock. */
    void addConsumer(final QueueConsumer consumer)
    {
        final QueueConsumer[] current = laConsumers();
        final QueueConsumer[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = consumer;
        hadConsumer = true;
        soConsumers(next);
        roundRobin = next.length >= 2 && singleActiveConsumer == null;
        if (singleActiveConsumer != null)
        {
            singleActiveConsumer.consumerAdded(next);
        }
    }

    /**
     * Under the broker's topology lock.
     *
     * @return true when that was the last consumer of an auto-delete queue, which must now go.
     */
    boolean removeConsumer(final QueueConsumer consumer)
    {
        final QueueConsumer[] current = laConsumers();
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
        final QueueConsumer[] next = new QueueConsumer[current.length - 1];
        System.arraycopy(current, 0, next, 0, index);
        System.arraycopy(current, index + 1, next, index, current.length - index - 1);
        soConsumers(next);
        roundRobin = next.length >= 2 && singleActiveConsumer == null;
        if (next.length == 0)
        {
            touch(); // x-expires: the idle time starts when the last consumer goes
        }
        return next.length == 0 && spec.autoDelete() && hadConsumer;
    }

    /** Under the topology lock, once {@code leaver}'s mailbox is back in the queue: single-active-consumer handover. */
    void consumerLeft(final QueueConsumer leaver)
    {
        if (singleActiveConsumer != null)
        {
            singleActiveConsumer.consumerLeft(leaver, laConsumers());
        }
    }

    /** @return true when consumers take their messages from the {@link #dispatcher()} (read once per consumer round). */
    boolean isRoundRobin()
    {
        return roundRobin;
    }

    /** The queue's one dispatcher, created by its first caller (one CAS; a racing loser's is garbage, never used). */
    RoundRobinDispatcher dispatcher()
    {
        final RoundRobinDispatcher existing = laDispatcher();
        if (existing != null)
        {
            return existing;
        }
        final RoundRobinDispatcher created = new RoundRobinDispatcher(this);
        final RoundRobinDispatcher witness = (RoundRobinDispatcher)DISPATCHER.compareAndExchangeRelease(this, null, created);
        return witness == null ? created : witness;
    }

    boolean hasExclusiveConsumer()
    {
        for (final QueueConsumer consumer : laConsumers())
        {
            if (consumer.isExclusive())
            {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ management

    /** @return messages ready for delivery (returned and never delivered), approximate under concurrency. */
    int messageCount()
    {
        return storage.messageCount();
    }

    /** Removes every ready message (not those delivered and unacknowledged, as AMQP says). */
    int purge()
    {
        final int removed = storage.drain();
        room.signal();
        return removed;
    }

    /**
     * Marks the queue deleted, then drains it. Volatile write then polls; pairs with the publisher's
     * offer, fence, volatile read in {@link #afterPublish}. Publishers waiting for room are told (they
     * then find the queue deleted).
     *
     * @return the messages this call removed.
     */
    int markDeleted()
    {
        svDeleted();
        final int removed = storage.drain();
        counters.add(QueueCounters.Count.DISCARDED, removed);
        room.signal();
        return removed;
    }

    QueueCounters counters()
    {
        return counters;
    }

    QueueStatistics statistics()
    {
        return statistics;
    }

    /** @return messages removed by drop-head overflow since declaration (reason maxlen, whichever limit). */
    long droppedHeadCount()
    {
        return counters.get(QueueCounters.Count.DROPPED_HEAD);
    }

    /** @return of {@link #droppedHeadCount()}, those dropped because a return took the queue past its limit. */
    long droppedOnReturnCount()
    {
        return counters.get(QueueCounters.Count.DROPPED_ON_RETURN);
    }

    /** @return messages that left the queue for {@code reason} (dead-lettered or, without a dead-letter exchange, dropped). */
    long removedCount(final DeathReason reason)
    {
        return counters.removedCount(reason);
    }

    /** @return publishes refused by {@code reject-publish-dlx} (each also in the publisher's refusedQueues). */
    long refusedToDeadLetterCount()
    {
        return counters.get(QueueCounters.Count.REFUSED_TO_DEAD_LETTER);
    }

    /** @return dead-lettered messages from this queue that at least one queue accepted. */
    long deadLetteredCount()
    {
        return counters.get(QueueCounters.Count.DEAD_LETTERED);
    }

    /** @return copies of this queue's dead letters that target queues accepted. */
    long deadLetterAcceptedCopies()
    {
        return counters.get(QueueCounters.Count.DEAD_LETTER_ACCEPTED_COPIES);
    }

    /** @return copies of this queue's dead letters that a full target queue refused (dead-lettering never blocks). */
    long deadLetterRefusedCopies()
    {
        return counters.get(QueueCounters.Count.DEAD_LETTER_REFUSED_COPIES);
    }

    /** @return this queue's dead letters that no queue accepted. */
    long deadLetterUnroutableCount()
    {
        return counters.get(QueueCounters.Count.DEAD_LETTER_UNROUTABLE);
    }

    /** @return messages removed because the queue was deleted (including late arrivals). */
    long discardedCount()
    {
        return counters.get(QueueCounters.Count.DISCARDED);
    }

    /** @return messages consumers rejected or nacked without requeue (or handlers gave up on). */
    long rejectedCount()
    {
        return counters.get(QueueCounters.Count.REJECTED);
    }

    /** @return publishers' callbacks waiting for room (tests). */
    int roomWaiters()
    {
        return room.waiting();
    }

    /** @return the queue's counts now; cheap (a declare returns it): a few counter reads and one short monitor. */
    QueueInfo info()
    {
        return info(statistics.read(storage));
    }

    /** @param totals this queue's {@link QueueStatistics#read} */
    QueueInfo info(final QueueStatistics.Totals totals)
    {
        return new QueueInfo(spec, messageCount(), consumerCount(), counters, totals, statistics.rates());
    }

    @Override
    public String toString()
    {
        return "queue '" + name + "'";
    }

    // ------------------------------------------------------------------ accessors

    private boolean lvDeleted()
    {
        return (boolean)DELETED.getVolatile(this);
    }

    private void svDeleted()
    {
        DELETED.setVolatile(this, true);
    }

    private int lvSleepers()
    {
        return (int)SLEEPERS.getVolatile(this);
    }

    private RoundRobinDispatcher laDispatcher()
    {
        return (RoundRobinDispatcher)DISPATCHER.getAcquire(this); // pairs with the release CAS in dispatcher()
    }

    private QueueConsumer[] laConsumers()
    {
        return (QueueConsumer[])CONSUMERS.getAcquire(this); // pairs with soConsumers
    }

    private void soConsumers(final QueueConsumer[] next)
    {
        CONSUMERS.setRelease(this, next);
    }
}
