package io.ringmq.bench.latency;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.HdrHistogram.Histogram;

import io.ringmq.bench.contenders.MessageSink;

/**
 * The sink of a {@link Pipeline} in the latency benchmark: for each message, records now minus the intended
 * send time it carries, when the message was scheduled inside the current measurement window, and counts
 * every message it is given.
 *
 * <p>Threads: {@link #onMessage} runs on the pipeline's consumer thread only, the histogram's single writer.
 * The benchmark thread opens and closes windows ({@link #startWindow}) and reads {@link #delivered()} at
 * iteration boundaries; it reads the histogram only after the pipeline's {@code close()} joined the consumer.
 */
final class LatencyRecorder implements MessageSink
{
    private static final VarHandle DELIVERED;

    static
    {
        try
        {
            DELIVERED = MethodHandles.lookup().findVarHandle(LatencyRecorder.class, "delivered", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Histogram histogram;
    private final long highestTrackable;
    private volatile boolean recording;
    private volatile long recordFromNanos;
    /** Written by the consumer thread only (opaque stores), read now and then by the benchmark thread. */
    @SuppressWarnings("unused")
    private long delivered;

    LatencyRecorder(final Histogram histogram)
    {
        this.histogram = histogram;
        this.highestTrackable = histogram.getHighestTrackableValue();
    }

    /**
     * Starts a window: from now on, messages intended at or after {@code fromNanos} are recorded, when
     * {@code record} (measurement iterations) is true.
     */
    void startWindow(final boolean record, final long fromNanos)
    {
        recordFromNanos = fromNanos;
        recording = record;
    }

    @Override
    public void onMessage(final long intendedNanos)
    {
        final long now = System.nanoTime();
        if (recording && intendedNanos >= recordFromNanos)
        {
            histogram.recordValue(Math.min(now - intendedNanos, highestTrackable));
        }
        DELIVERED.setOpaque(this, (long) DELIVERED.getOpaque(this) + 1);
    }

    /** Messages handed to this sink so far; any thread. */
    long delivered()
    {
        return (long) DELIVERED.getOpaque(this);
    }

    Histogram histogram()
    {
        return histogram;
    }
}
