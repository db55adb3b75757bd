package io.ringmq.routing;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.ArgumentValues;
import io.ringmq.routing.table.ExchangeEquivalence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable declaration of an exchange: what {@code exchange.declare} carries.
 *
 * <p>A spec is a plain value; declaring it decides whether it is acceptable (name length, reserved
 * names, the type of {@code alternate-exchange}), so that the one place that refuses a declaration
 * is the one that reports it with the AMQP reply code.
 *
 * <p>Two specs are {@linkplain #equals equal} when every field agrees: name, type, the durable,
 * auto-delete and internal flags, and the arguments (values compared by content, so {@code byte[]}
 * arguments work).
 *
 * <p>Redeclaring an existing exchange compares less, as RabbitMQ does: it is a no-op when type, the
 * three flags and the {@code alternate-exchange} argument agree, whatever the other arguments (the
 * existing declaration is kept as it was), and is refused with {@code PRECONDITION_FAILED} otherwise.
 */
public final class ExchangeSpec
{
    private final String name;
    private final ExchangeType type;
    private final boolean durable;
    private final boolean autoDelete;
    private final boolean internal;
    private final Map<String, Object> arguments;

    private ExchangeSpec(final Builder builder)
    {
        this.name = builder.name;
        this.type = builder.type;
        this.durable = builder.durable;
        this.autoDelete = builder.autoDelete;
        this.internal = builder.internal;
        this.arguments = Collections.unmodifiableMap(new LinkedHashMap<>(builder.arguments));
    }

    /**
     * Starts a declaration. Flags default to {@code false} and arguments to none, as in AMQP.
     *
     * @param name the exchange name (checked when declared).
     * @param type the exchange type.
     * @return a builder for that exchange.
     */
    public static Builder builder(final String name, final ExchangeType type)
    {
        return new Builder(name, type);
    }

    /** @return the exchange name. */
    public String name()
    {
        return name;
    }

    /** @return the exchange type. */
    public ExchangeType type()
    {
        return type;
    }

    /** @return whether the exchange survives a broker restart (recorded; routing does not use it). */
    public boolean durable()
    {
        return durable;
    }

    /** @return whether the exchange is deleted when its last binding as source goes. */
    public boolean autoDelete()
    {
        return autoDelete;
    }

    /** @return whether publishing to the exchange directly is refused (it is reached only through bindings or as an alternate). */
    public boolean internal()
    {
        return internal;
    }

    /** @return the arguments, an unmodifiable copy taken when the spec was built ({@code byte[]} values copied too). */
    public Map<String, Object> arguments()
    {
        return arguments;
    }

    /**
     * @return the name in the {@code alternate-exchange} argument, or {@code null} when there is none
     *         (or when its value is not a {@code String}, which declaring the exchange refuses).
     */
    public String alternateExchange()
    {
        final Object value = arguments.get(ExchangeEquivalence.ALTERNATE_EXCHANGE);
        return value instanceof String ? (String) value : null;
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof ExchangeSpec))
        {
            return false;
        }
        final ExchangeSpec that = (ExchangeSpec) o;
        return Objects.equals(name, that.name)
            && type == that.type
            && durable == that.durable
            && autoDelete == that.autoDelete
            && internal == that.internal
            && ArgumentValues.mapsDeepEqual(arguments, that.arguments);
    }

    @Override
    public int hashCode()
    {
        int h = Objects.hashCode(name);
        h = 31 * h + Objects.hashCode(type);
        h = 31 * h + Boolean.hashCode(durable);
        h = 31 * h + Boolean.hashCode(autoDelete);
        h = 31 * h + Boolean.hashCode(internal);
        return 31 * h + ArgumentValues.mapDeepHashCode(arguments);
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("ExchangeSpec{name='").append(name)
            .append("', type=").append(type == null ? null : type.amqpName())
            .append(", durable=").append(durable)
            .append(", autoDelete=").append(autoDelete)
            .append(", internal=").append(internal)
            .append(", arguments={");
        boolean first = true;
        for (final Map.Entry<String, Object> e : arguments.entrySet())
        {
            if (!first)
            {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(ArgumentValues.render(e.getValue()));
        }
        return sb.append("}}").toString();
    }

    /** Collects a declaration; not thread-safe, reusable: every {@link #build} takes a copy. */
    public static final class Builder
    {
        private final String name;
        private final ExchangeType type;
        private boolean durable;
        private boolean autoDelete;
        private boolean internal;
        private final LinkedHashMap<String, Object> arguments = new LinkedHashMap<>();

        private Builder(final String name, final ExchangeType type)
        {
            this.name = name;
            this.type = type;
        }

        /**
         * Sets the durable flag, which a redeclaration must repeat (as RabbitMQ checks it). RingMQ keeps
         * everything in memory, so nothing survives the broker either way.
         *
         * @param durable whether the exchange is declared durable.
         * @return this builder.
         */
        public Builder durable(final boolean durable)
        {
            this.durable = durable;
            return this;
        }

        /**
         * Sets the auto-delete flag.
         *
         * @param autoDelete whether the exchange goes when its last source binding goes.
         * @return this builder.
         */
        public Builder autoDelete(final boolean autoDelete)
        {
            this.autoDelete = autoDelete;
            return this;
        }

        /**
         * Sets the internal flag: an internal exchange receives messages only through exchange-to-exchange
         * bindings.
         *
         * @param internal whether direct publishing is refused (403 ACCESS_REFUSED).
         * @return this builder.
         */
        public Builder internal(final boolean internal)
        {
            this.internal = internal;
            return this;
        }

        /**
         * Sets the {@code alternate-exchange} argument: where a message goes when this exchange's own
         * bindings match nothing.
         *
         * @param alternateExchange the name of the exchange that receives the unroutable messages.
         * @return this builder.
         */
        public Builder alternateExchange(final String alternateExchange)
        {
            return argument(ExchangeEquivalence.ALTERNATE_EXCHANGE, alternateExchange);
        }

        /**
         * Sets one argument (replacing an earlier value of the same name).
         *
         * @param key   the argument's name, such as {@code alternate-exchange}.
         * @param value its value, copied so that later changes to a given collection do not reach the spec.
         * @return this builder.
         * @throws InvalidArgumentException for a {@code null} name.
         */
        public Builder argument(final String key, final Object value)
        {
            if (key == null)
            {
                throw new InvalidArgumentException("exchange argument names must not be null");
            }
            arguments.put(key, ArgumentValues.copyOf(value));
            return this;
        }

        /**
         * Adds every entry of {@code arguments} (as {@link #argument} one by one); {@code null} adds nothing.
         *
         * @param arguments the arguments to add, or null.
         * @return this builder.
         * @throws InvalidArgumentException for a {@code null} name.
         */
        public Builder arguments(final Map<String, ?> arguments)
        {
            if (arguments != null)
            {
                for (final Map.Entry<String, ?> e : arguments.entrySet())
                {
                    argument(e.getKey(), e.getValue());
                }
            }
            return this;
        }

        /** @return the immutable spec. */
        public ExchangeSpec build()
        {
            return new ExchangeSpec(this);
        }
    }
}
