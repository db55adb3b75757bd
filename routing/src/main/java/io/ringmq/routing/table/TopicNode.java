package io.ringmq.routing.table;

import java.util.function.Consumer;

/**
 * One node of the persistent word trie of a topic exchange. The path from the root spells a
 * (collapsed) binding pattern word by word; a node holds the bindings whose pattern ends there.
 *
 * <p>Children: literal words in a {@link PersistentStringMap} (looked up by char range of the
 * routing key), plus at most one {@code *} child and one {@code #} child. Adding or removing a
 * binding copies only the nodes on its pattern's path; empty nodes are pruned on the way back.
 *
 * <p>Matching (RabbitMQ's trie algorithm): at word {@code i} of {@code n}, follow the literal child
 * for word {@code i} and the {@code *} child to word {@code i + 1}; follow the {@code #} child to
 * every word {@code j} in {@code i..n} (it swallows {@code j - i} words); at {@code i == n} the node's
 * bindings match. The work grows with the words and the branches that actually match, not with the
 * number of bindings. Recursion depth is at most {@code 2n + 2} frames, and {@code n <= 256}.
 *
 * <p>Why {@code #} nodes carry an id: without a memo the algorithm is exponential in the number of
 * {@code #} words of one pattern ({@code "#.a.#.a.#...#.b"} against {@code "a.a.a...a"} tries every
 * way of sharing the words among the {@code #}s: hours for one publish). But entering a {@code #}
 * node's loop at word {@code i} visits exactly what entering it at any earlier word {@code i' <= i}
 * already visited, so a route remembers, per {@code #} node, the lowest word its loop ran from
 * ({@link DestinationSet#enterHashLoop}) and skips the rest. Each {@code #} node's loop then runs at
 * most {@code n + 1} times per route: polynomial, and still allocation-free. The ids are dense per
 * exchange (allocated and recycled by the writer as {@code #} nodes appear and are pruned), and a
 * node keeps its id across path copies.
 *
 * <p>Immutable.
 */
final class TopicNode<Q>
{
    /** The id of every node that is not a {@code #} child. */
    private static final int NO_ID = -1;

    @SuppressWarnings("rawtypes")
    private static final TopicNode EMPTY = new TopicNode<>(NO_ID, PersistentStringMap.empty(), null, null, ExchangeNode.noBindings());

    /** For a {@code #} child: its memo id, unique within its exchange's trie; otherwise {@link #NO_ID}. */
    private final int id;
    private final PersistentStringMap<TopicNode<Q>> children;
    private final TopicNode<Q> star;
    private final TopicNode<Q> hash;
    private final Binding<Q>[] bindings;

    private TopicNode(
        final int id,
        final PersistentStringMap<TopicNode<Q>> children,
        final TopicNode<Q> star,
        final TopicNode<Q> hash,
        final Binding<Q>[] bindings)
    {
        this.id = id;
        this.children = children;
        this.star = star;
        this.hash = hash;
        this.bindings = bindings;
    }

    @SuppressWarnings("unchecked")
    static <Q> TopicNode<Q> empty()
    {
        return (TopicNode<Q>) EMPTY;
    }

    boolean isEmpty()
    {
        return bindings.length == 0 && star == null && hash == null && children.isEmpty();
    }

    /**
     * @param hashIds the writer's allocator of {@code #} node ids for this exchange.
     * @return a trie that also holds {@code binding} at the end of {@code pattern[word..]}.
     */
    TopicNode<Q> with(final String[] pattern, final int word, final Binding<Q> binding, final IdAllocator hashIds)
    {
        if (word == pattern.length)
        {
            return new TopicNode<>(id, children, star, hash, ExchangeNode.append(bindings, binding));
        }
        final String w = pattern[word];
        if (TopicWords.STAR.equals(w))
        {
            return new TopicNode<>(id, children, orEmpty(star).with(pattern, word + 1, binding, hashIds), hash, bindings);
        }
        if (TopicWords.HASH.equals(w))
        {
            final TopicNode<Q> hashChild = hash != null ? hash : emptyWithId(hashIds.allocate());
            return new TopicNode<>(id, children, star, hashChild.with(pattern, word + 1, binding, hashIds), bindings);
        }
        final TopicNode<Q> child = orEmpty(children.get(w));
        return new TopicNode<>(id, children.with(w, child.with(pattern, word + 1, binding, hashIds)), star, hash, bindings);
    }

