package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.Names;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable queue declaration, in RabbitMQ's terms (name, durable, exclusive, auto-delete,
 * {@code x-} arguments) plus the one thing RingMQ adds: the capacity of the queue's ring.
 * <p>
 * Redeclaring a queue succeeds when the spec is equivalent and fails with
 * {@link io.ringmq.error.PreconditionFailedException} otherwise, as in AMQP. Integral arguments are
 * compared by value, whatever their Java integral type, as RabbitMQ compares them.
 *
 * <h2>Queue policies</h2>
 * The RabbitMQ queue arguments are supported with RabbitMQ's names and meanings, each also settable
 * through a typed builder method; they are validated when the spec is built
 * ({@link io.ringmq.error.InvalidArgumentException} naming the argument, queue and value):
 * <ul>
 *   <li>{@code x-message-ttl} ({@link Builder#messageTtl}): ready messages older than this expire;
 *       see {@link MessageProperties#expiration()} for the per-message TTL.</li>
 *   <li>{@code x-expires} ({@link Builder#expires}): the queue is deleted once unused that long.</li>
 *   <li>{@code x-max-length}, {@code x-max-length-bytes} ({@link Builder#maxLength},
 *       {@link Builder#maxLengthBytes}), with {@code x-overflow}: see {@link OverflowPolicy}.</li>
 *   <li>{@code x-dead-letter-exchange}, {@code x-dead-letter-routing-key}
 *       ({@link Builder#deadLetterExchange}, {@link Builder#deadLetterRoutingKey}).</li>
 *   <li>{@code x-max-priority} ({@link Builder#maxPriority}).</li>
 *   <li>{@code x-single-active-consumer} ({@link Builder#singleActiveConsumer}).</li>
 *   <li>{@code x-delivery-limit} ({@link Builder#deliveryLimit}).</li>
 * </ul>
 * A queue declared with none of them is a <em>plain</em> queue and runs on the engine's original
 * path, paying nothing for the features it does not use.
 */
public final class QueueSpec
{
    /** Capacity of a queue's ring when the declaration does not choose one. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Largest ring a queue may have. */
    public static final int MAX_CAPACITY = 1 << 30;
    /** The queue argument that selects the {@link OverflowPolicy}. */
    public static final String X_OVERFLOW = "x-overflow";
    /**
     * The queue argument that chooses the ring's capacity, RingMQ's own: how a declaration that carries
     * only arguments (an AMQP client's) sizes the ring. When present it overrides {@link Builder#capacity}.
     */
    public static final String X_CAPACITY = "x-ringmq-capacity";

    private final String name;
    private final boolean durable;
    private final boolean exclusive;
    private final boolean autoDelete;
    private final int capacity;
    private final Map<String, Object> arguments;
    private final OverflowPolicy overflow;
    private final QueuePolicies policies;

    private QueueSpec(final Builder b)
    {
        name = b.name;
        durable = b.durable;
        exclusive = b.exclusive;
        autoDelete = b.autoDelete;
        arguments = b.arguments.isEmpty() ?
            Collections.emptyMap() : Collections.unmodifiableMap(new LinkedHashMap<>(b.arguments));
        capacity = QueueArguments.capacity(name, arguments, b.capacity);
        policies = QueueArguments.parse(name, arguments, durable, exclusive, autoDelete);
        overflow = policies.overflow();
    }

    /**
     * Starts a declaration: not durable, not exclusive, not auto-delete, the default capacity, no arguments.
     *
     * @param name the queue name; "" asks the broker to generate a unique one ({@code amq.gen-...}).
     * @return a builder for that queue.
     */
    public static Builder builder(final String name)
    {
        return new Builder(name);
    }

    /**
     * A plain queue: not durable, not exclusive, not auto-delete, the default capacity, no arguments.
     *
     * @param name the queue name; "" for a server-named one.
     * @return a spec for a plain queue with the default capacity.
     */
    public static QueueSpec named(final String name)
    {
        return builder(name).build();
    }

    /** @return the declared name ("" for server-named). */
    public String name()
    {
        return name;
    }

    /**
     * @return the durable flag. RingMQ keeps every queue and message in memory only: a durable queue
     * lives as long as its broker (closing the broker, or the JVM exiting, loses it and its messages,
     * whatever their delivery mode). The flag is recorded for redeclaration equivalence, and a quorum
     * queue requires it, as in RabbitMQ; it promises no persistence until RingMQ persists messages.
     */
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

    /**
     * @return what a publish does when the queue is full ({@code x-overflow}); when absent,
     * {@link OverflowPolicy#DROP_HEAD} if {@code x-max-length} or {@code x-max-length-bytes} is set,
     * else {@link OverflowPolicy#BLOCK}.
     */
    public OverflowPolicy overflow()
    {
        return overflow;
    }

    /** @return the parsed policies ({@link QueuePolicies#isPlain()} for a plain queue). */
    QueuePolicies policies()
    {
        return policies;
    }

    /** @return {@code x-queue-type}: classic unless declared otherwise. */
    public QueueType type()
    {
        return policies.type();
    }

    /** @return true when {@code other} declares the same queue, as RabbitMQ compares declarations. */
    boolean isEquivalentTo(final QueueSpec other)
    {
        return exclusive == other.exclusive && differenceFrom(other) == null;
    }

    /**
     * RabbitMQ's equivalence of a redeclaration ({@code rabbit_amqqueue:assert_equivalence}): durable,
     * auto-delete, then each queue argument RabbitMQ knows (others are not compared, as in RabbitMQ),
     * then RingMQ's ring capacity. Integers compare by value whatever their type; {@code x-queue-type}
     * classic is the same as none. Exclusivity is the owner check's business (405).
     *
     * @return RabbitMQ's words for the first difference, or null when {@code received} is equivalent.
     */
    String differenceFrom(final QueueSpec received)
    {
        if (durable != received.durable)
        {
            return inequivalent("durable", "'" + received.durable + "'", "'" + durable + "'", received.name);
        }
        if (autoDelete != received.autoDelete)
        {
            return inequivalent("auto_delete", "'" + received.autoDelete + "'", "'" + autoDelete + "'", received.name);
        }
        for (final String key : QueueArguments.COMPARED)
        {
            final Object current = arguments.get(key);
            final Object wanted = received.arguments.get(key);
            if (key.equals(QueueArguments.QUEUE_TYPE) ? type() != received.type() : !QueueArguments.sameValue(current, wanted))
            {
                return inequivalent(key, QueueArguments.describeValue(wanted), QueueArguments.describeValue(current),
                    received.name);
            }
        }
        if (capacity != received.capacity)
        {
            return inequivalent("capacity", "'" + received.capacity + "'", "'" + capacity + "'", received.name);
        }
        return null;
    }

    private static String inequivalent(final String field, final String received, final String current, final String queue)
    {
        return "inequivalent arg '" + field + "' for queue '" + queue + "' in vhost '/': received " + received +
            " but current is " + current;
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
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof QueueSpec))
        {
            return false;
        }
        final QueueSpec that = (QueueSpec)o;
        return name.equals(that.name) && durable == that.durable && exclusive == that.exclusive &&
            autoDelete == that.autoDelete && capacity == that.capacity && arguments.equals(that.arguments);
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

        /**
         * Sets the durable flag, which a redeclaration must repeat (as RabbitMQ checks it). RingMQ keeps
         * every queue in memory, so nothing survives the broker either way.
         *
         * @param durable whether the queue is declared durable.
         * @return this builder.
         */
        public Builder durable(final boolean durable)
        {
            this.durable = durable;
            return this;
        }

        /**
         * Sets the exclusive flag: the queue belongs to the declaring channel's connection, which alone
         * may use it (others get 405 RESOURCE_LOCKED), and is deleted when that connection closes.
         *
         * @param exclusive whether the queue is exclusive.
         * @return this builder.
         */
        public Builder exclusive(final boolean exclusive)
        {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * Sets the auto-delete flag: the queue is deleted when its last consumer is cancelled (never if it
         * had none).
         *
         * @param autoDelete whether the queue is auto-delete.
         * @return this builder.
         */
        public Builder autoDelete(final boolean autoDelete)
        {
            this.autoDelete = autoDelete;
            return this;
        }

        /**
         * @param capacity the ring's size: a power of two from 2 to {@link #MAX_CAPACITY}; the argument
         *                 {@link #X_CAPACITY}, when the declaration has it, wins over this.
         * @return this builder.
         */
        public Builder capacity(final int capacity)
        {
            if (!QueueArguments.isCapacity(capacity))
            {
                throw new InvalidArgumentException("queue capacity must be a power of two from 2 to " + MAX_CAPACITY +
                    ", was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * Sets {@code x-queue-type}; see {@link QueueType}.
         *
         * @param type classic or quorum, as a client would declare it.
         * @return this builder.
         */
        public Builder type(final QueueType type)
        {
            arguments.put(QueueArguments.QUEUE_TYPE, Objects.requireNonNull(type, "type").argumentValue());
            return this;
        }

        /**
         * Sets {@code x-overflow}: what a publish to a full queue does.
         *
         * @param overflow drop the oldest, refuse the new one (optionally dead-lettering it), or block the publisher.
         * @return this builder.
         */
        public Builder overflow(final OverflowPolicy overflow)
        {
            arguments.put(X_OVERFLOW, Objects.requireNonNull(overflow, "overflow").argumentValue());
            return this;
        }

        /**
         * Sets {@code x-message-ttl}: a ready message expires once it has been in the queue this long
         * (whole milliseconds, 0 to 2^32-1 ms). An expired message is never delivered: it is dropped, or
         * dead-lettered with reason {@code expired}, when it reaches the head of the queue (checked by
         * every get and consumer poll) and by the broker's sweeper, which visits queues with policies
         * every {@value Broker#HOUSEKEEPING_PERIOD_MILLIS} ms so that a queue without consumers sheds them
         * too. A requeued message keeps its original age. A TTL of 0 expires every message a consumer has
         * not taken by the time it is checked: RingMQ consumers poll rather than being handed messages,
         * so unlike RabbitMQ it does not mean "deliver only if a consumer is waiting".
         *
         * @param ttl zero or positive, in whole milliseconds up to 2^32-1.
         * @return this builder.
         */
        public Builder messageTtl(final Duration ttl)
        {
            arguments.put(QueueArguments.MESSAGE_TTL, millis(ttl, "message TTL"));
            return this;
        }

        /**
         * Sets {@code x-expires}: the queue is deleted after being unused this long (at least 1 ms) —
         * no consumer, no {@link Channel#get}, no redeclaration — checked by the broker's sweeper every
         * {@value Broker#HOUSEKEEPING_PERIOD_MILLIS} ms. Its messages go with it (not dead-lettered, as in RabbitMQ).
         *
         * @param idle how long the queue may go unused, at least 1 ms.
         * @return this builder.
         */
        public Builder expires(final Duration idle)
        {
            arguments.put(QueueArguments.EXPIRES, millis(idle, "queue expiry"));
            return this;
        }

        /**
         * Sets {@code x-max-length}: the most ready messages the queue holds (unacknowledged ones do not
         * count); see {@link OverflowPolicy} for what happens past it.
         *
         * @param messages 0 or more.
         * @return this builder.
         */
        public Builder maxLength(final long messages)
        {
            arguments.put(QueueArguments.MAX_LENGTH, messages);
            return this;
        }

        /**
         * Sets {@code x-max-length-bytes}: the most body bytes its ready messages hold (object payloads
         * count 0); see {@link OverflowPolicy} for what happens past it.
         *
         * @param bytes 0 or more.
         * @return this builder.
         */
        public Builder maxLengthBytes(final long bytes)
        {
            arguments.put(QueueArguments.MAX_LENGTH_BYTES, bytes);
            return this;
        }

        /**
         * Sets {@code x-dead-letter-exchange} ("" is the default exchange): messages that die in the queue
         * are republished there instead of dropped, as RabbitMQ does. A message dies when it is rejected or
         * nacked without requeue (reason {@code rejected}), expires ({@code expired}), is dropped or refused
         * by a length limit ({@code maxlen}: drop-head, reject-publish-dlx) or passes the delivery limit
         * ({@code delivery_limit}); not when the queue is purged or deleted.
         * <p>
         * The republished message keeps its body (the same array or object, not copied) and properties,
         * with the routing key {@code x-dead-letter-routing-key} if set, no {@code expiration}, and the
         * {@code x-death} history in its headers: a list of tables, most recent first, one per
         * (queue, reason) with {@code queue}, {@code reason}, {@code count}, {@code time}, {@code exchange},
         * {@code routing-keys} (and {@code original-expiration}); plus {@code x-first-death-queue},
         * {@code -reason}, {@code -exchange} and {@code x-last-death-*} headers. A dead letter that would
         * return to a queue it already died in, with no rejection anywhere in that cycle, is not delivered
         * there (RabbitMQ's cycle rule); with no other target it is dropped.
         * <p>
         * Dead-lettering happens on the thread that removed the message and never blocks: a full target
         * queue refuses the copy whatever its overflow policy. A missing dead-letter exchange drops the
         * message. {@link QueueInfo} counts what was dead-lettered.
         *
         * @param exchange the exchange dead letters are republished to.
         * @return this builder.
         */
        public Builder deadLetterExchange(final String exchange)
        {
            arguments.put(QueueArguments.DEAD_LETTER_EXCHANGE, exchange);
            return this;
        }

        /**
         * Sets {@code x-dead-letter-routing-key}: the routing key dead letters are republished with (else
         * their own); needs a dead-letter exchange.
         *
         * @param routingKey the key to republish with.
         * @return this builder.
         */
        public Builder deadLetterRoutingKey(final String routingKey)
        {
            arguments.put(QueueArguments.DEAD_LETTER_ROUTING_KEY, routingKey);
            return this;
        }

        /**
         * Sets {@code x-max-priority} (0 to 255; 0, as in RabbitMQ, means no priorities): messages of higher
         * {@linkplain MessageProperties#priority() priority} are delivered first, equal priorities in FIFO
         * order; a message without priority counts as 0 and one above the maximum as the maximum. Each
         * priority level has its own ring of {@link #capacity} slots, allocated on its first message.
         *
         * @param maxPriority 0 to 255.
         * @return this builder.
         */
        public Builder maxPriority(final int maxPriority)
        {
            arguments.put(QueueArguments.MAX_PRIORITY, maxPriority);
            return this;
        }

        /**
         * Sets {@code x-single-active-consumer}: only one consumer receives at a time — the one with the
         * highest {@linkplain ConsumeOptions#priority() priority}, the earliest registered among equals. When it
         * is cancelled, what it had been sent but not yet handed to its handler goes back first and then the
         * next consumer takes over; its unacknowledged deliveries stay with its channel, as in RabbitMQ, and
         * come back ahead of the rest (flagged redelivered) if nacked or when that channel closes. When its
         * channel closes, its unacknowledged messages are requeued in order before the handover, so they
         * reach the next consumer first. A newly registered consumer does not displace the active one.
         * {@link Channel#get} is not a consumer and is not restricted.
         *
         * @param single true for a single active consumer; false (the default): every consumer receives.
         * @return this builder.
         */
        public Builder singleActiveConsumer(final boolean single)
        {
            arguments.put(QueueArguments.SINGLE_ACTIVE_CONSUMER, single);
            return this;
        }

        /**
         * Sets {@code x-delivery-limit} (RabbitMQ quorum-queue semantics): each time a delivered message is
         * returned to the queue — nack or reject with requeue, a handler error with requeue, or its
         * consumer cancelled or channel closed while it was unacknowledged — its delivery count grows; when
         * the count would exceed {@code limit} the message is dead-lettered with reason
         * {@code delivery_limit} (or dropped) instead of requeued. So a message is delivered at most
         * {@code limit + 1} times; 0 means it is never redelivered.
         *
         * @param limit 0 or more.
         * @return this builder.
         */
        public Builder deliveryLimit(final int limit)
        {
            arguments.put(QueueArguments.DELIVERY_LIMIT, limit);
            return this;
        }

        /**
         * Adds one {@code x-} argument, validated when the queue is declared (and here, where cheap).
         * Arguments RabbitMQ does not know are kept and ignored, as RabbitMQ does; ones RabbitMQ knows
         * but RingMQ does not implement are refused, so that no declared behaviour is silently missing.
         *
         * @param key   the argument's name, such as {@code x-max-length}.
         * @param value its value, of the type RabbitMQ expects for it.
         * @return this builder.
         */
        public Builder argument(final String key, final Object value)
        {
            if (key == null || key.isEmpty())
            {
                throw new InvalidArgumentException("queue argument name must not be null or empty");
            }
            arguments.put(key, value);
            return this;
        }

        /**
         * Adds every entry of {@code args}, as {@link #argument} one by one.
         *
         * @param args the arguments, or null for none.
         * @return this builder.
         */
        public Builder arguments(final Map<String, ?> args)
        {
            if (args != null)
            {
                args.forEach(this::argument);
            }
            return this;
        }

        /**
         * @return the spec, immutable, its arguments parsed.
         * @throws InvalidArgumentException naming the argument, queue and value, for an invalid {@code x-} argument.
         */
        public QueueSpec build()
        {
            return new QueueSpec(this); // parses and validates the arguments
        }

        private static long millis(final Duration duration, final String what)
        {
            if (duration == null || duration.isNegative())
            {
                throw new InvalidArgumentException(what + " must be zero or positive, was " + duration);
            }
            return duration.toMillis();
        }
    }
}
