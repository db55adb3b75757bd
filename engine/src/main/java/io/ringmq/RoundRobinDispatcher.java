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
     *
     * @return how many messages it handed out (to any consumer); 0 when the role was taken, the queue
     * is empty or no consumer has credit.
     */
    int dispatch()
    {
        if (!casRole())
        {
            return 0;
        }
        final QueueConsumer[] consumers = queue.consumers();
        int handed = 0;
        try
        {
            final boolean onePriority = samePriority(consumers);
            int next;
            while (handed < BATCH && (next = nextWithCredit(consumers, onePriority)) >= 0 && queue.take(taken))
            {
                consumers[next].mailbox().put(taken.envelope, taken.redelivered, taken.origin);
                taken.clear();
                cursor = next + 1;
                handed++;
            }
        }
        finally
        {
            soRole(false); // publishes cursor and the mailbox puts to the next holder
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

    /** Takes the role; the CAS reads-acquires what the previous holder's {@link #soRole} published. */
    private boolean casRole()
    {
        return ROLE.compareAndSet(this, false, true);
    }

    private void soRole(final boolean value)
    {
        ROLE.setRelease(this, value);
    }

    /** @return the index of the consumer whose turn it is, or -1 when none has credit. Role holder only. */
    private int nextWithCredit(final QueueConsumer[] consumers, final boolean onePriority)
    {
        final int count = consumers.length;
        int chosen = -1;
        int chosenPriority = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++)
        {
            final int index = (cursor + i) % count;
            final QueueConsumer consumer = consumers[index];
            if (consumer.priority() > chosenPriority && consumer.hasCredit())
            {
                chosen = index;
                chosenPriority = consumer.priority();
                if (onePriority)
                {
                    break; // the first with credit after the last one served: plain round-robin
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
