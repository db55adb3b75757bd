package io.ringmq.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringmq.BindingInfo;
import io.ringmq.Broker;
import io.ringmq.BrokerOverview;
import io.ringmq.Inspector;
import io.ringmq.QueueInfo;
import io.ringmq.routing.ExchangeSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The broker's counts as Micrometer meters, named as RabbitMQ's Prometheus plugin names them
 * ({@code rabbitmq_queue_messages_ready{vhost="/",queue="orders"}}, {@code rabbitmq_connections}, ...):
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * RingMqMetrics metrics = new RingMqMetrics(broker);
 * metrics.bindTo(registry);
 * }</pre>
 * Per queue (tags {@code vhost}, {@code queue}): messages ready, unacknowledged and both, consumers, bytes
 * ready; published, delivered, acknowledged and redelivered totals; the totals of each removal cause
 * (expired, maxlen, rejected, delivery_limit) and of dead letters that reached a queue. Per exchange (tags
 * {@code vhost}, {@code exchange}, {@code type}): bindings. For the broker (tag {@code vhost}): queues,
 * connections, channels, consumers, exchanges, bindings, the routed, delivered, acknowledged and
 * redelivered totals (deleted queues included), and the envelope pool's capacity and allocations. Every
 * meter carries {@code vhost="/"}, the one virtual host. The full list with each name's meaning is
 * {@code MeterCatalog}'s.
 * <p>
 * <b>Refresh.</b> Each refresh takes one snapshot of the broker through its {@link Inspector}, adds the
 * meters of queues and exchanges declared since the last one, removes those of deleted ones, and is what
 * every meter reads until the next: reading a meter is a field read, whatever the number of queues, and a
 * scrape sees one consistent snapshot per queue. A background daemon thread refreshes every
 * {@link #DEFAULT_REFRESH_INTERVAL} (the broker's default statistics interval), or as often as the
 * constructor is told (for a broker built with another {@link Broker.Builder#statisticsInterval}, pass that);
 * whoever scrapes on demand calls {@link #refresh()} first and reads values as of that moment.
 * A queue deleted and declared again between two refreshes gets new meters (its counts restarted), so no
 * registered counter ever decreases.
 * <p>
 * Refreshing reads the broker's counters, weakly consistently; it never takes a lock that publishers or
 * consumers wait for. {@link #close()} stops the background thread and removes every meter this binder
 * registered.
 * <p>
 * <b>Cost.</b> A snapshot per refresh rather than meters that ask the {@link Inspector} at every read: a
 * scrape reads every queue's 14 meters, and one {@link Inspector#queues()} per refresh costs what 10,000
 * queues cost once, where per-read look-ups would cost 14 look-ups per queue per scrape, each building a
 * {@link QueueInfo}. With many queues the scrape itself dominates: 10,000 queues are 140,000 series,
 * about 10 MB of Prometheus text ({@code TenThousandQueuesTest} prints the numbers). Like RabbitMQ's
 * per-object metrics, per-queue meters are for brokers with a bounded number of queues; leave some out
 * with a Micrometer {@code MeterFilter} on the registry, e.g. one denying {@code queue} tags that start
 * with {@code amq.gen-}.
 */
public final class RingMqMetrics implements MeterBinder, AutoCloseable
{
    /**
     * How often the background thread refreshes by default: the broker's default statistics interval
     * ({@link Broker#DEFAULT_STATISTICS_INTERVAL}, RabbitMQ's {@code collect_statistics_interval}, 5 s).
     */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Broker.DEFAULT_STATISTICS_INTERVAL;

    /** The only virtual host: RingMQ has no others, and RabbitMQ's dashboards select on this tag. */
    private static final String VHOST = "/";
    private static final Tags BROKER_TAGS = Tags.of("vhost", VHOST);

    private final Broker broker;
    private final Inspector inspector;
    private final Duration refreshInterval;

    // Everything below is guarded by `this`: binding, refreshing and closing are serialized (the background
    // refresh and an on-demand one may overlap); registries read the meters without it.
    private final List<MeterRegistry> registries = new ArrayList<>();
    private final Map<String, ObjectMeters<QueueInfo>> queues = new HashMap<>();
    private final Map<String, ObjectMeters<ExchangeSnapshot>> exchanges = new HashMap<>();
    private ObjectMeters<BrokerOverview> overview;
    private ScheduledExecutorService refresher;
    /**
     * The refresher's thread, for {@link #close()} to wait until it has ended: an executor's termination is
     * signalled before its last thread returns. Volatile: a worker replacing one that died sets it.
     */
    private volatile Thread refreshThread;
    private boolean closed;

    /**
     * Meters for {@code broker}, refreshed every {@link #DEFAULT_REFRESH_INTERVAL} once bound.
     *
     * @param broker the broker to measure; its {@link Broker#inspector()} is taken now, which starts the
     *               broker's sampling of rates.
     */
    public RingMqMetrics(final Broker broker)
    {
        this(broker, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Meters for {@code broker}, refreshed every {@code refreshInterval} by a daemon thread started by the
     * first {@link #bindTo}; {@link Duration#ZERO} starts no thread, and meters change only on
     * {@link #refresh()}.
     *
     * @param broker          the broker to measure; its {@link Broker#inspector()} is taken now, which
     *                        starts the broker's sampling of rates.
     * @param refreshInterval how often the daemon thread refreshes; zero for never (on demand only).
     * @throws IllegalArgumentException for a negative interval.
     */
    public RingMqMetrics(final Broker broker, final Duration refreshInterval)
    {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.inspector = broker.inspector();
        this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative())
        {
            throw new IllegalArgumentException("refreshInterval must not be negative: " + refreshInterval);
        }
    }

    /**
     * Registers every meter in {@code registry}, after a refresh so that each reads a value at once.
     * Binding more than one registry is allowed (each gets every meter); binding one twice does nothing.
     *
     * @param registry where the meters go.
     * @throws IllegalStateException after {@link #close()}.
     */
    @Override
    public synchronized void bindTo(final MeterRegistry registry)
    {
        Objects.requireNonNull(registry, "registry");
        if (closed)
        {
            throw new IllegalStateException("closed");
        }
        if (registries.contains(registry))
        {
            return;
        }
        refresh();
        registries.add(registry);
        overview.registerOn(registry);
        queues.values().forEach(meters -> meters.registerOn(registry));
        exchanges.values().forEach(meters -> meters.registerOn(registry));
        if (refresher == null && !refreshInterval.isZero())
        {
            refresher = startRefresher();
        }
    }

    /**
     * Takes a new snapshot of the broker: every meter reads it from now on; queues and exchanges declared
     * since the last refresh get their meters in every bound registry, deleted ones lose theirs. Does
     * nothing after {@link #close()}.
     */
    public synchronized void refresh()
    {
        if (closed)
        {
            return;
        }
        final BrokerOverview brokerNow = inspector.overview();
        final Map<String, QueueInfo> queuesNow = new LinkedHashMap<>();
        for (final QueueInfo queue : inspector.queues())
        {
            queuesNow.put(queue.name(), queue);
        }
        final Map<String, ExchangeSnapshot> exchangesNow = exchangeSnapshots(inspector.exchanges(), inspector.bindings());

        if (overview == null)
        {
            overview = new ObjectMeters<>(MeterCatalog.BROKER, BROKER_TAGS, brokerNow);
        }
        else
        {
            overview.update(brokerNow);
        }
        reconcile(queues, queuesNow, MeterCatalog.QUEUE, RingMqMetrics::queueTags);
        reconcile(exchanges, exchangesNow, MeterCatalog.EXCHANGE, RingMqMetrics::exchangeTags);
    }

    /** Stops the background refresh and removes every meter this binder registered. Idempotent. */
    @Override
    public void close()
    {
        final ScheduledExecutorService stopping;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            stopping = refresher;
            refresher = null;
            if (overview != null)
            {
                overview.removeEverywhere();
            }
            queues.values().forEach(ObjectMeters::removeEverywhere);
            exchanges.values().forEach(ObjectMeters::removeEverywhere);
            queues.clear();
            exchanges.clear();
            registries.clear();
        }
        if (stopping != null)
        {
            // Outside the lock: a refresh in progress holds it and must be able to finish.
            stopping.shutdownNow();
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                final Thread thread = refreshThread;
                if (stopping.awaitTermination(10, TimeUnit.SECONDS) && thread != null)
                {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Brings {@code current} in line with {@code now}: removes the meters of objects that are gone, updates
     * those that are still there, and registers meters for new ones (or for an object whose snapshot cannot
     * follow its previous one: see {@link ObjectMeters#isFollowedBy}).
     */
    private <T> void reconcile(final Map<String, ObjectMeters<T>> current, final Map<String, T> now,
        final List<MeterDefinition<T>> definitions, final Function<T, Tags> tagsOf)
    {
        current.entrySet().removeIf(entry ->
        {
            if (now.containsKey(entry.getKey()))
            {
                return false;
            }
            entry.getValue().removeEverywhere();
            return true;
        });
        for (final Map.Entry<String, T> entry : now.entrySet())
        {
            final T snapshot = entry.getValue();
            final Tags tags = tagsOf.apply(snapshot);
            final ObjectMeters<T> existing = current.get(entry.getKey());
            if (existing != null && existing.isFollowedBy(tags, snapshot))
            {
                existing.update(snapshot);
                continue;
            }
            if (existing != null)
            {
                existing.removeEverywhere();
            }
            final ObjectMeters<T> meters = new ObjectMeters<>(definitions, tags, snapshot);
            registries.forEach(meters::registerOn);
            current.put(entry.getKey(), meters);
        }
    }

    private static Tags queueTags(final QueueInfo queue)
    {
        return Tags.of("vhost", VHOST, "queue", queue.name());
    }

    private static Tags exchangeTags(final ExchangeSnapshot exchange)
    {
        return Tags.of("vhost", VHOST, "exchange", exchange.name(), "type", exchange.type());
    }

    /** Each exchange with meters (not the default one, not internal ones: as RabbitMQ) and its bindings' count. */
    private static Map<String, ExchangeSnapshot> exchangeSnapshots(final List<ExchangeSpec> exchanges,
        final List<BindingInfo> bindings)
    {
        final Map<String, Integer> bindingsBySource = new HashMap<>();
        for (final BindingInfo binding : bindings)
        {
            bindingsBySource.merge(binding.source(), 1, Integer::sum);
        }
        final Map<String, ExchangeSnapshot> snapshots = new LinkedHashMap<>();
        for (final ExchangeSpec exchange : exchanges)
        {
            if (!exchange.name().isEmpty() && !exchange.internal())
            {
                snapshots.put(exchange.name(), new ExchangeSnapshot(exchange.name(), exchange.type().amqpName(),
                    bindingsBySource.getOrDefault(exchange.name(), 0)));
            }
        }
        return snapshots;
    }

    private ScheduledExecutorService startRefresher()
    {
        final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task ->
        {
            final Thread thread = new Thread(task, "ringmq-metrics-refresh");
            thread.setDaemon(true);
            refreshThread = thread;
            return thread;
        });
        final long periodNanos = refreshInterval.toNanos();
        executor.scheduleWithFixedDelay(this::refreshInBackground, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        return executor;
    }

    private void refreshInBackground()
    {
        if (!broker.isOpen())
        {
            return; // the meters keep their last values; the owner closes this binder with the broker
        }
        try
        {
            refresh();
        }
        catch (final RuntimeException e)
        {
            // A scheduled task that throws is never run again, silently. Report it as an uncaught exception
            // would be (no logging dependency here), and keep refreshing: the next one may succeed. A
            // failure because the broker closed meanwhile is no failure.
            if (broker.isOpen())
            {
                final Thread thread = Thread.currentThread();
                thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            }
        }
    }

    /** One exchange at one refresh: what its meters' tags and values are made of. */
    record ExchangeSnapshot(String name, String type, int bindings)
    {
    }
}
