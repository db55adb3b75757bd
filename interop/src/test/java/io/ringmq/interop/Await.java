package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Every wait in the suite goes through here, so every wait is bounded and says what it waited for. */
final class Await
{
    /** Long enough for a loaded 2-core machine, short enough that a missing answer fails fast. */
    static final long SECONDS = 10;
    /** How long "nothing more arrives" is watched for. */
    static final long QUIET_MILLIS = 300;

    private Await()
    {
    }

    static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException
    {
        T item = queue.poll(SECONDS, TimeUnit.SECONDS);
        if (item == null)
        {
            fail("waited " + SECONDS + " s for " + what);
        }
        return item;
    }

    static void nothingMore(BlockingQueue<?> queue, String what) throws InterruptedException
    {
        assertNull(queue.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), what);
    }

    static void latch(CountDownLatch latch, String what) throws InterruptedException
    {
        assertTrue(latch.await(SECONDS, TimeUnit.SECONDS), "waited " + SECONDS + " s for " + what);
    }

    @FunctionalInterface
    interface Condition
    {
        boolean holds() throws Exception;
    }

    static void until(Condition condition, String what) throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (!condition.holds())
        {
            if (System.nanoTime() > deadline)
            {
                fail("waited " + SECONDS + " s for " + what);
            }
            Thread.sleep(10);
        }
    }
}
