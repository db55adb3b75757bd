package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The default exchange {@code ""}: every registered queue is bound to it implicitly by its own name.
 * Routing is one lookup in the snapshot's queues by name; there are no stored bindings, and binding
 * to or from it is refused before a node would see it.
 */
final class DefaultExchangeNode<Q> extends ExchangeNode<Q>
{
    static final ExchangeSpec SPEC = ExchangeSpec.builder(Names.DEFAULT_EXCHANGE, ExchangeType.DIRECT).durable(true).build();

    DefaultExchangeNode(final int id)
    {
        super(SPEC, id);
    }

    /** The implicit bindings are not stored here; {@code RoutingTable#bindingCount} counts the queues instead. */
    @Override
    int bindingCount()
    {
        return 0;
    }

    @Override
    void forEachBinding(final Consumer<? super Binding<Q>> action)
    {
        // none stored: RoutingTable#forEachBinding lists one per registered queue
    }

    @Override
    ExchangeNode<Q> withBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        throw new IllegalStateException("the default exchange takes no explicit bindings");
    }

    @Override
    ExchangeNode<Q> withoutBinding(final Binding<Q> binding, final IdAllocator topicHashIds, final long version)
    {
        throw new IllegalStateException("the default exchange takes no explicit bindings");
    }

    @Override
    int route(final Snapshot<Q> snapshot, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        final QueueNode<Q> queue = snapshot.queues.get(routingKey);
        if (queue == null)
        {
            return 0;
        }
        out.add(queue);
        return 1;
    }
}
