package io.ringmq;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * The messages a channel publishing without waiting ({@link Channel#publishNonBlocking}) could not yet
 * put into full {@code block} queues: held here, in publish order, each with the queues it still has to
 * reach, until room frees. Nothing accepted by the channel is dropped by this: a held message goes into
 * its queues later, or (its queue deleted meanwhile) is discarded with that queue as any message of it.
 * <p>
 * <b>Order:</b> once one message is held, every later one on the channel is held behind it, so a
 * channel's messages reach each queue in publish order, as AMQP promises per channel.
 * <p>
 * <b>Room:</b> for the queue a held message waits on, the channel leaves its room callback in the
 * queue's {@link RoomSignal} and offers once more, so a take between the failed offer and the
 * registration is never missed. The callback only tells the application, which calls
 * {@link Channel#resumeHeldPublishes()} on the channel's own thread.
 * <p>
 * <b>Threads:</b> the channel's publishing thread only. It allocates (an entry per held message): the
 * blocked path, never the steady state.
 */
final class HeldPublishes
{
    private final ArrayDeque<Held> fifo = new ArrayDeque<>();
    private final Runnable onRoom;
    private final PublishResult scratch = new PublishResult();

    /** @param onRoom left in a full queue's room signal; tells the application to resume. */
    HeldPublishes(final Runnable onRoom)
    {
        this.onRoom = onRoom;
    }

    boolean isEmpty()
    {
        return fifo.isEmpty();
    }

    /**
     * @return messages held. The channel's thread reads it exactly; monitoring reads it from another thread,
     * racily (ArrayDeque's size is computed from two plain indexes: always in range, possibly stale).
     */
    int size()
    {
        return fifo.size();
    }

    /**
     * Holds {@code envelope} for {@code queues[from..]}; the envelope holds one reference for each of them.
     * The caller has left {@link #onRoom} in the room signal of the queue it found full (or holds this
     * behind an earlier held message, which waits for room itself).
     */
    void hold(final Envelope envelope, final MessageQueue[] queues, final int from)
    {
        fifo.addLast(new Held(envelope, queues, from));
    }

    /**
     * Offers the held messages again, oldest first, until one still finds no room.
     *
     * @return how many held publishes completed (every queue they waited for took them, or was deleted).
     */
    int resume()
    {
        int completed = 0;
        Held held;
        while ((held = fifo.peekFirst()) != null)
        {
            if (!held.offerRest(scratch, onRoom))
            {
                break;
            }
            fifo.pollFirst();
            completed++;
        }
        return completed;
    }

    /** The channel closes: what is still held is let go (its publisher was never told it was taken). */
    int discardAll()
    {
        int discarded = 0;
        Held held;
        while ((held = fifo.pollFirst()) != null)
        {
            for (int i = held.next; i < held.queues.length; i++)
            {
                held.envelope.release();
            }
            discarded++;
        }
        return discarded;
    }

    /** One held message. */
    private static final class Held
    {
        final Envelope envelope;
        final MessageQueue[] queues;
        int next;

        Held(final Envelope envelope, final MessageQueue[] queues, final int from)
        {
            this.envelope = envelope;
            this.queues = queues;
            this.next = from;
        }

        /** @return true when no queue is left to offer it to. */
        boolean offerRest(final PublishResult scratch, final Runnable onRoom)
        {
            while (next < queues.length)
            {
                final MessageQueue queue = queues[next];
                int outcome = queue.offer(envelope, 0, scratch);
                if (outcome == QueueStorage.NO_ROOM)
                {
                    queue.callWhenRoom(onRoom);
                    outcome = queue.offer(envelope, 0, scratch); // after registering: see RoomSignal
                    if (outcome == QueueStorage.NO_ROOM)
                    {
                        return false;
                    }
                }
                if (outcome == QueueStorage.ACCEPTED)
                {
                    VarHandle.fullFence(); // as after any publish: the offer before afterPublish's checks
                    queue.afterPublish();
                }
                else
                {
                    envelope.release(); // refused: deleted meanwhile, the message goes as its queue did
                }
                next++;
            }
            return true;
        }
    }
}
