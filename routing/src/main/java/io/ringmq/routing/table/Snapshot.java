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
    /** The same queues by id: what {@link DestinationSet#get} reads the result of a route on this snapshot from. */
    final QueuesById<Q> queuesById;
    /**
     * Increases with every snapshot the writer builds: a route trusts an {@link ExactKeyIndex} entry
     * only when the entry is no newer than this.
     */
    final long version;

    Snapshot(final PersistentStringMap<ExchangeNode<Q>> exchanges, final PersistentStringMap<QueueNode<Q>> queues,
        final QueuesById<Q> queuesById, final long version)
    {
        this.exchanges = exchanges;
        this.queues = queues;
        this.queuesById = queuesById;
        this.version = version;
    }
}
