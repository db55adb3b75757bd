package io.ringmq.routing.table;

/**
 * The root of one immutable version of the routing table. A route reads exactly one snapshot (see
 * {@code RoutingTable#laSnapshot}) and resolves every exchange it reaches, through exchange-to-exchange
 * bindings and alternate exchanges alike, by name in this same snapshot, so it sees either all of a
 * writer's change or none of it.
 */
final class Snapshot<Q>
{
    final PersistentStringMap<ExchangeNode<Q>> exchanges;
    final PersistentStringMap<QueueNode<Q>> queues;

    Snapshot(final PersistentStringMap<ExchangeNode<Q>> exchanges, final PersistentStringMap<QueueNode<Q>> queues)
    {
        this.exchanges = exchanges;
        this.queues = queues;
    }
}
