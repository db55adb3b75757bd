package io.ringmq.bench.contenders;

/**
 * How a benchmark thread waits when its contender is full or empty: spin a little, then yield the core.
 *
 * <p>The same policy as the Disruptor's {@code YieldingWaitStrategy} (100 spins, then
 * {@code Thread.yield()}), applied to every in-JVM contender so that the wait is not what is compared.
 * Busy-spinning forever would be unfair here: the machine has 2 cores and the 2→1, 1→2 and fanout shapes
 * run 3 to 5 threads, so a spinning thread would steal the core its partner needs.
 *
 * <p>Single thread: one instance per waiting thread.
 */
public final class YieldingIdle
{
    static final int SPIN_TRIES = 100;

    private int spins;

    /** Called after each failed attempt. */
    public void idle()
    {
        if (spins < SPIN_TRIES)
        {
            spins++;
            Thread.onSpinWait();
        }
        else
        {
            Thread.yield();
        }
    }

    /** Called after a successful attempt, so the next wait starts by spinning again. */
    public void reset()
    {
        spins = 0;
    }
}
