package io.ringmq.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one monitored object (a queue, an exchange, the broker) in every registry they are bound
 * to, and the object's latest snapshot, which all of them read.
 * <p>
 * Threads: {@link RingMqMetrics} registers, updates and removes under its lock; registries read
 * {@link #read} from any thread, at scrape or publishing time. The snapshot is one volatile reference,
 * so a scrape sees one whole snapshot per object, never a half-updated one.
 * <p>
 * Micrometer holds gauge and function-counter objects weakly: these holders are kept strongly by
 * {@link RingMqMetrics} for as long as their meters are registered.
 */
final class ObjectMeters<T>
{
    private final List<MeterDefinition<T>> definitions;
    private final Tags tags;
    /** Guarded by the owning RingMqMetrics' lock. */
    private final Map<MeterRegistry, List<Meter>> meters = new IdentityHashMap<>();
    /** Written by refresh (under the lock), read by scrapes: a release/acquire pair through volatile. */
    private volatile T latest;

    ObjectMeters(final List<MeterDefinition<T>> definitions, final Tags tags, final T first)
    {
        this.definitions = definitions;
        this.tags = tags;
        this.latest = first;
    }

    double read(final ToDoubleFunction<T> value)
    {
        return value.applyAsDouble(latest);
    }

    /**
     * @return true if {@code next} is a later snapshot of the same object: the same tags, and no counter
     * lower than now. A counter that went down means the object was deleted and declared again between two
     * refreshes; its meters are then replaced, so that no registered counter ever decreases.
     */
    boolean isFollowedBy(final Tags nextTags, final T next)
    {
        if (!tags.equals(nextTags))
        {
            return false;
        }
        final T current = latest;
        for (final MeterDefinition<T> definition : definitions)
        {
            if (definition.counter() &&
                definition.value().applyAsDouble(next) < definition.value().applyAsDouble(current))
            {
                return false;
            }
        }
        return true;
    }

    void update(final T next)
    {
        latest = next;
    }

    void registerOn(final MeterRegistry registry)
    {
        final List<Meter> registered = new ArrayList<>(definitions.size());
        for (final MeterDefinition<T> definition : definitions)
        {
            registered.add(definition.register(registry, tags, this));
        }
        meters.put(registry, registered);
    }

    void removeEverywhere()
    {
        for (final Map.Entry<MeterRegistry, List<Meter>> entry : meters.entrySet())
        {
            for (final Meter meter : entry.getValue())
            {
                entry.getKey().remove(meter);
            }
        }
        meters.clear();
    }
}
