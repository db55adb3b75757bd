package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * {@code x-single-active-consumer}: of a queue's consumers only one, the active one, receives; the
 * others wait for their turn. The election runs under the broker's topology lock; consumers read the
 * result lock-free before each take.
 * <p>
 * <b>Handover order:</b> when the active consumer is cancelled its mailbox (messages sent to it that no
 * handler saw) goes back to the queue first, and only then does the next consumer become active, so
 * nothing the leaver was about to get is overtaken. Its unacknowledged deliveries stay with its channel,
 * as in RabbitMQ, and go back to the head of the queue when they are nacked or the channel closes.
 * <p>
 * Memory ordering: {@link #active} is one half of a Dekker pair with a waiting consumer's arming
 * ({@code DeliveryAgent.arm}): the election stores it ({@link #svActive}) and then wakes the winner; a
 * waiting consumer arms and then reads it ({@link #lvActive}). One of the two sees the other.
 */
final class SingleActiveConsumer
{
    private static final VarHandle ACTIVE;

    static
    {
        try
        {
            ACTIVE = MethodHandles.lookup().findVarHandle(SingleActiveConsumer.class, "active", QueueConsumer.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused")
    private volatile QueueConsumer active;

    /** @return true when {@code consumer} may take messages now. Any thread. */
    boolean isTurnOf(final QueueConsumer consumer)
    {
        return lvActive() == consumer;
    }

    /** Under the topology lock, after {@code consumers} gained one: the first consumer of an idle queue becomes active. */
    void consumerAdded(final QueueConsumer[] consumers)
    {
        if (lvActive() == null)
        {
            elect(consumers);
        }
    }

    /**
     * Under the topology lock, once {@code leaver} is detached and its mailbox returned: if it was the
     * active consumer, the best of the rest takes over.
     */
    void consumerLeft(final QueueConsumer leaver, final QueueConsumer[] consumers)
    {
        if (lvActive() == leaver)
        {
            elect(consumers);
        }
    }

    /** Highest priority wins, the earliest registered among equals (the array is in registration order). */
    private void elect(final QueueConsumer[] consumers)
    {
        QueueConsumer best = null;
        for (final QueueConsumer consumer : consumers)
        {
            if (consumer.isRunning() && (best == null || consumer.priority() > best.priority()))
            {
                best = consumer;
            }
        }
        svActive(best);
        if (best != null)
        {
            best.wake(); // after the store: pairs with the waiting consumer's arm, then lvActive
        }
    }

    private QueueConsumer lvActive()
    {
        return (QueueConsumer)ACTIVE.getVolatile(this);
    }

    private void svActive(final QueueConsumer consumer)
    {
        ACTIVE.setVolatile(this, consumer);
    }
}
