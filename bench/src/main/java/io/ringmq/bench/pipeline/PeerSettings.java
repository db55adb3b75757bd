package io.ringmq.bench.pipeline;

import io.ringmq.ConsumerThreading;
import io.ringmq.WaitStrategy;

/**
 * What a peer's configuration may vary besides its name: the JMH {@code @Param}s of the pipeline benchmarks.
 *
 * @param capacity  messages one ring or queue holds (a power of two); the benchmarks use {@link #RING}
 * @param idle      how the bare-queue peers' own threads wait when empty or full: {@code yielding},
 *                  {@code busyspin} or {@code backoff} (Agrona's {@code IdleStrategy} of that name)
 * @param threading RingMQ's consumer threading
 * @param waitStrategy RingMQ's wait strategy for a dedicated consumer thread
 */
public record PeerSettings(int capacity, String idle, ConsumerThreading threading, WaitStrategy waitStrategy)
{
    /** Ring and queue size of every in-memory peer: 65,536 slots, as the Disruptor's own perf tests use. */
    public static final int RING = 1 << 16;

    /** @return the settings of the benchmarks' defaults with another capacity (tests use small rings). */
    static PeerSettings defaults(final int capacity)
    {
        return new PeerSettings(capacity, "yielding", ConsumerThreading.DEDICATED_THREAD, WaitStrategy.YIELDING);
    }

    /** @return a fresh idle strategy of the configured kind, one per waiting thread. */
    org.agrona.concurrent.IdleStrategy newIdle()
    {
        return switch (idle)
        {
            case "yielding" -> new org.agrona.concurrent.YieldingIdleStrategy();
            case "busyspin" -> new org.agrona.concurrent.BusySpinIdleStrategy();
            case "backoff" -> new org.agrona.concurrent.BackoffIdleStrategy();
            default -> throw new IllegalArgumentException("idle must be yielding, busyspin or backoff, not " + idle);
        };
    }
}
