package io.ringmq;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/** Waits for a condition that another thread makes true: a liveness bound, not a timing assertion. */
final class Await
{
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private Await()
    {
    }

    static void until(final String what, final BooleanSupplier condition)
    {
        final long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                fail("gave up after " + LIMIT.toSeconds() + "s waiting for: " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
