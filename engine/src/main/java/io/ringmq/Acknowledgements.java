package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import io.ringmq.internal.UnackedTable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One channel's delivery tags and what {@code basic.ack}, {@code basic.nack}, {@code basic.reject} and
 * {@code basic.recover} do with them, as AMQP 0-9-1 scopes them: every delivery the channel hands out,
 * push or get, takes the next tag of the channel (1, 2, 3, … a {@code long}, never reused while the
 * channel lives), and any of them can be settled through the channel; {@code multiple} covers every
 * outstanding tag of the channel up to and including the one named, whichever consumer it came from
 * (§1.8.3.13).
 * <p>
 * <b>Where deliveries are kept:</b> one {@link AckScope} per consumer (and one for the channel's
 * gets), because each scope is filled by one delivering thread at a time, which keeps the tables
 * single-writer. A settlement looks the tag up in each scope of the channel in turn: one probe per
 * consumer of the channel, most channels having one. "Outstanding" means handed out: a tag that a
 * consumer on another thread has drawn but not yet handed to its handler is not covered by a
 * {@code multiple} that runs meanwhile (no handler can have seen it).
 * <p>
 * <b>Global prefetch:</b> {@code basic.qos} with {@code global} sets {@link #channelPrefetch}: a bound on
 * the unacknowledged deliveries of all the channel's consumers together, held beside each consumer's
 * own. The channel's consumers deliver on threads of their own, so reading the count and then holding a
 * delivery would let two of them take the last credit at once; each delivery under the bound is
 * therefore <em>reserved</em> first ({@link #reserveChannelDelivery}), with a CAS on one word that counts
 * the reservations in flight and how many were ever made, and the reservation ends once the delivery
 * is held in its scope ({@link #endChannelReservation}). See {@link #channelReservations}.
 * <p>
 * Allocation: settling one tag, or {@code multiple} acks, allocates nothing (the sinks are constants);
 * a requeue of several messages at once, which must keep their order, collects them first.
 * <p>
 * Counting, for monitoring: acknowledgements of a consumer's deliveries are counted by its scope
 * ({@link AckScope#acknowledged}); the gets scope's deliveries come from any queue, so its sinks (the
 * {@code _GET} twins, chosen by {@link #forScope}) tell each delivery's queue instead.
 * <p>
 * Memory ordering: {@link #faaNextTag} is an atomic fetch-and-add ({@link #unreserveTags} a CAS); {@code scopes} is a copy-on-write
 * array stored with release ({@link #soScopes}) under this object's monitor and read with acquire
 * ({@link #laScopes}) by settlements; {@code channelReservations} is read volatile
 * ({@link #lvChannelReservations}) and changed only by CAS ({@link #casChannelReservations}), each of
 * them ordered with the scopes' volatile counts as {@link #channelReservations} says.
 */
final class Acknowledgements
{
    private static final VarHandle NEXT_TAG;
    private static final VarHandle SCOPES;
    private static final VarHandle CHANNEL_PREFETCH;
    private static final VarHandle CHANNEL_RESERVATIONS;

    /** One reservation in {@link #channelReservations}: one more in flight, one more ever made. */
    private static final long RESERVATION = (1L << 32) + 1;
    /** {@link #channelReservations}' flag: a consumer was refused while reservations were in flight. */
    private static final long REFUSED_BESIDE_RESERVATIONS = 1L << 31;
    private static final long IN_FLIGHT_MASK = REFUSED_BESIDE_RESERVATIONS - 1;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT_TAG = lookup.findVarHandle(Acknowledgements.class, "lastTag", long.class);
            SCOPES = lookup.findVarHandle(Acknowledgements.class, "scopes", AckScope[].class);
            CHANNEL_PREFETCH = lookup.findVarHandle(Acknowledgements.class, "channelPrefetch", int.class);
            CHANNEL_RESERVATIONS = lookup.findVarHandle(Acknowledgements.class, "channelReservations", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final UnackedTable.ClaimSink<Envelope> ACK = (tag, envelope, origin) -> envelope.release();
    private static final UnackedTable.ClaimSink<Envelope> DISCARD =
        (tag, envelope, origin) -> ((DeliveryOrigin)origin).discardRejected(envelope);
    private static final UnackedTable.ClaimSink<Envelope> REQUEUE =
        (tag, envelope, origin) -> ((DeliveryOrigin)origin).requeue(envelope);
    private static final UnackedTable.ClaimSink<Envelope> ACK_GET = (tag, envelope, origin) ->
    {
        ((DeliveryOrigin)origin).getSettled(true);
        envelope.release();
    };
    private static final UnackedTable.ClaimSink<Envelope> DISCARD_GET = (tag, envelope, origin) ->
    {
        ((DeliveryOrigin)origin).getSettled(false);
        ((DeliveryOrigin)origin).discardRejected(envelope);
    };
    private static final UnackedTable.ClaimSink<Envelope> REQUEUE_GET = (tag, envelope, origin) ->
    {
        ((DeliveryOrigin)origin).getSettled(false);
        ((DeliveryOrigin)origin).requeue(envelope);
    };

    private final String description;
    /** The channel's gets: always the last scope. */
    private final AckScope gets;
    @SuppressWarnings("unused")
    private volatile long lastTag;
    @SuppressWarnings("unused")
    private volatile AckScope[] scopes;
    @SuppressWarnings("unused")
    private volatile int channelPrefetch;
    /**
     * Under a global prefetch, the deliveries reserved and not yet held (bits 0–30), a flag (bit 31: see
     * {@link #endChannelReservation}), and how many reservations were ever made (bits 32–63, wrapping).
     * That count changes with every reservation, so a CAS from a value read before someone else's
     * reservation fails even when that reservation has ended meanwhile (no ABA): a reserver reads this
     * word, then the scopes' counts, and CASes; whatever was held after its read was reserved after
     * it, and fails its CAS, or before it, and is in the word it read or, once ended, in the counts.
     */
    @SuppressWarnings("unused")
    private volatile long channelReservations;

    Acknowledgements(final String description)
    {
        this.description = description;
        this.gets = new AckScope();
        soScopes(new AckScope[] {gets});
    }

    /** @return the channel's next delivery tag. Any delivering thread. */
    long nextTag()
    {
        return faaNextTag(1) + 1;
    }

    /**
     * Draws the next {@code count} tags of the channel at once, for a consumer about to deliver a batch:
     * one atomic add instead of one per delivery. Any delivering thread.
     *
     * @return the first of them; the batch's tags are {@code first .. first + count - 1}.
     */
    long reserveTags(final int count)
    {
        return faaNextTag(count) + 1;
    }

    /**
     * A batch ended early: hands back its unused tags {@code from .. to - 1} (the last of those drawn by
     * {@link #reserveTags}) if no tag was drawn since, so that the channel's tags stay gap-free in the
     * common case. If another consumer of the channel drew meanwhile, the unused tags are simply skipped:
     * tags only have to increase.
     */
    void unreserveTags(final long from, final long to)
    {
        if (to > from)
        {
            NEXT_TAG.compareAndSet(this, to - 1, from - 1);
        }
    }

    /** @return the scope of a channel's gets. */
    AckScope gets()
    {
        return gets;
    }

    /** A consumer starts on the channel: its deliveries get a scope of their own, counting in {@code counts}. */
    AckScope addScope(final int prefetch, final QueueConsumer consumer, final ConsumerCounts counts,
        final QueueStatistics statistics)
    {
        final AckScope scope = new AckScope(prefetch, consumer, counts, statistics);
        synchronized (this)
        {
            final AckScope[] current = laScopes();
            final AckScope[] next = new AckScope[current.length + 1];
            next[0] = scope; // newest first: the gets scope stays last
            System.arraycopy(current, 0, next, 1, current.length);
            soScopes(next);
        }
        return scope;
    }

    /** Its consumer was cancelled: the scope stays while deliveries in it are outstanding (AMQP lets them be settled). */
    void retire(final AckScope scope)
    {
        scope.retire();
        dropIfRetiredAndEmpty(scope);
    }

    /** Global {@code basic.qos}: at most {@code prefetch} unacknowledged deliveries over all consumers (0: no limit). */
    void setChannelPrefetch(final int prefetch)
    {
        svChannelPrefetch(prefetch);
        wakeConsumers(); // a larger limit is more credit
    }

    int channelPrefetch()
    {
        return lvChannelPrefetch();
    }

    /**
     * @return true while the channel's consumers together are under the global prefetch (always, without
     * one), counting the deliveries reserved and not yet held. A test only, for an idle consumer; the
     * delivery itself is made under {@link #reserveChannelDelivery}.
     */
    boolean hasChannelCredit()
    {
        final int limit = channelPrefetch();
        if (limit == 0)
        {
            return true;
        }
        final long reservations = lvChannelReservations(); // before the counts: see channelReservations
        return consumerUnacked() + inFlight(reservations) < limit;
    }

    /**
     * A consumer about to deliver one message under the channel's global prefetch {@code limit}: reserves
     * room for it, unless the channel's consumers together hold (or have reserved) {@code limit}
     * deliveries already. Any delivering thread. A true return must be followed by
     * {@link #endChannelReservation} once the delivery is held in its scope, or was not made.
     *
     * @return true when reserved; false when the channel is at its limit (an ack, or the end of a
     * reservation that had made it so, wakes the channel's consumers).
     */
    boolean reserveChannelDelivery(final int limit)
    {
        while (true)
        {
            final long reservations = lvChannelReservations(); // before the counts: see channelReservations
            final int inFlight = inFlight(reservations);
            if (consumerUnacked() + inFlight < limit)
            {
                if (casChannelReservations(reservations, reservations + RESERVATION))
                {
                    return true;
                }
            }
            else if (inFlight == 0 || casChannelReservations(reservations, reservations | REFUSED_BESIDE_RESERVATIONS))
            {
                // Refused. With reservations in flight the flag is set by this CAS (or found set, the CAS
                // then ordering this refusal after whoever set it), so whichever of them ends next, after
                // it, sees the flag and wakes the channel's consumers: they may have been in the way.
                return false;
            }
            // The word moved between the read and the CAS: read again.
        }
    }

    /**
     * Ends a reservation of {@link #reserveChannelDelivery}: its delivery is now held in its scope (and
     * counted there), or was not made. If a consumer was refused while reservations were in flight, clears
     * that flag and wakes the channel's consumers: this one's end may be the credit they wait for (the
     * CAS, then their armed state: a Dekker pair with their arm and re-check, see DeliveryAgent).
     */
    void endChannelReservation()
    {
        long reservations;
        do
        {
            reservations = lvChannelReservations();
        }
        while (!casChannelReservations(reservations, (reservations - 1) & ~REFUSED_BESIDE_RESERVATIONS));
        if ((reservations & REFUSED_BESIDE_RESERVATIONS) != 0)
        {
            wakeConsumers();
        }
    }

    private static int inFlight(final long reservations)
    {
        return (int)(reservations & IN_FLIGHT_MASK);
    }

    /** @return the unacknowledged deliveries of every consumer of the channel (gets excluded, as RabbitMQ counts prefetch). */
    int consumerUnacked()
    {
        int total = 0;
        for (final AckScope scope : laScopes())
        {
            if (scope != gets)
            {
                total += scope.unackedCount();
            }
        }
        return total;
    }

    /** @return every unacknowledged delivery of the channel. */
    int unackedCount()
    {
        int total = 0;
        for (final AckScope scope : laScopes())
        {
            total += scope.unackedCount();
        }
        return total;
    }

    // ------------------------------------------------------------------ settling

    /** AMQP {@code basic.ack}: {@code multiple} with tag 0 acknowledges everything outstanding. */
    void ack(final long tag, final boolean multiple)
    {
        settle(tag, multiple, ACK, null, "ack");
    }

    /**
     * {@link #ack} from a consumer's own {@link Delivery}, on its delivering thread: {@code release} is
     * that delivery's sink, which returns the envelopes through the thread's remembered pool cache
     * instead of a thread-local lookup each (see {@link EnvelopePool.Memo}); the gets scope keeps its own.
     */
    void ack(final long tag, final boolean multiple, final UnackedTable.ClaimSink<Envelope> release)
    {
        settle(tag, multiple, ACK, release, "ack");
    }

    /** @return a sink that acknowledges as {@link #ack} does, releasing through {@code memo}; for one thread at a time. */
    static UnackedTable.ClaimSink<Envelope> ackReleasingThrough(final EnvelopePool.Memo memo)
    {
        return (tag, envelope, origin) -> envelope.release(memo);
    }

    /** AMQP {@code basic.nack}. Requeued messages come back flagged, in tag order, ahead of new ones. */
    void nack(final long tag, final boolean multiple, final boolean requeue)
    {
        if (requeue)
        {
            requeueInOrder(tag, multiple, "nack");
        }
        else
        {
            settle(tag, multiple, DISCARD, null, "nack");
        }
    }

    /** AMQP {@code basic.reject}. */
    void reject(final long tag, final boolean requeue)
    {
        if (requeue)
        {
            requeueInOrder(tag, false, "reject");
        }
        else
        {
            settle(tag, false, DISCARD, null, "reject");
        }
    }

    /** {@link io.ringmq.Delivery#ack()}: the tag's scope is known; {@code release} as for {@link #ack(long, boolean, UnackedTable.ClaimSink)}. */
    void ackIn(final AckScope scope, final long tag, final UnackedTable.ClaimSink<Envelope> release, final String method)
    {
        if (!scope.claim(tag, forScope(scope, ACK, release)))
        {
            throw unknownTag(tag, method);
        }
        scope.acknowledged(1);
        settled(scope);
    }

    /**
     * Requeues every outstanding delivery of the channel in tag order, flagged redelivered: a closed
     * channel, or {@code basic.recover} with requeue.
     *
     * @return how many.
     */
    int requeueAll()
    {
        return requeueCollected(Long.MAX_VALUE, null);
    }

    /**
     * A handler threw: claims {@code tag} in {@code scope} if the handler did not settle it, and passes it
     * to {@code then}.
     *
     * @return false when the handler had settled the delivery itself.
     */
    boolean claimAfterHandlerError(final AckScope scope, final long tag, final UnackedTable.ClaimSink<Envelope> then)
    {
        if (!scope.claim(tag, then))
        {
            return false;
        }
        settled(scope);
        return true;
    }

    /** @param release for {@code ACK} in a consumer's scope, the caller's own releasing sink; null: {@code ACK} itself. */
    private void settle(final long tag, final boolean multiple, final UnackedTable.ClaimSink<Envelope> sink,
        final UnackedTable.ClaimSink<Envelope> release, final String method)
    {
        final AckScope[] scopes = laScopes();
        if (multiple && tag == 0)
        {
            for (final AckScope scope : scopes)
            {
                final int claimed = scope.claimUpTo(Long.MAX_VALUE, forScope(scope, sink, release));
                if (claimed > 0)
                {
                    counted(scope, sink, claimed);
                    settled(scope);
                }
            }
            return;
        }
        // The named tag itself must be outstanding, as RabbitMQ requires; if not, nothing is settled.
        final AckScope named = claimAnywhere(scopes, tag, sink, release);
        if (named == null)
        {
            throw unknownTag(tag, method);
        }
        counted(named, sink, 1);
        if (multiple)
        {
            for (final AckScope scope : scopes)
            {
                final int claimed = scope.claimUpTo(tag - 1, forScope(scope, sink, release));
                counted(scope, sink, claimed);
                if (claimed > 0 && scope != named)
                {
                    settled(scope);
                }
            }
        }
        settled(named);
    }

    /** Claimed with one of the constant sinks: @return the scope that held {@code tag}, or null. */
    private static AckScope claimAnywhere(final AckScope[] scopes, final long tag,
        final UnackedTable.ClaimSink<Envelope> sink, final UnackedTable.ClaimSink<Envelope> release)
    {
        for (final AckScope scope : scopes)
        {
            if (scope.claim(tag, forScope(scope, sink, release)))
            {
                return scope;
            }
        }
        return null;
    }

    /**
     * The gets scope's twin of a constant sink, which also tells the delivery's queue; for a consumer's scope
     * the sink itself, or for {@code ACK} the caller's own releasing sink {@code release} when not null.
     */
    private static UnackedTable.ClaimSink<Envelope> forScope(final AckScope scope,
        final UnackedTable.ClaimSink<Envelope> sink, final UnackedTable.ClaimSink<Envelope> release)
    {
        if (!scope.isGets())
        {
            return sink == ACK && release != null ? release : sink;
        }
        if (sink == ACK)
        {
            return ACK_GET;
        }
        return sink == DISCARD ? DISCARD_GET : REQUEUE_GET;
    }

    private static void counted(final AckScope scope, final UnackedTable.ClaimSink<Envelope> sink, final int claimed)
    {
        if (sink == ACK)
        {
            scope.acknowledged(claimed);
        }
    }

    private void requeueInOrder(final long tag, final boolean multiple, final String method)
    {
        final AckScope[] scopes = laScopes();
        if (!multiple)
        {
            final AckScope named = claimAnywhere(scopes, tag, REQUEUE, null);
            if (named == null)
            {
                throw unknownTag(tag, method);
            }
            settled(named);
            return;
        }
        final Held named = new Held();
        if (tag != 0 && claimHeld(scopes, tag, named) == null)
        {
            throw unknownTag(tag, method);
        }
        requeueCollected(tag == 0 ? Long.MAX_VALUE : tag - 1, named.envelope == null ? null : named);
    }

    /** Claims {@code tag} into {@code named}: @return the scope that held it, or null. */
    private static AckScope claimHeld(final AckScope[] scopes, final long tag, final Held named)
    {
        for (final AckScope scope : scopes)
        {
            if (scope.claim(tag, named))
            {
                if (scope.isGets())
                {
                    named.origin.getSettled(false);
                }
                return scope;
            }
        }
        return null;
    }

    private int requeueCollected(final long maxTag, final Held last)
    {
        final List<Held> held = new ArrayList<>();
        final UnackedTable.ClaimSink<Envelope> collect = (tag, envelope, origin) -> held.add(new Held(tag, envelope, origin));
        final UnackedTable.ClaimSink<Envelope> collectGet = (tag, envelope, origin) ->
        {
            ((DeliveryOrigin)origin).getSettled(false);
            held.add(new Held(tag, envelope, origin));
        };
        final AckScope[] scopes = laScopes();
        final boolean[] touched = new boolean[scopes.length];
        for (int i = 0; i < scopes.length; i++)
        {
            touched[i] = scopes[i].claimUpTo(maxTag, scopes[i].isGets() ? collectGet : collect) > 0;
        }
        if (last != null)
        {
            held.add(last);
        }
        held.sort(Comparator.comparingLong(h -> h.tag));
        for (final Held h : held)
        {
            h.origin.requeue(h.envelope);
        }
        for (int i = 0; i < scopes.length; i++)
        {
            if (touched[i] || last != null)
            {
                settled(scopes[i]);
            }
        }
        return held.size();
    }

    /** Deliveries left {@code scope}: its consumer (all of the channel's, under a global prefetch) may have credit again. */
    private void settled(final AckScope scope)
    {
        if (channelPrefetch() > 0)
        {
            wakeConsumers();
        }
        else
        {
            scope.creditFreed();
        }
        dropIfRetiredAndEmpty(scope);
    }

    private void wakeConsumers()
    {
        for (final AckScope scope : laScopes())
        {
            scope.creditFreed();
        }
    }

    private void dropIfRetiredAndEmpty(final AckScope scope)
    {
        if (!scope.isRetired() || scope.unackedCount() > 0)
        {
            return;
        }
        synchronized (this)
        {
            final AckScope[] current = laScopes();
            final int index = Arrays.asList(current).indexOf(scope);
            if (index < 0)
            {
                return;
            }
            final AckScope[] next = new AckScope[current.length - 1];
            System.arraycopy(current, 0, next, 0, index);
            System.arraycopy(current, index + 1, next, index, current.length - index - 1);
            soScopes(next);
        }
        scope.dropped(); // once (the index check above), outside this monitor: it takes the queue statistics' own
    }

    private PreconditionFailedException unknownTag(final long tag, final String method)
    {
        // RabbitMQ's words: the tag was never delivered on this channel, or is settled already.
        return new PreconditionFailedException("unknown delivery tag " + tag);
    }

    private int lvChannelPrefetch()
    {
        return (int)CHANNEL_PREFETCH.getVolatile(this);
    }

    private void svChannelPrefetch(final int prefetch)
    {
        CHANNEL_PREFETCH.setVolatile(this, prefetch);
    }

    private long lvChannelReservations()
    {
        return (long)CHANNEL_RESERVATIONS.getVolatile(this);
    }

    private boolean casChannelReservations(final long expected, final long next)
    {
        return CHANNEL_RESERVATIONS.compareAndSet(this, expected, next);
    }

    private long faaNextTag(final int count)
    {
        return (long)NEXT_TAG.getAndAdd(this, (long)count);
    }

    private AckScope[] laScopes()
    {
        return (AckScope[])SCOPES.getAcquire(this); // pairs with soScopes
    }

    private void soScopes(final AckScope[] next)
    {
        SCOPES.setRelease(this, next);
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
