package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A direct exchange: bindings grouped by exact binding key ({@link ExactBindings}), so a route is one
 * probe of the exchange's {@link ExactKeyIndex}, and a bind copies one trie path plus the (usually
 * tiny) array of bindings sharing its key, and updates one index slot.
 */
final class DirectExchangeNode<Q> extends ExchangeNode<Q>
{
    private final ExactBindings<Q> byKey;
    private final int bindingCount;

    DirectExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, ExactBindings.empty(), 0);
    }

    private DirectExchangeNode(final ExchangeSpec spec, final int id, final ExactBindings<Q> byKey, final int bindingCount)
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
        byKey.forEach(action);
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        return new DirectExchangeNode<>(spec, id, byKey.with(binding, version), bindingCount + 1);
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        final ExactBindings<Q> next = byKey.without(binding, version);
        return next == byKey ? this : new DirectExchangeNode<>(spec, id, next, bindingCount - 1);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        return byKey.route(snapshot, routingKey, out);
    }
}
