package io.ringmq.routing.table;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The bindings of one exchange by exact key, in an open-addressing hash table that writers update
 * in place and readers probe without locking: what makes a direct route (and the wildcard-free part
 * of a topic route) cost about one {@code HashMap.get} however many bindings there are.
 *
 * <p>Why not only the persistent trie: at 100,000 keys a {@link PersistentStringMap} lookup walks
 * four levels, each a node and its array, so a route paid eight or more cache misses before reaching
 * the bindings. Here a key and its {@link Entry} sit side by side in one array ({@code [key0, entry0,
 * key1, entry1, ...]}, so in one cache line): a hit costs that line, then the key's chars and the
 * entry, which the processor fetches in parallel. A {@code HashMap.get} reads its table, a node, the
 * key and its chars one after the other.
 *
 * <h2>How a route stays inside its snapshot</h2>
 * The table is shared by every snapshot of the exchange, so it may hold changes newer than the
 * snapshot a route reads. Each {@link Entry} therefore carries {@link Entry#since}: the version of
 * the snapshot that first contains it ({@link Snapshot#version}). A route reading snapshot {@code v}
 * trusts an entry whose {@code since <= v}; on a newer one it falls back to the persistent map of
 * its own snapshot, which is the truth ({@link ExactBindings#route}). Why a trusted entry is still
 * current at {@code v}: any replacement made for a version {@code <= v} was stored (release) before
 * snapshot {@code v} was published (release), and the route loaded that snapshot (acquire) before
 * probing (acquire), so it sees that replacement or a later one, never the entry it replaced.
 *
 * <p>Invariants that make that argument hold for absent keys too:
 * <ul>
 *   <li>Within one array, a slot that once held a key holds that key forever (a new key's entry is
 *       stored before the key, so a route that sees the key sees an entry). Removing a key's last
 *       binding stores a <em>tombstone</em> (an entry with no bindings, stamped with its version),
 *       so a route of an older snapshot still sees a newer stamp and falls back, and probe chains
 *       never break.</li>
 *   <li>Growing (or dropping tombstones) builds a <em>new</em> array, referenced only by the exchange
 *       nodes of the snapshot being built and later ones; the old array is frozen and stays valid for
 *       the routes of the older snapshots that reference it. A tombstone is dropped only then: every
 *       route that can see the new array reads a snapshot at or after the removal it records.</li>
 *   <li>At most half the slots are used (keys and tombstones), so every probe meets a {@code null}
 *       and ends: a route never waits, and never loops on a table a writer is filling.</li>
 * </ul>
 *
 * <p>Threads: {@link #put} is writer-only (under the table's writer lock), called before the snapshot
 * with the given version is published. {@link #find} is for any thread, on an array obtained from
 * {@link #table()} by the writer and published inside a snapshot.
 *
 * <p>Memory-ordering vocabulary as in {@code package-info}: slots are read with {@code la} (load
 * acquire) and written with {@code so} (release store); a new array is filled with plain stores and
 * published by the snapshot's release store.
 */
final class ExactKeyIndex<Q>
{
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object[] EMPTY_TABLE = new Object[0];
    /** Slots (key/entry pairs) of the first array. */
    private static final int MIN_CAPACITY = 16;

    /**
     * One key's bindings as of {@link #since}. Immutable; replaced whole when the key's bindings change.
     */
    static final class Entry<Q>
    {
        /** {@link #soleQueueId} when the key has no sole queue binding (ids are never negative). */
        static final int NO_SOLE_QUEUE = -1;

        /** The version of the first snapshot this entry describes. */
        final long since;
        /** The bindings of the key; empty for a tombstone. Never mutated (copy-on-write arrays). */
        final Binding<Q>[] bindings;
        /**
         * When the key has exactly one binding and it leads to a queue (the common case), that queue's
         * {@link QueueNode} id, copied here so that a route reads it from the entry it already holds,
         * not from the binding array, the binding and the node one after the other; {@link #NO_SOLE_QUEUE}
         * otherwise.
         */
        final int soleQueueId;

        Entry(final long since, final Binding<Q>[] bindings)
        {
            this.since = since;
            this.bindings = bindings;
            final QueueNode<Q> node = bindings.length == 1 ? bindings[0].queue : null;
            this.soleQueueId = node == null ? NO_SOLE_QUEUE : node.id;
        }
    }

    /** The current array, key at {@code 2 * slot}, entry at {@code 2 * slot + 1}; writer-only field (readers get arrays through snapshots). */
    private Object[] table = EMPTY_TABLE;
    /** Slots holding a key, tombstones included. */
    private int used;
    /** Slots holding a key with bindings. */
    private int live;

    static Object[] emptyTable()
    {
        return EMPTY_TABLE;
    }

    /**
     * Scatters {@code String.hashCode} over the slots. Why more than {@code HashMap}'s {@code h ^ (h >>> 16)}:
     * keys such as {@code "key.1000"}..{@code "key.1009"} have consecutive hash codes, which chaining
     * shrugs off but linear probing turns into one long run of occupied slots. Multiplying by an odd
     * constant (Fibonacci hashing) spreads them; the shift brings the well-mixed high bits down to the
     * ones the mask keeps.
     */
    private static int spread(final int h)
    {
        final int x = h * 0x9E3779B9;
        return x ^ (x >>> 16);
    }

    /** @return the array a node built now must reference (after the {@link #put}s of this writer call so far). */
    Object[] table()
    {
        return table;
    }

    /** @return the number of keys with at least one binding. */
    int size()
    {
        return live;
    }

    /**
     * Looks {@code key} up in an array published by a snapshot. Lock-free, allocation-free.
     *
     * @return the entry of {@code key} (possibly a tombstone, possibly newer than the caller's
     *         snapshot: check {@link Entry#since}), or {@code null} when this array does not hold it.
     */
    @SuppressWarnings("unchecked")
    static <Q> Entry<Q> find(final Object[] table, final String key)
    {
        final int slot = slotOf(table, key);
        return slot < 0 ? null : (Entry<Q>) SLOT.getAcquire(table, slot + 1);
    }

    /**
     * @return the index of {@code key} in {@code table} (its entry is at the next index), or
     *         {@code -(index of the free slot where it would go) - 1}; {@code -1} for the empty array.
     */
    private static int slotOf(final Object[] table, final String key)
    {
        final int length = table.length;
        if (length == 0)
        {
            return -1;
        }
        final int hash = key.hashCode();
        final int mask = length - 2; // length is twice a power of two: this keeps even indexes only
        for (int slot = (spread(hash) << 1) & mask; ; slot = (slot + 2) & mask)
        {
            final String stored = (String) SLOT.getAcquire(table, slot);
            if (stored == null)
            {
                return -slot - 1;
            }
            // String.hashCode is cached: a mismatch costs no look at the chars.
            if (stored == key || (stored.hashCode() == hash && stored.equals(key)))
            {
                return slot;
            }
        }
    }

    /**
     * Sets the bindings of {@code key} as of snapshot {@code version} (the one this writer call will
     * publish); an empty array removes the key, leaving a tombstone. Writer-only.
     */
    void put(final String key, final Binding<Q>[] bindings, final long version)
    {
        int slot = slotOf(table, key);
        @SuppressWarnings("unchecked")
        final Entry<Q> previous = slot < 0 ? null : (Entry<Q>) table[slot + 1];
        final boolean wasLive = previous != null && previous.bindings.length != 0;
        final boolean isLive = bindings.length != 0;
        final Entry<Q> entry = new Entry<>(version, bindings);
        if (previous == null)
        {
            if (!isLive)
            {
                return; // not held here, and a tombstone is needed only where the key was
            }
            if (2 * (used + 1) > table.length / 2)
            {
                // Room for twice the live keys: at most a quarter full now, half full at the next rebuild.
                rebuild(Math.max(MIN_CAPACITY, Integer.highestOneBit(2 * (live + 1)) << 1));
                slot = slotOf(table, key);
            }
            slot = -slot - 1;
            used++;
            live++;
            // Entry first: a route that sees the key (acquire) then sees its entry.
            soSlot(table, slot + 1, entry);
            soSlot(table, slot, key);
            return;
        }
        live += (isLive ? 1 : 0) - (wasLive ? 1 : 0);
        soSlot(table, slot + 1, entry);
    }

    /**
     * Moves the live keys with their entries (stamps kept) into a new array of {@code capacity}
     * slots (a power of two, more than twice the live keys plus one), dropping tombstones. The old
     * array is left as is for the snapshots that reference it.
     */
    private void rebuild(final int capacity)
    {
        final Object[] old = table;
        final Object[] next = new Object[2 * capacity];
        final int mask = next.length - 2;
        for (int i = 0; i < old.length; i += 2)
        {
            final String key = (String) old[i];
            if (key != null && ((Entry<?>) old[i + 1]).bindings.length != 0)
            {
                int slot = (spread(key.hashCode()) << 1) & mask;
                while (next[slot] != null)
                {
                    slot = (slot + 2) & mask;
                }
                // Plain stores: published by the snapshot that first references this array.
                next[slot] = key;
                next[slot + 1] = old[i + 1];
            }
        }
        table = next;
        used = live;
    }

    private static void soSlot(final Object[] table, final int index, final Object value)
    {
        SLOT.setRelease(table, index, value);
    }
}
