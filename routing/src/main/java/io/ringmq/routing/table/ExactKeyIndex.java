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
 * the bindings. Here a hit reads one slot of an array of {@link Entry}s, then the entry, which holds
 * the key's hash, the sole queue's id and the stamp, and beside which its own copy of the key and its
 * chars were allocated: about the lines and pages a {@code HashMap.get} reads (its table, then a node
 * next to its key), where a slot pair {@code [key, entry]} cost an array twice as long and one more
 * object far away.
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
 *   <li>Within one array, a slot that once held a key holds that key forever (an entry replacing
 *       another in its slot has the same key, and one release store publishes it whole). Removing a
 *       key's last binding stores a <em>tombstone</em> (an entry with no bindings, stamped with its version),
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
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entry[].class);
    /**
     * One slot, never written: a probe of it meets {@code null} at once, so {@link #find} needs no
     * emptiness test, and the first {@link #put} grows the index before storing anything.
     */
    private static final Entry<?>[] EMPTY_TABLE = new Entry<?>[1];
    /** Slots of the first array. */
    private static final int MIN_CAPACITY = 16;

    /**
     * One key's bindings as of {@link #since}, with the key itself and its hash. Immutable; replaced
     * whole when the key's bindings change.
     *
     * <p>Why the entry holds everything a hit reads, and a copy of the key: a route's cost at 100,000
     * keys is cache and TLB misses (under a hypervisor a TLB miss is a two-dimensional page walk), so
     * a hit should read its slot, then one small cluster of memory. The key copy (String and chars) is
     * allocated right before its entry and is reachable from the entry only, so the three sit side by
     * side, and a collector copying the entry copies the key next to it. Measured at 100,000 keys: the
     * entry referencing the caller's key String instead routed no faster than the slot pairs did; the
     * copy costs about 56 bytes per key (more for long keys).
     */
    static final class Entry<Q>
    {
        /** {@link #soleQueueId} when the key has no sole queue binding (ids are never negative). */
        static final int NO_SOLE_QUEUE = -1;

        /** The key: a private copy, equal to the bindings' key (see the class comment). */
        final String key;
        /** {@code key.hashCode()}, here so that a probe passing another key's entry reads no String. */
        final int hash;
        /**
         * When the key has exactly one binding and it leads to a queue (the common case), that queue's
         * {@link QueueNode} id, copied here so that a route reads it from the entry it already holds,
         * not from the binding array, the binding and the node one after the other; {@link #NO_SOLE_QUEUE}
         * otherwise.
         */
        final int soleQueueId;
        /** The version of the first snapshot this entry describes. */
        final long since;
        /** The bindings of the key; empty for a tombstone. Never mutated (copy-on-write arrays). */
        final Binding<Q>[] bindings;

        private Entry(final String key, final long since, final Binding<Q>[] bindings)
        {
            this.key = key;
            this.hash = key.hashCode();
            final QueueNode<Q> node = bindings.length == 1 ? bindings[0].queue : null;
            this.soleQueueId = node == null ? NO_SOLE_QUEUE : node.id;
            this.since = since;
            this.bindings = bindings;
        }

        /** @return an entry for {@code key} holding its own copy of it, allocated just before the entry (see above). */
        static <Q> Entry<Q> of(final String key, final long since, final Binding<Q>[] bindings)
        {
            // The chars first: `new String(key.toCharArray())` would put the temporary char[]
            // between the String and its byte[].
            final char[] chars = key.toCharArray();
            return new Entry<>(new String(chars), since, bindings);
        }
    }

    /** The current array of entries by slot; writer-only field (readers get arrays through snapshots). */
    private Entry<?>[] table = EMPTY_TABLE;
    /** Slots holding an entry, tombstones included. */
    private int used;
    /** Slots holding an entry with bindings. */
    private int live;

    static Entry<?>[] emptyTable()
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
    Entry<?>[] table()
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
    static <Q> Entry<Q> find(final Entry<?>[] table, final String key)
    {
        final int hash = key.hashCode();
        final int mask = table.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask)
        {
            final Entry<?> entry = (Entry<?>) SLOT.getAcquire(table, slot);
            // String.hashCode is cached, and the entry keeps a copy: a mismatch reads no chars.
            if (entry == null || (entry.hash == hash && entry.key.equals(key)))
            {
                return (Entry<Q>) entry;
            }
        }
    }

    /**
     * @return the slot of {@code key} in {@code table}, or {@code -(the free slot where it would go) - 1}.
     *         Writer-only: plain loads.
     */
    private static int slotOf(final Entry<?>[] table, final String key, final int hash)
    {
        final int mask = table.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask)
        {
            final Entry<?> entry = table[slot];
            if (entry == null)
            {
                return -slot - 1;
            }
            if (entry.hash == hash && entry.key.equals(key))
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
        final int hash = key.hashCode();
        int slot = slotOf(table, key, hash);
        final Entry<?> previous = slot < 0 ? null : table[slot];
        final boolean wasLive = previous != null && previous.bindings.length != 0;
        final boolean isLive = bindings.length != 0;
        if (previous == null)
        {
            if (!isLive)
            {
                return; // not held here, and a tombstone is needed only where the key was
            }
            if (2 * (used + 1) > table.length)
            {
                // Room for twice the live keys: at most a quarter full now, half full at the next rebuild.
                rebuild(Math.max(MIN_CAPACITY, Integer.highestOneBit(2 * (live + 1)) << 1));
                slot = slotOf(table, key, hash);
            }
            used++;
            live++;
            // One release store publishes the entry whole, its key with it.
            soSlot(table, -slot - 1, Entry.of(key, version, bindings));
            return;
        }
        live += (isLive ? 1 : 0) - (wasLive ? 1 : 0);
        soSlot(table, slot, Entry.of(key, version, bindings));
    }

    /**
     * Moves the live entries (stamps kept) into a new array of {@code capacity} slots (a power of
     * two, more than twice the live keys plus one), dropping tombstones. The old array is left as is
     * for the snapshots that reference it.
     */
    private void rebuild(final int capacity)
    {
        final Entry<?>[] old = table;
        final Entry<?>[] next = new Entry<?>[capacity];
        final int mask = capacity - 1;
        for (final Entry<?> entry : old)
        {
            if (entry != null && entry.bindings.length != 0)
            {
                int slot = spread(entry.hash) & mask;
                while (next[slot] != null)
                {
                    slot = (slot + 1) & mask;
                }
                // Plain stores: published by the snapshot that first references this array.
                next[slot] = entry;
            }
        }
        table = next;
        used = live;
    }

    private static void soSlot(final Entry<?>[] table, final int index, final Entry<?> value)
    {
        SLOT.setRelease(table, index, value);
    }
}
