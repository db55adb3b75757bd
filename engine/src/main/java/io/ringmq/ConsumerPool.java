package io.ringmq;

import org.jctools.queues.MpmcUnboundedXaddArrayQueue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The broker's shared consumer threads ({@link ConsumerThreading#SHARED_POOL}): any number of
 * consumers, a few threads. One per broker, started with its first pooled consumer, stopped and
 * joined by {@link Broker#close()}.
 * <p>
 * <b>How:</b> a consumer that has work is <em>scheduled</em>: it sits in one lock-free ready queue
 * (JCTools' unbounded MPMC queue, chunks pooled: nothing allocated per scheduling in steady state)
 * until a pool thread takes it, runs a batch of its deliveries ({@link DeliveryAgent#doWork}), and puts
 * it back at the end of the queue if it did some work, or arms it ({@link DeliveryAgent#arm}) if it had
 * nothing to do. A woken consumer is scheduled again. A consumer is in the queue at most once (its
 * {@code scheduled} flag, set by CAS), so it never runs on two threads at once, and consumers take turns
 * a batch at a time. Because any free thread takes the next consumer, a handler that blocks holds up only
 * its own thread; a pool of {@code n} threads delivers to at most {@code n} blocking handlers at once, so
 * handlers that block for long belong on a {@link ConsumerThreading#DEDICATED_THREAD}.
 * <p>
 * <b>Idle threads</b> spin briefly, yield, then park. Memory ordering: a thread stores its
 * {@code parked} flag ({@link Worker#svParked}) and then re-reads the ready queue; a scheduler offers to
 * the queue (an atomic add) and then reads the flags ({@link Worker#lvParked}): one of the two sees the
 * other, so no scheduled consumer waits on a sleeping pool.
 */
final class ConsumerPool implements AgentRunner
{
    /** Deliveries per turn: large enough to amortize the ready queue, small enough to share the threads. */
    static final int BATCH = 64;
    /** The default size: small, and never below 2 so that one blocked handler does not stop all delivery. */
    static final int DEFAULT_THREADS = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int SPINS = 100;
    private static final int YIELDS = 50;
    private static final int READY_CHUNK = 256;
    private static final VarHandle PARKED;

    static
    {
        try
        {
            PARKED = MethodHandles.lookup().findVarHandle(Worker.class, "parked", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MpmcUnboundedXaddArrayQueue<DeliveryAgent> ready = new MpmcUnboundedXaddArrayQueue<>(READY_CHUNK);
    private final Worker[] workers;
    private volatile boolean closed;

    ConsumerPool(final int threads, final ThreadFactory threadFactory)
    {
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++)
        {
            workers[i] = new Worker();
            workers[i].thread = threadFactory.newThread(workers[i]);
        }
        for (final Worker worker : workers)
        {
            worker.thread.start();
        }
    }

    @Override
    public void start(final DeliveryAgent agent)
    {
        schedule(agent);
    }

    @Override
    public void wake(final DeliveryAgent agent)
    {
        schedule(agent);
    }

    @Override
    public void release(final DeliveryAgent agent)
    {
        // A stopped agent still in the ready queue is dropped when a thread takes it.
    }

    int threadCount()
    {
        return workers.length;
    }

    /** @return true when {@code thread} is one of this pool's (tests). */
    boolean owns(final Thread thread)
    {
        for (final Worker worker : workers)
        {
            if (worker.thread == thread)
            {
                return true;
            }
        }
        return false;
    }

    private void schedule(final DeliveryAgent agent)
    {
        if (!agent.isRunning() || !agent.trySchedule())
        {
            return;
        }
        ready.offer(agent); // an atomic add: the flags read below cannot move above it
        for (final Worker worker : workers)
        {
            if (worker.lvParked() && worker.casParked())
            {
                LockSupport.unpark(worker.thread);
                return;
            }
        }
    }

    /** Stops every thread and waits for it; the consumers were stopped before. */
    void close()
    {
        closed = true;
        boolean interrupted = false;
        for (final Worker worker : workers)
        {
            LockSupport.unpark(worker.thread);
        }
        for (final Worker worker : workers)
        {
            if (worker.thread == Thread.currentThread())
            {
                continue; // closed from a pooled handler: that thread ends after its handler returns
            }
            interrupted |= Threads.joinUninterruptibly(worker.thread);
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** One pool thread. */
    private final class Worker implements Runnable
    {
        Thread thread;
        @SuppressWarnings("unused")
        private volatile boolean parked;

        @Override
        public void run()
        {
            int idles = 0;
            while (!closed)
            {
                final DeliveryAgent agent = ready.poll();
                if (agent != null)
                {
                    runOne(agent);
                    idles = 0;
                }
                else if (idles < SPINS)
                {
                    idles++;
                    Thread.onSpinWait();
                }
                else if (idles < SPINS + YIELDS)
                {
                    idles++;
                    Thread.yield();
                }
                else
                {
                    park();
                    idles = 0;
                }
            }
        }

        private void runOne(final DeliveryAgent agent)
        {
            if (!agent.isRunning())
            {
                agent.unschedule(); // stopped while it waited: dropped
                return;
            }
            int work;
            try
            {
                work = agent.doWork(BATCH);
            }
            catch (final Throwable error)
            {
                // An Error from a handler (the agent settled the message first): the pool thread goes on.
                System.getLogger("io.ringmq").log(System.Logger.Level.ERROR,
                    "a handler of " + agent + " threw an Error on a pool thread", error);
                work = 1;
            }
            if (work > 0)
            {
                ready.offer(agent); // still scheduled: back at the end of the line
                return;
            }
            agent.unschedule();
            if (!agent.arm())
            {
                schedule(agent); // work turned up while arming
            }
        }

        private void park()
        {
            svParked(true);
            if (ready.isEmpty() && !closed) // after the store: see the class comment
            {
                LockSupport.parkNanos(ConsumerPool.this, MAX_PARK_NANOS);
            }
            svParked(false);
        }

        boolean lvParked()
        {
            return (boolean)PARKED.getVolatile(this);
        }

        boolean casParked()
        {
            return PARKED.compareAndSet(this, true, false);
        }

        private void svParked(final boolean value)
        {
            PARKED.setVolatile(this, value);
        }
    }

}
