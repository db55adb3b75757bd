package io.ringmq;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.BrokerClosedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.ResourceLockedException;
import io.ringmq.routing.table.Names;
import io.ringmq.routing.table.RoutingTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embedded AMQP 0-9-1 broker: exchanges, queues, bindings and consumers in this JVM.
 * <pre>{@code
 * try (Broker broker = Broker.create(); Channel channel = broker.openChannel()) {
 *     channel.exchangeDeclare("logs", ExchangeType.DIRECT);
 *     ...
 * }
 * }</pre>
 * Work is done through {@link Channel}s. Closing the broker closes every channel, stops every
 * consumer thread and discards what the queues still held; nothing is left running.
 * <p>
 * Topology changes (declare, bind, delete, consume, cancel) are serialized by one lock that
 * publishers and consumers never take: the routing table is an immutable snapshot published with
 * one release store, and queues are lock-free.
 * <p>
 * A broker with queues declared with policies ({@link QueueSpec}) runs one daemon housekeeping
 * thread, started with the first such queue, that sweeps expired messages and deletes expired queues
 * every {@value #HOUSEKEEPING_PERIOD_MILLIS} ms; {@link #close()} stops it.
 */
public final class Broker implements AutoCloseable
{
    /** How often the housekeeping thread sweeps expired messages and expired queues, in milliseconds. */
    public static final long HOUSEKEEPING_PERIOD_MILLIS = 50;

    private final RoutingTable<MessageQueue> routing = new RoutingTable<>();
    private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    /** Serializes topology changes only; never taken on the publish or delivery path. */
    private final ReentrantLock topology = new ReentrantLock();
    private final EnvelopePool pool;
    private final DeadLetters deadLetters;
    private final Housekeeper housekeeper = new Housekeeper(this);
    private final AtomicLong consumerTags = new AtomicLong();
    private final AtomicLong channelNumbers = new AtomicLong();
    private volatile boolean closed;

    private Broker(final Builder builder)
    {
        pool = new EnvelopePool(builder.envelopePoolCapacity, builder.envelopePrefill);
        deadLetters = new DeadLetters(routing, pool);
    }

    /** @return a broker with default settings. */
    public static Broker create()
    {
        return builder().build();
    }

    /** @return a builder for a broker with chosen settings. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return a new channel: open one per publishing thread. */
    public Channel openChannel()
    {
        ensureOpen();
        final Channel channel = new Channel(this, (int)channelNumbers.incrementAndGet());
        channels.add(channel);
        if (closed)
        {
            channel.close();
            throw closedException();
        }
        return channel;
    }

    /** @return true until {@link #close()}. */
    public boolean isOpen()
    {
        return !closed;
    }

    /** Closes every channel (cancelling their consumers and joining their threads), then discards every queue. Idempotent. */
    @Override
    public void close()
    {
        final ScheduledExecutorService housekeeping;
        topology.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            housekeeping = housekeeper.detach();
        }
        finally
        {
            topology.unlock();
        }
        housekeeper.shutDown(housekeeping); // first, so that no sweep runs during the teardown
        for (final Channel channel : new ArrayList<>(channels))
        {
            channel.closeBecauseBrokerClosed();
        }
        for (final MessageQueue queue : new ArrayList<>(queues.values()))
        {
            queue.markDeleted();
        }
        pool.close(); // last: the drains above still return envelopes
    }

    // ------------------------------------------------------------------ package-private engine API

    RoutingTable<MessageQueue> routing()
    {
        return routing;
    }

    EnvelopePool pool()
    {
        return pool;
    }

    Housekeeper housekeeper()
    {
        return housekeeper;
    }

    boolean isClosed()
    {
        return closed;
    }

    void ensureOpen()
    {
        if (closed)
        {
            throw closedException();
        }
    }

    static BrokerClosedException closedException()
    {
        return new BrokerClosedException("the broker is closed");
    }

    void channelClosed(final Channel channel)
    {
        channels.remove(channel);
    }

    QueueInfo declareQueue(final QueueSpec requested, final Channel channel)
    {
        topology.lock();
        try
        {
            ensureOpen();
            final QueueSpec spec = requested.name().isEmpty() ? requested.withName(generateQueueName()) : requested;
            if (spec.name().startsWith("amq.") && !requested.name().isEmpty())
            {
                throw new AccessRefusedException("queue name '" + spec.name() + "' starts with the reserved prefix 'amq.'");
            }
            final MessageQueue existing = queues.get(spec.name());
            if (existing != null)
            {
                checkOwner(existing, channel);
                if (!existing.spec().isEquivalentTo(spec))
                {
                    throw new PreconditionFailedException("queue '" + spec.name() + "' exists with other arguments: " +
                        "declared " + existing.spec() + ", requested " + spec);
                }
                if (existing.store() != null)
                {
                    existing.store().touch(); // a redeclare renews x-expires, as in RabbitMQ
                }
                return existing.info();
            }
            final MessageQueue queue = new MessageQueue(spec, spec.exclusive() ? channel : null, deadLetters);
            routing.declareQueue(spec.name(), queue);
            queues.put(spec.name(), queue);
            if (queue.store() != null)
            {
                housekeeper.add(queue);
            }
            return queue.info();
        }
        finally
        {
            topology.unlock();
        }
    }

    /** @return the live queue, checked for exclusivity; NotFound when it does not exist (or was deleted). */
    MessageQueue queue(final String name, final Channel channel)
    {
        Names.checkQueueName(name);
        final MessageQueue queue = queues.get(name);
        if (queue == null)
        {
            ensureOpen();
            throw new NotFoundException("no queue '" + name + "'");
        }
        checkOwner(queue, channel);
        return queue;
    }

    int deleteQueue(final String name, final boolean ifUnused, final boolean ifEmpty, final Channel channel)
    {
        final List<Consumer> toStop;
        final int removed;
        topology.lock();
        try
        {
            ensureOpen();
            Names.checkQueueName(name);
            final MessageQueue queue = queues.get(name);
            if (queue == null)
            {
                return 0; // deleting a queue that is not there succeeds, as in RabbitMQ
            }
            checkOwner(queue, channel);
            if (ifUnused && queue.consumerCount() > 0)
            {
                throw new PreconditionFailedException("queue '" + name + "' in use: it has " + queue.consumerCount() +
                    " consumers");
            }
            if (ifEmpty && queue.messageCount() > 0)
            {
                throw new PreconditionFailedException("queue '" + name + "' not empty: it has " +
                    queue.messageCount() + " messages");
            }
            toStop = List.of(queue.consumers());
            removed = removeQueueLocked(queue);
        }
        finally
        {
            topology.unlock();
        }
        for (final Consumer consumer : toStop)
        {
            consumer.stop("queue '" + name + "' was deleted");
            consumer.channel().consumerEnded(consumer);
        }
        return removed;
    }

    private int removeQueueLocked(final MessageQueue queue)
    {
        queues.remove(queue.name(), queue);
        housekeeper.remove(queue);
        routing.deleteQueue(queue.name());
        for (final Consumer consumer : queue.consumers())
        {
            queue.removeConsumer(consumer);
        }
        return queue.markDeleted();
    }

    Consumer consume(final String queueName, final ConsumeOptions options, final DeliveryHandler handler,
        final Channel channel)
    {
        if (handler == null)
        {
            throw new InvalidArgumentException("delivery handler must not be null");
        }
        final Consumer consumer;
        topology.lock();
        try
        {
            ensureOpen();
            final MessageQueue queue = queue(queueName, channel);
            if (queue.hasExclusiveConsumer())
            {
                throw new AccessRefusedException("queue '" + queueName + "' has an exclusive consumer");
            }
            if (options.exclusive() && queue.consumerCount() > 0)
            {
                throw new AccessRefusedException("cannot consume exclusively from queue '" + queueName +
                    "': it has " + queue.consumerCount() + " consumers");
            }
            final String tag = options.consumerTag() != null ? options.consumerTag() :
                "amq.ctag-" + consumerTags.incrementAndGet();
            channel.checkConsumerTagFree(tag);
            consumer = new Consumer(this, channel, queue, tag, options, handler);
            queue.addConsumer(consumer);
            channel.consumerStarted(consumer);
        }
        finally
        {
            topology.unlock();
        }
        consumer.start();
        return consumer;
    }

    /**
     * Detaches and stops {@code consumer}; deletes its queue when that was the last consumer of an
     * auto-delete queue. Idempotent.
     */
    void cancelConsumer(final Consumer consumer, final String reason)
    {
        final MessageQueue queue;
        boolean deleteQueue = false;
        topology.lock();
        try
        {
            queue = consumer.messageQueue();
            deleteQueue = queue.removeConsumer(consumer) && !queue.isDeleted();
        }
        finally
        {
            topology.unlock();
        }
        consumer.stop(reason); // requeues what it held, in order
        consumer.channel().consumerEnded(consumer);
        final PolicyStore store = queue.store();
        if (store != null && store.singleActiveConsumer())
        {
            topology.lock();
            try
            {
                queue.consumerLeft(consumer); // only now may the next consumer take over: after the requeue
            }
            finally
            {
                topology.unlock();
            }
        }
        if (deleteQueue)
        {
            topology.lock();
            try
            {
                if (queues.get(queue.name()) == queue && queue.consumerCount() == 0)
                {
                    removeQueueLocked(queue); // its messages go with it, as RabbitMQ's auto-delete does
                }
            }
            finally
            {
                topology.unlock();
            }
        }
    }

    /**
     * Housekeeping: deletes {@code queue} if it is still registered and still unused past its
     * {@code x-expires} (re-checked under the lock, so a consumer that just arrived keeps it). Its
     * messages are discarded with it, not dead-lettered, as in RabbitMQ.
     */
    void expireIfUnused(final MessageQueue queue)
    {
        topology.lock();
        try
        {
            if (closed || queues.get(queue.name()) != queue || !queue.store().isUnusedLongerThanExpiry(System.nanoTime()))
            {
                return;
            }
            removeQueueLocked(queue); // no consumers: nobody to cancel
        }
        finally
        {
            topology.unlock();
        }
    }

    /** Deletes the exclusive queues {@code channel} owned; called as it closes. */
    void deleteExclusiveQueuesOf(final Channel channel)
    {
        final List<Consumer> toStop = new ArrayList<>();
        topology.lock();
        try
        {
            for (final MessageQueue queue : new ArrayList<>(queues.values()))
            {
                if (queue.owner() == channel)
                {
                    toStop.addAll(List.of(queue.consumers()));
                    removeQueueLocked(queue);
                }
            }
        }
        finally
        {
            topology.unlock();
        }
        for (final Consumer consumer : toStop)
        {
            consumer.stop("exclusive queue '" + consumer.queue() + "' was deleted with its channel");
            consumer.channel().consumerEnded(consumer);
        }
    }

    private static void checkOwner(final MessageQueue queue, final Channel channel)
    {
        final Channel owner = queue.owner();
        if (owner != null && owner != channel)
        {
            throw new ResourceLockedException("cannot use exclusive queue '" + queue.name() +
                "': it belongs to another channel");
        }
    }

    private static String generateQueueName()
    {
        return "amq.gen-" + UUID.randomUUID();
    }

    /** Settings of a {@link Broker}. */
    public static final class Builder
    {
        private int envelopePoolCapacity = 1 << 16;
        private int envelopePrefill = 1 << 12;

        private Builder()
        {
        }

        /**
         * @param capacity most idle envelopes kept for reuse (one per message in flight is the
         *                 steady-state need); more are allocated when needed and left to the GC.
         * @param prefill  envelopes allocated up front.
         */
        public Builder envelopePool(final int capacity, final int prefill)
        {
            if (capacity < 2 || prefill < 0 || prefill > capacity)
            {
                throw new InvalidArgumentException("envelope pool needs capacity >= 2 and 0 <= prefill <= capacity, was " +
                    capacity + " and " + prefill);
            }
            this.envelopePoolCapacity = capacity;
            this.envelopePrefill = prefill;
            return this;
        }

        public Broker build()
        {
            return new Broker(this);
        }
    }
}
