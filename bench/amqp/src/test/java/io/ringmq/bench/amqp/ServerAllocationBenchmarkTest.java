package io.ringmq.bench.amqp;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's loop, run briefly for each of its shapes: messages keep flowing past the prefetch (so the
 * raw consumer's acks reach the server), and the JMH thread, which is both clients, allocates nothing, so
 * that {@code -prof gc}'s bytes per operation are the server's own.
 */
class ServerAllocationBenchmarkTest
{
    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 20_000;
    private static final int WINDOWS = 3;

    @ParameterizedTest(name = "body {0} B, ack {1}")
    @CsvSource({"12, auto", "12, manual", "1024, auto", "1024, manual"})
    @Timeout(60)
    void messagesFlowAndTheClientsAllocateNothing(final int bodySize, final String ack) throws Exception
    {
        final ServerAllocationBenchmark benchmark = new ServerAllocationBenchmark();
        benchmark.bodySize = bodySize;
        benchmark.ack = ack;
        benchmark.start();
        try
        {
            for (int i = 0; i < WARM_UP; i++)
            {
                benchmark.publishAndConsume();
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            // The least of a few windows: a one-off (a lazy initialisation, a JIT event) may land in one, while
            // a single octet allocated per message would show in every window, MEASURED times over.
            long least = Long.MAX_VALUE;
            final long[] windows = new long[WINDOWS];
            long published = 0;
            for (int w = 0; w < WINDOWS; w++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < MEASURED; i++)
                {
                    published = benchmark.publishAndConsume();
                }
                windows[w] = threads.getCurrentThreadAllocatedBytes() - before;
                least = Math.min(least, windows[w]);
            }

            assertEquals(WARM_UP + (long)WINDOWS * MEASURED, published);
            assertTrue(benchmark.delivered() > published - ServerAllocationBenchmark.WINDOW, "delivered " +
                benchmark.delivered() + " of " + published);
            assertTrue(least < 1024, "the clients allocated " + Arrays.toString(windows) + " octets in windows of " +
                MEASURED + " messages");
        }
        finally
        {
            benchmark.stop();
        }
    }
}
