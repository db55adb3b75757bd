package io.ringmq;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * "No room, will tell you": publishers that may not wait (an I/O thread holding a message for a full
 * {@code block} queue, {@link Channel#publishNonBlocking}) leave a callback here, and whoever next frees
 * room in the queue (a take, a purge, a deletion) runs the callbacks waiting at that moment, once each.
 * <p>
 * <b>Cost when nobody waits:</b> one volatile read of {@link #waiting} per take: a plain load on x86,
 * of a line written only when a publisher registers.
 * <p>
 * <b>No lost signal:</b> a publisher adds its callback, counts it ({@link #waiting}, a volatile
 * read-modify-write, so a full fence) and only then offers again; a taker removes a message (its
 * ring's consumer-index CAS, also a full fence) and only then reads the count. Either the publisher's
 * second offer finds the room, or the taker sees the count and runs the callback. Callbacks run on the
 * taker's thread and must only hand the work to their owner (say, schedule a task on an event loop).
 * A callback may run after its publisher already found room by itself: spurious signals are allowed.
 */
final class RoomSignal
{
    private static final VarHandle WAITING;
    private static final VarHandle CALLBACKS;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            WAITING = lookup.findVarHandle(RoomSignal.class, "waiting", int.class);
            CALLBACKS = lookup.findVarHandle(RoomSignal.class, "callbacks", ConcurrentLinkedQueue.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Null until the first callback: most queues never have a publisher waiting for room. */
    @SuppressWarnings("unused")
    private volatile ConcurrentLinkedQueue<Runnable> callbacks;
    @SuppressWarnings("unused")
    private volatile int waiting;

    /** Any thread: run {@code callback} once when room may have freed. The caller must offer again afterwards. */
    void await(final Runnable callback)
    {
        callbacks().add(callback);
        WAITING.getAndAdd(this, 1);
    }

    /** Created by the first {@link #await}, before its count: a signaller that sees the count sees the queue. */
    @SuppressWarnings("unchecked")
    private ConcurrentLinkedQueue<Runnable> callbacks()
    {
        final ConcurrentLinkedQueue<Runnable> existing = (ConcurrentLinkedQueue<Runnable>)CALLBACKS.getAcquire(this);
        if (existing != null)
        {
            return existing;
        }
        final ConcurrentLinkedQueue<Runnable> created = new ConcurrentLinkedQueue<>();
        final Object witness = CALLBACKS.compareAndExchangeRelease(this, null, created);
        return witness == null ? created : (ConcurrentLinkedQueue<Runnable>)witness;
    }

    /** After room was freed: runs the callbacks registered so far. Any thread; cheap when none waits. */
    void signal()
    {
        if ((int)WAITING.getVolatile(this) == 0)
        {
            return;
        }
        final ConcurrentLinkedQueue<Runnable> callbacks = callbacks(); // exists: a count was added after it
        Runnable callback;
        while ((callback = callbacks.poll()) != null)
        {
            WAITING.getAndAdd(this, -1);
            try
            {
                callback.run();
            }
            catch (final RuntimeException ex)
            {
                System.getLogger("io.ringmq").log(System.Logger.Level.WARNING, "room callback threw", ex);
            }
        }
    }

    /** @return callbacks registered and not yet run (tests). */
    int waiting()
    {
        return (int)WAITING.getVolatile(this);
    }
}
