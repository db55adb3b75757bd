package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A topic exchange: a persistent word trie of the binding patterns with a wildcard ({@link TopicNode}),
 * and the wildcard-free ones by exact key ({@link ExactBindings}).
 *
 * <p>Why apart: a pattern without {@code *} or {@code #} matches exactly the routing key equal to it
 * (words split on every {@code '.'} and joined back give the same string), so one probe of an
 * {@link ExactKeyIndex} finds those bindings, where the trie walked one node per word. A route
 * probes the exact bindings, and walks the trie only when the exchange has wildcard bindings.
 */
final class TopicExchangeNode<Q> extends ExchangeNode<Q>
{
    private final TopicNode<Q> wildcards;
    private final int wildcardCount;
    private final ExactBindings<Q> exact;
    private final int bindingCount;

    TopicExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, TopicNode.empty(), 0, ExactBindings.empty(), 0);
    }

    private TopicExchangeNode(
        final ExchangeSpec spec,
        final int id,
        final TopicNode<Q> wildcards,
        final int wildcardCount,
        final ExactBindings<Q> exact,
        final int bindingCount)
    {
        super(spec, id);
        this.wildcards = wildcards;
        this.wildcardCount = wildcardCount;
        this.exact = exact;
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
        exact.forEach(action);
        wildcards.forEachBinding(action);
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        if (!TopicWords.hasWildcard(binding.topicPattern))
        {
            return new TopicExchangeNode<>(spec, id, wildcards, wildcardCount, exact.with(binding, version), bindingCount + 1);
        }
        final TopicNode<Q> next = wildcards.with(binding.topicPattern, 0, binding, topicHashIds);
        return new TopicExchangeNode<>(spec, id, next, wildcardCount + 1, exact, bindingCount + 1);
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        if (!TopicWords.hasWildcard(binding.topicPattern))
        {
            return new TopicExchangeNode<>(spec, id, wildcards, wildcardCount, exact.without(binding, version), bindingCount - 1);
        }
        final TopicNode<Q> next = wildcards.without(binding.topicPattern, 0, binding, topicHashIds);
        return new TopicExchangeNode<>(spec, id, next == null ? TopicNode.empty() : next, wildcardCount - 1, exact, bindingCount - 1);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        int matched = exact.route(snapshot, routingKey, out);
        if (wildcardCount != 0)
        {
            out.splitWords(routingKey);
            // # node ids are unique only within this exchange: start a fresh memo for its trie.
            out.beginTopicMatch();
            matched += wildcards.match(0, routingKey, snapshot, out);
        }
        return matched;
    }
}
