package io.ringmq.routing.table;

import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.ExchangeSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;

/**
 * Everything only writers need: the by-name records with their reverse indexes (which bindings leave
 * an exchange, which reach an exchange or queue), the id free lists, and the persistent maps the next
 * snapshot is made of.
 *
 * <p>Why plain {@code HashMap}s are fine here: readers never touch this object. Every method runs
 * under {@code RoutingTable}'s writer lock, and readers see only the immutable {@link Snapshot} that
 * {@link #snapshot()} builds after a change.
 *
 * <p>Failure atomicity: every method checks everything that can fail before it changes anything, so
 * a method that throws leaves this state (and therefore the next snapshot) as it was.
 */
final class WriterState<Q>
{
    private final HashMap<String, ExchangeRecord<Q>> exchanges = new HashMap<>();
    private final HashMap<String, QueueRecord<Q>> queues = new HashMap<>();
    private final IdAllocator exchangeIds = new IdAllocator();
    private final IdAllocator queueIds = new IdAllocator();
    private PersistentStringMap<ExchangeNode<Q>> exchangeNodes = PersistentStringMap.empty();
    private PersistentStringMap<QueueNode<Q>> queueNodes = PersistentStringMap.empty();
    private QueuesById<Q> queuesById = QueuesById.empty();
    /**
     * The version the next {@link #snapshot()} gets: what this writer call stamps the exact-key
     * indexes with ({@link ExactKeyIndex}), since the snapshot it publishes is the first to hold its changes.
     */
    private long nextVersion = 1;

    /** The writer's view of one exchange. */
    private static final class ExchangeRecord<Q>
    {
        final ExchangeSpec spec;
        final int id;
        /** Bindings with this exchange as source, by identity (the probe finds the stored instance). */
        final LinkedHashMap<Binding<Q>, Binding<Q>> outbound = new LinkedHashMap<>();
        /** Bindings with this exchange as destination. */
        final LinkedHashSet<Binding<Q>> inbound = new LinkedHashSet<>();
        /** Ids of the {@code #} nodes of a topic exchange's trie; they go with the exchange. */
        final IdAllocator topicHashIds = new IdAllocator();

        ExchangeRecord(final ExchangeSpec spec, final int id)
        {
            this.spec = spec;
            this.id = id;
        }
    }

    /** The writer's view of one queue. */
    private static final class QueueRecord<Q>
    {
        final QueueNode<Q> node;
        /** Bindings with this queue as destination. */
        final LinkedHashSet<Binding<Q>> inbound = new LinkedHashSet<>();

        QueueRecord(final QueueNode<Q> node)
        {
            this.node = node;
        }
    }

    /**
     * @return a snapshot of the current state, with a version above every earlier one; share it
     *         freely, it is immutable.
     */
    Snapshot<Q> snapshot()
    {
        return new Snapshot<>(exchangeNodes, queueNodes, queuesById, nextVersion++);
    }

    /** Declares the default exchange; constructor only. */
    void declareDefaultExchange()
    {
        final int id = exchangeIds.allocate();
        exchanges.put(Names.DEFAULT_EXCHANGE, new ExchangeRecord<>(DefaultExchangeNode.SPEC, id));
        exchangeNodes = exchangeNodes.with(Names.DEFAULT_EXCHANGE, new DefaultExchangeNode<>(id));
    }

    /** @return the spec of an existing exchange, or {@code null}. */
    ExchangeSpec exchangeSpec(final String name)
    {
        final ExchangeRecord<Q> record = exchanges.get(name);
        return record == null ? null : record.spec;
    }

    /**
     * Declares a new exchange (the caller has checked the name and that it is absent).
     */
    void declareExchange(final ExchangeSpec spec)
    {
        final int id = exchangeIds.allocate();
        exchanges.put(spec.name(), new ExchangeRecord<>(spec, id));
        exchangeNodes = exchangeNodes.with(spec.name(), ExchangeNode.create(spec, id));
    }

    /**
     * @throws NotFoundException when absent.
     * @throws PreconditionFailedException when {@code ifUnused} and it is the source of a binding.
     */
    boolean deleteExchange(final String name, final boolean ifUnused)
    {
        final ExchangeRecord<Q> record = exchanges.get(name);
        if (record == null)
        {
            return false; // RabbitMQ answers delete-ok for an exchange that is not there
        }
        if (ifUnused && !record.outbound.isEmpty())
        {
            throw new PreconditionFailedException("exchange " + Names.quote(name) + " in vhost '/' in use"); // RabbitMQ's words
        }
        removeExchange(record);
        return true;
    }

    /** @throws PreconditionFailedException when a queue of that name is registered. */
    void declareQueue(final String name, final Q queue)
    {
        if (queues.containsKey(name))
        {
            throw new PreconditionFailedException("queue " + Names.quote(name) + " in vhost '/' is already registered");
        }
        final int neverUsed = queueIds.highWaterMark();
        final QueueNode<Q> node = new QueueNode<>(name, queueIds.allocate(), queue);
        queues.put(name, new QueueRecord<>(node));
        queueNodes = queueNodes.with(name, node);
        // A recycled id may still name its former queue in published snapshots: copy its chunk then.
        queuesById = node.id >= neverUsed ? queuesById.withNew(node.id, queue) : queuesById.with(node.id, queue);
    }

    /** @throws NotFoundException when no queue of that name is registered. */
    void deleteQueue(final String name)
    {
        final QueueRecord<Q> record = existingQueue(name);
        for (final Binding<Q> binding : new ArrayList<>(record.inbound))
        {
            if (record.inbound.contains(binding))
            {
                unlink(binding);
            }
        }
        queues.remove(name);
        queueNodes = queueNodes.without(name);
        queuesById = queuesById.with(record.node.id, null);
        // Safe to recycle now: the next snapshot holds neither the queue nor a binding to it.
        queueIds.release(record.node.id);
    }