    /**
     * @param hashIds the allocator {@link #with} used; ids of pruned {@code #} nodes go back to it.
     * @return the trie without {@code binding} (the stored instance), or {@code null} when that leaves it empty.
     */
    TopicNode<Q> without(final String[] pattern, final int word, final Binding<Q> binding, final IdAllocator hashIds)
    {
        final TopicNode<Q> next;
        if (word == pattern.length)
        {
            next = new TopicNode<>(id, children, star, hash, ExchangeNode.remove(bindings, binding));
        }
        else
        {
            final String w = pattern[word];
            if (TopicWords.STAR.equals(w))
            {
                next = star == null ? this : new TopicNode<>(id, children, star.without(pattern, word + 1, binding, hashIds), hash, bindings);
            }
            else if (TopicWords.HASH.equals(w))
            {
                if (hash == null)
                {
                    next = this;
                }
                else
                {
                    final TopicNode<Q> nextHash = hash.without(pattern, word + 1, binding, hashIds);
                    if (nextHash == null)
                    {
                        // Safe to recycle: the next snapshot no longer holds this # node.
                        hashIds.release(hash.id);
                    }
                    next = new TopicNode<>(id, children, star, nextHash, bindings);
                }
            }
            else
            {
                final TopicNode<Q> child = children.get(w);
                if (child == null)
                {
                    next = this;
                }
                else
                {
                    final TopicNode<Q> nextChild = child.without(pattern, word + 1, binding, hashIds);
                    next = new TopicNode<>(id, nextChild == null ? children.without(w) : children.with(w, nextChild), star, hash, bindings);
                }
            }
        }
        return next.isEmpty() ? null : next;
    }

    /**
     * Delivers the bindings of this sub-trie that match the routing key's words {@code word..n-1};
     * the words are already split into {@code out} ({@link DestinationSet#splitWords}). Never allocates.
     *
     * @return the number of matched bindings (with repeats when a binding matches on two paths).
     */
    int match(final int word, final String routingKey, final Snapshot<Q> snapshot, final DestinationSet<Q> out)
    {
        final int n = out.wordCount();
        int matched = 0;
        if (word == n)
        {
            if (bindings.length != 0)
            {
                matched += ExchangeNode.deliverAll(bindings, snapshot, out);
            }
        }
        else
        {
            if (!children.isEmpty())
            {
                final TopicNode<Q> child = children.get(routingKey, out.wordStart(word), out.wordEnd(word), out.wordHash(word));
                if (child != null)
                {
                    matched += child.match(word + 1, routingKey, snapshot, out);
                }
            }
            if (star != null)
            {
                matched += star.match(word + 1, routingKey, snapshot, out);
            }
        }
        final TopicNode<Q> hash = this.hash;
        if (hash != null && out.enterHashLoop(hash.id, word))
        {
            for (int j = word; j <= n; j++)
            {
                matched += hash.match(j, routingKey, snapshot, out);
            }
        }
        return matched;
    }

    /** Passes every binding of this sub-trie to {@code action} (listing; recursion depth as {@link #match}'s). */
    void forEachBinding(final Consumer<? super Binding<Q>> action)
    {
        ExchangeNode.forEach(bindings, action);
        children.forEach((word, child) -> child.forEachBinding(action));
        if (star != null)
        {
            star.forEachBinding(action);
        }
        if (hash != null)
        {
            hash.forEachBinding(action);
        }
    }

    private static <Q> TopicNode<Q> orEmpty(final TopicNode<Q> node)
    {
        return node == null ? empty() : node;
    }

    private static <Q> TopicNode<Q> emptyWithId(final int id)
    {
        return new TopicNode<>(id, PersistentStringMap.empty(), null, null, ExchangeNode.noBindings());
    }
}
