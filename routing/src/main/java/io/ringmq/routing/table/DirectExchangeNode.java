package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A direct exchange: bindings grouped by exact binding key in a persistent map, so a route is one
 * lookup and a bind copies one trie path plus the (usually tiny) array of bindings sharing its key.
 */
final class DirectExchangeNode<Q> extends ExchangeNode<Q>
{
    private final PersistentStringMap<Binding<Q>[]> byKey;
    private final int bindingCount;

    DirectExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, PersistentStringMap.empty(), 0);
    }

    private DirectExchangeNode(final ExchangeSpec spec, final int id, final PersistentStringMap<Binding<Q>[]> byKey, final int bindingCount)
    {
        super(spec, id);
        this.byKey = byKey;
        this.bindingCount = bindingCount;
    }

    @Override
    int bindingCount()
    {
        return bindingCount;
    }

    @Override
    void forEachBinding(final Consumer<? super Binding<Q>> action)
    {
        byKey.forEach((key, bindings) -> forEach(bindings, action));
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds)
    {
        final Binding<Q>[] current = byKey.get(binding.key);
        final Binding<Q>[] next = append(current == null ? noBindings() : current, binding);
        return new DirectExchangeNode<>(spec, id, byKey.with(binding.key, next), bindingCount + 1);
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds)
    {
        final Binding<Q>[] current = byKey.get(binding.key);
        if (current == null)
        {
            return this;
        }
        final Binding<Q>[] next = remove(current, binding);
        if (next == current)
        {
            return this;
        }
        final PersistentStringMap<Binding<Q>[]> nextByKey = next.length == 0 ? byKey.without(binding.key) : byKey.with(binding.key, next);
        return new DirectExchangeNode<>(spec, id, nextByKey, bindingCount - 1);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        final Binding<Q>[] matched = byKey.get(routingKey);
        return matched == null ? 0 : deliverAll(matched, snapshot, out);
    }
}
