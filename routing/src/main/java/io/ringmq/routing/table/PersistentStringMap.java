package io.ringmq.routing.table;

import java.util.function.BiConsumer;

/**
 * An immutable map from {@code String} to {@code V}: a hash array mapped trie (Bagwell) of
 * bitmap-indexed 32-way nodes, changed by path copying.
 *
 * <p>Why a trie and not a copied {@code HashMap}: a writer that adds one binding must not copy the
 * whole table, yet readers must see an immutable snapshot. {@link #with} and {@link #without} copy
 * only the nodes on the path to the key (at most seven levels of at most 32 slots), so declaring
 * {@code n} bindings one by one costs {@code O(n log32 n)}, and every older version stays valid for
 * the routes still reading it.
 *
 * <p>Why lookups by range: a topic route looks up each word of the routing key. {@link #get(String,
 * int, int, int)} takes the word as a char range of the routing key plus its {@code String.hashCode}
 * computed over that range ({@link #hashOfRange}), and compares with {@code regionMatches}, so routing
 * allocates no substring.
 *
 * <p>Layout: every node holds {@code array} as key/value pairs. In a {@link BitmapNode} a pair whose
 * key is {@code null} holds a child node as its value. Two keys with the same 32-bit hash end up in
 * a {@link CollisionNode}, searched linearly. Values are never {@code null}.
 *
 * <p>Thread safety: immutable; safe to read from any thread once published (see
 * {@code RoutingTable#soSnapshot}).
 */
final class PersistentStringMap<V>
{
    private static final int BITS = 5;
    private static final int MASK = (1 << BITS) - 1;
    private static final Object[] NO_ENTRIES = new Object[0];

    @SuppressWarnings("rawtypes")
    private static final PersistentStringMap EMPTY = new PersistentStringMap<>(null, 0);

    private final Node root;
    private final int size;

