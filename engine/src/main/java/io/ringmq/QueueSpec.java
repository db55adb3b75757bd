package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.Names;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable queue declaration, in RabbitMQ's terms (name, durable, exclusive, auto-delete,
 * {@code x-} arguments) plus the one thing RingMQ adds: the capacity of the queue's ring.
 * <p>
 * Redeclaring a queue succeeds when the spec is equivalent and fails with
 * {@link io.ringmq.error.PreconditionFailedException} otherwise, as in AMQP.
 */
public final class QueueSpec
{
    /** Capacity of a queue's ring when the declaration does not choose one. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Largest ring a queue may have. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** The queue argument that selects the {@link OverflowPolicy}. */
    public static final String X_OVERFLOW = "x-overflow";

    private final String name;
    private final boolean durable;
    private final boolean exclusive;
    private final boolean autoDelete;
    private final int capacity;
    private final Map<String, Object> arguments;
    private final OverflowPolicy overflow;

    private QueueSpec(final Builder b)
    {
        name = b.name;
        durable = b.durable;
        exclusive = b.exclusive;
        autoDelete = b.autoDelete;
        capacity = b.capacity;
        arguments = b.arguments.isEmpty() ?
            Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(b.arguments));
        overflow = arguments.containsKey(X_OVERFLOW) ?
            OverflowPolicy.fromArgument(arguments.get(X_OVERFLOW)) : OverflowPolicy.BLOCK;
    }

    /**
     * @param name the queue name; "" asks the broker to generate a unique one ({@code amq.gen-...}).
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /** @return a spec for a plain queue with the default capacity. */
    public static QueueSpec named(final String name)
    {
        return builder(name).build();
    }

    /** @return the declared name ("" for server-named). */
    public String name()
    {
        return name;
    }

    /** @return the durable flag; RingMQ is in memory, so it is recorded for equivalence only. */
    public boolean durable()
    {
        return durable;
    }

    /** @return true when only the declaring channel may use the queue; it is deleted with that channel. */
    public boolean exclusive()
    {
        return exclusive;
    }

    /** @return true when the queue is deleted as its last consumer goes. */
    public boolean autoDelete()
    {
        return autoDelete;
    }

    /** @return the ring capacity, a power of two. */
    public int capacity()
    {
        return capacity;
    }

    /** @return the {@code x-} arguments as declared, unmodifiable. */
    public Map<String, Object> arguments()
    {
        return arguments;
    }

    /** @return what a publish does when the queue is full ({@code x-overflow}; {@link OverflowPolicy#BLOCK} when absent). */
    public OverflowPolicy overflow()
    {
        return overflow;
    }

    /** @return true when {@code other} declares the same queue in every respect but the name. */
    boolean isEquivalentTo(final QueueSpec other)
    {
        return durable == other.durable && exclusive == other.exclusive && autoDelete == other.autoDelete &&
            capacity == other.capacity && arguments.equals(other.arguments);
    }

    QueueSpec withName(final String newName)
    {
        final Builder b = new Builder(newName);
        b.durable = durable;
        b.exclusive = exclusive;
        b.autoDelete = autoDelete;
        b.capacity = capacity;
        b.arguments.putAll(arguments);
        return b.build();
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || o instanceof QueueSpec && name.equals(((QueueSpec)o).name) && isEquivalentTo((QueueSpec)o);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(name, durable, exclusive, autoDelete, capacity, arguments);
    }

    @Override
    public String toString()
    {
        return "QueueSpec{name='" + name + "', durable=" + durable + ", exclusive=" + exclusive + ", autoDelete=" +
            autoDelete + ", capacity=" + capacity + ", arguments=" + arguments + '}';
    }

    /** Mutable builder of {@link QueueSpec}; not thread-safe. */
    public static final class Builder
    {
        private final String name;
        private boolean durable;
        private boolean exclusive;
        private boolean autoDelete;
        private int capacity = DEFAULT_CAPACITY;
        private final Map<String, Object> arguments = new LinkedHashMap<>();

        private Builder(final String name)
        {
            Names.checkShortString("queue name", name); // "" asks for a server-named queue
            this.name = name;
        }

        public Builder durable(final boolean durable)
        {
            this.durable = durable;
            return this;
        }

        public Builder exclusive(final boolean exclusive)
        {
            this.exclusive = exclusive;
            return this;
        }

        public Builder autoDelete(final boolean autoDelete)
        {
            this.autoDelete = autoDelete;
            return this;
        }

        /** @param capacity the ring's size: a power of two from 2 to {@link #MAX_CAPACITY}. */
        public Builder capacity(final int capacity)
        {
            if (capacity < 2 || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
            {
                throw new InvalidArgumentException("queue capacity must be a power of two from 2 to " + MAX_CAPACITY +
                    ", was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** Sets {@code x-overflow}. */
        public Builder overflow(final OverflowPolicy overflow)
        {
            arguments.put(X_OVERFLOW, Objects.requireNonNull(overflow, "overflow").argumentValue());
            return this;
        }

        /** Adds one {@code x-} argument, validated when the queue is declared (and here, where cheap). */
        public Builder argument(final String key, final Object value)
        {
            if (key == null || key.isEmpty())
            {
                throw new InvalidArgumentException("queue argument name must not be null or empty");
            }
            arguments.put(key, value);
            return this;
        }

        /** Adds every entry of {@code args}. */
        public Builder arguments(final Map<String, ?> args)
        {
            if (args != null)
            {
                args.forEach(this::argument);
            }
            return this;
        }

        public QueueSpec build()
        {
            final QueueSpec spec = new QueueSpec(this);
            QueueArguments.validate(spec);
            return spec;
        }
    }
}
