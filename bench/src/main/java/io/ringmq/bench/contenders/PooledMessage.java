package io.ringmq.bench.contenders;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A reusable envelope for the bare-queue contenders (JCTools, {@code ArrayBlockingQueue}): the queue element
 * is a reference to one of these, taken round-robin from its publisher's pool, so no message is allocated.
 *
 * <p>Plain {@code sequence}: the queue's offer (a release) and poll (an acquire) order the publisher's write
 * before the consumer's read. When the pool alone cannot prove an envelope free again (competing consumers,
 * see {@link QueuePublisher}), the consumer also {@link #release()}s it after reading, and the publisher
 * checks {@link #isReleased()} before reusing it: the same job as the Disruptor's gating sequences.
 */
public final class PooledMessage
{
    private static final VarHandle IN_USE;

    static
    {
        try
        {
            IN_USE = MethodHandles.lookup().findVarHandle(PooledMessage.class, "inUse", boolean.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    long sequence;
    final byte[] payload = Payload.bytes();
    /** Only used in gated pools; see the class comment. */
    private boolean inUse;

    public long sequence()
    {
        return sequence;
    }

    /** Publisher, before the offer: a plain store, published by the queue's release of the element. */
    void claim()
    {
        inUse = true;
    }

    /** Consumer, after reading {@code sequence}: release store, pairs with {@link #isReleased()}'s acquire. */
    void release()
    {
        IN_USE.setRelease(this, false);
    }

    /** Publisher, before reuse: acquire load, pairs with the consumer's {@link #release()}. */
    boolean isReleased()
    {
        return !(boolean) IN_USE.getAcquire(this);
    }
}
