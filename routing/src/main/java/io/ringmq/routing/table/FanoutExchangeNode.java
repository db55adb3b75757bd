package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A fanout exchange: every binding matches, so the bindings are one immutable array, copied on every
 * bind and unbind.
 *
 * <p>Why a copied array is acceptable here: a fanout route visits every binding anyway, {@code O(n)}
 * per publish, so a writer's {@code O(n)} copy is never the dominant cost of a fanout with {@code n}
 * bindings, and the plain array is the fastest thing to walk.
 */
final class FanoutExchangeNode<Q> extends ExchangeNode<Q>
{
    private final Binding<Q>[] bindings;

    FanoutExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, noBindings());
    }

    private FanoutExchangeNode(final ExchangeSpec spec, final int id, final Binding<Q>[] bindings)
    {
        super(spec, id);
        this.bindings = bindings;
    }

    @Override
    int bindingCount()
    {
        return bindings.length;
    }

    @Override
    void forEachBinding(final Consumer<? super Binding<Q>> action)
    {
        forEach(bindings, action);
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        return new FanoutExchangeNode<>(spec, id, append(bindings, binding));
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        final Binding<Q>[] next = remove(bindings, binding);
        return next == bindings ? this : new FanoutExchangeNode<>(spec, id, next);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        return deliverAll(bindings, snapshot, out);
    }
}
