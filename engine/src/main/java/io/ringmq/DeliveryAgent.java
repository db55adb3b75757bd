package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The work of one push consumer, separate from who runs it (Agrona's Agent / AgentRunner split): take
 * messages from its queue (or its {@link Mailbox}, or by taking its turn at the queue's
 * {@link RoundRobinDispatcher}), hand each to the handler under the consumer's credit, settle auto-ack
 * deliveries and handler failures. {@link #doWork} does a bounded amount of that and returns; an
 * {@link AgentRunner} decides on which thread and when: a {@link DedicatedThread}, the broker's
 * {@link ConsumerPool}, or the application itself ({@link CallerDriven}).
 *
 * <h2>The idle protocol (one place for every runner)</h2>
 * A runner whose agent found nothing to do <em>arms</em> it ({@link #arm}) and then stops running it.
 * Whoever may give it something to do <em>wakes</em> it: a publisher (after its offers and a fence, only
 * agents armed for messages, so that a consumer out of credit is not woken per publish), an acker that
 * freed credit, a dispatcher that filled its mailbox, the single-active-consumer election. Waking
 * disarms the agent with a CAS, so exactly one waker hands it back to its runner
 * ({@link AgentRunner#wake}). Arming is a Dekker pair with each of them: the agent stores its armed
 * state (volatile) and then re-checks the condition; each waker makes its change and then reads the
 * armed state (volatile). Either the re-check sees the change, or the waker sees the agent armed.
 *
 * <h2>Stopping</h2>
 * {@link #stop} sets the state, then waits until no thread is inside {@link #doWork} (the
 * {@code delivering} flag, set by CAS on entry and released on exit, the partner of the state: Dekker
 * again), so that when {@code cancel()} returns no delivery is in progress, unless it was called from the
 * consumer's own handler. What waits in its mailbox, and what its batch took and did not hand over,
 * then goes back to the queue, unflagged; its unacknowledged deliveries stay with the channel, as AMQP wants.
 *
 * <h2>Memory ordering</h2>
 * {@code state}, {@code delivering}, {@code armed}, {@code scheduled} and {@code stopWaiter} go through
 * the accessors at the bottom: {@code lv}/{@code sv} volatile, {@code cas}.
 */
final class DeliveryAgent implements QueueConsumer
{
    /**
     * The most messages that wait in one consumer's mailbox. A consumer with a larger prefetch (or none)
     * is skipped by the rotation while this many wait for it, so a slow one does not hold the others back.
     */
    static final int MAILBOX_LIMIT = 128;
    /**
     * The most deliveries in one batch (see {@link #doWork}): what a {@link BatchDeliveryHandler} sees as
     * one batch at most, and how far per-batch work (the tags, the credit check) is amortised.
     */
    static final int TAKE_LIMIT = 64;

    private static final int STOPPED = 0;
    private static final int RUNNING = 1;

    private static final int NOT_ARMED = 0;
    /** Idle without credit (or not its turn): only credit, a mailbox put or an election wakes it. */
    private static final int ARMED_FOR_CREDIT = 1;
    /** Idle with credit: registered with its queue, so a publisher wakes it too. */
    private static final int ARMED_FOR_MESSAGES = 2;

    private static final VarHandle STATE;
    private static final VarHandle DELIVERING;
    private static final VarHandle ARMED;
    private static final VarHandle SCHEDULED;
    private static final VarHandle STOP_WAITER;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(DeliveryAgent.class, "state", int.class);
            DELIVERING = lookup.findVarHandle(DeliveryAgent.class, "delivering", boolean.class);
            ARMED = lookup.findVarHandle(DeliveryAgent.class, "armed", int.class);
            SCHEDULED = lookup.findVarHandle(DeliveryAgent.class, "scheduled", boolean.class);
            STOP_WAITER = lookup.findVarHandle(DeliveryAgent.class, "stopWaiter", Thread.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final long STOP_WAIT_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConsumerOwner owner;
    private final Acknowledgements acks;
    private final MessageQueue queue;
    private final String consumerTag;
    private final ConsumeOptions options;
    private final BatchDeliveryHandler handler;
    private final boolean autoAck;
    private final int prefetch;
    private final int priority;
    /** Null with automatic acknowledgement. */
    private final AckScope scope;
    /** Its deliveries and acknowledgements, written by the delivering thread and the settlers only; see {@link ConsumerCounts}. */
    private final ConsumerCounts counts = new ConsumerCounts();
    private final Delivery delivery;
    /** What the round-robin dispatcher sent this consumer. */
    private final Mailbox mailbox;
    private final Taken taken = new Taken();
    /**
     * The current batch (see {@link #deliverBatch}): its messages, made on the first take so that a
     * consumer that never receives costs nothing, the next to hand over and the end of those taken, and
     * its tags (the next one and the end of those drawn). Written by the delivering thread, read by a
     * stopper after the {@code delivering} handshake.
     */
    private TakenBatch batch;
    private int batchNext;
    private int batchEnd;
    private long takeNextTag;
    private long takeTagEnd;
    /** The delivering thread's envelope cache, remembered, for auto-ack releases (see {@link EnvelopePool.Memo}). */
    private final EnvelopePool.Memo poolMemo = new EnvelopePool.Memo();
    private final SingleActiveConsumer singleActiveConsumer;
    private final AgentRunner runner;
    /** Counted down once the winning {@link #stop} has settled what the agent held. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The thread inside doWork now, or null; written and read by that thread (see Delivery's guard). */
    private Thread deliveringThread;
    /** Deliveries made by the last doWork; read by the same thread right after it (caller-driven). */
    private int lastDeliveries;
    /** Deliveries made by the last {@link #deliverBatch}; delivering thread only. */
    private int lastBatchDeliveries;
    /** Deliveries made by the last {@link #deliverMailboxRun}; delivering thread only. */
    private int runDeliveries;
    /**
     * Under its channel's global prefetch: room for the next delivery is reserved with the channel
     * ({@link Acknowledgements#reserveChannelDelivery}) and not yet ended. Delivering thread only.
     */
    private boolean channelReserved;

    @SuppressWarnings("unused")
    private volatile int state = RUNNING;
    @SuppressWarnings("unused")
    private volatile boolean delivering;
    @SuppressWarnings("unused")
    private volatile int armed;
    /** {@link ConsumerPool} only: in its ready queue or being run. */
    @SuppressWarnings("unused")
    private volatile boolean scheduled;
    @SuppressWarnings("unused")
    private volatile Thread stopWaiter;

    DeliveryAgent(
        final ConsumerOwner owner,
        final MessageQueue queue,
        final String consumerTag,
        final ConsumeOptions options,
        final BatchDeliveryHandler handler,
        final AgentRunnerFactory runners)
    {
        this.owner = owner;
        this.acks = owner.acknowledgements();
        this.queue = queue;
        this.consumerTag = consumerTag;
        this.options = options;
        this.handler = handler;
        this.autoAck = options.isAutoAck();
        this.prefetch = autoAck ? 0 : options.prefetch();
        this.priority = options.priority();
        this.scope = autoAck ? null : acks.addScope(prefetch, this, counts, queue.statistics());
        this.counts.scope = scope; // before the agent is published (registered with its queue under the topology lock)
        this.delivery = new Delivery(consumerTag, acks, scope, queue.name(), queue.isQuorum());
        this.mailbox = new Mailbox(prefetch == 0 || prefetch >= MAILBOX_LIMIT ? MAILBOX_LIMIT : ceilingPowerOfTwo(prefetch));
        this.singleActiveConsumer = queue.singleActiveConsumer();
        this.runner = runners.runnerFor(this, options);
    }

    /** @return {@code handler} as a batch handler that ignores the end-of-batch flag; null for null. */
    static BatchDeliveryHandler perDelivery(final DeliveryHandler handler)
    {
        return handler == null ? null : (delivery, endOfBatch) -> handler.handle(delivery);
    }

    /** A factory of the runner each consumer gets, by its {@link ConsumerThreading}. */
    @FunctionalInterface
    interface AgentRunnerFactory
    {
        AgentRunner runnerFor(DeliveryAgent agent, ConsumeOptions options);
    }

    void start()
    {
        runner.start(this);
    }

    String consumerTag()
    {
        return consumerTag;
    }

    MessageQueue queue()
    {
        return queue;
    }

    /** @return the channel it belongs to (as far as the agent knows it). */
    ConsumerOwner owner()
    {
        return owner;
    }

    Acknowledgements acknowledgements()
    {
        return acks;
    }

    ConsumeOptions options()
    {
        return options;
    }

    AckScope scope()
    {
        return scope;
    }

    ConsumerCounts counts()
    {
        return counts;
    }

    AgentRunner runner()
    {
        return runner;
    }

    @Override
    public int priority()
    {
        return priority;
    }

    @Override
    public boolean isExclusive()
    {
        return options.exclusive();
    }

    boolean isAutoAck()
    {
        return autoAck;
    }

    @Override
    public Mailbox mailbox()
    {
        return mailbox;
    }

    @Override
    public boolean isRunning()
    {
        return lvState() == RUNNING;
    }

    int unackedCount()
    {
        return scope == null ? 0 : scope.unackedCount();
    }

    // ------------------------------------------------------------------ work

    /**
     * Delivers (or dispatches) up to {@code limit} messages under the consumer's credit and returns;
     * never waits. One thread at a time: a second concurrent caller is refused.
     * <p>
     * <b>Batches:</b> a consumer taking for itself (not served by the round-robin dispatcher) checks its
     * credit and its turn once, takes what is ready up to that credit and {@link #TAKE_LIMIT} in one
     * claim of the queue's ring, draws their tags with one atomic add, and delivers them in order, the
     * last one flagged as ending the batch ({@link #deliverBatch}). Before each it checks only that it is
     * still running (and still the single active consumer, and still alone). What a batch cut short
     * (stopped, turn lost, a handler threw, a second consumer came) took and did not hand over goes back to
     * the head of the queue in its order ({@link #returnRestOfTake}), the unused tags to the channel: so
     * what handlers see, and in which order, is the same as with a take per delivery.
     *
     * @return the work done: deliveries plus messages dispatched to other consumers (0: nothing to do).
     */
    int doWork(final int limit)
    {
        if (!casDelivering())
        {
            throw new IllegalStateException("consumer '" + consumerTag + "' is already delivering on another thread");
        }
        deliveringThread = Thread.currentThread();
        int work = 0;
        int delivered = 0;
        try
        {
            while (work < limit && lvState() == RUNNING) // pairs with stop's casState: see the class comment
            {
                // First what the rotation sent us, even if the queue has since gone back to one consumer.
                final int ready = mailbox.ready();
                if (ready > 0)
                {
                    final int run = Math.min(ready, limit - work);
                    final int removed = deliverMailboxRun(run);
                    delivered += runDeliveries;
                    work += removed;
                    if (removed < run)
                    {
                        break; // out of credit (see mailboxCredit: it waits for an ack, which wakes us), or stopped
                    }
                    continue;
                }
                if (queue.isRoundRobin())
                {
                    if (queue.dispatcher().dispatch() == 0)
                    {
                        break;
                    }
                    work++; // work even when every message went to the others
                    continue;
                }
                if (!isTurn())
                {
                    break;
                }
                final int credit = Math.min(ownCredit(), limit - work);
                final int took = credit <= 0 ? 0 : deliverBatch(credit);
                if (took == 0)
                {
                    break;
                }
                delivered += lastBatchDeliveries;
                work += took;
            }
        }
        finally
        {
            counts.publishDeliveries(); // the mailbox's deliveries; before the handshake below, so a stopper's fold sees them
            lastDeliveries = delivered;
            deliveringThread = null;
            svDelivering(false); // publishes the mailbox side to a stopper, before the read of stopWaiter below
            final Thread waiter = lvStopWaiter();
            if (waiter != null)
            {
                LockSupport.unpark(waiter);
            }
        }
        return work;
    }

    /**
     * Delivers up to {@code max} messages of the mailbox (at most what {@link Mailbox#ready} counted) as one
     * batch: their tags drawn with one atomic add (the unused ones go back), the handler told the end of the
     * batch at the run's last delivery, or at the one that uses up the consumer's credit. Each delivery
     * still checks its credit ({@link #mailboxCredit}) and its TTL, and the run stops when the consumer
     * stops. A handler that throws is settled as the options say, and the run goes on.
     *
     * @return the messages it took out of the mailbox (delivered or expired); fewer than {@code max} when
     * it ran out of credit or the consumer stopped. The deliveries among them are left in {@link #runDeliveries}.
     */
    private int deliverMailboxRun(final int max)
    {
        final Taken taken = this.taken;
        long tag = acks.reserveTags(max);
        final long tagEnd = tag + max;
        int removed = 0;
        int deliveries = 0;
        try
        {
            while (removed < max && mailboxCredit() && reserveChannelCredit())
            {
                mailbox.peekReady(taken);
                final Envelope envelope = taken.envelope;
                final boolean redelivered = taken.redelivered;
                final DeliveryOrigin origin = taken.origin;
                taken.clear();
                removed++;
                if (queue.dropIfExpired(envelope))
                {
                    mailbox.remove(); // it expired while it waited for us
                    endChannelReservation();
                    continue;
                }
                deliver(envelope, redelivered, origin, tag++, true, removed == max || lastOfCredit());
                deliveries++;
                if (lvState() != RUNNING)
                {
                    break;
                }
            }
        }
        finally
        {
            endChannelReservation(); // ended by the delivery as a rule; here if something threw before its hold
            runDeliveries = deliveries;
            if (tag < tagEnd)
            {
                acks.unreserveTags(tag, tagEnd);
            }
        }
        return removed;
    }

    /** Whether the delivery about to be made uses up the consumer's own prefetch, so ends its batch. */
    private boolean lastOfCredit()
    {
        return !autoAck && prefetch != 0 && scope.unackedCount() + 1 >= prefetch;
    }

    /**
     * Takes what is ready, up to {@code max} and {@link #TAKE_LIMIT}, with one claim of the queue's ring
     * (returned messages first, see {@link QueueStorage#takeBatch}), draws as many tags with one atomic
     * add, and delivers them in order, the last flagged as ending the batch: nothing more was ready, or
     * the bound is reached, as the Disruptor's batch processor tells its handlers. The credit bounds the
     * take, so a batch never exceeds the prefetch. The deliveries are counted in plain sums and published
     * once, at the end ({@link ConsumerCounts#publishDeliveries}); the queue runs its room callbacks once.
     * <p>
     * A message whose TTL passed, in the queue or while the deliveries ahead of it were handled, is
     * dropped (or dead-lettered) at its turn, never delivered; the test reads no clock when neither the
     * queue nor the message has a TTL. The batch stops early when the consumer stopped, lost its turn or
     * is no longer its queue's only consumer, or after a handler failed: what it took and did not hand
     * over then goes back to the head of the queue, in order ({@link #returnRestOfTake}), the unused tags
     * to the channel. A consumer stuck in its handler holds its batch meanwhile: no more than its credit,
     * what RabbitMQ would have sent it already.
     *
     * @return the messages taken (delivered, or dropped as expired); 0 when nothing was ready. The
     * deliveries are in {@link #lastBatchDeliveries}.
     */
    private int deliverBatch(final int max)
    {
        TakenBatch batch = this.batch;
        if (batch == null)
        {
            batch = new TakenBatch(TAKE_LIMIT);
            this.batch = batch;
        }
        batch.size = 0;
        final int took = queue.takeBatch(batch, Math.min(max, TAKE_LIMIT));
        lastBatchDeliveries = 0;
        if (took == 0)
        {
            endChannelReservation();
            return 0;
        }
        batchNext = 0;
        batchEnd = took;
        takeNextTag = acks.reserveTags(took);
        takeTagEnd = takeNextTag + took;
        final Envelope[] envelopes = batch.envelopes;
        final DeliveryOrigin[] origins = batch.origins;
        int delivered = 0;
        try
        {
            while (batchNext < took)
            {
                final int index = batchNext++;
                final Envelope envelope = envelopes[index];
                final DeliveryOrigin returnedFrom = origins[index];
                final boolean redelivered = returnedFrom != null && batch.redelivered[index];
                batch.clear(index);
                if (queue.dropIfExpired(envelope))
                {
                    continue; // it expired in the queue, or while the handler ran on the ones ahead of it
                }
                delivered++;
                final boolean last = batchNext == took;
                if (!deliver(envelope, redelivered, returnedFrom == null ? queue : returnedFrom, takeNextTag++, false, last) ||
                    !last && (lvState() != RUNNING || !isTurn() || queue.isRoundRobin()))
                {
                    break; // the handler failed; stopped, turn lost, or a second consumer came: the rest goes back
                }
            }
        }
        finally
        {
            endChannelReservation(); // its message expired, or the take found nothing; usually ended already
            lastBatchDeliveries = delivered;
            counts.publishDeliveries();
            if (lvState() == RUNNING)
            {
                returnRestOfTake();
            }
            // Stopped: finish() returns it, after a closing channel has requeued the older, unacknowledged ones.
        }
        return took;
    }

    /**
     * What the batch took and did not hand to the handler goes back to the head of the queue, in its
     * order, as it was (unflagged unless it came back flagged), as a mailbox's messages do; the batch's
     * unused tags go back to the channel. The delivering thread, when a batch ends while running; else
     * {@link #finish}, on the thread stopping the agent once no delivery is in progress (or on the
     * delivering thread itself, when its handler cancels it: so that when {@code cancel()} returns the
     * messages are back). Allocates (a return record per message) only when a batch was cut short.
     */
    private void returnRestOfTake()
    {
        final TakenBatch batch = this.batch;
        while (batchNext < batchEnd)
        {
            final int index = batchNext++;
            final Envelope envelope = batch.envelopes[index];
            final DeliveryOrigin returnedFrom = batch.origins[index];
            final boolean redelivered = returnedFrom != null && batch.redelivered[index];
            batch.clear(index);
            queue.returnUnclaimed(envelope, redelivered, returnedFrom == null ? queue : returnedFrom);
        }
        if (takeNextTag < takeTagEnd)
        {
            acks.unreserveTags(takeNextTag, takeTagEnd);
            takeNextTag = takeTagEnd;
        }
    }

    /** @return the deliveries the calling thread's last {@link #doWork} made. */
    int lastDeliveries()
    {
        return lastDeliveries;
    }

    /** @return true when the thread calling is inside this agent's {@link #doWork} (its handler, say). */
    boolean isDeliveringThread()
    {
        return deliveringThread == Thread.currentThread();
    }

    private boolean isTurn()
    {
        return singleActiveConsumer == null || singleActiveConsumer.isTurnOf(this);
    }

    /** Credit for a take of its own: unacknowledged under its prefetch and the channel's. A test; see {@link #ownCredit}. */
    private boolean hasOwnCredit()
    {
        return autoAck || underOwnPrefetch() && acks.hasChannelCredit();
    }

    private boolean underOwnPrefetch()
    {
        return prefetch == 0 || scope.unackedCount() < prefetch;
    }

    /**
     * Whether the mailbox's oldest may be delivered now: under its own prefetch. The dispatcher checked
     * that before the put, counting what was unacknowledged and buffered; but it cannot see a batch of
     * this consumer's own in progress (the queue had one consumer when the batch began, a second came
     * meanwhile), so the bound is held here, on the one thread that adds to the count.
     */
    private boolean mailboxCredit()
    {
        return autoAck || underOwnPrefetch();
    }

    /** Whether the mailbox's oldest could be delivered now, under the channel's prefetch too: the idle re-check. */
    private boolean mailboxDeliverable()
    {
        return !mailbox.isEmpty() && mailboxCredit() && (autoAck || acks.hasChannelCredit());
    }

    /**
     * Under the channel's global prefetch, reserves room for one delivery with the channel (the
     * channel's other consumers deliver meanwhile, on their own threads): the delivery then ends the
     * reservation once it holds its message ({@link #deliver}), or {@link #endChannelReservation} does
     * if none is made. Always true with auto-ack or without a global prefetch.
     */
    private boolean reserveChannelCredit()
    {
        if (autoAck)
        {
            return true;
        }
        final int limit = acks.channelPrefetch();
        if (limit == 0)
        {
            return true;
        }
        channelReserved = acks.reserveChannelDelivery(limit);
        return channelReserved;
    }

    /** Ends the reservation of {@link #reserveChannelCredit}, if one is held. */
    private void endChannelReservation()
    {
        if (channelReserved)
        {
            channelReserved = false;
            acks.endChannelReservation();
        }
    }

    /**
     * How many it may take for itself now: what its prefetch leaves (only this thread adds to its
     * unacknowledged deliveries, so the whole batch fits); no bound with auto-ack or prefetch 0. Under a
     * channel's global prefetch, at most one, reserved with the channel ({@link #reserveChannelCredit}):
     * the channel's other consumers deliver meanwhile. Only when its queue has messages, so that an idle
     * consumer does not take and end reservations that its channel's others may be refused for.
     */
    private int ownCredit()
    {
        if (autoAck)
        {
            return Integer.MAX_VALUE;
        }
        if (acks.channelPrefetch() > 0)
        {
            return underOwnPrefetch() && queue.hasMessages() && reserveChannelCredit() ? 1 : 0;
        }
        return prefetch == 0 ? Integer.MAX_VALUE : prefetch - scope.unackedCount();
    }

    /** Whether the rotation may hand it a message now (see {@link #dispatchCredit}). */
    private boolean hasCredit()
    {
        return dispatchCredit() > 0;
    }

    /**
     * How many messages the rotation may hand it now: none once stopped; else the room in its mailbox,
     * within what its prefetch leaves counting unacknowledged and buffered messages (auto-ack and
     * prefetch 0: no limit but the mailbox's), and within what the channel's global prefetch leaves.
     * Read by the dispatch role holder once per turn, and by the agent itself when it idles.
     */
    @Override
    public int dispatchCredit()
    {
        if (lvState() == STOPPED)
        {
            return 0;
        }
        // Buffered first: the owner counts a message unacknowledged before it stops counting as buffered
        // (hold, then Mailbox.remove's release store, which this acquire load pairs with), so the sum
        // read in this order is never one short.
        final int buffered = mailbox.size();
        int credit = mailbox.capacity() - buffered;
        if (autoAck || credit <= 0)
        {
            return Math.max(credit, 0);
        }
        if (prefetch != 0)
        {
            credit = Math.min(credit, prefetch - scope.unackedCount() - buffered);
        }
        final int channelPrefetch = acks.channelPrefetch();
        if (channelPrefetch > 0)
        {
            credit = Math.min(credit, channelPrefetch - acks.consumerUnacked());
        }
        return Math.max(credit, 0);
    }

    /**
     * Hands one message to the handler under {@code tag}, and settles it if auto-ack.
     *
     * @param fromMailbox the message is the mailbox's oldest, removed here once it counts as unacknowledged.
     * @param endOfBatch  it is the last of its take or of its mailbox run.
     * @return false when the handler threw (the message is then settled as the options say).
     */
    private boolean deliver(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin,
        final long tag, final boolean fromMailbox, final boolean endOfBatch)
    {
        // Counted before the hold: once held, an ack from another thread (multiple, tag 0) may recycle the envelope.
        counts.delivered(envelope.bodySize(), redelivered);
        if (!autoAck)
        {
            scope.hold(tag, envelope, origin);
            endChannelReservation(); // after the hold: the channel's count now has it (see Acknowledgements)
        }
        if (fromMailbox)
        {
            mailbox.remove(); // after the hold: see dispatchCredit
        }
        delivery.set(envelope, tag, redelivered, origin);
        try
        {
            handler.handle(delivery, endOfBatch);
        }
        catch (final Throwable error)
        {
            delivery.clear();
            handlerFailed(envelope, tag, redelivered, origin, error);
            return false;
        }
        delivery.clear();
        if (autoAck)
        {
            envelope.release(poolMemo);
        }
        return true;
    }

    /**
     * A handler threw. The message is requeued (flagged redelivered) unless the options say reject, or a
     * handler has now failed on it more than {@link ConsumeOptions#handlerErrorLimit()} times: then it is
     * rejected without requeue (dead-lettered with reason {@code rejected} where the queue has a
     * dead-letter exchange, else dropped and counted) and the listener is told. The consumer goes on.
     */
    private void handlerFailed(final Envelope envelope, final long tag, final boolean redelivered,
        final DeliveryOrigin origin, final Throwable error)
    {
        final int failures = origin.handlerFailures() + 1;
        final boolean requeue = options.requeueOnHandlerError() && failures <= options.handlerErrorLimit();
        final Message[] copy = new Message[1]; // the error path: allocation is fine here
        if (autoAck)
        {
            copy[0] = envelope.toMessage(redelivered);
            settleFailed(envelope, origin, requeue);
        }
        else
        {
            acks.claimAfterHandlerError(scope, tag, (t, claimed, claimedOrigin) ->
            {
                copy[0] = claimed.toMessage(redelivered);
                settleFailed(claimed, (DeliveryOrigin)claimedOrigin, requeue);
            });
        }
        final ConsumeOptions.HandlerErrorListener listener = options.errorListener();
        try
        {
            listener.onHandlerError(consumerTag, copy[0], error);
            if (copy[0] != null && options.requeueOnHandlerError() && !requeue)
            {
                listener.onGaveUp(consumerTag, copy[0], failures);
            }
        }
        catch (final RuntimeException ex)
        {
            System.getLogger("io.ringmq").log(System.Logger.Level.WARNING,
                "handler error listener of consumer " + consumerTag + " threw", ex);
        }
        if (error instanceof Error && !(error instanceof AssertionError))
        {
            throw (Error)error; // OutOfMemoryError and the like: the runner decides what becomes of its thread
        }
    }

    private static void settleFailed(final Envelope envelope, final DeliveryOrigin origin, final boolean requeue)
    {
        if (requeue)
        {
            origin.requeueAfterHandlerFailure(envelope);
        }
        else
        {
            origin.discardRejected(envelope);
        }
    }

    // ------------------------------------------------------------------ idle and wake

    /**
     * The runner found nothing to do: registers for a wake-up (see the class comment) and re-checks.
     * Runner thread only.
     *
     * @return true when the agent is armed (or already being woken) and the runner may stop running it;
     * false when work turned up and the runner should run it again now.
     */
    boolean arm()
    {
        final boolean credit = creditForIdle();
        if (!casArmed(NOT_ARMED, credit ? ARMED_FOR_MESSAGES : ARMED_FOR_CREDIT))
        {
            return true; // still armed from before (a pool agent that was run meanwhile)
        }
        if (credit)
        {
            queue.registerSleeper(); // a volatile read-modify-write: the re-check below cannot move above it
        }
        // The re-check: each condition a waker changes before it reads "armed".
        final boolean runnable = mailboxDeliverable() || creditForIdle() != credit ||
            (credit && queue.hasMessages()) || lvState() == STOPPED;
        if (runnable)
        {
            return !disarm(); // if a waker disarmed us first, it is handing us back to the runner
        }
        return true;
    }

    /** The credit that decides what an idle agent waits for: with it, messages; without it, credit. */
    private boolean creditForIdle()
    {
        return queue.isRoundRobin() ? hasCredit() : hasOwnCredit() && isTurn();
    }

    /** @return true when this call disarmed the agent (and so owns its next run). Any thread. */
    boolean disarm()
    {
        int current = lvArmed();
        while (current != NOT_ARMED)
        {
            if (casArmed(current, NOT_ARMED))
            {
                if (current == ARMED_FOR_MESSAGES)
                {
                    queue.unregisterSleeper();
                }
                return true;
            }
            current = lvArmed();
        }
        return false;
    }

    boolean isArmed()
    {
        return lvArmed() != NOT_ARMED;
    }

    /** Credit freed, a mailbox filled, an election won: hands an armed agent back to its runner. Any thread. */
    @Override
    public void wake()
    {
        if (lvArmed() != NOT_ARMED && disarm())
        {
            runner.wake(this);
        }
    }

    /** A publisher: wakes the agent only if it waits for messages (it has credit). Any thread. */
    @Override
    public void wakeForMessages()
    {
        if (lvArmed() == ARMED_FOR_MESSAGES && casArmed(ARMED_FOR_MESSAGES, NOT_ARMED))
        {
            queue.unregisterSleeper();
            runner.wake(this);
        }
    }

    /** {@link ConsumerPool}: claims the agent for its ready queue. */
    boolean trySchedule()
    {
        return SCHEDULED.compareAndSet(this, false, true);
    }

    /** {@link ConsumerPool}: the agent left the ready queue and is about to arm (or is dropped). */
    void unschedule()
    {
        SCHEDULED.setRelease(this, false);
    }

    // ------------------------------------------------------------------ stopping

    /**
     * Stops the agent: no delivery starts after this returns and none is in progress (unless called from
     * its own handler); its mailbox goes back to the queue. Called by the broker once the consumer is
     * detached from its queue, outside the topology lock. Idempotent: a second caller waits for the first.
     *
     * @param reason non-null when the broker cancelled it (queue deleted, broker closed): the cancel
     *               listener is told.
     */
    void stop(final String reason)
    {
        if (halt())
        {
            finish(reason);
        }
        else
        {
            awaitStopped();
        }
    }

    @Override
    public void stopBecauseQueueWent(final String reason)
    {
        stop(reason);
        owner.consumerEnded(this);
    }

    /**
     * The first half of {@link #stop}: no delivery starts after this returns and none is in progress
     * (unless called from its own handler). A closing channel halts all its consumers, requeues what they
     * left unacknowledged, and only then {@link #finish}es them, so those older messages go back ahead of
     * the newer ones waiting in the mailboxes.
     *
     * @return false when another thread is stopping it (then {@link #awaitStopped}).
     */
    boolean halt()
    {
        if (!STATE.compareAndSet(this, RUNNING, STOPPED)) // pairs with doWork's casDelivering, then lvState
        {
            return false;
        }
        disarm();
        awaitNotDelivering();
        return true;
    }

    /** The second half of {@link #stop}, after a successful {@link #halt}: returns the mailbox, releases the runner. */
    void finish(final String reason)
    {
        try
        {
            counts.publishDeliveries(); // a handler that cancels its own consumer: its batch's counts, before the fold
            returnRestOfTake(); // newer than any unacknowledged delivery, older than the mailbox's
            returnMailbox();
            runner.release(this);
        }
        finally
        {
            queue.statistics().agentStopped(counts); // no delivery is counted after halt: the cell may fold
            stopped.countDown(); // before the listener, which may itself cancel and then wait on this
        }
        if (reason != null)
        {
            try
            {
                options.cancelListener().onCancel(consumerTag, reason);
            }
            catch (final RuntimeException ex)
            {
                System.getLogger("io.ringmq").log(System.Logger.Level.WARNING,
                    "cancel listener of consumer " + consumerTag + " threw", ex);
            }
        }
    }

    private void awaitNotDelivering()
    {
        if (isDeliveringThread())
        {
            return; // its own handler cancels it: the delivery in progress is the caller's
        }
        svStopWaiter(Thread.currentThread());
        try
        {
            while (lvDelivering())
            {
                LockSupport.parkNanos(this, STOP_WAIT_PARK_NANOS); // unparked by doWork's exit
            }
        }
        finally
        {
            svStopWaiter(null);
        }
    }

    /** Another thread is stopping the agent: waits until it has (unless called from its own handler). */
    void awaitStopped()
    {
        if (isDeliveringThread())
        {
            return; // its own handler cancelling while another thread stops it: that thread waits for us
        }
        boolean interrupted = false;
        while (stopped.getCount() > 0)
        {
            try
            {
                stopped.await();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Messages sent to it but not delivered go back to the queue as they were. The dispatch role is held
     * meanwhile, so no dispatcher that saw this consumer still running can put one more in behind us; any
     * later one sees it stopped.
     */
    private void returnMailbox()
    {
        final RoundRobinDispatcher dispatcher = queue.dispatcher();
        final Taken returned = new Taken();
        dispatcher.acquireRole();
        try
        {
            while (mailbox.peek(returned))
            {
                queue.returnUnclaimed(returned.envelope, returned.redelivered, returned.origin);
                mailbox.remove();
            }
        }
        finally
        {
            dispatcher.releaseRole();
        }
    }

    private static int ceilingPowerOfTwo(final int value)
    {
        return value <= 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }

    @Override
    public String toString()
    {
        return "consumer '" + consumerTag + "' of " + queue;
    }

    // ------------------------------------------------------------------ accessors

    private int lvState()
    {
        return (int)STATE.getVolatile(this);
    }

    private boolean casDelivering()
    {
        return DELIVERING.compareAndSet(this, false, true); // a full fence: the state read after it cannot move up
    }

    private boolean lvDelivering()
    {
        return (boolean)DELIVERING.getVolatile(this);
    }

    private void svDelivering(final boolean value)
    {
        DELIVERING.setVolatile(this, value);
    }

    private int lvArmed()
    {
        return (int)ARMED.getVolatile(this);
    }

    private boolean casArmed(final int expected, final int next)
    {
        return ARMED.compareAndSet(this, expected, next);
    }

    private Thread lvStopWaiter()
    {
        return (Thread)STOP_WAITER.getVolatile(this);
    }

    private void svStopWaiter(final Thread waiter)
    {
        STOP_WAITER.setVolatile(this, waiter);
    }
}
