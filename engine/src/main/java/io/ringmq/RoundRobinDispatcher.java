package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * AMQP's competing consumers, as RabbitMQ dispatches them: each message of a queue goes to the next
 * consumer in a rotation, skipping those without credit; among consumers of different priorities
 * ({@code x-priority}) only the highest ones with credit are in the rotation.
 * <p>
 * <b>Who dispatches:</b> in RabbitMQ the queue's own process decides, one message after the other.
 * Here there is no such thread: whichever consumer of the queue has nothing in
 * its {@link Mailbox} takes the <em>dispatch role</em> with one CAS, moves up to {@link #BATCH}
 * messages from the queue into the chosen consumers' mailboxes, wakes those consumers, and gives the
 * role back. The decision "who is next" is serial by nature, so it is made by one thread at a time; but
 * nobody ever waits for the role: a thread that finds it taken goes back to its own mailbox or idles,
 * publishers never touch it, and {@code basic.get} bypasses it as RabbitMQ's does.
 * <p>
 * <b>Credit:</b> a consumer is in the rotation while its unacknowledged deliveries plus those waiting
 * in its mailbox stay under its prefetch, and its mailbox has room. A mailbox holds at most
 * {@code DeliveryAgent.MAILBOX_LIMIT} messages, so a slow consumer with a large (or no) prefetch is skipped
 * once that many wait for it — as RabbitMQ skips a consumer whose channel is blocked by flow control —
 * instead of holding the others back.
 * <p>
 * Used only while a queue has two consumers or more and no single-active-consumer policy; a lone
 * consumer takes from the queue directly.
 */
final class RoundRobinDispatcher
{
    /** Messages moved per turn in the role, so the holder soon returns to its own deliveries. */
    static final int BATCH = 64;

    private static final VarHandle ROLE;

    static
    {
        try
        {
            ROLE = MethodHandles.lookup().findVarHandle(RoundRobinDispatcher.class, "role", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MessageQueue queue;
    /**
     * Role holder only. Plain fields handed from one holder to the next by the role: the CAS that takes
     * it reads-acquires what the previous holder's release store published.
     */
    private final TakenBatch claimed = new TakenBatch(BATCH);
    private int cursor;
    /**
     * Role holder only, indexed as the turn's {@code consumers()}: what each consumer may still be handed
     * this turn (its {@link QueueConsumer#dispatchCredit} at the turn's start, less what it was handed).
     * Replaced only when the number of consumers changes.
     */
    private int[] credit = new int[0];
    /** Role holder only, indexed as {@link #credit}: messages staged in each consumer's mailbox this turn. */
    private int[] staged = new int[0];

    /** True while a thread dispatches. */
    @SuppressWarnings("unused")
    private volatile boolean role;

    RoundRobinDispatcher(final MessageQueue queue)
    {
        this.queue = queue;
    }

    /**
     * Moves messages into the mailboxes of the consumers whose turn it is, if no other thread is doing
     * so now. Any thread; never waits.
     * <p>
     * A turn reads each consumer's credit once, at its start, and then counts down what it hands out:
     * its own credit only grows meanwhile (acks and deliveries free it; only the role holder adds to a
     * mailbox), so a message never goes to a consumer beyond its prefetch or its mailbox's room, and one
     * that gains credit mid-turn is served from the next turn on, as RabbitMQ's queue learns of credit by
     * message. (A channel's global prefetch is shared with the channel's other consumers, which may
     * deliver meanwhile: it bounds the turn as read at its start, as the per-message check before bounded
     * each put by what was unacknowledged, not counting mailboxes.) Each mailbox's messages of
     * the turn are published with one release store at its end ({@link Mailbox#publish}), so the
     * consumers' reads of their mailboxes do not bounce its lines per message.
     *
     * @return how many messages it handed out (to any consumer); 0 when the role was taken, the queue
     * is empty or no consumer has credit.
     */
    int dispatch()
    {
        // Read before the CAS: a thread that finds the role taken does not pull its line from the holder.
        if (lvRole() || !casRole())
        {
            return 0;
        }
        final QueueConsumer[] consumers = queue.consumers();
        final int handed;
        try
        {
            handed = moveTurn(consumers);
        }
        finally
        {
            soRole(false); // publishes cursor, the arrays and the mailboxes' tails to the next holder
        }
        if (handed > 0)
        {
            // The puts before the reads of each consumer's "armed": pairs with an idle consumer's arming and
            // then its check of its mailbox (DeliveryAgent.arm). One of us sees the other.
            VarHandle.fullFence();
            for (final QueueConsumer consumer : consumers)
            {
                if (!consumer.mailbox().isEmpty())
                {
                    consumer.wake();
                }
            }
        }
        return handed;
    }

    /**
     * One turn: up to {@link #BATCH} messages staged in rotation, then each mailbox's run published. Role holder only.
     * <p>
     * <b>Claims, not takes:</b> the turn claims what it can place with one {@link MessageQueue#takeBatch} (one
     * claim of a plain queue's ring, instead of one per message), and claims again only when messages of the
     * claim expired, so placed nothing. A claim is never larger than the credit left in the turn, summed over
     * every consumer: {@link #nextWithCredit} serves the highest priority with credit and falls to the next
     * one as that runs out, so the sum is exactly how many messages the per-message rotation could place.
     * Every claimed message therefore finds a consumer, and each is given to the same consumer, in the same
     * order, as when the turn took them one by one.
     * <p>
     * Expired messages of a claim are dropped (or dead-lettered) at their turn, as a single take drops them,
     * and use no credit. What a claim holds and was not staged when something throws goes back to the head
     * of the queue, in order, before the mailboxes publish what was staged.
     */
    private int moveTurn(final QueueConsumer[] consumers)
    {
        final int count = consumers.length;
        if (count == 0)
        {
            return 0; // the last consumers left while we took the role
        }
        if (credit.length != count)
        {
            credit = new int[count]; // the consumers changed: once per change, not per turn
            staged = new int[count];
        }
        final int[] credit = this.credit;
        final int[] staged = this.staged;
        int left = 0; // what the turn may still place: the summed credit, at most BATCH
        for (int i = 0; i < count; i++)
        {
            credit[i] = consumers[i].dispatchCredit();
            left = Math.min(BATCH, left + credit[i]); // capped as it goes: credit[i] <= a mailbox's room, so no overflow
        }
        if (cursor >= count)
        {
            cursor = 0; // fewer consumers than last turn
        }
        final boolean onePriority = samePriority(consumers);
        final TakenBatch claimed = this.claimed;
        final Envelope[] envelopes = claimed.envelopes;
        final DeliveryOrigin[] origins = claimed.origins;
        int handed = 0;
        int unstaged = 0; // claimed[unstaged, claimed.size): claimed, neither staged nor dropped yet
        try
        {
            while (left > 0)
            {
                claimed.size = 0;
                unstaged = 0;
                if (queue.takeBatch(claimed, left) == 0)
                {
                    break;
                }
                final int took = claimed.size;
                while (unstaged < took)
                {
                    final int index = unstaged;
                    final Envelope envelope = envelopes[index];
                    final DeliveryOrigin returnedFrom = origins[index];
                    final boolean redelivered = returnedFrom != null && claimed.redelivered[index];
                    unstaged = index + 1; // an expired message is the drop's from here, even if the drop throws
                    if (queue.dropIfExpired(envelope))
                    {
                        claimed.clear(index);
                        continue; // no credit used: the next claim replaces it
                    }
                    unstaged = index; // alive: the turn's until staged
                    final int next = nextWithCredit(consumers, credit, onePriority);
                    // Never -1: the claim was no larger than the credit left. Were it, the index throws and the
                    // finally returns this message and the rest.
                    assert next >= 0 : "a claimed message with no consumer to take it";
                    consumers[next].mailbox().stage(staged[next]++, envelope, redelivered, returnedFrom == null ? queue : returnedFrom);
                    claimed.clear(index);
                    unstaged = index + 1;
                    credit[next]--;
                    cursor = next + 1 == count ? 0 : next + 1;
                    handed++;
                    left--;
                }
            }
        }
        finally
        {
            try
            {
                if (unstaged < claimed.size)
                {
                    returnUnstaged(claimed, unstaged);
                }
            }
            finally
            {
                claimed.size = 0;
                for (int i = 0; i < count; i++) // even if a take or a return threw: a staged message is never left unpublished
                {
                    if (staged[i] > 0)
                    {
                        consumers[i].mailbox().publish(staged[i]);
                        staged[i] = 0;
                    }
                }
            }
        }
        return handed;
    }

    /**
     * A turn that threw: what it claimed from {@code from} on and did not stage goes back to the head of
     * the queue, in its order, as it was (unflagged unless it came back flagged), as a stopped consumer's
     * mailbox does. Allocates (a return record per message taken fresh); never on a turn that completes.
     */
    private void returnUnstaged(final TakenBatch claimed, final int from)
    {
        for (int index = from; index < claimed.size; index++)
        {
            final Envelope envelope = claimed.envelopes[index];
            final DeliveryOrigin returnedFrom = claimed.origins[index];
            final boolean redelivered = returnedFrom != null && claimed.redelivered[index];
            claimed.clear(index);
            queue.returnUnclaimed(envelope, redelivered, returnedFrom == null ? queue : returnedFrom);
        }
    }

    /** A stopping consumer: waits for the holder to finish, so no put lands in a mailbox being emptied. */
    void acquireRole()
    {
        int spins = 0;
        while (!casRole())
        {
            if (++spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield(); // the holder is moving at most BATCH messages
            }
        }
    }

    void releaseRole()
    {
        soRole(false);
    }

    private boolean lvRole()
    {
        return (boolean)ROLE.getVolatile(this);
    }

    /** Takes the role; the CAS reads-acquires what the previous holder's {@link #soRole} published. */
    private boolean casRole()
    {
        return ROLE.compareAndSet(this, false, true);
    }

    private void soRole(final boolean value)
    {
        ROLE.setRelease(this, value);
    }

    /**
     * @return the index of the consumer whose turn it is (the first with credit from the cursor on; among
     * several priorities, the first of the highest with credit), or -1 when none has credit. Role holder only.
     */
    private int nextWithCredit(final QueueConsumer[] consumers, final int[] credit, final boolean onePriority)
    {
        final int count = consumers.length;
        int chosen = -1;
        int chosenPriority = Integer.MIN_VALUE;
        int index = cursor;
        for (int i = 0; i < count; i++, index = index + 1 == count ? 0 : index + 1)
        {
            if (credit[index] > 0)
            {
                if (onePriority)
                {
                    return index; // the first with credit after the last one served: plain round-robin
                }
                final int priority = consumers[index].priority();
                if (priority > chosenPriority)
                {
                    chosen = index;
                    chosenPriority = priority;
                }
            }
        }
        return chosen;
    }

    private static boolean samePriority(final QueueConsumer[] consumers)
    {
        for (final QueueConsumer consumer : consumers)
        {
            if (consumer.priority() != consumers[0].priority())
            {
                return false;
            }
        }
        return true;
    }
}
