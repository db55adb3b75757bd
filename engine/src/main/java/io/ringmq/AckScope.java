package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import io.ringmq.internal.UnackedTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The delivery tags of one acknowledgement scope — a push {@link Consumer}, or a {@link Channel}'s
 * pull gets — and what {@code ack}, {@code nack} and {@code reject} do to them. Tags are unique and
 * strictly increasing within a scope; each is settled exactly once, from any thread.
 * <p>
 * The sinks below are stateless constants, so settling allocates nothing; only a requeue of several
 * messages at once (which must keep their order) collects them into a list first.
 */
final class AckScope
{
    private static final UnackedTable.ClaimSink<Envelope> ACK = (tag, envelope, queue) -> envelope.release();
    // The table's context is each delivery's DeliveryOrigin: its queue, or its DeliveryCount in a delivery-limit queue.
    private static final UnackedTable.ClaimSink<Envelope> DISCARD =
        (tag, envelope, origin) -> ((DeliveryOrigin)origin).discardRejected(envelope);
    private static final UnackedTable.ClaimSink<Envelope> REQUEUE =
        (tag, envelope, origin) -> ((DeliveryOrigin)origin).requeue(envelope);

    private final UnackedTable<Envelope> unacked;
    private final String description;

    AckScope(final int prefetch, final String description)
    {
        this.unacked = new UnackedTable<>(prefetch);
        this.description = description;
    }

    /** Owner thread only. @return the delivery tag under which {@code envelope} from {@code origin} is now held. */
    long hold(final Envelope envelope, final DeliveryOrigin origin)
    {
        return unacked.insert(envelope, origin);
    }

    int unackedCount()
    {
        return unacked.size();
    }

    /** AMQP {@code basic.ack}: {@code multiple} with tag 0 acknowledges everything outstanding. */
    void ack(final long tag, final boolean multiple)
    {
        settle(tag, multiple, ACK, "ack");
    }

    /** AMQP {@code basic.nack}. */
    void nack(final long tag, final boolean multiple, final boolean requeue)
    {
        if (requeue)
        {
            requeueInOrder(tag, multiple);
        }
        else
        {
            settle(tag, multiple, DISCARD, "nack");
        }
    }

    /** AMQP {@code basic.reject}. */
    void reject(final long tag, final boolean requeue)
    {
        nack(tag, false, requeue);
    }

    /** Requeues every outstanding delivery in tag order (a cancelled consumer, a closed channel). */
    int requeueAll()
    {
        return requeueCollected(Long.MAX_VALUE, null);
    }

    /**
     * A handler threw: claims {@code tag} if the handler did not settle it, copies the message (for the
     * error listener) and requeues or discards it.
     *
     * @return the copy, or null when the handler had settled the delivery itself.
     */
    Message settleAfterHandlerError(final long tag, final boolean requeue, final boolean redelivered)
    {
        final Message[] copy = new Message[1];
        unacked.claim(tag, (t, envelope, queue) ->
        {
            copy[0] = envelope.toMessage(redelivered);
            (requeue ? REQUEUE : DISCARD).accept(t, envelope, queue);
        });
        return copy[0];
    }

    private void settle(final long tag, final boolean multiple, final UnackedTable.ClaimSink<Envelope> sink,
        final String method)
    {
        if (multiple && tag == 0)
        {
            unacked.claimUpTo(Long.MAX_VALUE, sink);
            return;
        }
        // The named tag itself must be outstanding, as RabbitMQ requires; if not, nothing is settled.
        if (!unacked.claim(tag, sink))
        {
            throw unknownTag(tag, method);
        }
        if (multiple)
        {
            unacked.claimUpTo(tag - 1, sink);
        }
    }

    private void requeueInOrder(final long tag, final boolean multiple)
    {
        if (!multiple)
        {
            if (!unacked.claim(tag, REQUEUE))
            {
                throw unknownTag(tag, "nack");
            }
            return;
        }
        final Held named = new Held();
        if (tag != 0 && !unacked.claim(tag, named))
        {
            throw unknownTag(tag, "nack");
        }
        requeueCollected(tag == 0 ? Long.MAX_VALUE : tag - 1, named.envelope == null ? null : named);
    }

    private int requeueCollected(final long maxTag, final Held last)
    {
        final List<Held> held = new ArrayList<>();
        unacked.claimUpTo(maxTag, (tag, envelope, origin) -> held.add(new Held(tag, envelope, origin)));
        if (last != null)
        {
            held.add(last);
        }
        held.sort(Comparator.comparingLong(h -> h.tag));
        for (final Held h : held)
        {
            h.origin.requeue(h.envelope);
        }
        return held.size();
    }

    private PreconditionFailedException unknownTag(final long tag, final String method)
    {
        return new PreconditionFailedException("unknown delivery tag " + tag + " in basic." + method + " on " +
            description + " (never delivered here, already settled, or requeued when its consumer was cancelled)");
    }

    /** One claimed delivery waiting to be requeued in order. */
    private static final class Held implements UnackedTable.ClaimSink<Envelope>
    {
        long tag;
        Envelope envelope;
        DeliveryOrigin origin;

        Held()
        {
        }

        Held(final long tag, final Envelope envelope, final Object origin)
        {
            this.tag = tag;
            this.envelope = envelope;
            this.origin = (DeliveryOrigin)origin;
        }

        @Override
        public void accept(final long tag, final Envelope envelope, final Object origin)
        {
            this.tag = tag;
            this.envelope = envelope;
            this.origin = (DeliveryOrigin)origin;
        }
    }
}
