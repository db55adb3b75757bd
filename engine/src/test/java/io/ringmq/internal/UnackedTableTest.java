package io.ringmq.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnackedTableTest
{
    private static final UnackedTable.ClaimSink<Object> IGNORE = (tag, value, context) -> { };

    @Test
    void tagsStrictlyIncreaseAndEachIsClaimedExactlyOnce()
    {
        final UnackedTable<String> table = new UnackedTable<>(4);
        final long a = table.insert("a", "ctx");
        final long b = table.insert("b", null);
        assertTrue(a > 0 && b > a);
        final List<String> got = new ArrayList<>();
        assertTrue(table.claim(a, (tag, value, context) -> got.add(tag + value + context)));
        assertFalse(table.claim(a, IGNORE), "second claim of the same tag");
        assertFalse(table.claim(b + 1, IGNORE), "a tag never handed out");
        assertFalse(table.claim(0, IGNORE));
        assertFalse(table.claim(-3, IGNORE));
        assertEquals(List.of(a + "actx"), got);
        assertEquals(1, table.size());
    }

    @Test
    void aTagWhoseSlotIsStillHeldIsSkippedNotReused()
    {
        final UnackedTable<Integer> table = new UnackedTable<>(1); // 16 slots
        final long oldest = table.insert(0, null);
        long last = oldest;
        for (int i = 1; i < 40; i++)
        {
            final long tag = table.insert(i, null);
            assertTrue(tag > last);
            last = tag;
            assertTrue(table.claim(tag, IGNORE));
        }
        // The oldest delivery kept its slot all along: later tags that mapped to it were skipped.
        final AtomicInteger value = new AtomicInteger(-1);
        assertTrue(table.claim(oldest, (tag, v, context) -> value.set(v)));
        assertEquals(0, value.get());
    }

    @Test
    void growingKeepsEveryHeldDeliveryUnderItsTag()
    {
        final UnackedTable<Long> table = new UnackedTable<>(1);
        final List<Long> tags = new ArrayList<>();
        for (long i = 0; i < 10_000; i++)
        {
            tags.add(table.insert(i, i));
        }
        assertEquals(10_000, table.size());
        for (int i = 0; i < tags.size(); i++)
        {
            final long expected = i;
            assertTrue(table.claim(tags.get(i), (tag, value, context) -> assertEquals(expected, value)));
        }
        assertEquals(0, table.size());
    }

    @Test
    void claimUpToTakesExactlyTheTagsAtOrBelowTheBound()
    {
        final UnackedTable<Long> table = new UnackedTable<>(8);
        final List<Long> tags = new ArrayList<>();
        for (long i = 0; i < 6; i++)
        {
            tags.add(table.insert(i, null));
        }
        final List<Long> claimed = new ArrayList<>();
        assertEquals(4, table.claimUpTo(tags.get(3), (tag, value, context) -> claimed.add(value)));
        claimed.sort(null);
        assertEquals(List.of(0L, 1L, 2L, 3L), claimed);
        assertEquals(2, table.size());
    }

    @Test
    void concurrentClaimersNeverSettleOneTagTwiceWhileTheOwnerGrowsTheTable() throws Exception
    {
        final UnackedTable<Long> table = new UnackedTable<>(1);
        final int total = 200_000;
        final long[] tags = new long[total];
        final ConcurrentHashMap<Long, Boolean> settled = new ConcurrentHashMap<>();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger published = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] claimers = new Thread[2];
        for (int c = 0; c < claimers.length; c++)
        {
            claimers[c] = new Thread(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
                int next = 0;
                while (next < total)
                {
                    final int upTo = published.get();
                    for (; next < upTo; next++)
                    {
                        table.claim(tags[next], (tag, value, context) ->
                        {
                            if (settled.put(value, Boolean.TRUE) != null)
                            {
                                duplicates.incrementAndGet();
                            }
                        });
                    }
                    Thread.onSpinWait();
                }
            });
            claimers[c].start();
        }
        start.countDown();
        for (int i = 0; i < total; i++)
        {
            tags[i] = table.insert((long)i, null);
            published.lazySet(i + 1); // tags[i] is written before; the claimers read published first
        }
        for (final Thread t : claimers)
        {
            t.join();
        }
        assertEquals(0, duplicates.get());
        assertEquals(total, settled.size(), "every delivery settled once");
        assertEquals(0, table.size());
    }
}