    /**
     * Adds a binding unless an identical one exists.
     *
     * @return whether anything changed.
     * @throws NotFoundException when the source or the destination does not exist.
     * @throws io.ringmq.error.InvalidArgumentException when a headers binding has an invalid {@code x-match}.
     */
    boolean bind(final String source, final boolean toQueue, final String destination, final String key, final BindingArguments arguments)
    {
        final ExchangeRecord<Q> sourceRecord = existingExchange(source);
        final QueueRecord<Q> queueRecord = toQueue ? existingQueue(destination) : null;
        final ExchangeRecord<Q> exchangeRecord = toQueue ? null : existingExchange(destination);
        if (sourceRecord.outbound.containsKey(Binding.probe(source, toQueue, destination, key, arguments)))
        {
            return false;
        }
        final Binding<Q> binding = Binding.create(
            source, sourceRecord.spec.type(), destination, toQueue ? queueRecord.node : null, key, arguments);
        sourceRecord.outbound.put(binding, binding);
        if (toQueue)
        {
            queueRecord.inbound.add(binding);
        }
        else
        {
            exchangeRecord.inbound.add(binding);
        }
        exchangeNodes = exchangeNodes.with(source, exchangeNodes.get(source).withBinding(binding, sourceRecord.topicHashIds, nextVersion));
        return true;
    }

    /**
     * Removes a binding; a binding that does not exist is a no-op, as in RabbitMQ.
     *
     * @return whether anything changed.
     * @throws NotFoundException when the source or the destination does not exist.
     */
    boolean unbind(final String source, final boolean toQueue, final String destination, final String key, final BindingArguments arguments)
    {
        final ExchangeRecord<Q> sourceRecord = existingExchange(source);
        if (toQueue)
        {
            existingQueue(destination);
        }
        else
        {
            existingExchange(destination);
        }
        final Binding<Q> stored = sourceRecord.outbound.get(Binding.probe(source, toQueue, destination, key, arguments));
        if (stored == null)
        {
            return false;
        }
        unlink(stored);
        return true;
    }

    private ExchangeRecord<Q> existingExchange(final String name)
    {
        final ExchangeRecord<Q> record = exchanges.get(name);
        if (record == null)
        {
            throw new NotFoundException("no exchange " + Names.quote(name) + " in vhost '/'");
        }
        return record;
    }

    private QueueRecord<Q> existingQueue(final String name)
    {
        final QueueRecord<Q> record = queues.get(name);
        if (record == null)
        {
            throw new NotFoundException("no queue " + Names.quote(name) + " in vhost '/'");
        }
        return record;
    }

    /**
     * Removes a stored binding from its source and its destination, then auto-deletes the source if
     * that was its last binding as source (RabbitMQ's {@code maybe_auto_delete}).
     */
    private void unlink(final Binding<Q> binding)
    {
        final ExchangeRecord<Q> sourceRecord = exchanges.get(binding.source);
        sourceRecord.outbound.remove(binding);
        exchangeNodes = exchangeNodes.with(
            binding.source, exchangeNodes.get(binding.source).withoutBinding(binding, sourceRecord.topicHashIds, nextVersion));
        detachFromDestination(binding);
        if (sourceRecord.spec.autoDelete() && sourceRecord.outbound.isEmpty())
        {
            removeExchange(sourceRecord);
        }
    }

    private void detachFromDestination(final Binding<Q> binding)
    {
        if (binding.toQueue)
        {
            queues.get(binding.destination).inbound.remove(binding);
        }
        else
        {
            final ExchangeRecord<Q> destination = exchanges.get(binding.destination);
            if (destination != null)
            {
                destination.inbound.remove(binding);
            }
        }
    }

    /**
     * Deletes an exchange with every binding it is source or destination of. Removing the bindings
     * that reach it may leave an auto-delete source with no bindings, which is then deleted too,
     * recursively, as RabbitMQ does.
     */
    private void removeExchange(final ExchangeRecord<Q> record)
    {
        final String name = record.spec.name();
        exchanges.remove(name);
        exchangeNodes = exchangeNodes.without(name);
        // Its own bindings go with its node; only their destinations must forget them.
        for (final Binding<Q> binding : record.outbound.keySet())
        {
            detachFromDestination(binding);
        }
        record.outbound.clear();
        for (final Binding<Q> binding : new ArrayList<>(record.inbound))
        {
            // A cascade below may already have removed it together with its (auto-deleted) source.
            final ExchangeRecord<Q> source = exchanges.get(binding.source);
            if (source != null && source.outbound.containsKey(binding))
            {
                unlink(binding);
            }
        }
        record.inbound.clear();
        // Safe to recycle now: the next snapshot holds neither the exchange nor a binding to it.
        exchangeIds.release(record.id);
    }

    /** @return the number of live exchanges, the default one included (for tests). */
    int exchangeCount()
    {
        return exchanges.size();
    }

    /** @return one more than the highest queue id ever used (for the tests of id recycling). */
    int queueIdHighWaterMark()
    {
        return queueIds.highWaterMark();
    }

    /** @return one more than the highest {@code #} node id {@code exchange}'s trie ever used (for tests). */
    int topicHashIdHighWaterMark(final String exchange)
    {
        return exchanges.get(exchange).topicHashIds.highWaterMark();
    }

    /** @return one more than the highest exchange id ever used (for the tests of id recycling). */
    int exchangeIdHighWaterMark()
    {
        return exchangeIds.highWaterMark();
    }
}
