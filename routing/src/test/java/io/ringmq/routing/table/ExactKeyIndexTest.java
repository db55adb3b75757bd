package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants {@link ExactKeyIndex}'s lock-free reads rely on, checked on the index alone: what
 * is put is found (by an equal key of another String instance too), removal leaves a stamped
 * tombstone, growth builds a new array and leaves the old one as it was, and no array is ever more
 * than half full, so every probe ends.
 */
class ExactKeyIndexTest
{
    private static final QueueNode<String> QUEUE = new QueueNode<>("q", 0, "q");

    @SuppressWarnings("unchecked")
    private static Binding<String>[] bindingsOf(final String key, final int count)
    {
        final Binding<String>[] bindings = new Binding[count];
        for (int i = 0; i < count; i++)
        {
            bindings[i] = Binding.create("x", ExchangeType.DIRECT, "q" + i, new QueueNode<>("q" + i, i, "q" + i), key, BindingArguments.NONE);
        }
        return bindings;
    }

    /** @return the slots holding an entry, tombstones included. */
    private static int usedSlots(final ExactKeyIndex.Entry<?>[] table)
    {
        int used = 0;
        for (final ExactKeyIndex.Entry<?> entry : table)
        {
            used += entry == null ? 0 : 1;
        }
        return used;
    }

    /** @return how many slots {@code table} has. */
    private static int slots(final ExactKeyIndex.Entry<?>[] table)
    {
        return table.length;
    }

