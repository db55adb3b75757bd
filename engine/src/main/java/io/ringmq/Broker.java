package io.ringmq;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.table.Names;
import io.ringmq.routing.table.RoutingTable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Work is done through {@link Channel}s, grouped in {@link Connection}s. Closing the broker closes
 * every connection, stops every consumer and consumer thread, and discards what the queues still held;
 * nothing is left running. Everything is in memory: what a queue holds when the broker closes is gone
 * with it. {@link #close(Duration)} bounds the wait for delivery handlers that do not return.
 * <p>
 * Topology changes (declare, bind, delete, consume, cancel) are serialized by one lock that
 * publishers and consumers never take: the routing table is an immutable snapshot published with
 * one release store, and queues are lock-free.
 * <p>
 * Threads it may start, each on first need and each stopped and joined by {@link #close()}: the
 * shared consumer pool ({@link Builder#consumerPool}, for consumers with
 * {@link ConsumerThreading#SHARED_POOL}), a thread per {@link ConsumerThreading#DEDICATED_THREAD}
 * consumer, and one housekeeping thread, started with the first queue that needs it, which sweeps
 * expired messages and deletes expired queues every {@value #HOUSEKEEPING_PERIOD_MILLIS} ms, and, once
 * the {@link #inspector()} is first asked for, samples the statistics' rates every
 * {@link Builder#statisticsInterval statistics interval}.
 */
public final class Broker implements AutoCloseable
{
    /** How often the housekeeping thread sweeps expired messages and expired queues, in milliseconds. */
    public static final long HOUSEKEEPING_PERIOD_MILLIS = Housekeeper.PERIOD_MILLIS;

    /** The default {@link Builder#statisticsInterval}: 5 s, as RabbitMQ's {@code collect_statistics_interval}. */
    public static final java.time.Duration DEFAULT_STATISTICS_INTERVAL = java.time.Duration.ofSeconds(5);

    private static final AtomicInteger POOL_THREADS = new AtomicInteger();

    private final RoutingTable<MessageQueue> routing = new RoutingTable<>();
    private final ConcurrentHashMap<String, MessageQueue> queues = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** Serializes topology changes only; never taken on the publish or delivery path. */
    private final ReentrantLock topology = new ReentrantLock();
    private final EnvelopePool pool;
    private final DeadLetters deadLetters;
    private final Housekeeper housekeeper = new Housekeeper(this::expireIfUnused);
    private final BrokerStatistics statistics = new BrokerStatistics();
    private final Inspector inspector = new Inspector(this);
    private final long statisticsIntervalNanos;
    private final AtomicLong consumerTags = new AtomicLong();
    private final AtomicLong channelNumbers = new AtomicLong();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private final int poolThreads;
    private final ThreadFactory poolThreadFactory;
    /** Started with the first pooled consumer; guarded by the topology lock. */
    private ConsumerPool consumerPool;
    private volatile boolean closed;
    /** How the first close tears the broker down; set with {@code closed}, under the topology lock. */
    private volatile Teardown teardown;
    /** Set once, under the topology lock, when the inspector started the statistics sampler. */
    private volatile boolean sampling;

    private Broker(final Builder builder)
    {
        pool = new EnvelopePool(builder.envelopePoolCapacity, builder.envelopePrefill);
        deadLetters = new DeadLetters(routing, pool);
        poolThreads = builder.poolThreads;
        poolThreadFactory = builder.poolThreadFactory;
        statisticsIntervalNanos = builder.statisticsInterval.toNanos();
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

    /** @return a new connection, the owner of the exclusive queues its channels declare. */
    public Connection openConnection()
    {
        return openConnection("connection-" + connectionNumbers.incrementAndGet());
    }

    /**
     * Opens a connection with a name of the application's choosing.
     *
     * @param name shown in logs and errors; need not be unique.
     * @return a new connection, the owner of the exclusive queues its channels declare.
     * @throws BrokerClosedException when the broker is closed.
     */
    public Connection openConnection(final String name)
    {
        return register(new Connection(this, Objects.requireNonNull(name, "name"), false));
    }

    /**
     * @return a new channel on an implicit connection of its own, closed with the channel (so its
     * exclusive queues are deleted with it): open one per publishing thread.
     */
    public Channel openChannel()
    {
        return register(new Connection(this, "implicit-" + connectionNumbers.incrementAndGet(), true)).openChannel();
    }

    private Connection register(final Connection connection)
    {
        ensureOpen();
        connections.add(connection);
        if (closed)
        {
            connection.close();
            throw closedException();
        }
        return connection;
    }

    /** @return true until {@link #close()}. */
    public boolean isOpen()
    {
        return !closed;
    }

    /**
     * Closes the broker and waits as long as that takes. From the moment it is called, every declare,
     * publish, consume and new channel or connection throws {@link BrokerClosedException}. Then it stops
     * the housekeeping thread; closes every connection, so every channel: their consumers are cancelled
     * (cancel listeners told {@code "broker closed"}), each waiting until no delivery of theirs is in
     * progress, and what they left unacknowledged is requeued; then it empties and deletes every queue;
     * then it stops the consumer threads and waits for them.
     * <p>
     * Nothing is persisted: every message still in a queue, ready or requeued, is discarded with the
     * broker. An application that must not lose them drains its queues before closing.
     * <p>
     * A delivery handler that never returns makes this wait forever; {@link #close(Duration)} does not.
     * Called from a delivery handler, it does not wait for that handler's own delivery. Idempotent: a
     * later call returns at once.
     */
    @Override
    public void close()
    {
        tearDown(Teardown.unbounded());
    }

    /**
     * Closes the broker as {@link #close()} does, but waits for the teardown no longer than
     * {@code timeout}, so that a delivery handler that never returns cannot hang the application's
     * shutdown.
     * <p>
     * The broker refuses new work from the moment this is called, whatever it returns. Each connection
     * is closed on a daemon thread of its own, so one whose handler is stuck holds up only itself; by the
     * time this returns every queue has been emptied and deleted, so a consumer not yet cancelled gets no
     * further message from its queue. Connections whose handlers are stuck, and consumer pool threads inside such handlers, are
     * left running on daemon threads (they do not keep the JVM alive): each finishes its teardown
     * (requeueing into deleted queues, which discards) if its handler ever returns. They are named in a
     * warning logged through {@link System.Logger} ({@code io.ringmq}), and this returns false.
     * <p>
     * Called from a delivery handler, this waits for that handler's own delivery, so it returns false at
     * the timeout; use {@link #close()} there. A later call returns at once: true when the teardown of
     * the first has ended by then.
     *
     * @param timeout how long to wait for the teardown; zero or positive.
     * @return true when every connection, consumer and thread had stopped within {@code timeout}; false
     *         when some were still waiting for a handler (and were left running, as above).
     * @throws InvalidArgumentException for a null or negative timeout.
     */
    public boolean close(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new InvalidArgumentException("close timeout must be zero or positive, was " + timeout);
        }
        final Teardown bounded = Teardown.within(saturatedNanos(timeout));
        if (!tearDown(bounded))
        {
            return teardown.isFinished();
        }
        if (bounded.isFinished())
        {
            return true;
        }
        System.getLogger("io.ringmq").log(System.Logger.Level.WARNING, "the broker is closed, but after " +
            timeout.toMillis() + " ms these steps of its teardown still wait, most likely for delivery handlers that " +
            "have not returned: " + bounded.unfinishedSteps() + "; they are left running on daemon threads and end " +
            "if those handlers return");
        return false;
    }

    private static long saturatedNanos(final Duration duration)
    {
        try
        {
            return duration.toNanos();
        }
        catch (final ArithmeticException ex)
        {
            return Long.MAX_VALUE; // centuries: as good as forever
        }
    }

    /** The one teardown of both closes. @return false when the broker was already closed (nothing done). */
    private boolean tearDown(final Teardown steps)
    {
        final ScheduledExecutorService housekeeping;
        final ConsumerPool consumers;
        topology.lock();
        try
        {
            if (closed)
            {
                return false;
            }
            closed = true;
            teardown = steps;
            housekeeping = housekeeper.detach();
            consumers = consumerPool;
        }
        finally
        {
            topology.unlock();
        }
        if (housekeeping != null)
        {
            steps.step("housekeeping", () -> housekeeper.shutDown(housekeeping));
            steps.awaitSteps(); // first, so that no sweep runs during the teardown
        }
        for (final Connection connection : new ArrayList<>(connections))
        {
            steps.step("connection '" + connection.name() + "'", () -> connection.close("broker closed"));
        }
        steps.awaitSteps();
        // Here even when a bounded step is stuck: what it has not closed yet gets no more messages.
        for (final MessageQueue queue : new ArrayList<>(queues.values()))
        {
            queue.markDeleted();
        }
        if (consumers != null)
        {
            steps.step("shared consumer pool", consumers::close);
            steps.awaitSteps();
        }
        pool.close(); // last: the drains above still return envelopes (a stuck step's later ones go to the GC)
        steps.allStepsStarted();
        return true;
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

    BrokerStatistics statistics()
    {
        return statistics;
    }

    /** @return the declared queues now (a live view: monitoring copies what it needs). */
    java.util.Collection<MessageQueue> queues()
    {
        return queues.values();
    }

    /** @return the declared queue named {@code name}, or null; no owner check (monitoring). */
    MessageQueue queueNamed(final String name)
    {
        return queues.get(name);
    }

    /** @return the open connections now. */
    List<Connection> connections()
    {
        return new ArrayList<>(connections);
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

    int nextChannelNumber()
    {
        return (int)channelNumbers.incrementAndGet();
    }

    void connectionClosed(final Connection connection)
    {
        connections.remove(connection);
    }

    /** @return the shared consumer pool, started on first use (tests). */
    ConsumerPool consumerPool()
    {
        topology.lock();
        try
        {
            ensureOpen();
            if (consumerPool == null)
            {
                consumerPool = new ConsumerPool(poolThreads, poolThreadFactory);
            }
            return consumerPool;
        }
        finally
        {
            topology.unlock();
        }
    }

    QueueInfo declareQueue(final QueueSpec requested, final Channel channel)
    {
        if (requested.name().startsWith("amq."))
        {
            throw new AccessRefusedException("queue name '" + requested.name() + "' contains reserved prefix 'amq.*'");
        }
        return declare(requested, channel);
    }

    /** Direct reply-to: a private queue under a reserved name, exclusive to {@code channel}'s connection, gone with its consumer. */
    void declareReplyQueue(final String name, final Channel channel)
    {
        declare(QueueSpec.builder(name).exclusive(true).autoDelete(true).build(), channel);
    }

    private QueueInfo declare(final QueueSpec requested, final Channel channel)
    {
        topology.lock();
        try
        {
            ensureOpen();
            final QueueSpec spec = requested.name().isEmpty() ? requested.withName(generateQueueName()) : requested;
            final MessageQueue existing = queues.get(spec.name());
            if (existing != null)
            {
                checkOwner(existing, channel);
                if (existing.spec().exclusive() != spec.exclusive())
                {
                    throw lockedException(existing);
                }
                final String difference = existing.spec().differenceFrom(spec);
                if (difference != null)
                {
                    throw new PreconditionFailedException(difference);
                }
                existing.touch(); // a redeclare renews x-expires, as in RabbitMQ
                return existing.info();
            }
            final MessageQueue queue = new MessageQueue(spec, spec.exclusive() ? channel.connection() : null, deadLetters);
            routing.declareQueue(spec.name(), queue);
            queues.put(spec.name(), queue);
            if (queue.needsHousekeeping())
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
            throw new NotFoundException("no queue '" + name + "' in vhost '/'");
        }
        checkOwner(queue, channel);
        return queue;
    }

    /**
     * Deletes a queue as an operator does, as RabbitMQ's management API does for
     * {@code DELETE /api/queues/{vhost}/{name}}: like {@link Channel#queueDelete(String, boolean, boolean)}, except
     * that it also deletes another connection's exclusive queue (which AMQP's {@code queue.delete} may not touch:
     * {@link ResourceLockedException}) and that a queue that is not there is an error. The queue's consumers are
     * cancelled, as by any delete; the connection that owned it stays open.
     *
     * @param name     the queue's name.
     * @param ifUnused true to delete it only while it has no consumers.
     * @param ifEmpty  true to delete it only while it holds no ready messages.
     * @return the messages deleted with it.
     * @throws NotFoundException           when there is no such queue.
     * @throws PreconditionFailedException when a condition asked for does not hold.
     * @throws BrokerClosedException       when the broker is closed.
     */
    public int deleteQueueAsOperator(final String name, final boolean ifUnused, final boolean ifEmpty)
    {
        return deleteQueue(name, ifUnused, ifEmpty, null);
    }

    /** {@code channel} null: an operator's delete ({@link #deleteQueueAsOperator}). */
    int deleteQueue(final String name, final boolean ifUnused, final boolean ifEmpty, final Channel channel)
    {
        final QueueConsumer[] toStop;
        final int removed;
        topology.lock();
        try
        {
            ensureOpen();
            Names.checkQueueName(name);
            final MessageQueue queue = queues.get(name);
            if (queue == null)
            {
                if (channel == null)
                {
                    throw new NotFoundException("no queue '" + name + "' in vhost '/'");
                }
                return 0; // AMQP's queue.delete of a queue that is not there succeeds, as in RabbitMQ
            }
            if (channel != null)
            {
                checkOwner(queue, channel);
            }
            if (ifUnused && queue.consumerCount() > 0)
            {
                throw new PreconditionFailedException("queue '" + name + "' in vhost '/' in use");
            }
            if (ifEmpty && queue.messageCount() > 0)
            {
                throw new PreconditionFailedException("queue '" + name + "' in vhost '/' not empty");
            }
            toStop = queue.consumers();
            removed = removeQueueLocked(queue);
        }
        finally
        {
            topology.unlock();
        }
        stopDetached(toStop, "queue '" + name + "' was deleted");
        return removed;
    }

    /** Consumers of a queue that is gone: told (server-side cancel); their unacknowledged deliveries stay with their channels. */
    private static void stopDetached(final QueueConsumer[] consumers, final String reason)
    {
        for (final QueueConsumer consumer : consumers)
        {
            consumer.stopBecauseQueueWent(reason);
        }
    }

    private int removeQueueLocked(final MessageQueue queue)
    {
        // Unroutable before unnamed: a thread that no longer finds the queue by name (a passive declare, which
        // does not take the lock) must not still see a publish routed to it.
        routing.deleteQueue(queue.name());
        statistics.queueDeleted(queues, queue); // removes it from the map; its counts stay in the broker's totals
        housekeeper.remove(queue);
        for (final QueueConsumer consumer : queue.consumers())
        {
            queue.removeConsumer(consumer);
        }
        return queue.markDeleted();
    }

    Consumer consume(final String queueName, final ConsumeOptions options, final BatchDeliveryHandler handler,
        final Channel channel)
    {
        if (handler == null)
        {
            throw new InvalidArgumentException("delivery handler must not be null");
        }
        final DeliveryAgent agent;
        topology.lock();
        try
        {
            ensureOpen();
            channel.ensureOpen();
            final MessageQueue queue = queue(queueName, channel);
            if (queue.hasExclusiveConsumer())
            {
                throw new AccessRefusedException("queue '" + queueName + "' in vhost '/' in exclusive use");
            }
            if (options.exclusive() && queue.consumerCount() > 0)
            {
                throw new AccessRefusedException("cannot obtain exclusive access to queue '" + queueName +
                    "' in vhost '/': it has " + queue.consumerCount() + " consumers");
            }
            final String tag = options.consumerTag() != null ? options.consumerTag() :
                "amq.ctag-" + consumerTags.incrementAndGet();
            channel.checkConsumerTagFree(tag);
            agent = new DeliveryAgent(channel, queue, tag, options, handler, this::runnerFor);
            queue.statistics().attach(agent.counts()); // before its first delivery
            queue.addConsumer(agent);
            queue.touch();
            channel.consumerStarted(agent);
        }
        finally
        {
            topology.unlock();
        }
        agent.start();
        return new Consumer(this, agent);
    }

    /** Called under the topology lock, by the agent being built. */
    private AgentRunner runnerFor(final DeliveryAgent agent, final ConsumeOptions options)
    {
        switch (options.threading())
        {
            case DEDICATED_THREAD:
                return new DedicatedThread(agent, options.waitStrategy());
            case CALLER_DRIVEN:
                return new CallerDriven(options.readyListener());
            case SHARED_POOL:
            default:
                if (consumerPool == null)
                {
                    consumerPool = new ConsumerPool(poolThreads, poolThreadFactory);
                }
                return consumerPool;
        }
    }

    /**
     * Detaches and stops {@code consumer}; the next single active consumer takes over once its mailbox is
     * back; deletes its queue when that was the last consumer of an auto-delete queue. Its unacknowledged
     * deliveries stay with its channel. Idempotent.
     */
    void cancelConsumer(final DeliveryAgent consumer, final String reason)
    {
        final boolean lastOfAutoDelete = detach(consumer);
        consumer.stop(reason);
        afterStop(consumer, lastOfAutoDelete);
    }

    /**
     * A channel closes: halts all its consumers, lets {@code acks} requeue what they left unacknowledged
     * (older messages, so first), then finishes them (their mailboxes go back after).
     */
    void cancelConsumers(final List<DeliveryAgent> consumers, final String reason, final Acknowledgements acks)
    {
        final int n = consumers.size();
        final boolean[] lastOfAutoDelete = new boolean[n];
        final boolean[] halted = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            lastOfAutoDelete[i] = detach(consumers.get(i));
            halted[i] = consumers.get(i).halt();
        }
        acks.requeueAll();
        for (int i = 0; i < n; i++)
        {
            if (halted[i])
            {
                consumers.get(i).finish(reason);
            }
            else
            {
                consumers.get(i).awaitStopped();
            }
            afterStop(consumers.get(i), lastOfAutoDelete[i]);
        }
    }

    /** @return true when it was the last consumer of an auto-delete queue still alive. */
    private boolean detach(final DeliveryAgent consumer)
    {
        topology.lock();
        try
        {
            final MessageQueue queue = consumer.queue();
            return queue.removeConsumer(consumer) && !queue.isDeleted();
        }
        finally
        {
            topology.unlock();
        }
    }

    private void afterStop(final DeliveryAgent consumer, final boolean lastOfAutoDelete)
    {
        consumer.owner().consumerEnded(consumer);
        final MessageQueue queue = consumer.queue();
        if (queue.singleActiveConsumer() == null && !lastOfAutoDelete)
        {
            return;
        }
        topology.lock();
        try
        {
            queue.consumerLeft(consumer); // only now may the next consumer take over: after its mailbox went back
            if (lastOfAutoDelete && queues.get(queue.name()) == queue && queue.consumerCount() == 0)
            {
                removeQueueLocked(queue); // its messages go with it, as RabbitMQ's auto-delete does
            }
        }
        finally
        {
            topology.unlock();
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
            if (closed || queues.get(queue.name()) != queue || !queue.isUnusedLongerThanExpiry(System.nanoTime()))
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

    /** Deletes the exclusive queues {@code connection} owned; called as it closes. */
    void deleteExclusiveQueuesOf(final Connection connection)
    {
        final List<QueueConsumer> toStop = new ArrayList<>();
        topology.lock();
        try
        {
            for (final MessageQueue queue : new ArrayList<>(queues.values()))
            {
                if (queue.owner() == connection)
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
        stopDetached(toStop.toArray(new QueueConsumer[0]), "exclusive queue deleted with its connection");
    }

    private static void checkOwner(final MessageQueue queue, final Channel channel)
    {
        final Object owner = queue.owner();
        if (owner != null && owner != channel.connection())
        {
            throw lockedException(queue);
        }
    }

    private static ResourceLockedException lockedException(final MessageQueue queue)
    {
        return new ResourceLockedException("cannot obtain exclusive access to locked queue '" + queue.name() +
            "' in vhost '/'. It could be originally declared on another connection or the exclusive property " +
            "value does not match that of the original declaration.");
    }

    /** RabbitMQ's form: {@code amq.gen-} and 22 base64url characters (128 random bits). */
    private static String generateQueueName()
    {
        final UUID random = UUID.randomUUID();
        final java.nio.ByteBuffer bits = java.nio.ByteBuffer.allocate(16);
        bits.putLong(random.getMostSignificantBits()).putLong(random.getLeastSignificantBits());
        return "amq.gen-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits.array());
    }

    /**
     * @return the view of what this broker holds, for monitoring: listings, counts, rates; the same
     * instance every time. The first call starts sampling rates, every
     * {@link Builder#statisticsInterval statistics interval}, on the housekeeping thread: a broker
     * nobody inspects pays for no sampling.
     */
    public Inspector inspector()
    {
        if (!sampling)
        {
            topology.lock();
            try
            {
                if (!sampling && !closed)
                {
                    housekeeper.sampleStatistics(() -> statistics.sample(queues.values()), statisticsIntervalNanos);
                    sampling = true;
                }
            }
            finally
            {
                topology.unlock();
            }
        }
        return inspector;
    }

    /** Settings of a {@link Broker}. */
    public static final class Builder
    {
        private int envelopePoolCapacity = 1 << 16;
        private int envelopePrefill = 1 << 12;
        private int poolThreads = ConsumerPool.DEFAULT_THREADS;
        private java.time.Duration statisticsInterval = DEFAULT_STATISTICS_INTERVAL;
        private ThreadFactory poolThreadFactory = task ->
        {
            final Thread thread = new Thread(task, "ringmq-consumer-pool-" + POOL_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };

        private Builder()
        {
        }

        /**
         * @param capacity most idle envelopes kept for reuse (one per message in flight is the
         *                 steady-state need); more are allocated when needed and left to the GC.
         * @param prefill  envelopes allocated up front.
         * @return this builder.
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

        /**
         * The shared consumer pool ({@link ConsumerThreading#SHARED_POOL}): {@code threads} threads
         * (default twice the available processors, at least 2) made by {@code threadFactory} (default:
         * daemon threads named {@code ringmq-consumer-pool-N}), started with the first pooled consumer.
         *
         * @param threads       at least 1; at most this many pooled handlers run at once.
         * @param threadFactory makes the pool's threads; make them daemon threads, or the JVM waits for
         *                      them if the broker is never closed.
         * @return this builder.
         */
        public Builder consumerPool(final int threads, final ThreadFactory threadFactory)
        {
            if (threads < 1)
            {
                throw new InvalidArgumentException("the consumer pool needs at least one thread, was " + threads);
            }
            this.poolThreads = threads;
            this.poolThreadFactory = Objects.requireNonNull(threadFactory, "threadFactory");
            return this;
        }

        /**
         * The shared consumer pool's size, with the default thread factory.
         *
         * @param threads at least 1; at most this many pooled handlers run at once.
         * @return this builder.
         */
        public Builder consumerPool(final int threads)
        {
            return consumerPool(threads, poolThreadFactory);
        }

        /**
         * How often queue and broker rates are sampled (default 5 s, RabbitMQ's
         * {@code collect_statistics_interval}); each rate is the change of its count over the last interval,
         * per second. Sampling starts with the first {@link Broker#inspector()} call.
         *
         * @param interval at least 1 ms.
         * @return this builder.
         */
        public Builder statisticsInterval(final java.time.Duration interval)
        {
            if (interval == null || interval.compareTo(java.time.Duration.ofMillis(1)) < 0)
            {
                throw new InvalidArgumentException("statistics interval must be at least 1 ms, was " + interval);
            }
            this.statisticsInterval = interval;
            return this;
        }

        /** @return a new, open broker with these settings; it starts no thread until one is needed. */
        public Broker build()
        {
            return new Broker(this);
        }
    }
}
