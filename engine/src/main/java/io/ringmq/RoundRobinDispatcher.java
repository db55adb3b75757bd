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
    private final Taken taken = new Taken();
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

    /** One turn: up to {@link #BATCH} messages staged in rotation, then each mailbox's run published. Role holder only. */
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
        for (int i = 0; i < count; i++)
        {
            credit[i] = consumers[i].dispatchCredit();
        }
        if (cursor >= count)
        {
            cursor = 0; // fewer consumers than last turn
        }
        final boolean onePriority = samePriority(consumers);
        final Taken taken = this.taken;
        int handed = 0;
        try
        {
            int next;
            while (handed < BATCH && (next = nextWithCredit(consumers, credit, onePriority)) >= 0 && queue.take(taken))
            {
                consumers[next].mailbox().stage(staged[next]++, taken.envelope, taken.redelivered, taken.origin);
                taken.clear();
                credit[next]--;
                cursor = next + 1 == count ? 0 : next + 1;
                handed++;
            }
        }
        finally
        {
            for (int i = 0; i < count; i++) // even if a take threw: a staged message is never left unpublished
            {
                if (staged[i] > 0)
                {
                    consumers[i].mailbox().publish(staged[i]);
                    staged[i] = 0;
                }
            }
        }
        return handed;
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
