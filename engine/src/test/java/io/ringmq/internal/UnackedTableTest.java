package io.ringmq.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnackedTableTest
{
    private static final UnackedTable.ClaimSink<Object> IGNORE = (tag, value, context) -> { };

    @Test
    void eachTagIsClaimedExactlyOnceAndUnknownTagsFindNothing()
    {
        final UnackedTable<String> table = new UnackedTable<>(4);
        table.insert(1, "a", "ctx");
        table.insert(2, "b", null);
        final List<String> got = new ArrayList<>();
        assertTrue(table.claim(1, (tag, value, context) -> got.add(tag + value + context)));
        assertFalse(table.claim(1, IGNORE), "second claim of the same tag");
        assertFalse(table.claim(3, IGNORE), "a tag never handed out");
        assertFalse(table.claim(0, IGNORE));
        assertFalse(table.claim(-3, IGNORE));
        assertEquals(List.of("1actx"), got);
        assertEquals(1, table.size());
    }

    @Test
    void tagsMustGrow()
    {
        final UnackedTable<String> table = new UnackedTable<>(4);
        table.insert(5, "a", null);
        assertThrows(IllegalArgumentException.class, () -> table.insert(5, "b", null));
        assertThrows(IllegalArgumentException.class, () -> table.insert(4, "b", null));
        table.insert(9, "c", null); // gaps are fine: the channel's other consumers took 6 to 8
        assertEquals(2, table.size());
    }

    @Test
    void aDeliveryAWholeTableBehindIsMovedAsideAndStillSettledUnderItsTag()
    {
        final UnackedTable<Integer> table = new UnackedTable<>(1); // 16 slots
        table.insert(1, 0, "first");
        for (int tag = 2; tag <= 100; tag++)
        {
            table.insert(tag, tag, null);
            assertTrue(table.claim(tag, IGNORE)); // acknowledged at once; tag 1 is not
        }
        assertEquals(1, table.stragglerCount(), "tag 17's slot was tag 1's: tag 1 moved aside instead of the table growing");
        assertEquals(1, table.size());
        final AtomicInteger value = new AtomicInteger(-1);
        final List<Object> context = new ArrayList<>();
        assertTrue(table.claim(1, (tag, v, c) ->
        {
            value.set(v);
            context.add(c);
        }));
        assertEquals(0, value.get());
        assertEquals(List.of("first"), context);
        assertFalse(table.claim(1, IGNORE), "a straggler is claimed once too");
        assertEquals(0, table.size());
        assertEquals(0, table.stragglerCount());
    }

    @Test
    void claimUpToReachesStragglersToo()
    {
        final UnackedTable<Integer> table = new UnackedTable<>(1);
        table.insert(1, 1, null);
        table.insert(2, 2, null);
        for (int tag = 3; tag <= 40; tag++)
        {
            table.insert(tag, tag, null);
            table.claim(tag, IGNORE);
        }
        assertEquals(2, table.stragglerCount());
        table.insert(41, 41, null);
        final List<Integer> claimed = new ArrayList<>();
        assertEquals(2, table.claimUpTo(40, (tag, value, context) -> claimed.add(value)));
        claimed.sort(null);
        assertEquals(List.of(1, 2), claimed);
        assertEquals(1, table.size(), "41 is above the bound");
    }

    @Test
    void growingKeepsEveryHeldDeliveryUnderItsTag()
    {
        final UnackedTable<Long> table = new UnackedTable<>(1);
        for (long i = 1; i <= 10_000; i++)
        {
            table.insert(i * 3, i, i); // sparse, as a consumer's share of a busy channel's tags
        }
        assertEquals(10_000, table.size());
        assertEquals(0, table.stragglerCount(), "nothing is a whole table behind while the table keeps growing");
        for (long i = 1; i <= 10_000; i++)
        {
            final long expected = i;
            assertTrue(table.claim(i * 3, (tag, value, context) -> assertEquals(expected, value)));
        }
        assertEquals(0, table.size());
    }

    @Test
    void claimUpToTakesExactlyTheTagsAtOrBelowTheBound()
    {
        final UnackedTable<Long> table = new UnackedTable<>(8);
        for (long i = 1; i <= 6; i++)
        {
            table.insert(i, i, null);
        }
        final List<Long> claimed = new ArrayList<>();
        assertEquals(4, table.claimUpTo(4, (tag, value, context) -> claimed.add(value)));
        claimed.sort(null);
        assertEquals(List.of(1L, 2L, 3L, 4L), claimed);
        assertEquals(2, table.size());
    }

    @Test
    void concurrentClaimersNeverSettleOneTagTwiceWhileTheOwnerGrowsAndEvicts() throws Exception
    {
        final UnackedTable<Long> table = new UnackedTable<>(1);
        final int total = 200_000;
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
                int next = 1;
                while (next <= total)
                {
                    final int upTo = published.get();
                    for (; next <= upTo; next++)
                    {
                        // Every 97th is left for the end: it becomes a straggler while the rest flow.
                        if (next % 97 == 0)
                        {
                            continue;
                        }
                        table.claim(next, (tag, value, context) ->
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
        for (int i = 1; i <= total; i++)
        {
            table.insert(i, (long)i, null);
            published.lazySet(i);
        }
        for (final Thread t : claimers)
        {
            t.join();
        }
        table.claimUpTo(Long.MAX_VALUE, (tag, value, context) ->
        {
            if (settled.put(value, Boolean.TRUE) != null)
            {
                duplicates.incrementAndGet();
            }
        });
        assertEquals(0, duplicates.get());
        assertEquals(total, settled.size(), "every delivery settled once");
        assertEquals(0, table.size());
    }
}
