package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One exchange inside one snapshot: its declaration, its dense id and its bindings as a source, in
 * the structure its type routes by. One subclass per exchange type.
 *
 * <p>Immutable: {@link #withBinding} and {@link #withoutBinding} return a new node that shares
 * everything unchanged with this one. A node is therefore valid only inside the snapshots that
 * contain it; nothing outside a route's local variables holds a node across snapshots (bindings hold
 * exchange <em>names</em>).
 */
abstract class ExchangeNode<Q>
{
    private static final Binding<?>[] NO_BINDINGS = new Binding<?>[0];

    final ExchangeSpec spec;
    /** Dense id, unique among the exchanges of any one snapshot; recycled after the exchange is deleted. */
    final int id;
    /** From {@link ExchangeSpec#alternateExchange}, or {@code null}. */
    final String alternateExchange;
    final boolean internal;

    ExchangeNode(final ExchangeSpec spec, final int id)
    {
        this.spec = spec;
        this.id = id;
        this.alternateExchange = spec.alternateExchange();
        this.internal = spec.internal();
    }

    /** @return a node with no bindings for {@code spec}. */
    static <Q> ExchangeNode<Q> create(final ExchangeSpec spec, final int id)
    {
        switch (spec.type())
        {
            case DIRECT:
                return new DirectExchangeNode<>(spec, id);
            case FANOUT:
                return new FanoutExchangeNode<>(spec, id);
            case TOPIC:
                return new TopicExchangeNode<>(spec, id);
            case HEADERS:
                return new HeadersExchangeNode<>(spec, id);
            default:
                throw new AssertionError(spec.type());
        }
    }

    /** @return the number of bindings with this exchange as source. */
    abstract int bindingCount();

    /** Passes each binding with this exchange as source to {@code action}, in no particular order (listing, not routing). */
    abstract void forEachBinding(Consumer<? super Binding<Q>> action);

    /**
     * Called on the newest node of this exchange only (exact-key indexes are shared with older ones:
     * see {@link ExactBindings}).
     *
     * @param topicHashIds this exchange's writer-owned allocator of {@code #} node ids (see
     *                     {@link TopicNode}); other exchange types ignore it.
     * @param version      the version of the snapshot this writer call will publish, which stamps
     *                     what the exchange's {@link ExactKeyIndex} learns from the call.
     * @return a node that also routes by {@code binding} (known not to be present yet).
     */
    abstract ExchangeNode<Q> withBinding(Binding<Q> binding, IdAllocator topicHashIds, long version);

    /**
     * @param topicHashIds the allocator given to {@link #withBinding}.
     * @param version      as for {@link #withBinding}.
     * @return a node without {@code binding} (the very instance previously added).
     */
    abstract ExchangeNode<Q> withoutBinding(Binding<Q> binding, IdAllocator topicHashIds, long version);

    /**
     * Delivers this exchange's own matches: queues into {@code out}, exchanges onto its worklist.
     * Must not allocate.
     *
     * @return how many bindings matched, counting duplicates and destinations already reached: zero
     *         is what sends the message to the alternate exchange, as in RabbitMQ.
     */
    abstract int route(Snapshot<Q> snapshot, String routingKey, Map<String, ?> headers, DestinationSet<Q> out);

    /** Delivers to one matched binding's destination. */
    static <Q> void deliver(final Binding<Q> binding, final Snapshot<Q> snapshot, final DestinationSet<Q> out)
    {
        final QueueNode<Q> queue = binding.queue;
        if (queue != null)
        {
            out.add(queue);
        }
        else
        {
            visit(snapshot.exchanges.get(binding.destination), out);
        }
    }

    /** Queues an exchange of this route's snapshot for walking unless absent or already visited. */
    static <Q> void visit(final ExchangeNode<Q> exchange, final DestinationSet<Q> out)
    {
        if (exchange != null && out.markVisited(exchange.id))
        {
            out.push(exchange);
        }
    }

    static <Q> int deliverAll(final Binding<Q>[] bindings, final Snapshot<Q> snapshot, final DestinationSet<Q> out)
    {
        for (final Binding<Q> binding : bindings)
        {
            deliver(binding, snapshot, out);
        }
        return bindings.length;
    }

    static <Q> void forEach(final Binding<Q>[] bindings, final Consumer<? super Binding<Q>> action)
    {
        for (final Binding<Q> binding : bindings)
        {
            action.accept(binding);
        }
    }

    /** Copy-on-write append for the small per-key (or per-fanout) binding arrays. */
    static <Q> Binding<Q>[] append(final Binding<Q>[] bindings, final Binding<Q> binding)
    {
        final Binding<Q>[] copy = Arrays.copyOf(bindings, bindings.length + 1);
        copy[bindings.length] = binding;
        return copy;
    }

    /** Copy-on-write removal by identity; returns {@code bindings} itself when absent. */
    static <Q> Binding<Q>[] remove(final Binding<Q>[] bindings, final Binding<Q> binding)
    {
        for (int i = 0; i < bindings.length; i++)
        {
            if (bindings[i] == binding)
            {
                final Binding<Q>[] copy = Arrays.copyOf(bindings, bindings.length - 1);
                System.arraycopy(bindings, i + 1, copy, i, bindings.length - i - 1);
                return copy;
            }
        }
        return bindings;
    }

    @SuppressWarnings("unchecked")
    static <Q> Binding<Q>[] noBindings()
    {
        return (Binding<Q>[]) NO_BINDINGS;
    }

    @Override
    public String toString()
    {
        return spec.type().amqpName() + " exchange " + Names.quote(spec.name()) + "#" + id + " (" + bindingCount() + " bindings)";
    }
}
