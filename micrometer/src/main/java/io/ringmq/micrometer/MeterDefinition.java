package io.ringmq.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.function.ToDoubleFunction;

/**
 * One meter that every object of a kind (a queue, an exchange, the broker) has: its Micrometer name, what
 * it means, and how its value is read from that object's latest snapshot {@code T}.
 * <p>
 * Names are dotted and without {@code total}: Micrometer's Prometheus naming turns {@code a.b.c} into
 * {@code a_b_c}, adds {@code _total} to counters and appends the base unit unless the name already ends
 * with it, so {@code rabbitmq.queue.messages.published} is scraped as
 * {@code rabbitmq_queue_messages_published_total}.
 *
 * @param name        the Micrometer name.
 * @param counter     true for a {@link FunctionCounter} (the value only grows), false for a {@link Gauge}.
 * @param baseUnit    Micrometer's base unit, or null for a plain count.
 * @param description the Prometheus {@code HELP} text.
 * @param value       reads the value from a snapshot.
 */
record MeterDefinition<T>(String name, boolean counter, String baseUnit, String description, ToDoubleFunction<T> value)
{
    static <T> MeterDefinition<T> gauge(final String name, final String description, final ToDoubleFunction<T> value)
    {
        return new MeterDefinition<>(name, false, null, description, value);
    }

    static <T> MeterDefinition<T> bytesGauge(final String name, final String description,
        final ToDoubleFunction<T> value)
    {
        return new MeterDefinition<>(name, false, "bytes", description, value);
    }

    static <T> MeterDefinition<T> counter(final String name, final String description, final ToDoubleFunction<T> value)
    {
        return new MeterDefinition<>(name, true, null, description, value);
    }

    /** Registers this meter of {@code object} in {@code registry}; its value is read from the object's latest snapshot. */
    Meter register(final MeterRegistry registry, final Tags tags, final ObjectMeters<T> object)
    {
        if (counter)
        {
            return FunctionCounter.builder(name, object, o -> o.read(value))
                .description(description)
                .baseUnit(baseUnit)
                .tags(tags)
                .register(registry);
        }
        return Gauge.builder(name, object, o -> o.read(value))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }
}
