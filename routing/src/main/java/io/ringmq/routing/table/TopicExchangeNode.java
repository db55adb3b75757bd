package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Map;
import java.util.function.Consumer;

/** A topic exchange: a persistent word trie of binding patterns ({@link TopicNode}). */
final class TopicExchangeNode<Q> extends ExchangeNode<Q>
{
    private final TopicNode<Q> root;
    private final int bindingCount;

    TopicExchangeNode(final ExchangeSpec spec, final int id)
    {
        this(spec, id, TopicNode.empty(), 0);
    }

    private TopicExchangeNode(final ExchangeSpec spec, final int id, final TopicNode<Q> root, final int bindingCount)
    {
        super(spec, id);
        this.root = root;
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
        root.forEachBinding(action);
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds)
    {
        return new TopicExchangeNode<>(spec, id, root.with(binding.topicPattern, 0, binding, topicHashIds), bindingCount + 1);
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds)
    {
        final TopicNode<Q> next = root.without(binding.topicPattern, 0, binding, topicHashIds);
        return new TopicExchangeNode<>(spec, id, next == null ? TopicNode.empty() : next, bindingCount - 1);
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        if (bindingCount == 0)
        {
            return 0;
        }
        out.splitWords(routingKey);
        // # node ids are unique only within this exchange: start a fresh memo for its trie.
        out.beginTopicMatch();
        return root.match(0, routingKey, snapshot, out);
    }
}