    private PersistentStringMap(final Node root, final int size)
    {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> PersistentStringMap<V> empty()
    {
        return (PersistentStringMap<V>) EMPTY;
    }

    /** {@code String.hashCode} of {@code s.substring(from, to)}, computed without the substring. */
    static int hashOfRange(final String s, final int from, final int to)
    {
        int h = 0;
        for (int i = from; i < to; i++)
        {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    /**
     * Mixes the high bits into the low ones that index the first levels: short strings that differ
     * only in their last char would otherwise share most low bits.
     */
    private static int spread(final int h)
    {
        return h ^ (h >>> 16);
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }

    /** @return the value of {@code key}, or {@code null}; never allocates. */
    V get(final String key)
    {
        return get(key, 0, key.length(), key.hashCode());
    }

    /**
     * Looks up the key {@code source.substring(from, to)} without creating it.
     *
     * @param rangeHash {@link #hashOfRange}{@code (source, from, to)}, computed once by the caller.
     * @return the value, or {@code null}; never allocates.
     */
    @SuppressWarnings("unchecked")
    V get(final String source, final int from, final int to, final int rangeHash)
    {
        final Node root = this.root;
        if (root == null)
        {
            return null;
        }
        return (V) root.find(spread(rangeHash), 0, source, from, to);
    }

    /** @return a map with {@code key} bound to {@code value}; {@code this} when nothing changes. */
    PersistentStringMap<V> with(final String key, final V value)
    {
        if (value == null)
        {
            throw new IllegalArgumentException("null value for key " + key);
        }
        final V previous = get(key);
        if (previous == value)
        {
            return this;
        }
        final int hash = spread(key.hashCode());
        final Node base = root == null ? BitmapNode.EMPTY : root;
        return new PersistentStringMap<>(base.with(hash, 0, key, value), previous == null ? size + 1 : size);
    }

    /** @return a map without {@code key}; {@code this} when it was absent. */
    PersistentStringMap<V> without(final String key)
    {
        if (root == null || get(key) == null)
        {
            return this;
        }
        final Node newRoot = root.without(spread(key.hashCode()), 0, key);
        return newRoot == null ? empty() : new PersistentStringMap<>(newRoot, size - 1);
    }

    /** Visits every entry in no particular order (writers, listings of an immutable snapshot, tests). */
    @SuppressWarnings("unchecked")
    void forEach(final BiConsumer<String, V> action)
    {
        if (root != null)
        {
            root.forEach((BiConsumer<String, Object>) action);
        }
    }

    /** Depth of the deepest node, for the tests that prove the trie stays shallow. */
    int depth()
    {
        return root == null ? 0 : root.depth();
    }

    private static boolean keyEquals(final String key, final String source, final int from, final int to)
    {
        if (key == source)
        {
            // The very instance stored (a literal or a name the caller keeps): no chars to compare.
            return from == 0 && to == key.length();
        }
        final int length = to - from;
        return key.length() == length && key.regionMatches(0, source, from, length);
    }

    private static Object[] insertPair(final Object[] array, final int index, final Object key, final Object value)
    {
        final Object[] copy = new Object[array.length + 2];
        System.arraycopy(array, 0, copy, 0, index);
        copy[index] = key;
        copy[index + 1] = value;
        System.arraycopy(array, index, copy, index + 2, array.length - index);
        return copy;
    }

    private static Object[] removePair(final Object[] array, final int index)
    {
        final Object[] copy = new Object[array.length - 2];
        System.arraycopy(array, 0, copy, 0, index);
        System.arraycopy(array, index + 2, copy, index, array.length - index - 2);
        return copy;
    }

    private static Object[] replacePair(final Object[] array, final int index, final Object key, final Object value)
    {
        final Object[] copy = array.clone();
        copy[index] = key;
        copy[index + 1] = value;
        return copy;
    }

    /** A node with two entries whose (spread) hashes first differ at or below {@code shift}. */
    private static Node pairNode(
        final int shift,
        final String key1, final int hash1, final Object value1,
        final String key2, final int hash2, final Object value2)
    {
        if (hash1 == hash2)
        {
            return new CollisionNode(hash1, new Object[] {key1, value1, key2, value2});
        }
        // The hashes differ somewhere in bits shift..31, so the recursion in with() ends by shift 30.
        return BitmapNode.EMPTY.with(hash1, shift, key1, value1).with(hash2, shift, key2, value2);
    }

    private abstract static class Node
    {
        /** Key/value pairs; see the class comment. Never mutated once the node is constructed. */
        final Object[] array;

        Node(final Object[] array)
        {
            this.array = array;
        }

        abstract Object find(int hash, int shift, String source, int from, int to);

        abstract Node with(int hash, int shift, String key, Object value);

        /** @return the node without {@code key}, or {@code null} when that leaves it empty. */
        abstract Node without(int hash, int shift, String key);

        abstract int depth();

        /** @return whether this node is one plain key/value pair that its parent may hold inline. */
        abstract boolean isSinglePair();

        final void forEach(final BiConsumer<String, Object> action)
        {
            for (int i = 0; i < array.length; i += 2)
            {
                if (array[i] == null)
                {
                    ((Node) array[i + 1]).forEach(action);
                }
                else
                {
                    action.accept((String) array[i], array[i + 1]);
                }
            }
        }
    }

    private static final class BitmapNode extends Node
    {
        static final BitmapNode EMPTY = new BitmapNode(0, NO_ENTRIES);

        private final int bitmap;

        BitmapNode(final int bitmap, final Object[] array)
        {
            super(array);
            this.bitmap = bitmap;
        }

        private int index(final int bit)
        {
            return 2 * Integer.bitCount(bitmap & (bit - 1));
        }

        @Override
        Object find(final int hash, final int shift, final String source, final int from, final int to)
        {
            final int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0)
            {
                return null;
            }
            final int index = index(bit);
            final Object key = array[index];
            final Object value = array[index + 1];
            if (key == null)
            {
                return ((Node) value).find(hash, shift + BITS, source, from, to);
            }
            return keyEquals((String) key, source, from, to) ? value : null;
        }

        @Override
        Node with(final int hash, final int shift, final String key, final Object value)
        {
            final int bit = 1 << ((hash >>> shift) & MASK);
            final int index = index(bit);
            if ((bitmap & bit) == 0)
            {
                return new BitmapNode(bitmap | bit, insertPair(array, index, key, value));
            }
            final Object existingKey = array[index];
            final Object existingValue = array[index + 1];
            if (existingKey == null)
            {
                final Node child = (Node) existingValue;
                final Node newChild = child.with(hash, shift + BITS, key, value);
                return newChild == child ? this : new BitmapNode(bitmap, replacePair(array, index, null, newChild));
            }
            if (existingKey.equals(key))
            {
                return existingValue == value ? this : new BitmapNode(bitmap, replacePair(array, index, key, value));
            }
            final String other = (String) existingKey;
            final Node child = pairNode(shift + BITS, other, spread(other.hashCode()), existingValue, key, hash, value);
            return new BitmapNode(bitmap, replacePair(array, index, null, child));
        }

        @Override
        Node without(final int hash, final int shift, final String key)
        {
            final int bit = 1 << ((hash >>> shift) & MASK);
            if ((bitmap & bit) == 0)
            {
                return this;
            }
            final int index = index(bit);
            final Object existingKey = array[index];
            if (existingKey == null)
            {
                final Node child = (Node) array[index + 1];
                final Node newChild = child.without(hash, shift + BITS, key);
                if (newChild == child)
                {
                    return this;
                }
                if (newChild == null)
                {
                    return bitmap == bit ? null : new BitmapNode(bitmap ^ bit, removePair(array, index));
                }
                if (newChild.isSinglePair())
                {
                    // Pull a lone entry up so that deletions leave the trie as shallow as insertions would.
                    return new BitmapNode(bitmap, replacePair(array, index, newChild.array[0], newChild.array[1]));
                }
                return new BitmapNode(bitmap, replacePair(array, index, null, newChild));
            }
            if (!existingKey.equals(key))
            {
                return this;
            }
            return bitmap == bit ? null : new BitmapNode(bitmap ^ bit, removePair(array, index));
        }

        @Override
        boolean isSinglePair()
        {
            return array.length == 2 && array[0] != null;
        }

        @Override
        int depth()
        {
            int deepest = 0;
            for (int i = 0; i < array.length; i += 2)
            {
                if (array[i] == null)
                {
                    deepest = Math.max(deepest, ((Node) array[i + 1]).depth());
                }
            }
            return 1 + deepest;
        }
    }

    /** Keys whose spread hashes are equal in all 32 bits: no bit is left to index, so search linearly. */
    private static final class CollisionNode extends Node
    {
        private final int hash;

        CollisionNode(final int hash, final Object[] array)
        {
            super(array);
            this.hash = hash;
        }

        private int indexOf(final String key)
        {
            for (int i = 0; i < array.length; i += 2)
            {
                if (array[i].equals(key))
                {
                    return i;
                }
            }
            return -1;
        }

        @Override
        Object find(final int hash, final int shift, final String source, final int from, final int to)
        {
            if (hash != this.hash)
            {
                return null;
            }
            for (int i = 0; i < array.length; i += 2)
            {
                if (keyEquals((String) array[i], source, from, to))
                {
                    return array[i + 1];
                }
            }
            return null;
        }

        @Override
        Node with(final int hash, final int shift, final String key, final Object value)
        {
            if (hash != this.hash)
            {
                // A key that shares the hash bits consumed above this level but not all 32 of them:
                // hang this node under a bitmap node at this level and insert the key beside it.
                // (A collision node below shift 30 is never reached by a different hash.)
                final int bit = 1 << ((this.hash >>> shift) & MASK);
                return new BitmapNode(bit, new Object[] {null, this}).with(hash, shift, key, value);
            }
            final int index = indexOf(key);
            if (index < 0)
            {
                return new CollisionNode(hash, insertPair(array, array.length, key, value));
            }
            return array[index + 1] == value ? this : new CollisionNode(hash, replacePair(array, index, key, value));
        }

        @Override
        Node without(final int hash, final int shift, final String key)
        {
            final int index = hash == this.hash ? indexOf(key) : -1;
            if (index < 0)
            {
                return this;
            }
            return array.length == 2 ? null : new CollisionNode(hash, removePair(array, index));
        }

        @Override
        boolean isSinglePair()
        {
            return array.length == 2;
        }

        @Override
        int depth()
        {
            return 1;
        }
    }
}
