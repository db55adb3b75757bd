package io.ringmq;

/**
 * How a push consumer's thread waits when its queue is empty or its prefetch is used up: the
 * trade between latency and CPU the Disruptor offers. One core per busy consumer is the rule for
 * {@link #BUSY_SPIN}; on a machine with few cores prefer {@link #YIELDING} or {@link #BLOCKING}.
 */
public enum WaitStrategy
{
    /** Spins on the CPU: lowest latency, burns a core. */
    BUSY_SPIN,
    /** Spins briefly, then yields the CPU between checks. */
    YIELDING,
    /** Spins, yields, then parks for growing intervals (up to 1 ms): little CPU when idle. */
    BACKOFF,
    /** Parks for a fixed 100 µs between checks. */
    SLEEPING,
    /**
     * Parks until a publisher signals the queue; costs publishers a fence and a flag read per
     * publish, and an unpark when the consumer actually sleeps. The default.
     */
    BLOCKING
}
