package io.ringmq.routing.table;

/**
 * A registered destination queue inside the routing table: the engine's queue object plus the
 * dense id that {@link DestinationSet} de-duplicates by.
 *
 * <p>Bindings hold {@code QueueNode}s directly (not names): a queue node is never replaced while its
 * queue is registered, and deleting the queue removes every binding to it in the same snapshot, so
 * no snapshot reaches a node whose queue is gone. Immutable.
 */
final class QueueNode<Q>
{
    final String name;
    /** Dense id, unique among the queues of any one snapshot; recycled after the queue is deleted. */
    final int id;
    final Q queue;

    QueueNode(final String name, final int id, final Q queue)
    {
        this.name = name;
        this.id = id;
        this.queue = queue;
    }

    @Override
    public String toString()
    {
        return "queue '" + name + "'#" + id;
    }
}
