package io.ringmq;

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
 * A consumer with a platform thread of its own ({@link ConsumerThreading#DEDICATED_THREAD}): the
 * lowest latency, and the thread may block in its handler without holding anyone else up. It waits as
 * its {@link WaitStrategy} says: Agrona's idle strategies, or, for {@link WaitStrategy#BLOCKING}, a short
 * spin and a few yields and then a park until the agent is woken ({@link DeliveryAgent#arm}).
 * <p>
 * Memory ordering: {@code sleeping} ({@link #svSleeping}, {@link #lvSleeping}) is a Dekker pair with
 * the agent's armed state: the thread stores it and then reads whether the agent is still armed; a waker
 * disarms the agent and then reads it. Either the thread sees the wake and does not park, or the waker
 * sees it parked and unparks it.
 */
final class DedicatedThread implements AgentRunner
{
    /** Messages per doWork: a dedicated thread has no one to share with, so it only bounds the stop check. */
    private static final int BATCH = 256;
    /** The longest a BLOCKING consumer parks without a signal: a safety net, not the wake-up path. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SPINS = 100;
    private static final int YIELDS = 100;

    private static final VarHandle SLEEPING;

    static
    {
        try
        {
            SLEEPING = MethodHandles.lookup().findVarHandle(DedicatedThread.class, "sleeping", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final DeliveryAgent agent;
    private final Thread thread;
    private final boolean blocking;
    private final IdleStrategy idleStrategy;
    /** Idle rounds since the last work, for BLOCKING's spin-then-park. Its thread only. */
    private int idles;

    @SuppressWarnings("unused")
    private volatile boolean sleeping;

    DedicatedThread(final DeliveryAgent agent, final WaitStrategy waitStrategy)
    {
        this.agent = agent;
        this.blocking = waitStrategy == WaitStrategy.BLOCKING;
        this.idleStrategy = idleStrategyFor(waitStrategy);
        this.thread = new Thread(this::run, "ringmq-consumer-" + agent.queue().queueName() + "-" + agent.consumerTag());
        this.thread.setDaemon(true);
    }

    @Override
    public void start(final DeliveryAgent agent)
    {
        thread.start();
    }

    @Override
    public void wake(final DeliveryAgent agent)
    {
        if (lvSleeping())
        {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void release(final DeliveryAgent agent)
    {
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread)
        {
            return; // its own handler cancelled it: the loop ends when the handler returns
        }
        if (Threads.joinUninterruptibly(thread))
        {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the thread (tests measure its CPU time). */
    Thread thread()
    {
        return thread;
    }

    private void run()
    {
        while (agent.isRunning())
        {
            if (agent.doWork(BATCH) > 0)
            {
                idleStrategy.reset();
                idles = 0;
            }
            else
            {
                idle();
            }
        }
    }

    private void idle()
    {
        if (!blocking)
        {
            idleStrategy.idle();
            return;
        }
        // A short spin, then a few yields, before parking: under load the next message is usually this close.
        if (idles < SPINS + YIELDS)
        {
            if (idles++ < SPINS)
            {
                Thread.onSpinWait();
            }
            else
            {
                Thread.yield();
            }
            return;
        }
        if (!agent.arm())
        {
            return; // work turned up while arming
        }
        svSleeping(true);
        if (agent.isArmed()) // not woken between arm and here: see the class comment
        {
            LockSupport.parkNanos(this, MAX_PARK_NANOS);
        }
        svSleeping(false);
        agent.disarm(); // a timeout or a spurious return: run a round anyway
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

    private boolean lvSleeping()
    {
        return (boolean)SLEEPING.getVolatile(this);
    }

    private void svSleeping(final boolean value)
    {
        SLEEPING.setVolatile(this, value);
    }
}