    @Test
    void findsWhatWasPutByAnEqualKeyAndNothingElse()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        assertNull(ExactKeyIndex.find(index.table(), "k1"), "an empty index holds nothing");
        for (int i = 0; i < 100; i++)
        {
            index.put("k" + i, bindingsOf("k" + i, 1 + i % 3), 7);
        }
        for (int i = 0; i < 100; i++)
        {
            final ExactKeyIndex.Entry<String> entry = ExactKeyIndex.find(index.table(), new String(("k" + i).toCharArray()));
            assertEquals("k" + i, entry.bindings[0].key);
            assertEquals(1 + i % 3, entry.bindings.length);
            assertEquals(7, entry.since);
        }
        assertNull(ExactKeyIndex.find(index.table(), "k100"));
        assertNull(ExactKeyIndex.find(index.table(), "K1"));
        assertEquals(100, index.size());
    }

    @Test
    void aSoleQueueBindingIsDeliveredWithoutItsArrayAndOthersAreNot()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        index.put("one", bindingsOf("one", 1), 1);
        index.put("two", bindingsOf("two", 2), 1);
        final Binding<String> toExchange = Binding.create("x", ExchangeType.DIRECT, "e", null, "e2e", BindingArguments.NONE);
        index.put("e2e", ExchangeNode.append(ExchangeNode.noBindings(), toExchange), 1);
        assertEquals(0, ExactKeyIndex.find(index.table(), "one").soleQueueId);
        assertEquals(ExactKeyIndex.Entry.NO_SOLE_QUEUE, ExactKeyIndex.find(index.table(), "two").soleQueueId,
            "two bindings: the route walks them");
        assertEquals(ExactKeyIndex.Entry.NO_SOLE_QUEUE, ExactKeyIndex.find(index.table(), "e2e").soleQueueId,
            "an exchange destination is resolved per snapshot");
    }

    @Test
    void removingTheLastBindingLeavesATombstoneStampedWithItsVersion()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        index.put("k", bindingsOf("k", 1), 3);
        index.put("k", ExchangeNode.noBindings(), 4);
        final ExactKeyIndex.Entry<String> tombstone = ExactKeyIndex.find(index.table(), "k");
        assertEquals(0, tombstone.bindings.length);
        assertEquals(4, tombstone.since, "a route of snapshot 3 must see that k changed after it, and ask its snapshot");
        assertEquals(0, index.size());

        index.put("never", ExchangeNode.noBindings(), 5);
        assertNull(ExactKeyIndex.find(index.table(), "never"), "a key never held needs no tombstone");
    }

    @Test
    void growingBuildsANewArrayAndLeavesTheOldOneAsTheOlderSnapshotsSawIt()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        index.put("first", bindingsOf("first", 1), 1);
        final ExactKeyIndex.Entry<?>[] old = index.table();
        final ExactKeyIndex.Entry<String> firstEntry = ExactKeyIndex.find(old, "first");
        int i = 0;
        while (index.table() == old)
        {
            index.put("k" + i, bindingsOf("k" + i, 1), 2 + i);
            i++;
        }
        final String grownBy = "k" + (i - 1);
        assertNotSame(old, index.table());
        assertNull(ExactKeyIndex.find(old, grownBy), "the key that made it grow went into the new array only");
        assertSame(firstEntry, ExactKeyIndex.find(old, "first"), "the old array is frozen, not cleared");
        assertSame(firstEntry, ExactKeyIndex.find(index.table(), "first"), "moved with its stamp, not re-stamped");
        for (int k = 0; k < i; k++)
        {
            assertEquals(2 + k, ExactKeyIndex.find(index.table(), "k" + k).since);
        }
    }

    @Test
    void growingDropsTombstonesWhichNoRouteOfTheNewArrayNeeds()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        for (int i = 0; i < 6; i++)
        {
            index.put("gone" + i, bindingsOf("gone" + i, 1), 1);
            index.put("gone" + i, ExchangeNode.noBindings(), 2);
        }
        final ExactKeyIndex.Entry<?>[] withTombstones = index.table();
        int i = 0;
        while (index.table() == withTombstones)
        {
            index.put("k" + i, bindingsOf("k" + i, 1), 3);
            i++;
        }
        assertTrue(i <= 3, "tombstones count towards the load, so they bring growth forward (grew after " + i + " new keys)");
        for (int g = 0; g < 6; g++)
        {
            assertEquals(0, ExactKeyIndex.find(withTombstones, "gone" + g).bindings.length);
            assertNull(ExactKeyIndex.find(index.table(), "gone" + g));
        }
        assertEquals(i, usedSlots(index.table()), "the new array holds the live keys only");
    }

    @Test
    void noArrayIsEverMoreThanHalfFullSoEveryProbeEnds()
    {
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        final SplittableRandom random = new SplittableRandom(13);
        final boolean[] bound = new boolean[500];
        for (int step = 0; step < 20_000; step++)
        {
            final int key = random.nextInt(bound.length);
            bound[key] = !bound[key];
            index.put("k" + key, bound[key] ? bindingsOf("k" + key, 1) : ExchangeNode.noBindings(), step);
            final ExactKeyIndex.Entry<?>[] table = index.table();
            assertTrue(2 * usedSlots(table) <= slots(table), "step " + step + ": " + usedSlots(table) + " of " + slots(table));
        }
        int live = 0;
        for (int key = 0; key < bound.length; key++)
        {
            final ExactKeyIndex.Entry<String> entry = ExactKeyIndex.find(index.table(), "k" + key);
            assertEquals(bound[key], entry != null && entry.bindings.length == 1, "k" + key);
            live += bound[key] ? 1 : 0;
        }
        assertEquals(live, index.size());
    }

    @Test
    void keysWhoseHashesCollideAreTellApartByTheirChars()
    {
        // "Aa" and "BB" share String.hashCode, so they share a probe chain.
        final ExactKeyIndex<String> index = new ExactKeyIndex<>();
        index.put("Aa", bindingsOf("Aa", 1), 1);
        index.put("BB", bindingsOf("BB", 2), 1);
        assertEquals("Aa".hashCode(), "BB".hashCode());
        assertEquals(1, ExactKeyIndex.find(index.table(), "Aa").bindings.length);
        assertEquals(2, ExactKeyIndex.find(index.table(), "BB").bindings.length);
        index.put("Aa", ExchangeNode.noBindings(), 2);
        assertArrayEquals(new int[] {0, 2}, new int[] {
            ExactKeyIndex.find(index.table(), "Aa").bindings.length, ExactKeyIndex.find(index.table(), "BB").bindings.length});
    }
}
