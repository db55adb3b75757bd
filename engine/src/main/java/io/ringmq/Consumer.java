package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A push consumer (AMQP {@code basic.consume}): its own thread takes messages from one queue —
 * requeued ones first — and hands them to its {@link DeliveryHandler}, while it has prefetch credit.
 * <p>
 * Several consumers on one queue compete: each message goes to exactly one, round-robin among those
 * with credit, the highest priority ({@link ConsumeOptions#priority()}) first, as RabbitMQ dispatches
 * (see {@link RoundRobinDispatcher}). Messages sent to a consumer wait in its {@link Mailbox} until its
 * thread takes them: at most its prefetch, and never more than {@link #MAILBOX_LIMIT}. A lone consumer
 * takes from the queue directly.
 * <p>
 * Acknowledge with {@link Delivery#ack()} or with {@link #ack(long, boolean)} from any thread.
 * {@link #cancel()} stops the thread after the delivery in progress and requeues, in order, every
 * delivery not yet acknowledged; acknowledging one of those afterwards is an unknown-tag error.
 * Messages still in its mailbox then go back too, after those, unflagged: no handler saw them.
 */
public final class Consumer implements AutoCloseable
{
    private static final VarHandle STATE;
    private static final VarHandle SLEEPING;

    /** {@link #state}: cancelled; the thread ends after the delivery in progress. */
    private static final int STOPPED = 0;
    /** {@link #state}: running. */
    private static final int RUNNING = 1;

    /**
     * The most messages that wait in one consumer's mailbox. A consumer with a larger prefetch (or none)
     * is skipped by the rotation while this many wait for it, so a slow one does not hold the others back.
     */
    static final int MAILBOX_LIMIT = 128;

    /** What an idle round waits for. */
    private static final int WAIT_MESSAGES = 0;
    private static final int WAIT_CREDIT = 1;
    /** Its turn: single-active-consumer election. */
    private static final int WAIT_TURN = 2;
    /** Round-robin: a message in its mailbox, or a chance to dispatch. */
    private static final int WAIT_DISPATCH = 3;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(Consumer.class, "state", int.class);
            SLEEPING = lookup.findVarHandle(Consumer.class, "sleeping", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** The longest a BLOCKING consumer parks without a signal: a safety net, not the wake-up path. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Broker broker;
    private final Channel channel;
    private final MessageQueue queue;
    private final String consumerTag;
    private final ConsumeOptions options;
    private final DeliveryHandler handler;
    private final boolean autoAck;
    private final int prefetch;
    private final int priority;
    private final AckScope scope;
    private final Delivery delivery;
    /** What the round-robin dispatcher sent this consumer; taken by its thread. */
    private final Mailbox mailbox;
    /** The consumer thread's take holder. */
    private final Taken taken = new Taken();
    private final IdleStrategy idleStrategy;
    private final boolean blocking;
    private final Thread thread;
    /** Counted down once the winning {@link #stop} has joined the thread and requeued what it held. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Tags for auto-ack deliveries, which need no table. Consumer thread only. */
    private long nextAutoAckTag = 1;
    /** Idle rounds since the last delivery, for the BLOCKING strategy's spin-then-park. Consumer thread only. */
    private int blockingIdles;

    /** {@link #STOPPED} or {@link #RUNNING}; the run loop reads it once per round. */
    @SuppressWarnings("unused")
    private volatile int state = RUNNING;
    /** True while a BLOCKING consumer parks; read by publishers and ackers to decide to unpark. */
    @SuppressWarnings("unused")
    private volatile boolean sleeping;

    Consumer(
        final Broker broker,
        final Channel channel,
        final MessageQueue queue,
        final String consumerTag,
        final ConsumeOptions options,
        final DeliveryHandler handler)
    {
        this.broker = broker;
        this.channel = channel;
        this.queue = queue;
        this.consumerTag = consumerTag;
        this.options = options;
        this.handler = handler;
        this.autoAck = options.isAutoAck();
        this.prefetch = autoAck ? 0 : options.prefetch();
        this.priority = options.priority();
        this.scope = autoAck ? null : new AckScope(prefetch, "consumer '" + consumerTag + "' of " + queue);
        this.delivery = new Delivery(consumerTag, scope);
        this.mailbox = new Mailbox(prefetch == 0 || prefetch >= MAILBOX_LIMIT ? MAILBOX_LIMIT : ceilingPowerOfTwo(prefetch));
        this.blocking = options.waitStrategy() == WaitStrategy.BLOCKING;
        this.idleStrategy = idleStrategyFor(options.waitStrategy());
        this.thread = new Thread(this::run, "ringmq-consumer-" + queue.name() + "-" + consumerTag);
        this.thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** @return the consumer tag, unique on its queue. */
    public String consumerTag()
    {
        return consumerTag;
    }

    /** @return the name of the queue it consumes from. */
    public String queue()
    {
        return queue.name();
    }

    /** @return true until cancelled (by the application, its channel, queue deletion or broker close). */
    public boolean isActive()
    {
        return (int)STATE.getVolatile(this) != STOPPED;
    }

    /** @return its priority ({@code x-priority}); 0 by default. */
    int priority()
    {
        return priority;
    }

    /**
     * Whether the rotation may hand it a message now: running, room in its mailbox, and its
     * unacknowledged plus buffered messages under its prefetch (auto-ack and prefetch 0: no limit
     * but the mailbox's). Read by the dispatch role holder.
     */
    boolean hasCredit()
    {
        if ((int)STATE.getVolatile(this) == STOPPED)
        {
            return false;
        }
        // Buffered first: the owner counts a message unacknowledged before it stops counting as buffered
        // (hold, then Mailbox.remove's release store, which this acquire load pairs with), so the sum
        // read in this order is never one short.
        final int buffered = mailbox.size();
        return buffered < mailbox.capacity() && (prefetch == 0 || scope.unackedCount() + buffered < prefetch);
    }

    Mailbox mailbox()
    {
        return mailbox;
    }

    /** @return deliveries handed out and not yet settled (always 0 with auto-ack). */
    public int unackedCount()
    {
        return scope == null ? 0 : scope.unackedCount();
    }

    MessageQueue messageQueue()
    {
        return queue;
    }

    boolean isExclusive()
    {
        return options.exclusive();
    }

    Channel channel()
    {
        return channel;
    }

    /** AMQP {@code basic.ack}; any thread. {@code multiple} with tag 0 acknowledges all outstanding. */
    public void ack(final long deliveryTag, final boolean multiple)
    {
        manualScope("ack").ack(deliveryTag, multiple);
        wakeIfSleeping(); // credit returned
    }

    /** AMQP {@code basic.nack}; any thread. Requeued messages are redelivered flagged, ahead of new ones. */
    public void nack(final long deliveryTag, final boolean multiple, final boolean requeue)
    {
        manualScope("nack").nack(deliveryTag, multiple, requeue);
        wakeIfSleeping();
    }

    /** AMQP {@code basic.reject}; any thread. */
    public void reject(final long deliveryTag, final boolean requeue)
    {
        manualScope("reject").reject(deliveryTag, requeue);
        wakeIfSleeping();
    }

    /**
     * AMQP {@code basic.cancel}: no delivery starts after this returns (when called from another
     * thread, it waits for the one in progress), and every unacknowledged delivery is requeued in
     * order. Idempotent.
     */
    public void cancel()
    {
        broker.cancelConsumer(this, null);
    }

    /** Same as {@link #cancel()}. */
    @Override
    public void close()
    {
        cancel();
    }

    /**
     * Stops the thread and settles what it held. Called by the broker (outside its topology lock)
     * once the consumer is detached from its queue.
     *
     * @param reason non-null when the broker cancelled it (queue deleted, broker closed): the cancel
     *               listener is told, and what it held goes back to the queue only if the queue lives.
     */
    void stop(final String reason)
    {
        int current;
        do
        {
            current = (int)STATE.getVolatile(this);
            if (current == STOPPED)
            {
                // Another thread is stopping it: cancel() still promises that, when it returns, the
                // delivery in progress is over and the unacknowledged ones are back in the queue.
                awaitStopped();
                return;
            }
        }
        while (!STATE.compareAndSet(this, current, STOPPED));
        LockSupport.unpark(thread);
        try
        {
            joinUnlessSelf();
            if (scope != null)
            {
                scope.requeueAll(); // a deleted queue discards instead (MessageQueue.requeue)
            }
            returnMailbox();
        }
        finally
        {
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

    private void awaitStopped()
    {
        if (Thread.currentThread() == thread)
        {
            return; // its own handler cancelling while another thread stops it: that thread waits for us
        }
        joinUnlessSelf();
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

    private void joinUnlessSelf()
    {
        if (Thread.currentThread() == thread)
        {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
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

    /** Publishers and ackers: unparks the thread when it sleeps (BLOCKING strategy only). */
    void wakeIfSleeping()
    {
        if (blocking && (boolean)SLEEPING.getVolatile(this))
        {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Messages sent to it but not taken go back to the queue, after the unacknowledged ones (which
     * are older). The dispatch role is held meanwhile, so no dispatcher that saw this consumer still
     * running can put one more in behind us; any later one sees it stopped.
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

    /** The consumer thread. */
    private void run()
    {
        final PolicyStore store = queue.store();
        final Taken taken = this.taken;
        while ((int)STATE.getVolatile(this) != STOPPED)
        {
            // First what the rotation sent us, even if the queue has since gone back to one consumer.
            if (mailbox.peek(taken))
            {
                if (queue.dropIfExpired(taken.envelope))
                {
                    taken.clear();
                    mailbox.remove(); // it expired while it waited for us
                    continue;
                }
                deliver(taken, true);
                continue;
            }
            if (queue.isRoundRobin())
            {
                if (queue.dispatcher().dispatch() > 0)
                {
                    resetIdle();
                }
                else
                {
                    idle(WAIT_DISPATCH);
                }
                continue;
            }
            if (prefetch > 0 && scope.unackedCount() >= prefetch)
            {
                idle(WAIT_CREDIT);
                continue;
            }
            if (store != null && !store.isTurnOf(this))
            {
                idle(WAIT_TURN);
                continue;
            }
            if (!queue.take(taken))
            {
                idle(WAIT_MESSAGES);
                continue;
            }
            deliver(taken, false);
        }
    }

    private void resetIdle()
    {
        idleStrategy.reset();
        blockingIdles = 0;
    }

    /** @param fromMailbox the message is the mailbox's oldest, removed here once it counts as unacknowledged. */
    private void deliver(final Taken taken, final boolean fromMailbox)
    {
        final Envelope envelope = taken.envelope;
        final boolean redelivered = taken.redelivered;
        final DeliveryOrigin origin = taken.origin;
        taken.clear();
        resetIdle();
        final long tag = autoAck ? nextAutoAckTag++ : scope.hold(envelope, origin);
        if (fromMailbox)
        {
            mailbox.remove(); // after the hold: see hasCredit
        }
        handOver(envelope, tag, redelivered, origin);
    }

    private void handOver(final Envelope envelope, final long tag, final boolean redelivered, final DeliveryOrigin origin)
    {
        delivery.set(envelope, tag, redelivered, queue.name());
        try
        {
            handler.handle(delivery);
        }
        catch (final Throwable error)
        {
            handlerFailed(envelope, tag, redelivered, origin, error);
            return;
        }
        finally
        {
            delivery.clear();
        }
        if (autoAck)
        {
            envelope.release();
        }
    }

    /** The message is kept (requeued) or rejected as the options say; the thread goes on. */
    private void handlerFailed(final Envelope envelope, final long tag, final boolean redelivered,
        final DeliveryOrigin origin, final Throwable error)
    {
        final boolean requeue = options.requeueOnHandlerError();
        Message copy = null;
        if (autoAck)
        {
            copy = envelope.toMessage(redelivered);
            if (requeue)
            {
                origin.requeue(envelope);
            }
            else
            {
                origin.discardRejected(envelope);
            }
        }
        else
        {
            copy = scope.settleAfterHandlerError(tag, requeue, redelivered);
        }
        try
        {
            options.errorListener().onHandlerError(consumerTag, copy, error);
        }
        catch (final RuntimeException ex)
        {
            System.getLogger("io.ringmq").log(System.Logger.Level.WARNING,
                "handler error listener of consumer " + consumerTag + " threw", ex);
        }
        if (error instanceof Error && !(error instanceof AssertionError))
        {
            throw (Error)error; // OutOfMemoryError and the like: the thread ends, and says why
        }
    }

    private void idle(final int waitingFor)
    {
        if (!blocking)
        {
            idleStrategy.idle();
            return;
        }
        // A short spin, then a few yields, before parking: under load the next message is usually this close.
        if (blockingIdles < 200)
        {
            blockingIdles++;
            if (blockingIdles < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            return;
        }
        // Dekker pairing: we publish "sleeping" (and, for messages, the queue's sleeper count) with
        // volatile writes, then re-check; a publisher offers, fences, then reads them (MessageQueue.afterPublish),
        // an acker frees credit with a volatile RMW and then reads "sleeping". One of us sees the other.
        // For a turn, the partner is the election (volatile write of the active consumer, then wakeIfSleeping).
        // Round-robin: a dispatcher puts into our mailbox, fences, then reads "sleeping" (RoundRobinDispatcher);
        // we stay awake while the queue has a message that some consumer has credit for: we can dispatch it.
        SLEEPING.setVolatile(this, true);
        final boolean waitingForMessages = waitingFor == WAIT_MESSAGES || waitingFor == WAIT_DISPATCH;
        if (waitingForMessages)
        {
            queue.registerSleeper();
        }
        try
        {
            final boolean stillNothing;
            if (waitingForMessages)
            {
                stillNothing = !queue.hasMessages();
            }
            else if (waitingFor == WAIT_CREDIT)
            {
                stillNothing = scope.unackedCount() >= prefetch;
            }
            else if (waitingFor == WAIT_DISPATCH)
            {
                stillNothing = mailbox.isEmpty() && !(queue.hasMessages() && queue.anyConsumerHasCredit());
            }
            else
            {
                stillNothing = !queue.store().isTurnOf(this);
            }
            if (stillNothing && isActive())
            {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
        }
        finally
        {
            if (waitingForMessages)
            {
                queue.unregisterSleeper();
            }
            SLEEPING.setVolatile(this, false);
        }
    }

    private AckScope manualScope(final String method)
    {
        if (scope == null)
        {
            throw new PreconditionFailedException("cannot " + method + " on consumer '" + consumerTag +
                "': it uses automatic acknowledgement");
        }
        return scope;
    }

    private static int ceilingPowerOfTwo(final int value)
    {
        return value <= 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }

    private static IdleStrategy idleStrategyFor(final WaitStrategy strategy)
    {
        switch (strategy)
        {
            case BUSY_SPIN:
                return new BusySpinIdleStrategy();
            case YIELDING:
                return new YieldingIdleStrategy();
            case BACKOFF:
                return new BackoffIdleStrategy(64, 16, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
            case SLEEPING:
                return new SleepingIdleStrategy(TimeUnit.MICROSECONDS.toNanos(100));
            case BLOCKING:
            default:
                return new BusySpinIdleStrategy(); // unused: BLOCKING waits in idle() itself
        }
    }

    @Override
    public String toString()
    {
        return "Consumer{tag='" + consumerTag + "', queue='" + queue.name() + "', autoAck=" + autoAck +
            ", prefetch=" + prefetch + ", priority=" + priority + ", active=" + isActive() + '}';
    }
}
