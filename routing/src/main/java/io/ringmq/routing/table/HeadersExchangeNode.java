package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A headers exchange: an immutable array of bindings with pre-parsed {@link HeadersMatcher}s,
 * scanned linearly per route (there is no index that serves all four {@code x-match} modes), copied
 * on bind and unbind for the same reason as {@link FanoutExchangeNode}'s.
 */
final class HeadersExchangeNode<Q> extends ExchangeNode<Q>
{
    private final Binding<Q>[] bindings;

    HeadersExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, noBindings());
    }

    private HeadersExchangeNode(final ExchangeSpec spec, final int id, final Binding<Q>[] bindings)
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
        return new HeadersExchangeNode<>(spec, id, append(bindings, binding));
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        final Binding<Q>[] next = remove(bindings, binding);
        return next == bindings ? this : new HeadersExchangeNode<>(spec, id, next);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        out.markHeadersConsulted();
        final Binding<Q>[] bindings = this.bindings;
        int matched = 0;
        for (final Binding<Q> binding : bindings)
        {
            if (binding.headers.matches(headers))
            {
                deliver(binding, snapshot, out);
                matched++;
            }
        }
        return matched;
    }
}
