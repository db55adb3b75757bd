package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.ringmq.routing.table.RandomCases.between;
import static io.ringmq.routing.table.RandomCases.listOf;
import static io.ringmq.routing.table.RandomCases.oneOf;
import static io.ringmq.routing.table.RandomCases.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersistentStringMapTest
{
    @Test
    void olderVersionsStayUnchangedByLaterWrites()
    {
        final PersistentStringMap<Integer> v0 = PersistentStringMap.empty();
        final PersistentStringMap<Integer> v1 = v0.with("a", 1);
        final PersistentStringMap<Integer> v2 = v1.with("b", 2).with("a", 10);
        final PersistentStringMap<Integer> v3 = v2.without("a");

        assertNull(v0.get("a"));
        assertEquals(1, v1.get("a"));
        assertNull(v1.get("b"));
        assertEquals(10, v2.get("a"));
        assertEquals(2, v2.get("b"));
        assertNull(v3.get("a"));
        assertEquals(1, v3.size());
    }

    @Test
    void writesThatChangeNothingReturnTheSameMap()
    {
        final Integer one = 1;
        final PersistentStringMap<Integer> map = PersistentStringMap.<Integer>empty().with("a", one);
        assertSame(map, map.with("a", one));
        assertSame(map, map.without("absent"));
    }

    @Test
    void keysWithEqualHashCodesAreKeptApart()
    {
        // "Aa" and "BB" share String.hashCode 2112, and so do all 2^k strings of k such blocks.
        final String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        PersistentStringMap<String> map = PersistentStringMap.empty();
        for (final String key : colliding)
        {
            map = map.with(key, key.toLowerCase());
        }
        map = map.with("other", "o");
        for (final String key : colliding)
        {
            assertEquals(key.toLowerCase(), map.get(key));
        }
        map = map.without("AaBB").without("BBAa");
        assertEquals("aaaa", map.get("AaAa"));
        assertNull(map.get("AaBB"));
        assertEquals(3, map.size());
        map = map.without("AaAa").without("BBBB").without("other");
        assertTrue(map.isEmpty());
    }

    @Test
    void lookupByCharRangeFindsAWordInsideALongerStringWithoutASubstring()
    {
        final PersistentStringMap<Integer> map = PersistentStringMap.<Integer>empty().with("stock", 1).with("", 2).with("nyse", 3);
        final String key = "stock..nyse";
        assertEquals(1, map.get(key, 0, 5, PersistentStringMap.hashOfRange(key, 0, 5)));
        assertEquals(2, map.get(key, 6, 6, PersistentStringMap.hashOfRange(key, 6, 6)));
        assertEquals(3, map.get(key, 7, 11, PersistentStringMap.hashOfRange(key, 7, 11)));
        assertNull(map.get(key, 0, 4, PersistentStringMap.hashOfRange(key, 0, 4)));
        assertEquals("stoc".hashCode(), PersistentStringMap.hashOfRange(key, 0, 4));
    }

    @Test
    void aHundredThousandKeysMakeAShallowTrie()
    {
        PersistentStringMap<Integer> map = PersistentStringMap.empty();
        for (int i = 0; i < 100_000; i++)
        {
            map = map.with("key-" + i, i);
        }
        assertEquals(100_000, map.size());
        // 32^4 > 10^6: a well-spread hash needs about four levels; allow some unevenness.
        assertTrue(map.depth() <= 6, "depth " + map.depth());
        for (int i = 0; i < 100_000; i += 7)
        {
            assertEquals(i, map.get("key-" + i));
        }
        for (int i = 0; i < 100_000; i++)
        {
            map = map.without("key-" + i);
        }
        assertTrue(map.isEmpty());
    }

    /** {@code with(key, value)}, or {@code without(key)} when {@code value} is negative. */
    record Write(String key, int value)
    {
        @Override
        public String toString()
        {
            return value < 0 ? "without " + render(key) : "with " + render(key) + "=" + value;
        }
    }

    @Test
    void behavesLikeAHashMapUnderRandomWritesAndRemovals()
    {
        RandomCases.check(300, random -> listOf(random, 0, 200, PersistentStringMapTest::write), operations ->
        {
            PersistentStringMap<Integer> map = PersistentStringMap.empty();
            final Map<String, Integer> reference = new HashMap<>();
            for (final Write op : operations)
            {
                if (op.value() < 0)
                {
                    map = map.without(op.key());
                    reference.remove(op.key());
                }
                else
                {
                    map = map.with(op.key(), op.value());
                    reference.put(op.key(), op.value());
                }
                assertEquals(reference.size(), map.size(), () -> "size after " + op);
            }
            for (final Map.Entry<String, Integer> e : reference.entrySet())
            {
                assertEquals(e.getValue(), map.get(e.getKey()), () -> "get " + render(e.getKey()));
                final String padded = "." + e.getKey() + ".";
                assertEquals(e.getValue(), map.get(padded, 1, padded.length() - 1, e.getKey().hashCode()), () -> "get by range " + render(e.getKey()));
            }
            final Map<String, Integer> visited = new HashMap<>();
            map.forEach(visited::put);
            assertEquals(reference, visited, "forEach");
        });
    }

    /**
     * Few distinct keys, including colliding ones, so that removals and replacements really happen:
     * half the keys from a fixed set, half short random letter strings; values in [-3, 100], a
     * negative one meaning a removal.
     */
    private static Write write(final SplittableRandom random)
    {
        final String key = random.nextBoolean()
            ? oneOf(random, List.of("AaAa", "AaBB", "BBAa", "BBBB", "", "a", "b"))
            : letters(random, between(random, 0, 3));
        return new Write(key, between(random, -3, 100));
    }

    private static String letters(final SplittableRandom random, final int length)
    {
        final String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        final StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
