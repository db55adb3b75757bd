package io.ringmq;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the steps of {@link Broker#close()} and {@link Broker#close(java.time.Duration)}, the one
 * difference between the two: how long a step may make the closing thread wait.
 * <p>
 * Most steps end at once, but some wait for a delivery handler to return (a closing channel waits until
 * no delivery of its consumers is in progress; the consumer pool joins its threads), and a handler may
 * never return. {@link #unbounded()} runs each step on the closing thread and waits as long as it takes.
 * {@link #within} runs each step on a daemon thread of its own and waits for it no longer than the
 * deadline, so a stuck handler holds up only the step that waits for it, the closing thread returns, and
 * the stuck step finishes by itself if the handler ever returns.
 * <p>
 * Used by the one closing thread only, but for {@link #isFinished()}, which any thread may read.
 */
final class Teardown
{
    private static final System.Logger LOG = System.getLogger("io.ringmq");

    private final boolean bounded;
    private final long startNanos;
    private final long timeoutNanos;
    /** The bounded steps' threads, in start order; the closing thread's only. */
    private final List<Thread> threads = new ArrayList<>();
    /** Bounded steps started and not yet ended. */
    private final AtomicInteger unfinished = new AtomicInteger();
    /** Set once the closing thread has run or started every step. */
    private volatile boolean allStarted;

    private Teardown(final boolean bounded, final long timeoutNanos)
    {
        this.bounded = bounded;
        this.startNanos = System.nanoTime();
        this.timeoutNanos = timeoutNanos;
    }

    /** @return a teardown whose steps run on the calling thread, each waited for as long as it takes. */
    static Teardown unbounded()
    {
        return new Teardown(false, Long.MAX_VALUE);
    }

    /**
     * @param timeoutNanos how long, from now, {@link #awaitSteps} may wait in all; 0 or more.
     * @return a teardown whose steps run on daemon threads, waited for until the deadline.
     */
    static Teardown within(final long timeoutNanos)
    {
        return new Teardown(true, timeoutNanos);
    }

    /**
     * Runs {@code task} now (unbounded), or starts it on a daemon thread named {@code ringmq-close: what}
     * (bounded), where what it throws is logged: nothing else would see it.
     */
    void step(final String what, final Runnable task)
    {
        if (!bounded)
        {
            task.run();
            return;
        }
        unfinished.incrementAndGet();
        final Thread thread = new Thread(() ->
        {
            try
            {
                task.run();
            }
            catch (final RuntimeException | Error ex)
            {
                LOG.log(System.Logger.Level.WARNING, "closing the broker: " + what + " failed", ex);
            }
            finally
            {
                unfinished.decrementAndGet();
            }
        }, "ringmq-close: " + what);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /**
     * Waits for every step started so far, until the deadline; an interrupt does not cut the wait short
     * (the flag is restored before returning), as {@link Threads#joinUninterruptibly} does.
     *
     * @return true when they have all ended.
     */
    boolean awaitSteps()
    {
        boolean interrupted = false;
        for (final Thread thread : threads)
        {
            while (thread.isAlive())
            {
                final long remaining = timeoutNanos - (System.nanoTime() - startNanos);
                if (remaining <= 0)
                {
                    break;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        return unfinished.get() == 0;
    }

    /** @return the names of the bounded steps still running (each a daemon thread, left to finish by itself). */
    List<String> unfinishedSteps()
    {
        final List<String> names = new ArrayList<>();
        for (final Thread thread : threads)
        {
            if (thread.isAlive())
            {
                names.add(thread.getName());
            }
        }
        return names;
    }

    /** The closing thread has run or started its last step. */
    void allStepsStarted()
    {
        allStarted = true;
    }

    /** @return true once every step has ended; any thread. */
    boolean isFinished()
    {
        return allStarted && unfinished.get() == 0;
    }
}
