package io.ringmq;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's timer work, on one daemon thread started when the first queue that needs it is
 * declared ({@link MessageQueue#needsHousekeeping}) and shut down (and joined) by {@link Broker#close()};
 * a broker without such queues never starts it.
 * <p>
 * Every {@value Broker#HOUSEKEEPING_PERIOD_MILLIS} ms it visits each such queue: it removes expired
 * messages at the heads of its levels ({@link QueueStorage#sweepExpired}), so a queue without
 * consumers sheds them too, and it deletes a queue with {@code x-expires} that has been unused long
 * enough. Queues on {@link PlainStorage} without {@code x-expires} are never visited: their rings
 * have no conditional poll, and they need not pay for a sweep.
 * <p>
 * Once the broker's {@link Inspector} is first asked for, the same thread also samples the statistics
 * every {@link Broker.Builder#statisticsInterval statistics interval} ({@link #sampleStatistics}), the
 * one place rates are computed.
 */
final class Housekeeper
{
    /** How often the thread sweeps: {@link Broker#HOUSEKEEPING_PERIOD_MILLIS}. */
    static final long PERIOD_MILLIS = 50;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The broker's re-check, under its topology lock, that a queue past its x-expires is still unused; then its deletion. */
    private final java.util.function.Consumer<MessageQueue> expireIfUnused;
    private final Set<MessageQueue> queues = ConcurrentHashMap.newKeySet();
    /** Guarded by the broker's topology lock. */
    private ScheduledExecutorService executor;
    /** Guarded by the broker's topology lock. */
    private boolean shutDown;
    /** Guarded by the broker's topology lock: which tasks are scheduled. */
    private boolean sweeping;
    private boolean sampling;
    /** The executor's one thread, joined on shutdown: a terminated executor's thread may still be exiting. */
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    Housekeeper(final java.util.function.Consumer<MessageQueue> expireIfUnused)
    {
        this.expireIfUnused = expireIfUnused;
    }

    /** Under the topology lock: {@code queue} is swept from now on; starts the thread on first use. */
    void add(final MessageQueue queue)
    {
        queues.add(queue);
        if (!sweeping && start())
        {
            sweeping = true;
            executor.scheduleWithFixedDelay(this::sweep, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Under the topology lock: runs {@code sampler} every {@code intervalNanos} from now on (the first
     * run at once), unless it already runs or the broker is closing.
     */
    void sampleStatistics(final Runnable sampler, final long intervalNanos)
    {
        if (!sampling && start())
        {
            sampling = true;
            executor.scheduleWithFixedDelay(() ->
            {
                try
                {
                    sampler.run();
                }
                catch (final RuntimeException ex) // a scheduled task that throws is never run again
                {
                    System.getLogger("io.ringmq").log(System.Logger.Level.WARNING, "statistics sampling failed", ex);
                }
            }, 0, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Under the topology lock. @return true when the thread runs (started now if it was not). */
    private boolean start()
    {
        if (shutDown)
        {
            return false;
        }
        if (executor == null)
        {
            executor = Executors.newSingleThreadScheduledExecutor(task ->
            {
                final Thread thread = new Thread(task, "ringmq-housekeeper-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                threads.add(thread);
                return thread;
            });
        }
        return true;
    }

    void remove(final MessageQueue queue)
    {
        queues.remove(queue);
    }

    /** @return true once the thread has been started (tests). */
    boolean isStarted()
    {
        return executor != null;
    }

    /**
     * Stops the thread and waits for a sweep in progress to end. Called by {@link Broker#close()} with
     * the topology lock <em>not</em> held (a sweep may need it to expire a queue).
     */
    void shutDown(final ScheduledExecutorService running)
    {
        if (running == null)
        {
            return;
        }
        running.shutdownNow();
        boolean interrupted = false;
        while (true)
        {
            try
            {
                if (running.awaitTermination(1, TimeUnit.SECONDS))
                {
                    break;
                }
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        for (final Thread thread : threads)
        {
            interrupted |= Threads.joinUninterruptibly(thread);
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Under the topology lock: no thread starts after this. @return the executor to shut down, or null. */
    ScheduledExecutorService detach()
    {
        shutDown = true;
        final ScheduledExecutorService running = executor;
        executor = null;
        return running;
    }

    private void sweep()
    {
        // A scheduled task that throws is never run again: nothing may escape.
        final long now = System.nanoTime();
        for (final MessageQueue queue : queues)
        {
            try
            {
                if (queue.isDeleted())
                {
                    continue;
                }
                queue.storage().sweepExpired();
                if (queue.isUnusedLongerThanExpiry(now))
                {
                    expireIfUnused.accept(queue);
                }
            }
            catch (final RuntimeException ex)
            {
                System.getLogger("io.ringmq").log(System.Logger.Level.WARNING, "housekeeping of " + queue + " failed", ex);
            }
        }
    }
}
