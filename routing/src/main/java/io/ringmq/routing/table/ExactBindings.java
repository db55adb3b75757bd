package io.ringmq.routing.table;

import java.util.function.Consumer;

/**
 * The bindings one exchange matches by exact key (all of a direct exchange's, the wildcard-free ones
 * of a topic exchange's), as one snapshot sees them: a {@link PersistentStringMap} from key to
 * bindings, which is this snapshot's truth, beside the exchange's {@link ExactKeyIndex}, which answers
 * a route in one probe whenever its entry for the key is no newer than the route's snapshot.
 *
 * <p>Immutable, except that it shares the exchange's index with its other versions: the writer
 * updates that index in place (see {@link ExactKeyIndex} for why routes of older snapshots stay
 * correct), and {@link #with}/{@link #without} must be called on the newest version only, as
 * {@link WriterState} does.
 */
final class ExactBindings<Q>
{
    @SuppressWarnings("rawtypes")
    private static final ExactBindings EMPTY = new ExactBindings<>(PersistentStringMap.empty(), null, ExactKeyIndex.emptyTable());

    private final PersistentStringMap<Binding<Q>[]> byKey;
    /** Writer-only; {@code null} until the exchange's first binding, so idle exchanges carry no table. */
    private final ExactKeyIndex<Q> index;
    /** The index's array as of this version: what routes probe. */
    private final ExactKeyIndex.Entry<?>[] table;

    private ExactBindings(final PersistentStringMap<Binding<Q>[]> byKey, final ExactKeyIndex<Q> index, final ExactKeyIndex.Entry<?>[] table)
    {
        this.byKey = byKey;
        this.index = index;
        this.table = table;
    }

    @SuppressWarnings("unchecked")
    static <Q> ExactBindings<Q> empty()
    {
        return (ExactBindings<Q>) EMPTY;
    }

    /**
     * @param version the version of the snapshot this writer call will publish.
     * @return these bindings and {@code binding} (known not to be present yet).
     */
    ExactBindings<Q> with(final Binding<Q> binding, final long version)
    {
        final Binding<Q>[] current = byKey.get(binding.key);
        final Binding<Q>[] next = ExchangeNode.append(current == null ? ExchangeNode.noBindings() : current, binding);
        final ExactKeyIndex<Q> index = this.index == null ? new ExactKeyIndex<>() : this.index;
        index.put(binding.key, next, version);
        return new ExactBindings<>(byKey.with(binding.key, next), index, index.table());
    }

    /**
     * @param version the version of the snapshot this writer call will publish.
     * @return these bindings without {@code binding} (the stored instance); {@code this} when absent.
     */
    ExactBindings<Q> without(final Binding<Q> binding, final long version)
    {
        final Binding<Q>[] current = byKey.get(binding.key);
        if (current == null)
        {
            return this;
        }
        final Binding<Q>[] next = ExchangeNode.remove(current, binding);
        if (next == current)
        {
            return this;
        }
        index.put(binding.key, next, version);
        final PersistentStringMap<Binding<Q>[]> nextByKey = next.length == 0 ? byKey.without(binding.key) : byKey.with(binding.key, next);
        return new ExactBindings<>(nextByKey, index, index.table());
    }

    /**
     * Delivers the bindings whose key is exactly {@code routingKey}, as {@code snapshot} holds them.
     * Lock-free and allocation-free.
     *
     * @return how many bindings matched.
     */
    int route(final Snapshot<Q> snapshot, final String routingKey, final DestinationSet<Q> out)
    {
        final ExactKeyIndex.Entry<Q> entry = ExactKeyIndex.find(table, routingKey);
        if (entry == null)
        {
            return 0;
        }
        if (entry.since <= snapshot.version)
        {
            final int soleQueueId = entry.soleQueueId;
            if (soleQueueId != ExactKeyIndex.Entry.NO_SOLE_QUEUE)
            {
                out.add(soleQueueId);
                return 1;
            }
            return ExchangeNode.deliverAll(entry.bindings, snapshot, out);
        }
        // The key changed after this route's snapshot was published: ask the snapshot itself.
        final Binding<Q>[] matched = byKey.get(routingKey);
        return matched == null ? 0 : ExchangeNode.deliverAll(matched, snapshot, out);
    }

    /** Passes each binding to {@code action}, in no particular order (listing, not routing). */
    void forEach(final Consumer<? super Binding<Q>> action)
    {
        byKey.forEach((key, bindings) -> ExchangeNode.forEach(bindings, action));
    }
}
