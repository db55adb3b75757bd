package io.ringmq.routing.table;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exchanges, queues and the bindings between them, with a lock-free {@link #route}: the AMQP 0-9-1
 * routing model as RabbitMQ implements it, for one virtual host.
 *
 * <h2>Concurrency</h2>
 * The whole table is one immutable {@link Snapshot} referenced from one field.
 * <ul>
 *   <li><b>Writers</b> (declare, delete, bind, unbind) may be called from any thread. They are
 *       serialized among themselves by a lock that readers never take. Each builds the next snapshot
 *       by path copying (cost {@code O(log n)} per binding, not a copy of the table) and publishes it
 *       with one release store; a writer call that changes nothing publishes nothing, and one that
 *       throws changes nothing.</li>
 *   <li><b>Readers</b> ({@link #route}, {@link #exchange}, {@link #bindingCount}, and the listings
 *       {@link #exchanges}, {@link #forEachBinding}, {@link #exchangeCount}) never lock, never block,
 *       and read the field once with acquire semantics. A route uses that one snapshot for every hop,
 *       so a route racing with writers sees each writer call entirely or not at all; a listing is one
 *       snapshot too, so it never shows half of a writer call.</li>
 *   <li>Exact keys (direct exchanges, topic patterns without wildcards) are also kept in a hash
 *       index per exchange that writers update in place, so that such a route is one probe at any
 *       number of bindings. Its entries are stamped with the version of the first snapshot holding
 *       them, and a route trusts only entries no newer than its own snapshot (asking the snapshot
 *       otherwise), so the promise above holds for them as well.</li>
 * </ul>
 *
 * <h2>Allocation</h2>
 * {@link #route} allocates nothing once the caller's {@link DestinationSet} has grown to its
 * high-water mark: lookups use cached {@code String} hashes and char ranges, matching iterates
 * arrays, and all scratch lives in the {@code DestinationSet}.
 *
 * <h2>Semantics</h2>
 * As RabbitMQ: direct, fanout, topic and headers exchanges; the default exchange {@code ""} reaching
 * every queue by its name; exchange-to-exchange bindings with cycle protection; alternate exchanges
 * (when an exchange's own bindings match nothing); internal exchanges (no direct publishing);
 * auto-delete exchanges (deleted when their last source binding goes). Binding identity is
 * (source, destination, key, arguments).
 *
 * @param <Q> the engine's queue type; the table only stores and returns it.
 */
public final class RoutingTable<Q>
{
    private static final VarHandle SNAPSHOT;

    static
    {
        try
        {
            SNAPSHOT = MethodHandles.lookup().findVarHandle(RoutingTable.class, "snapshot", Snapshot.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The exchanges every broker declares, as RabbitMQ does (durable, not auto-delete). */
    private static final ExchangeSpec[] PREDECLARED = {
        ExchangeSpec.builder("amq.direct", ExchangeType.DIRECT).durable(true).build(),
        ExchangeSpec.builder("amq.fanout", ExchangeType.FANOUT).durable(true).build(),
        ExchangeSpec.builder("amq.topic", ExchangeType.TOPIC).durable(true).build(),
        ExchangeSpec.builder("amq.headers", ExchangeType.HEADERS).durable(true).build(),
        ExchangeSpec.builder("amq.match", ExchangeType.HEADERS).durable(true).build(),
    };

    /** Only through {@link #SNAPSHOT}: {@link #laSnapshot}, {@link #lpSnapshot}, {@link #soSnapshot}. */
    @SuppressWarnings("unused")
    private Snapshot<Q> snapshot;

    /** Serializes writers only; {@link #route} never takes it. */
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Writer-only bookkeeping; guarded by {@link #writeLock}. */
    private final WriterState<Q> writer = new WriterState<>();

    /**
     * Creates a table holding the default exchange {@code ""} (direct) and the durable {@code amq.direct},
     * {@code amq.fanout}, {@code amq.topic}, {@code amq.headers} and {@code amq.match}.
     */
    public RoutingTable()
    {
        writeLock.lock();
        try
        {
            writer.declareDefaultExchange();
            for (final ExchangeSpec spec : PREDECLARED)
            {
                writer.declareExchange(spec);
            }
            soSnapshot(writer.snapshot());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Snapshot field accessors (vocabulary in package-info)
    // ------------------------------------------------------------------------------------------

    /**
     * Load acquire, paired with the release store in {@link #soSnapshot}: everything the writer put
     * into the snapshot before publishing it is visible to the reader that loads it.
     */
    @SuppressWarnings("unchecked")
    private Snapshot<Q> laSnapshot()
    {
        return (Snapshot<Q>) SNAPSHOT.getAcquire(this);
    }

    /**
     * Load plain, for single-threaded tests that check whether a call published a snapshot (a
     * failed or no-op writer call must not). Not for readers racing with writers: use {@link #laSnapshot}.
     */
    @SuppressWarnings("unchecked")
    Snapshot<Q> lpSnapshot()
    {
        return (Snapshot<Q>) SNAPSHOT.get(this);
    }

    /**
     * Store ordered (release), paired with the acquire load in {@link #laSnapshot}: the new snapshot's
     * nodes, built by plain stores, are published whole. Called with {@link #writeLock} held, once per
     * writer call that changes something.
     */
    private void soSnapshot(final Snapshot<Q> next)
    {
        SNAPSHOT.setRelease(this, next);
    }

    // ------------------------------------------------------------------------------------------
    // Writers
    // ------------------------------------------------------------------------------------------

    /**
     * Declares an exchange, or does nothing when an equivalent one exists (redeclare): same type,
     * durable, auto-delete and internal flags and {@code alternate-exchange}, as RabbitMQ compares
     * ({@link ExchangeEquivalence}). Other arguments are not compared; the existing declaration,
     * with its arguments, stays as it was.
     *
     * @throws InvalidArgumentException for a {@code null} spec, name or type, a name over 255 UTF-8 bytes,
     *         or an {@code alternate-exchange} argument that is not a {@code String} of at most 255 bytes.
     * @throws AccessRefusedException for the default exchange {@code ""} and for a new name starting {@code "amq."}.
     * @throws PreconditionFailedException when the exchange exists with another type, flag or
     *         {@code alternate-exchange} (present in one declaration only, or naming another exchange).
     */
    public void declareExchange(final ExchangeSpec spec)
    {
        if (spec == null)
        {
            throw new InvalidArgumentException("exchange spec must not be null");
        }
        final String name = spec.name();
        Names.checkExchangeName(name);
        if (spec.type() == null)
        {
            throw new InvalidArgumentException("exchange type of " + Names.quote(name) + " must not be null");
        }
        if (spec.arguments().containsKey(ExchangeEquivalence.ALTERNATE_EXCHANGE))
        {
            final Object alternate = spec.arguments().get(ExchangeEquivalence.ALTERNATE_EXCHANGE);
            if (!(alternate instanceof String))
            {
                throw new InvalidArgumentException("invalid alternate-exchange argument of exchange " + Names.quote(name) + ": "
                    + (alternate == null ? "null" : alternate.getClass().getSimpleName() + " " + ArgumentValues.render(alternate))
                    + "; expected a String naming an exchange");
            }
            Names.checkExchangeName((String) alternate);
        }
        if (name.equals(Names.DEFAULT_EXCHANGE))
        {
            throw defaultExchangeRefused();
        }
        writeLock.lock();
        try
        {
            final ExchangeSpec existing = writer.exchangeSpec(name);
            if (existing != null)
            {
                final String difference = ExchangeEquivalence.difference(existing, spec);
                if (difference != null)
                {
                    throw new PreconditionFailedException(difference);
                }
                return;
            }
            if (name.startsWith(Names.RESERVED_PREFIX))
            {
                throw new AccessRefusedException("exchange name " + Names.quote(name) + " contains reserved prefix 'amq.*'");
            }
            writer.declareExchange(spec);
            soSnapshot(writer.snapshot());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Reads a declaration without locking (what a passive {@code exchange.declare} needs).
     *
     * @return the declared spec of {@code name}, or {@code null} when there is no such exchange.
     * @throws InvalidArgumentException for a {@code null} name.
     */
    public ExchangeSpec exchange(final String name)
    {
        if (name == null)
        {
            throw new InvalidArgumentException("exchange name must not be null");
        }
        final ExchangeNode<Q> node = laSnapshot().exchanges.get(name);
        return node == null ? null : node.spec;
    }

    /**
     * Deletes an exchange with every binding it is the source or the destination of. Sources left
     * without bindings by that are deleted if auto-delete, recursively.
     *
     * @throws InvalidArgumentException for a {@code null} or over-long name.
     * @return false when there was no such exchange: deleting it is not an error, as in RabbitMQ.
     * @throws AccessRefusedException for {@code ""} and every {@code amq.*} name.
     * @throws PreconditionFailedException when {@code ifUnused} and the exchange is the source of any binding.
     */
    public boolean deleteExchange(final String name, final boolean ifUnused)
    {
        Names.checkExchangeName(name);
        if (name.equals(Names.DEFAULT_EXCHANGE))
        {
            throw defaultExchangeRefused();
        }
        if (name.startsWith(Names.RESERVED_PREFIX))
        {
            throw new AccessRefusedException("exchange name " + Names.quote(name) + " contains reserved prefix 'amq.*'; it cannot be deleted");
        }
        writeLock.lock();
        try
        {
            if (!writer.deleteExchange(name, ifUnused))
            {
                return false;
            }
            soSnapshot(writer.snapshot());
            return true;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Registers a destination queue, implicitly bound to the default exchange by its name.
     *
     * @throws InvalidArgumentException for a {@code null}, blank or over-long name, or a {@code null} queue.
     * @throws PreconditionFailedException when the name is already registered (idempotent redeclare is
     *         the engine's business: it knows whether the declarations are equivalent).
     */
    public void declareQueue(final String name, final Q queue)
    {
        Names.checkQueueName(name);
        if (queue == null)
        {
            throw new InvalidArgumentException("queue object for " + Names.quote(name) + " must not be null");
        }
        writeLock.lock();
        try
        {
            writer.declareQueue(name, queue);
            soSnapshot(writer.snapshot());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Unregisters a queue and removes every binding to it; auto-delete exchanges whose last source
     * binding that was are deleted, recursively.
     *
     * @throws InvalidArgumentException for a {@code null}, blank or over-long name.
     * @throws NotFoundException when no such queue is registered.
     */
    public void deleteQueue(final String name)
    {
        Names.checkQueueName(name);
        writeLock.lock();
        try
        {
            writer.deleteQueue(name);
            soSnapshot(writer.snapshot());
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * Binds a queue to an exchange; binding again with the same key and arguments is a no-op.
     *
     * @param arguments binding arguments ({@code x-match} and conditions for a headers exchange);
     *                  {@code null} means none.
     * @throws InvalidArgumentException for {@code null}, blank (queue) or over-long names and key, a
     *         {@code null} argument name, or an invalid {@code x-match} on a headers exchange.
     * @throws AccessRefusedException for the default exchange.
     * @throws NotFoundException when the exchange or the queue does not exist.
     */
    public void bindQueue(final String exchange, final String queue, final String bindingKey, final Map<String, ?> arguments)
    {
        checkSource(exchange);
        Names.checkQueueName(queue);
        changeBinding(true, exchange, true, queue, bindingKey, arguments);
    }

    /**
     * Removes a queue binding; one that does not exist is a no-op, as in RabbitMQ.
     *
     * @throws InvalidArgumentException for {@code null}, blank (queue) or over-long names and key.
     * @throws AccessRefusedException for the default exchange.
     * @throws NotFoundException when the exchange or the queue does not exist.
     */
    public void unbindQueue(final String exchange, final String queue, final String bindingKey, final Map<String, ?> arguments)
    {
        checkSource(exchange);
        Names.checkQueueName(queue);
        changeBinding(false, exchange, true, queue, bindingKey, arguments);
    }

    /**
     * Binds {@code destination} to {@code source}: messages {@code source} matches for this binding are
     * routed on through {@code destination} (which may be internal, and may lead back: cycles are cut).
     *
     * @throws InvalidArgumentException for {@code null} or over-long names and key, a {@code null}
     *         argument name, or an invalid {@code x-match} when {@code source} is a headers exchange.
     * @throws AccessRefusedException when either end is the default exchange.
     * @throws NotFoundException when either exchange does not exist.
     */
    public void bindExchange(final String source, final String destination, final String bindingKey, final Map<String, ?> arguments)
    {
        checkSource(source);
        checkSource(destination);
        changeBinding(true, source, false, destination, bindingKey, arguments);
    }

    /**
     * Removes an exchange-to-exchange binding; one that does not exist is a no-op.
     *
     * @throws InvalidArgumentException for {@code null} or over-long names and key.
     * @throws AccessRefusedException when either end is the default exchange.
     * @throws NotFoundException when either exchange does not exist.
     */
    public void unbindExchange(final String source, final String destination, final String bindingKey, final Map<String, ?> arguments)
    {
        checkSource(source);
        checkSource(destination);
        changeBinding(false, source, false, destination, bindingKey, arguments);
    }

    private void changeBinding(
        final boolean bind,
        final String source,
        final boolean toQueue,
        final String destination,
        final String bindingKey,
        final Map<String, ?> arguments)
    {
        Names.checkBindingKey(bindingKey);
        final BindingArguments canonical = BindingArguments.of(arguments);
        writeLock.lock();
        try
        {
            final boolean changed = bind
                ? writer.bind(source, toQueue, destination, bindingKey, canonical)
                : writer.unbind(source, toQueue, destination, bindingKey, canonical);
            if (changed)
            {
                soSnapshot(writer.snapshot());
            }
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** An exchange at either end of a binding: valid name, and never the default exchange. */
    private static void checkSource(final String exchange)
    {
        Names.checkExchangeName(exchange);
        if (exchange.equals(Names.DEFAULT_EXCHANGE))
        {
            throw defaultExchangeRefused();
        }
    }

    private static AccessRefusedException defaultExchangeRefused()
    {
        return new AccessRefusedException("operation not permitted on the default exchange");
    }

    // ------------------------------------------------------------------------------------------
    // Readers
    // ------------------------------------------------------------------------------------------

    /**
     * Routes one publish: clears {@code out} and fills it with every distinct queue the message
     * reaches from {@code exchange}, following exchange-to-exchange bindings and alternate exchanges
     * (each exchange walked at most once per route, so cycles end).
     *
     * <p>Lock-free and wait-free with respect to writers; allocation-free once {@code out} is warm.
     *
     * @param headers the message headers, for headers exchanges; {@code null} means none.
     * @param out     the caller's (per-thread) result; overwritten.
     * @return {@code out.size()}.
     * @throws InvalidArgumentException for a {@code null} exchange name, or a routing key that is
     *         {@code null} or over 255 UTF-8 bytes.
     * @throws NotFoundException when the exchange does not exist.
     * @throws AccessRefusedException when the exchange is internal.
     */
    public int route(final String exchange, final String routingKey, final Map<String, ?> headers, final DestinationSet<Q> out)
    {
        return route(laSnapshot(), exchange, routingKey, headers, out, false);
    }

    /**
     * Routes a message the broker republishes itself (a dead letter): as {@link #route}, except that
     * the first exchange may be internal — RabbitMQ lets a queue's dead-letter exchange be internal,
     * since no client publishes to it directly.
     */
    public int routeFromBroker(final String exchange, final String routingKey, final Map<String, ?> headers,
        final DestinationSet<Q> out)
    {
        return route(laSnapshot(), exchange, routingKey, headers, out, true);
    }

    /**
     * Routes in {@code snapshot}: the snapshot just loaded, or, for the tests of routes that lag
     * behind writers, any snapshot published earlier ({@link #lpSnapshot}).
     */
    int route(final Snapshot<Q> snapshot, final String exchange, final String routingKey, final Map<String, ?> headers,
        final DestinationSet<Q> out, final boolean internalAllowed)
    {
        // A publisher usually sends many messages with the very same exchange and key strings: when
        // nothing could have changed the answer (same snapshot, same String instances, no headers
        // exchange on the way), the set already holds it. Identity, not equals: nothing to compare.
        if (out.isMemoOf(snapshot, exchange, routingKey, internalAllowed))
        {
            return out.size();
        }
        out.clear(snapshot);
        if (exchange == null)
        {
            throw new InvalidArgumentException("exchange name must not be null");
        }
        Names.checkRoutingKey(routingKey);
        final ExchangeNode<Q> first = out.firstExchange(snapshot, exchange);
        if (first == null)
        {
            throw new NotFoundException("no exchange " + Names.quote(exchange) + " in vhost '/'");
        }
        if (first.internal && !internalAllowed)
        {
            throw new AccessRefusedException("cannot publish to internal exchange " + Names.quote(exchange) + " in vhost '/'");
        }
        // The first exchange is walked at once, not through the worklist, which only the exchanges it
        // leads to (exchange-to-exchange bindings, alternate exchanges) need.
        out.markVisited(first.id);
        ExchangeNode<Q> next = first;
        do
        {
            final int matched = next.route(snapshot, routingKey, headers, out);
            final String alternate = next.alternateExchange;
            if (matched == 0 && alternate != null)
            {
                // rabbit_exchange:process_alternate: resolved in this snapshot; absent means ignored.
                ExchangeNode.visit(snapshot.exchanges.get(alternate), out);
            }
        }
        while ((next = out.pop()) != null);
        out.memoize(exchange, routingKey, internalAllowed);
        return out.size();
    }

    /**
     * @return the number of bindings with {@code exchange} as source; for the default exchange, the
     *         number of registered queues (its implicit bindings).
     * @throws InvalidArgumentException for a {@code null} name.
     * @throws NotFoundException when the exchange does not exist.
     */
    public int bindingCount(final String exchange)
    {
        if (exchange == null)
        {
            throw new InvalidArgumentException("exchange name must not be null");
        }
        final Snapshot<Q> snapshot = laSnapshot();
        final ExchangeNode<Q> node = snapshot.exchanges.get(exchange);
        if (node == null)
        {
            throw new NotFoundException("no exchange " + Names.quote(exchange) + " in vhost '/'");
        }
        return node instanceof DefaultExchangeNode ? snapshot.queues.size() : node.bindingCount();
    }

    // ------------------------------------------------------------------------------------------
    // Listings (monitoring): each reads one snapshot, so it is consistent with itself
    // ------------------------------------------------------------------------------------------

    /** Receives the bindings {@link #forEachBinding} lists. */
    @FunctionalInterface
    public interface BindingVisitor
    {
        /**
         * @param source      the source exchange ({@code ""} for the default exchange's implicit bindings).
         * @param destination the destination queue's or exchange's name.
         * @param toQueue     true when the destination is a queue.
         * @param key         the binding key.
         * @param arguments   the binding's arguments in key order, unmodifiable, {@code byte[]} values copied.
         */
        void binding(String source, String destination, boolean toQueue, String key, Map<String, Object> arguments);
    }

    /** @return every exchange's declaration, the default {@code ""} and {@code amq.*} ones included, in no particular order. */
    public List<ExchangeSpec> exchanges()
    {
        final Snapshot<Q> snapshot = laSnapshot();
        final List<ExchangeSpec> specs = new ArrayList<>(snapshot.exchanges.size());
        snapshot.exchanges.forEach((name, node) -> specs.add(node.spec));
        return specs;
    }

    /** @return the number of exchanges, the default and {@code amq.*} ones included. */
    public int exchangeCount()
    {
        return laSnapshot().exchanges.size();
    }

    /** @return the number of bindings {@link #forEachBinding} lists: every exchange's, plus one per queue for the default exchange. */
    public int bindingCount()
    {
        final Snapshot<Q> snapshot = laSnapshot();
        final int[] count = {snapshot.queues.size()};
        snapshot.exchanges.forEach((name, node) -> count[0] += node.bindingCount());
        return count[0];
    }

    /**
     * Passes every binding of one snapshot to {@code visitor}, in no particular order: each exchange's
     * bindings to queues and to exchanges, and the default exchange's implicit binding to every queue
     * (key = the queue's name), as RabbitMQ lists them.
     */
    public void forEachBinding(final BindingVisitor visitor)
    {
        final Snapshot<Q> snapshot = laSnapshot();
        snapshot.queues.forEach((name, queue) -> visitor.binding(Names.DEFAULT_EXCHANGE, name, true, name, Collections.emptyMap()));
        snapshot.exchanges.forEach((name, node) -> node.forEachBinding(binding ->
            visitor.binding(binding.source, binding.destination, binding.toQueue, binding.key, binding.arguments.asMap())));
    }

    /** For tests: the writer state (call under no concurrent writers). */
    WriterState<Q> writerState()
    {
        return writer;
    }
}
