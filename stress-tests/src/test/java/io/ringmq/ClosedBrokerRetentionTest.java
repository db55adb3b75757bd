package io.ringmq;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A closed broker must not stay reachable from the threads that used it. Found by this module's
 * jcstress run ({@code AckStress}, which builds a broker per test state on long-lived threads, ran out
 * of heap after the magazine-cached envelope pool came in): each thread's cache, the value of a
 * {@code ThreadLocal}, held envelopes, envelopes held their pool, and the pool held the
 * {@code ThreadLocal}, so the entry's weak key was strongly reachable from its own value and never
 * cleared. The engine now cuts the envelopes' way back to a closed broker's pool.
 */
final class ClosedBrokerRetentionTest
{
    private static final int BROKERS = 1_000;

    @Test
    void aClosedBrokersEnvelopePoolIsNotRetainedByTheThreadThatUsedIt() throws InterruptedException
    {
        assertNoPoolRetained(false);
    }

    @Test
    void aBrokerClosedByAnotherThreadIsNotRetainedByTheThreadThatUsedIt() throws InterruptedException
    {
        assertNoPoolRetained(true);
    }

    private static void assertNoPoolRetained(final boolean closeElsewhere) throws InterruptedException
    {
        final List<WeakReference<EnvelopePool>> pools = new ArrayList<>();
        for (int i = 0; i < BROKERS; i++)
        {
            final Broker broker = Broker.builder().envelopePool(4, 4).build();
            pools.add(new WeakReference<>(broker.pool()));
            try (Channel channel = broker.openChannel())
            {
                channel.queueDeclare(QueueSpec.builder("q").capacity(4).build());
                channel.publish("", "q", new byte[] {1}); // takes an envelope from this thread's magazine
                channel.ack(channel.get("q", false).deliveryTag(), false); // and returns it there
            }
            if (closeElsewhere)
            {
                final Thread closer = new Thread(broker::close); // this thread's cache entry stays behind
                closer.start();
                closer.join();
            }
            else
            {
                broker.close();
            }
        }
        int retained = BROKERS;
        for (int attempt = 0; attempt < 10 && retained > 0; attempt++)
        {
            System.gc();
            Thread.sleep(20);
            retained = 0;
            for (final WeakReference<EnvelopePool> pool : pools)
            {
                retained += pool.get() != null ? 1 : 0;
            }
        }
        assertTrue(retained == 0, retained + " of " + BROKERS + " closed brokers' envelope pools are still reachable " +
            "after GC: this thread's ThreadLocal<Cache> entries keep them (value -> Magazine -> Envelope.pool -> " +
            "EnvelopePool.caches, the entry's own key), so every (broker, thread) pair leaks for the thread's life");
    }
}
