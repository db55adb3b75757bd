package io.ringmq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak test's book of every message copy in one round: what each publish was told
 * ({@link PublishResult}), every delivery and every final settlement, every dead letter seen in dlq
 * with the death its {@code x-death} header records, and the counted removals (purge, per queue).
 * The engine's own counts (dropped, expired, rejected, dead-lettered, discarded) are read by
 * {@link SoakRound}, which balances the two.
 * <p>
 * Message ids are dense, {@code 0 <= id < capacity}; publisher {@code p} of {@code n} owns the ids
 * {@code p, p + n, p + 2n, ...} and is the only writer of their publish-side slots. What a consumer
 * reads of them ({@link #home}, {@link #expirationMillis}) is written before the publish, so the
 * queue's hand-over makes it visible; the rest ({@link #accepted}, {@link #publishedAfterNanos}) is read
 * only after the publisher was joined. A copy is one (id, queue) pair; its slot in {@link #copies}
 * packs the deliveries seen (bits 0..15), the final settlements (bits 16..23) and, among those, the
 * rejections without requeue (bits 24..31), so that one atomic add records either.
 * <p>
 * Identity survives dead-lettering: a dead letter carries its original body, so its copy in dlq is the
 * pair (id, dlq), and its death (queue, reason) is recorded per id — a message dies at most once here
 * (see {@link SoakQueues}).
 */
final class SoakLedger
{
    static final String[] QUEUES = SoakQueues.NAMES;
    /** A batch publish reports sums only: its ids are checked in aggregate, not one by one. */
    static final int UNKNOWN = -1;

    private static final int DELIVERY = 1;
    private static final int SETTLEMENT = 1 << 16;
    private static final int REJECTION = 1 << 24;
    private static final int MAX_VIOLATIONS = 25;
    private static final DeathReason[] REASONS = DeathReason.values();

    final int capacity;
    /** q5's x-message-ttl this round. */
    final long queueTtlMillis;
    /** Per id: queues that accepted it, or {@link #UNKNOWN}; written by its publisher only. */
    private final int[] accepted;
    private final boolean[] published;
    /** Per id: the one queue of q4..q6 it was published to (the default exchange), else -1. */
    private final byte[] home;
    /** Per id: its per-message TTL in ms, 0 for none. */
    private final byte[] expirationMillis;
    /** Per id: System.nanoTime() when its publish returned: its TTL clock started before. */
    private final long[] publishedAfterNanos;
    /** Per id with a TTL: the latest time a take of it (any source copy) is known to have started after. */
    private final AtomicLongArray takenAfterNanos;
    /** Per id: its death as dlq's x-death header told it, {@link #death}; 0 while none was seen. */
    private final AtomicIntegerArray deaths;
    private final AtomicIntegerArray copies;

    final LongAdder acceptedTotal = new LongAdder();
    final LongAdder refusedTotal = new LongAdder();
    final LongAdder routedTotal = new LongAdder();
    final LongAdder droppedByPublishResult = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder redeliveries = new LongAdder();
    final LongAdder publishes = new LongAdder();
    final LongAdder operations = new LongAdder();
    /** Per queue: copies acknowledged (acks, auto-acks, the final drain). */
    final LongAdder[] acked = adders(QUEUES.length);
    /** Per queue: copies rejected or nacked without requeue, or failed in a handler without requeue. */
    final LongAdder[] rejected = adders(QUEUES.length);
    final LongAdder[] purged = adders(QUEUES.length);
    final LongAdder[] drained = adders(QUEUES.length);
    /** Per queue of q4..q6: what publishes to it (the default exchange, its one route) were told. */
    final LongAdder[] acceptedByHome = adders(QUEUES.length);
    final LongAdder[] refusedByHome = adders(QUEUES.length);
    final LongAdder[] droppedByHome = adders(QUEUES.length);
    /** Per (source queue, reason): distinct dead letters seen in dlq. */
    private final LongAdder[] deathsSeen = adders(QUEUES.length * REASONS.length);

    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger violationCount = new AtomicInteger();

    SoakLedger(final int capacity, final long queueTtlMillis)
    {
        this.capacity = capacity;
        this.queueTtlMillis = queueTtlMillis;
        this.accepted = new int[capacity];
        this.published = new boolean[capacity];
        this.home = new byte[capacity];
        Arrays.fill(home, (byte)-1); // not published to q4..q6
        this.expirationMillis = new byte[capacity];
        this.publishedAfterNanos = new long[capacity];
        this.takenAfterNanos = new AtomicLongArray(capacity);
        this.deaths = new AtomicIntegerArray(capacity);
        this.copies = new AtomicIntegerArray(capacity * QUEUES.length);
    }

    private static LongAdder[] adders(final int n)
    {
        final LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++)
        {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    static long sum(final LongAdder[] adders)
    {
        long sum = 0;
        for (final LongAdder adder : adders)
        {
            sum += adder.sum();
        }
        return sum;
    }

    static int queueIndex(final String queue)
    {
        return SoakQueues.index(queue);
    }

    /** A message body: the id, then its complement, so that a reused or torn envelope shows. */
    static byte[] body(final int id)
    {
        final int check = ~id;
        return new byte[] {
            (byte)(id >>> 24), (byte)(id >>> 16), (byte)(id >>> 8), (byte)id,
            (byte)(check >>> 24), (byte)(check >>> 16), (byte)(check >>> 8), (byte)check};
    }

    /** @return the id a body carries, or -1 when it is not a body {@link #body} made. */
    static int id(final byte[] body)
    {
        if (body == null || body.length != 8)
        {
            return -1;
        }
        final int id = (body[0] & 0xFF) << 24 | (body[1] & 0xFF) << 16 | (body[2] & 0xFF) << 8 | body[3] & 0xFF;
        final int check = (body[4] & 0xFF) << 24 | (body[5] & 0xFF) << 16 | (body[6] & 0xFF) << 8 | body[7] & 0xFF;
        return check == ~id ? id : -1;
    }

    // ------------------------------------------------------------------ publishers

    /**
     * Publisher of {@code id} only, before its publish: what consumers will check it against.
     *
     * @param homeQueue the queue of q4..q6 it goes to, or -1.
     * @param ttlMillis its per-message TTL, 0 for none.
     */
    void publishing(final int id, final int homeQueue, final int ttlMillis)
    {
        home[id] = (byte)homeQueue;
        expirationMillis[id] = (byte)ttlMillis;
    }

    /** Publisher of {@code id} only, after its publish returned at {@code afterNanos}. */
    void published(final int id, final PublishResult result, final boolean batch, final long afterNanos)
    {
        published[id] = true;
        accepted[id] = batch ? UNKNOWN : result.acceptedQueues();
        publishedAfterNanos[id] = afterNanos;
    }

    /** Publisher only, once per publish call (a batch reports sums). {@code homeQueue}: q4..q6, or -1. */
    void publishResult(final PublishResult result, final int homeQueue)
    {
        publishes.increment();
        routedTotal.add(result.routedQueues());
        acceptedTotal.add(result.acceptedQueues());
        refusedTotal.add(result.refusedQueues());
        droppedByPublishResult.add(result.droppedMessages());
        if (homeQueue >= 0)
        {
            acceptedByHome[homeQueue].add(result.acceptedQueues());
            refusedByHome[homeQueue].add(result.refusedQueues());
            droppedByHome[homeQueue].add(result.droppedMessages());
        }
        if (result.routedQueues() != result.acceptedQueues() + result.refusedQueues())
        {
            violation("publish result does not add up: " + result);
        }
    }

    // ------------------------------------------------------------------ consumers

    /**
     * A consumer received a copy (push or get). Checks the redelivered flag (the first delivery of a
     * copy must not carry it, every later one must), the delivery limit, and a dead letter's history.
     *
     * @param takenAfter a time (System.nanoTime) the engine's take of this delivery started after (the get's start,
     *        or the end of the consumer's previous handler call): checked against the message's TTL.
     * @return the id, or -1 for a corrupt body (reported).
     */
    int delivered(final Delivery delivery, final long takenAfter, final String by)
    {
        deliveries.increment();
        final int id = id(delivery.body());
        final String queue = delivery.queue();
        final int q = queueIndex(queue);
        if (id < 0 || id >= capacity || q < 0)
        {
            violation(by + " received a corrupt body or unknown queue: queue=" + queue + " id=" + id);
            return -1;
        }
        if (delivery.redelivered())
        {
            redeliveries.increment();
        }
        final int before = copies.getAndAdd(id * QUEUES.length + q, DELIVERY);
        final int seen = before & 0xFFFF;
        if (settlements(before) > 0)
        {
            violation(by + " received " + describe(id, q) + " after it was settled for good (acked or rejected): it came back");
        }
        else if (seen == 0 && delivery.redelivered())
        {
            violation(by + " received " + describe(id, q) + " for the first time flagged redelivered");
        }
        else if (seen > 0 && !delivery.redelivered())
        {
            violation(by + " received " + describe(id, q) + " again (delivery " + (seen + 1) +
                ") without the redelivered flag: duplicated");
        }
        if (q == SoakQueues.LIMIT && seen >= SoakQueues.DELIVERY_LIMIT + 1)
        {
            violation(by + " received " + describe(id, q) + " for the " + (seen + 1) + "th time: x-delivery-limit " +
                SoakQueues.DELIVERY_LIMIT + " allows " + (SoakQueues.DELIVERY_LIMIT + 1) + " deliveries");
        }
        if (q == SoakQueues.DLQ)
        {
            checkDeadLetter(id, delivery.properties(), by);
        }
        else if (q == SoakQueues.TTL || expirationMillis[id] > 0)
        {
            takenAfterNanos.accumulateAndGet(id, takenAfter, Math::max);
        }
        return id;
    }

    /** A copy left its queue for good through a consumer: acked, auto-acked, or rejected without requeue. */
    void settled(final int id, final String queue, final boolean rejectedNoRequeue, final String how)
    {
        final int q = queueIndex(queue);
        if (id < 0 || q < 0)
        {
            return; // already reported as corrupt
        }
        (rejectedNoRequeue ? rejected : acked)[q].increment();
        final int before = copies.getAndAdd(id * QUEUES.length + q, rejectedNoRequeue ? SETTLEMENT + REJECTION : SETTLEMENT);
        if (settlements(before) > 0)
        {
            violation(how + " settled " + describe(id, q) + " a second time: one copy was settled twice");
        }
    }

    /**
     * A delivery from dlq: its x-death must name one death, in the queue the id was published to, for a
     * reason that queue's policies can produce, and keep the expiration the message had; every delivery
     * of one dead letter must tell the same death.
     */
    private void checkDeadLetter(final int id, final MessageProperties properties, final String by)
    {
        final Object history = properties.headers().get(DeathHistory.X_DEATH);
        if (!(history instanceof List) || ((List<?>)history).size() != 1 || !(((List<?>)history).get(0) instanceof Map))
        {
            violation(by + " received dead letter " + id + " whose x-death is " + history + ": expected one death " +
                "(dead letters never leave dlq)");
            return;
        }
        final Map<?, ?> death = (Map<?, ?>)((List<?>)history).get(0);
        final int source = queueIndex(String.valueOf(death.get(DeathHistory.QUEUE)));
        final DeathReason reason = reason(death.get(DeathHistory.REASON));
        final boolean hadExpiration = expirationMillis[id] > 0;
        final String what = "dead letter " + id + " (x-death " + death + ")";
        if (source < 0 || reason == null)
        {
            violation(by + " received " + what + ": unknown queue or reason");
            return;
        }
        if (source != home[id])
        {
            violation(by + " received " + what + ", but id " + id + " was published to " +
                (home[id] < 0 ? "q0..q3 only" : QUEUES[home[id]]) + ": a dead letter came from the wrong queue, " +
                "or its body was not its own");
        }
        if (!SoakQueues.mayDie(source, reason, hadExpiration))
        {
            violation(by + " received " + what + ": " + QUEUES[source] + "'s policies cannot make a message " +
                (hadExpiration ? "with" : "without") + " an expiration die for reason " + reason.value());
        }
        if (!Long.valueOf(1).equals(death.get(DeathHistory.COUNT)) || !"".equals(death.get(DeathHistory.EXCHANGE)) ||
            !List.of(QUEUES[source]).equals(death.get(DeathHistory.ROUTING_KEYS)))
        {
            violation(by + " received " + what + ": expected count 1, exchange '' and routing-keys [" + QUEUES[source] + "]");
        }
        final Object original = death.get(DeathHistory.ORIGINAL_EXPIRATION);
        if (hadExpiration ? !String.valueOf(expirationMillis[id]).equals(original) : original != null)
        {
            violation(by + " received " + what + ": original-expiration " + original + ", but it was published with " +
                (hadExpiration ? "expiration " + expirationMillis[id] : "none"));
        }
        if (properties.expiration() != null)
        {
            violation(by + " received " + what + " still carrying expiration " + properties.expiration() +
                ": a dead letter must not expire again");
        }
        final int packed = 1 + source * REASONS.length + reason.ordinal();
        final int before = deaths.compareAndExchange(id, 0, packed);
        if (before == 0)
        {
            deathsSeen[packed - 1].increment();
        }
        else if (before != packed)
        {
            violation(by + " received " + what + ", but an earlier delivery of it recorded a death in " +
                QUEUES[(before - 1) / REASONS.length] + " for " + REASONS[(before - 1) % REASONS.length].value());
        }
    }

    private static DeathReason reason(final Object value)
    {
        for (final DeathReason reason : REASONS)
        {
            if (reason.value().equals(value))
            {
                return reason;
            }
        }
        return null;
    }

    /** @return distinct dead letters from {@code source} for {@code reason} that dlq consumers received. */
    long deathsSeen(final int source, final DeathReason reason)
    {
        return deathsSeen[source * REASONS.length + reason.ordinal()].sum();
    }

    void violation(final String what)
    {
        if (violationCount.incrementAndGet() <= MAX_VIOLATIONS)
        {
            synchronized (violations)
            {
                violations.add(what);
            }
        }
    }

    int violationCount()
    {
        return violationCount.get();
    }

    List<String> violations()
    {
        synchronized (violations)
        {
            return new ArrayList<>(violations);
        }
    }

    // ------------------------------------------------------------------ the end of a round

    /**
     * Once every thread has stopped and the queues were drained: checks each id against what its
     * publish was told, each dead letter against what happened to its source copy, and each delivery
     * of a message with a TTL against its age (findings are recorded as violations; the totals are
     * balanced by the round).
     */
    void checkIds()
    {
        for (int id = 0; id < capacity; id++)
        {
            int settledCopies = 0;
            int deliveredCopies = 0;
            for (int q = 0; q < QUEUES.length; q++)
            {
                final int slot = copies.get(id * QUEUES.length + q);
                if (q != SoakQueues.DLQ)
                {
                    settledCopies += settlements(slot);
                }
                deliveredCopies += (slot & 0xFFFF) > 0 ? 1 : 0;
            }
            if (!published[id])
            {
                if (deliveredCopies > 0)
                {
                    violation("id " + describeId(id) + " was delivered but never published");
                }
                continue;
            }
            if (accepted[id] != UNKNOWN && settledCopies > accepted[id])
            {
                violation("id " + describeId(id) + " was settled from " + settledCopies + " queues but only " +
                    accepted[id] + " accepted it: a refused copy was delivered, or a copy duplicated");
            }
            if (home[id] >= 0 && accepted[id] == 0 && (copies.get(id * QUEUES.length + home[id]) & 0xFFFF) > 0)
            {
                violation(describe(id, home[id]) + " was delivered, but its publish was told it was refused");
            }
            checkDeath(id);
            checkAge(id);
        }
    }

    /** A dead letter's death must agree with what happened to the copy it came from. */
    private void checkDeath(final int id)
    {
        final int packed = deaths.get(id);
        final int dlqSlot = copies.get(id * QUEUES.length + SoakQueues.DLQ);
        if (packed == 0)
        {
            if ((dlqSlot & 0xFFFF) > 0)
            {
                violation(describe(id, SoakQueues.DLQ) + " was delivered from dlq without a death recorded");
            }
            return;
        }
        final int source = (packed - 1) / REASONS.length;
        final DeathReason reason = REASONS[(packed - 1) % REASONS.length];
        final int slot = copies.get(id * QUEUES.length + source);
        final int deliveredFromSource = slot & 0xFFFF;
        final String what = "dead letter " + describeId(id) + " died in " + QUEUES[source] + " for " + reason.value() +
            ", and its copy " + describe(id, source);
        if (reason == DeathReason.REJECTED)
        {
            if (rejections(slot) != 1 || settlements(slot) != 1)
            {
                violation(what + " was not rejected (exactly once) by a consumer");
            }
            return;
        }
        if (settlements(slot) != 0)
        {
            violation(what + " was also settled by a consumer: one copy ended twice");
        }
        if (reason == DeathReason.DELIVERY_LIMIT && deliveredFromSource != SoakQueues.DELIVERY_LIMIT + 1)
        {
            violation(what + " was delivered " + deliveredFromSource + " times; the limit " + SoakQueues.DELIVERY_LIMIT +
                " kills it on return number " + (SoakQueues.DELIVERY_LIMIT + 1) + ", after as many deliveries");
        }
        if (reason == DeathReason.MAXLEN && source == SoakQueues.LIMIT)
        {
            // reject-publish-dlx: the dead letter is the refused publish itself.
            if (accepted[id] != UNKNOWN && accepted[id] != 0 || deliveredFromSource != 0)
            {
                violation(what + ": a reject-publish-dlx dead letter must be a refused publish, never delivered from " +
                    QUEUES[source]);
            }
        }
        else if (reason == DeathReason.MAXLEN && accepted[id] != UNKNOWN && accepted[id] != 1)
        {
            violation(what + ": a drop-head dead letter must have been accepted first");
        }
    }

    /** A message with a TTL must never be taken once that TTL has passed (a requeue keeps its age). */
    private void checkAge(final int id)
    {
        final long takenAfter = takenAfterNanos.get(id);
        if (takenAfter == 0)
        {
            return;
        }
        long ttlMillis = Long.MAX_VALUE;
        if (expirationMillis[id] > 0)
        {
            ttlMillis = expirationMillis[id];
        }
        if (home[id] == SoakQueues.TTL)
        {
            ttlMillis = Math.min(ttlMillis, queueTtlMillis);
        }
        if (ttlMillis == Long.MAX_VALUE)
        {
            return;
        }
        // The TTL clock started before publishedAfter; the take that delivered it started after takenAfter.
        final long age = takenAfter - publishedAfterNanos[id];
        if (age >= ttlMillis * 1_000_000L)
        {
            violation("id " + describeId(id) + " with a TTL of " + ttlMillis + " ms was delivered by a take that began " +
                age / 1_000 + " µs after its publish returned: an expired message was delivered");
        }
    }

    private static int settlements(final int slot)
    {
        return (slot >>> 16) & 0xFF;
    }

    private static int rejections(final int slot)
    {
        return slot >>> 24;
    }

    String describe(final int id, final int q)
    {
        final int slot = copies.get(id * QUEUES.length + q);
        return "copy (id " + describeId(id) + ", queue " + QUEUES[q] + ") [deliveries so far " + (slot & 0xFFFF) +
            ", settlements " + settlements(slot) + ", rejections " + rejections(slot) + "]";
    }

    private String describeId(final int id)
    {
        return id + (published[id] ? " accepted by " + (accepted[id] == UNKNOWN ? "? (batch)" : accepted[id]) : "") +
            (home[id] >= 0 ? ", published to " + QUEUES[home[id]] : "") +
            (expirationMillis[id] > 0 ? ", expiration " + expirationMillis[id] + " ms" : "");
    }
}
