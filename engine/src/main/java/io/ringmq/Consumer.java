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
 * Several consumers on one queue compete: each message goes to exactly one. The consumers poll the
 * same lock-free queue, so a message goes to whichever consumer with credit is free first; with
 * consumers of equal speed this spreads messages evenly, like RabbitMQ's round-robin, without a
 * dispatcher thread in between.
 * <p>
 * Acknowledge with {@link Delivery#ack()} or with {@link #ack(long, boolean)} from any thread.
 * {@link #cancel()} stops the thread after the delivery in progress and requeues, in order, every
 * delivery not yet acknowledged; acknowledging one of those afterwards is an unknown-tag error.
 * <p>
 * <b>Consumer priorities</b> ({@link ConsumeOptions#priority()}): see there. While all consumers of
 * a queue have one priority, none checks anything; once they differ, each checks before polling
 * whether a higher one could take the message (its thread switches to a <em>gated</em> state, read
 * with the same volatile load that tells it whether it is still running).
 * <p>
 * A consumer of a queue with policies runs a separate loop ({@code runWithPolicies}) that takes from
 * the queue's {@code PolicyStore}: single-active-consumer turns, expiry and delivery counts live
 * there, and a plain queue's consumer never executes any of it.
 */
public final class Consumer implements AutoCloseable
{
    private static final VarHandle STATE;
    private static final VarHandle SLEEPING;

    /** {@link #state}: cancelled; the thread ends after the delivery in progress. */
    private static final int STOPPED = 0;
    /** {@link #state}: running; every consumer of the queue has the same priority. */
    private static final int RUNNING = 1;
    /** {@link #state}: running, among consumers of different priorities: polls only when none above it could. */
    private static final int RUNNING_GATED = 2;

    /** What an idle round waits for. */
    private static final int WAIT_MESSAGES = 0;
    private static final int WAIT_CREDIT = 1;
    /** Its turn: single-active-consumer election, or higher-priority consumers running out of credit. */
    private static final int WAIT_TURN = 2;

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
    private final IdleStrategy idleStrategy;
    private final boolean blocking;
    private final Thread thread;
    /** Counted down once the winning {@link #stop} has joined the thread and requeued what it held. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Tags for auto-ack deliveries, which need no table. Consumer thread only. */
    private long nextAutoAckTag = 1;
    /** Idle rounds since the last delivery, for the BLOCKING strategy's spin-then-park. Consumer thread only. */
    private int blockingIdles;

    /** {@link #STOPPED}, {@link #RUNNING} or {@link #RUNNING_GATED}; the run loop reads it once per round. */
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
        this.blocking = options.waitStrategy() == WaitStrategy.BLOCKING;
        this.idleStrategy = idleStrategyFor(options.waitStrategy());
        // Decided once: a plain queue's consumer runs the original loop and never looks at policies.
        this.thread = new Thread(queue.store() == null ? this::run : this::runWithPolicies,
            "ringmq-consumer-" + queue.name() + "-" + consumerTag);
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

    /** Under the topology lock: whether this consumer must defer to higher-priority ones (see the class comment). */
    void setGated(final boolean gated)
    {
        final int wanted = gated ? RUNNING_GATED : RUNNING;
        int current;
        while ((current = (int)STATE.getVolatile(this)) != STOPPED && current != wanted)
        {
            if (STATE.compareAndSet(this, current, wanted))
            {
                return;
            }
        }
    }

    /** @return true when it could take a message now as far as prefetch goes (auto-ack and prefetch 0 always can). */
    boolean hasCredit()
    {
        return prefetch == 0 || scope.unackedCount() < prefetch;
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

    /** The loop of a plain queue's consumer. */
    private void run()
    {
        int state;
        while ((state = (int)STATE.getVolatile(this)) != STOPPED)
        {
            if (prefetch > 0 && scope.unackedCount() >= prefetch)
            {
                if (state == RUNNING_GATED)
                {
                    queue.wakeConsumersBelow(priority);
                }
                idle(WAIT_CREDIT);
                continue;
            }
            if (state == RUNNING_GATED && outranked())
            {
                idle(WAIT_TURN);
                continue;
            }
            Envelope envelope = queue.pollRequeued();
            final boolean redelivered = envelope != null;
            if (envelope == null)
            {
                envelope = queue.pollReady();
            }
            if (envelope == null)
            {
                idle(WAIT_MESSAGES);
                continue;
            }
            if (envelope.properties.expirationNanos() >= 0 && queue.expireIfDue(envelope))
            {
                continue; // a per-message TTL passed: never delivered
            }
            idleStrategy.reset();
            blockingIdles = 0;
            deliver(envelope, redelivered, queue);
        }
    }

    /** The loop of a consumer of a queue with policies: takes through the queue's {@link PolicyStore}. */
    private void runWithPolicies()
    {
        final PolicyStore store = queue.store();
        final Taken taken = new Taken();
        int state;
        while ((state = (int)STATE.getVolatile(this)) != STOPPED)
        {
            if (prefetch > 0 && scope.unackedCount() >= prefetch)
            {
                if (state == RUNNING_GATED)
                {
                    queue.wakeConsumersBelow(priority);
                }
                idle(WAIT_CREDIT);
                continue;
            }
            if (!store.isTurnOf(this) || (state == RUNNING_GATED && outranked()))
            {
                idle(WAIT_TURN);
                continue;
            }
            if (!store.take(taken))
            {
                idle(WAIT_MESSAGES);
                continue;
            }
            idleStrategy.reset();
            blockingIdles = 0;
            final Envelope envelope = taken.envelope;
            final boolean redelivered = taken.redelivered;
            final DeliveryOrigin origin = taken.origin;
            taken.clear();
            deliver(envelope, redelivered, origin);
        }
    }

    /**
     * Consumer priorities, best effort and lock-free: true when a consumer of higher priority is active
     * and has prefetch credit, so it could take the next message itself. A lower consumer then leaves
     * the message to it; it takes messages only while every higher one is out of credit.
     */
    private boolean outranked()
    {
        final PolicyStore store = queue.store();
        for (final Consumer other : queue.consumers())
        {
            // With a single active consumer only the active one takes: the others cannot outrank it.
            if (other.priority > priority && other.isActive() && other.hasCredit() && (store == null || store.isTurnOf(other)))
            {
                return true;
            }
        }
        return false;
    }

    /** @return true when it is not this consumer's turn (single active consumer, or outranked). */
    private boolean turnBlocked()
    {
        final PolicyStore store = queue.store();
        return (store != null && !store.isTurnOf(this)) || ((int)STATE.getVolatile(this) == RUNNING_GATED && outranked());
    }

    private void deliver(final Envelope envelope, final boolean redelivered, final DeliveryOrigin origin)
    {
        final long tag = autoAck ? nextAutoAckTag++ : scope.hold(envelope, origin);
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
        // For a turn, the partners are the election (volatile write of the active consumer, then wakeIfSleeping)
        // and a higher consumer that used up its credit (volatile RMW on its unacked count, then wakeConsumersBelow).
        SLEEPING.setVolatile(this, true);
        final boolean waitingForMessages = waitingFor == WAIT_MESSAGES;
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
            else
            {
                stillNothing = turnBlocked();
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
