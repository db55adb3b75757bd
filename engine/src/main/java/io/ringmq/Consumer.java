package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 */
public final class Consumer implements AutoCloseable
{
    private static final VarHandle RUNNING;
    private static final VarHandle SLEEPING;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            RUNNING = lookup.findVarHandle(Consumer.class, "running", boolean.class);
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
    private final AckScope scope;
    private final Delivery delivery;
    private final IdleStrategy idleStrategy;
    private final boolean blocking;
    private final Thread thread;
    /** Tags for auto-ack deliveries, which need no table. Consumer thread only. */
    private long nextAutoAckTag = 1;
    /** Idle rounds since the last delivery, for the BLOCKING strategy's spin-then-park. Consumer thread only. */
    private int blockingIdles;

    @SuppressWarnings("unused")
    private volatile boolean running = true;
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
        this.scope = autoAck ? null : new AckScope(prefetch, "consumer '" + consumerTag + "' of " + queue);
        this.delivery = new Delivery(consumerTag, scope);
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
        return (boolean)RUNNING.getVolatile(this);
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
        if (!(boolean)RUNNING.compareAndSet(this, true, false))
        {
            return;
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread)
        {
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
        if (scope != null)
        {
            scope.requeueAll(); // a deleted queue discards instead (MessageQueue.requeue)
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

    /** Publishers and ackers: unparks the thread when it sleeps (BLOCKING strategy only). */
    void wakeIfSleeping()
    {
        if (blocking && (boolean)SLEEPING.getVolatile(this))
        {
            LockSupport.unpark(thread);
        }
    }

    private void run()
    {
        while (isActive())
        {
            if (prefetch > 0 && scope.unackedCount() >= prefetch)
            {
                idle(false);
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
                idle(true);
                continue;
            }
            idleStrategy.reset();
            blockingIdles = 0;
            deliver(envelope, redelivered);
        }
    }

    private void deliver(final Envelope envelope, final boolean redelivered)
    {
        final long tag = autoAck ? nextAutoAckTag++ : scope.hold(envelope, queue);
        delivery.set(envelope, tag, redelivered, queue.name());
        try
        {
            handler.handle(delivery);
        }
        catch (final Throwable error)
        {
            handlerFailed(envelope, tag, redelivered, error);
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
    private void handlerFailed(final Envelope envelope, final long tag, final boolean redelivered, final Throwable error)
    {
        final boolean requeue = options.requeueOnHandlerError();
        Message copy = null;
        if (autoAck)
        {
            copy = envelope.toMessage(redelivered);
            if (requeue)
            {
                queue.requeue(envelope);
            }
            else
            {
                queue.discardRejected(envelope);
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

    private void idle(final boolean waitingForMessages)
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
        SLEEPING.setVolatile(this, true);
        if (waitingForMessages)
        {
            queue.registerSleeper();
        }
        try
        {
            final boolean stillNothing = waitingForMessages ? !queue.hasMessages() : scope.unackedCount() >= prefetch;
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
            ", prefetch=" + prefetch + ", active=" + isActive() + '}';
    }
}
