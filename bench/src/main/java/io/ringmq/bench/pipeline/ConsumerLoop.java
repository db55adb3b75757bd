package io.ringmq.bench.pipeline;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.IdleStrategy;

/**
 * The consumer thread the bare-queue peers (JCTools, Agrona) need, since they have no threads of their own:
 * a duty cycle as Agrona's {@code AgentRunner} runs one, do work, then idle with the strategy told how much
 * work there was. A failure in the work stops the loop and is rethrown by {@link #stop()}.
 */
final class ConsumerLoop implements Runnable
{
    /** One pass of the duty cycle. */
    @FunctionalInterface
    interface Work
    {
        /** @return how many messages this pass handled; 0 makes the loop idle. */
        int doWork();
    }

    private final IdleStrategy idle;
    private final Work work;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    private ConsumerLoop(final String name, final IdleStrategy idle, final Work work)
    {
        this.idle = idle;
        this.work = work;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    static ConsumerLoop start(final String name, final IdleStrategy idle, final Work work)
    {
        final ConsumerLoop loop = new ConsumerLoop(name, idle, work);
        loop.thread.start();
        return loop;
    }

    @Override
    public void run()
    {
        try
        {
            while (running)
            {
                idle.idle(work.doWork());
            }
        }
        catch (final Throwable t)
        {
            failure.set(t);
        }
    }

    /** Stops the thread and waits for it; rethrows what made it fail, if anything did. */
    void stop() throws InterruptedException
    {
        running = false;
        thread.join(10_000);
        final Throwable t = failure.get();
        if (t != null)
        {
            throw new IllegalStateException(thread.getName() + " failed", t);
        }
    }

    static void stopAll(final List<ConsumerLoop> loops) throws InterruptedException
    {
        for (final ConsumerLoop loop : loops)
        {
            loop.stop();
        }
        loops.clear();
    }
}
