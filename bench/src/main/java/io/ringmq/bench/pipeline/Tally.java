package io.ringmq.bench.pipeline;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Left padding: keeps {@link Tally#seen} off the cache line of whatever the JVM allocated before it. */
abstract class TallyLeftPad
{
    long p01, p02, p03, p04, p05, p06, p07;
}

/** The count itself, written by one consumer thread only. */
abstract class TallyValue extends TallyLeftPad
{
    /** Messages this consumer has been handed so far: release-stored by the consumer, acquire-read by the producers. */
    long seen;
}

/**
 * How many messages one consumer has been handed, for the producers that wait for their batch to arrive.
 * <p>
 * One writer, the consumer's thread, which calls {@link #arrived(long)} once per batch where its peer
 * hands it batches (the Disruptor's {@code endOfBatch}, JCTools' {@code drain}, Agrona's {@code read}) and
 * once per message where the peer's API is per message (RingMQ's and Artemis' handlers, a blocking
 * {@code take}). The write is a release store to a line only that thread writes: on x86 a plain store, and
 * no contended counter is added to anybody's path. The producers read it only while they wait at the end of
 * a batch, so the line moves between cores a few times per batch, not once per message.
 */
public final class Tally extends TallyValue
{
    private static final VarHandle SEEN;

    static
    {
        try
        {
            SEEN = MethodHandles.lookup().findVarHandle(TallyValue.class, "seen", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Right padding: the next object on the heap cannot share the line either. */
    long p11, p12, p13, p14, p15, p16, p17;

    /**
     * Counts messages handed to this consumer. Consumer thread only.
     *
     * @param messages how many arrived since the last call
     */
    public void arrived(final long messages)
    {
        SEEN.setRelease(this, seen + messages);
    }

    /** @return the messages counted so far, as last published by the consumer; any thread. */
    public long seen()
    {
        return (long) SEEN.getAcquire(this);
    }

    /** @return a tally per consumer of the shape. */
    static Tally[] forConsumers(final int consumers)
    {
        final Tally[] tallies = new Tally[consumers];
        for (int i = 0; i < consumers; i++)
        {
            tallies[i] = new Tally();
        }
        return tallies;
    }
}
