package io.ringmq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak test's book of every message copy in one round: what each publish was told
 * ({@link PublishResult}), every delivery and every final settlement, and the counted removals
 * (drop-head, purge, deletion with the queue).
 * <p>
 * Message ids are dense, {@code 0 <= id < capacity}; publisher {@code p} of {@code n} owns the ids
 * {@code p, p + n, p + 2n, ...} and is the only writer of their publish-side slots (read after it
 * was joined). A copy is one (id, queue) pair; its slot in {@link #copies} packs the deliveries seen
 * (low 16 bits) and the final settlements (bits 16..23) so that one atomic add records either.
 */
final class SoakLedger
{
    static final String[] QUEUES = {"q0", "q1", "q2", "q3"};
    /** A batch publish reports sums only: its ids are checked in aggregate, not one by one. */
    static final int UNKNOWN = -1;

    private static final int DELIVERY = 1;
    private static final int SETTLEMENT = 1 << 16;
    private static final int MAX_VIOLATIONS = 25;

    final int capacity;
    /** Per id: queues that accepted it, or {@link #UNKNOWN}; written by its publisher only. */
    private final int[] accepted;
    private final boolean[] published;
    private final AtomicIntegerArray copies;

    final LongAdder acceptedTotal = new LongAdder();
    final LongAdder refusedTotal = new LongAdder();
    final LongAdder routedTotal = new LongAdder();
    final LongAdder droppedByPublishResult = new LongAdder();
    final LongAdder purged = new LongAdder();
    final LongAdder settled = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder drained = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder redeliveries = new LongAdder();
    final LongAdder publishes = new LongAdder();
    final LongAdder operations = new LongAdder();

    private final List<String> violations = new ArrayList<>();
    private final AtomicInteger violationCount = new AtomicInteger();

    SoakLedger(final int capacity)
    {
        this.capacity = capacity;
        this.accepted = new int[capacity];
        this.published = new boolean[capacity];
        this.copies = new AtomicIntegerArray(capacity * QUEUES.length);
    }

    static int queueIndex(final String queue)
    {
        for (int i = 0; i < QUEUES.length; i++)
        {
            if (QUEUES[i].equals(queue))
            {
                return i;
            }
        }
        return -1;
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

    /** Publisher of {@code id} only. */
    void published(final int id, final PublishResult result, final boolean batch)
    {
        published[id] = true;
        accepted[id] = batch ? UNKNOWN : result.acceptedQueues();
    }

    /** Publisher only, once per publish call (a batch reports sums). */
    void publishResult(final PublishResult result)
    {
        publishes.increment();
        routedTotal.add(result.routedQueues());
        acceptedTotal.add(result.acceptedQueues());
        refusedTotal.add(result.refusedQueues());
        droppedByPublishResult.add(result.droppedMessages());
        if (result.routedQueues() != result.acceptedQueues() + result.refusedQueues())
        {
            violation("publish result does not add up: " + result);
        }
    }

    /**
     * A consumer received a copy (push or get). Checks the redelivered flag: the first delivery of a
     * copy must not carry it, every later one must.
     *
     * @return the id, or -1 for a corrupt body (reported).
     */
    int delivered(final byte[] body, final String queue, final boolean redelivered, final String by)
    {
        deliveries.increment();
        final int id = id(body);
        final int q = queueIndex(queue);
        if (id < 0 || id >= capacity || q < 0)
        {
            violation(by + " received a corrupt body or unknown queue: queue=" + queue + " id=" + id);
            return -1;
        }
        if (redelivered)
        {
            redeliveries.increment();
        }
        final int before = copies.getAndAdd(id * QUEUES.length + q, DELIVERY);
        final int seen = before & 0xFFFF;
        final int settledBefore = before >>> 16;
        if (settledBefore > 0)
        {
            violation(by + " received " + describe(id, q) + " after it was settled for good (acked or rejected): it came back");
        }
        else if (seen == 0 && redelivered)
        {
            violation(by + " received " + describe(id, q) + " for the first time flagged redelivered");
        }
        else if (seen > 0 && !redelivered)
        {
            violation(by + " received " + describe(id, q) + " again (delivery " + (seen + 1) +
                ") without the redelivered flag: duplicated");
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
        settled.increment();
        if (rejectedNoRequeue)
        {
            rejected.increment();
        }
        final int before = copies.getAndAdd(id * QUEUES.length + q, SETTLEMENT);
        if ((before >>> 16) > 0)
        {
            violation(how + " settled " + describe(id, q) + " a second time: one copy was settled twice");
        }
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

    /**
     * Once every thread has stopped and the queues were drained: checks each id against what its
     * publish was told (findings are recorded as violations; the totals are balanced by the round).
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
                settledCopies += slot >>> 16;
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
        }
    }

    String describe(final int id, final int q)
    {
        final int slot = copies.get(id * QUEUES.length + q);
        return "copy (id " + describeId(id) + ", queue " + QUEUES[q] + ") [deliveries so far " + (slot & 0xFFFF) +
            ", settlements " + (slot >>> 16) + "]";
    }

    private String describeId(final int id)
    {
        return id + (published[id] ? " accepted by " + (accepted[id] == UNKNOWN ? "? (batch)" : accepted[id]) : "");
    }
}
