package io.ringmq.routing.table;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Bytes allocated by the current thread, from HotSpot's {@code com.sun.management.ThreadMXBean}.
 *
 * <p>Bound through a {@link MethodHandle} rather than imported: test classes are compiled into the
 * {@code io.ringmq.routing} module, which (rightly) does not read {@code jdk.management}. The handle
 * is invoked exactly ({@code long} in, {@code long} out), so reading the counter boxes nothing.
 */
final class AllocationCounter
{
    private final Object bean;
    private final MethodHandle allocatedBytes;

    private AllocationCounter(final Object bean, final MethodHandle allocatedBytes)
    {
        this.bean = bean;
        this.allocatedBytes = allocatedBytes;
    }

    /** @return a counter, or {@code null} when this JVM cannot count per-thread allocation. */
    static AllocationCounter create()
    {
        try
        {
            final Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            final Object bean = factory.getMethod("getThreadMXBean").invoke(null);
            final Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            if (!hotspot.isInstance(bean) || !(Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(bean))
            {
                return null;
            }
            hotspot.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            final MethodHandle handle = MethodHandles.publicLookup()
                .findVirtual(hotspot, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                .asType(MethodType.methodType(long.class, Object.class, long.class));
            return new AllocationCounter(bean, handle);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            return null;
        }
    }

    long allocatedBytes(final long threadId)
    {
        try
        {
            return (long) allocatedBytes.invokeExact(bean, threadId);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }
}
