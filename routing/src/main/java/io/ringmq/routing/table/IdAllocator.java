package io.ringmq.routing.table;

import java.util.Arrays;

/**
 * Dense int ids for queues or exchanges, recycled through a free list, so that the stamp arrays of a
 * {@link DestinationSet} stay as small as the largest number of objects that ever existed at once.
 *
 * <p>Why recycling is safe: an id is released only by the writer call that removes its object
 * <em>and every binding that reaches it</em> from the next snapshot, so no snapshot contains two live
 * destinations with the same id; a route reads one snapshot and de-duplicates with stamps of its own
 * epoch, so an older snapshot still being routed on keeps its own consistent id assignment.
 *
 * <p>Writer-only (guarded by the table's writer lock); not thread-safe.
 */
final class IdAllocator
{
    private int[] free = new int[16];
    private int freeCount;
    private int next;

    int allocate()
    {
        if (freeCount > 0)
        {
            return free[--freeCount];
        }
        if (next == Integer.MAX_VALUE)
        {
            throw new IllegalStateException("out of ids");
        }
        return next++;
    }

    void release(final int id)
    {
        if (freeCount == free.length)
        {
            free = Arrays.copyOf(free, 2 * freeCount);
        }
        free[freeCount++] = id;
    }

    /** @return one more than the highest id ever handed out. */
    int highWaterMark()
    {
        return next;
    }
}
