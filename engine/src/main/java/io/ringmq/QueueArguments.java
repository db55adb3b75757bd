package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.Names;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and validates the {@code x-} queue arguments RabbitMQ defines, at declare time (when the
 * {@link QueueSpec} is built), into {@link QueuePolicies}.
 * <p>
 * The rules are RabbitMQ's ({@code rabbit_amqqueue:declare_args}): integral arguments accept any
 * Java integral type ({@code Byte}, {@code Short}, {@code Integer}, {@code Long}) as RabbitMQ
 * accepts any AMQP integer type, and nothing else (not a numeric string, not a floating-point
 * number); names are strings; {@code x-single-active-consumer} is a {@code Boolean}. Each error names
 * the argument, the queue and the value, and is an {@link InvalidArgumentException}
 * (406 PRECONDITION_FAILED, as RabbitMQ answers).
 * <p>
 * Arguments RabbitMQ does not know are kept and ignored, as RabbitMQ does. Arguments RabbitMQ
 * knows but RingMQ does not implement are refused with a clear error rather than accepted and
 * silently ignored: a queue that promised a behaviour it does not have would lose the user's intent
 * without a word.
 */
final class QueueArguments
{
    static final String MESSAGE_TTL = "x-message-ttl";
    static final String EXPIRES = "x-expires";
    static final String MAX_LENGTH = "x-max-length";
    static final String MAX_LENGTH_BYTES = "x-max-length-bytes";
    static final String DEAD_LETTER_EXCHANGE = "x-dead-letter-exchange";
    static final String DEAD_LETTER_ROUTING_KEY = "x-dead-letter-routing-key";
    static final String MAX_PRIORITY = "x-max-priority";
    static final String SINGLE_ACTIVE_CONSUMER = "x-single-active-consumer";
    static final String DELIVERY_LIMIT = "x-delivery-limit";
    static final String QUEUE_TYPE = "x-queue-type";

    /** RabbitMQ's bound for TTLs and expiries (rabbit_misc:check_expiry): 2^32 - 1 ms. */
    static final long MAX_EXPIRY_MILLIS = 4_294_967_295L;
    /** RabbitMQ 4's delivery limit for a quorum queue that sets none. */
    static final int QUORUM_DEFAULT_DELIVERY_LIMIT = 20;
    /** Arguments a quorum queue refuses at declare, as RabbitMQ's does. */
    private static final Set<String> NOT_FOR_QUORUM = Set.of(MAX_PRIORITY, "x-queue-mode");
    /** RabbitMQ's largest supported {@code x-max-priority}. */
    static final int MAX_PRIORITY_LEVEL = 255;

    private static final Set<String> NOT_SUPPORTED = Set.of("x-queue-mode", "x-queue-master-locator");
    /** The arguments a redeclaration is compared on, in RabbitMQ's order (rabbit_amqqueue's declare_args). */
    static final List<String> COMPARED = List.of(EXPIRES, MESSAGE_TTL, DEAD_LETTER_EXCHANGE, DEAD_LETTER_ROUTING_KEY,
        MAX_LENGTH, MAX_LENGTH_BYTES, MAX_PRIORITY, QueueSpec.X_OVERFLOW, SINGLE_ACTIVE_CONSUMER, QUEUE_TYPE, DELIVERY_LIMIT);

    private QueueArguments()
    {
    }

    /**
     * @return the parsed policies, with the overflow default and a quorum queue's delivery limit applied.
     * @throws InvalidArgumentException naming the bad argument (or, for a quorum queue, the property it
     *                                  cannot have).
     */
    static QueuePolicies parse(final String queue, final Map<String, Object> arguments, final boolean durable,
        final boolean exclusive, final boolean autoDelete)
    {
        for (final String key : arguments.keySet())
        {
            if (NOT_SUPPORTED.contains(key))
            {
                throw new InvalidArgumentException("queue argument '" + key + "' of " + describe(queue) +
                    " is not supported by this version of RingMQ");
            }
        }
        final QueueType type = queueType(queue, arguments);
        if (type == QueueType.QUORUM)
        {
            checkQuorum(queue, arguments, durable, exclusive, autoDelete);
        }
        final long ttl = integral(queue, arguments, MESSAGE_TTL, 0, MAX_EXPIRY_MILLIS, "milliseconds");
        final long expires = integral(queue, arguments, EXPIRES, 1, MAX_EXPIRY_MILLIS, "milliseconds");
        final long maxLength = integral(queue, arguments, MAX_LENGTH, 0, Long.MAX_VALUE, "messages");
        final long maxLengthBytes = integral(queue, arguments, MAX_LENGTH_BYTES, 0, Long.MAX_VALUE, "bytes");
        final long maxPriority = integral(queue, arguments, MAX_PRIORITY, 0, MAX_PRIORITY_LEVEL, "priority levels");
        final long deliveryLimit = deliveryLimit(queue, arguments, type);
        final String dlx = string(queue, arguments, DEAD_LETTER_EXCHANGE);
        final String dlrk = string(queue, arguments, DEAD_LETTER_ROUTING_KEY);
        if (dlx != null)
        {
            try
            {
                Names.checkExchangeName(dlx);
            }
            catch (final InvalidArgumentException ex)
            {
                throw invalid(queue, DEAD_LETTER_EXCHANGE, dlx, ex.getMessage());
            }
        }
        if (dlrk != null)
        {
            if (dlx == null)
            {
                // rabbit_amqqueue:check_dlxrk_arg: a routing key without an exchange is an error.
                throw new InvalidArgumentException("x-dead-letter-routing-key '" + dlrk + "' of " + describe(queue) +
                    " requires x-dead-letter-exchange, which is not set");
            }
            try
            {
                Names.checkRoutingKey(dlrk);
            }
            catch (final InvalidArgumentException ex)
            {
                throw invalid(queue, DEAD_LETTER_ROUTING_KEY, dlrk, ex.getMessage());
            }
        }
        final boolean singleActiveConsumer;
        final Object sac = arguments.get(SINGLE_ACTIVE_CONSUMER);
        if (arguments.containsKey(SINGLE_ACTIVE_CONSUMER) && !(sac instanceof Boolean))
        {
            throw invalid(queue, SINGLE_ACTIVE_CONSUMER, sac, "expected a Boolean");
        }
        singleActiveConsumer = Boolean.TRUE.equals(sac);
        final OverflowPolicy overflow;
        if (arguments.containsKey(QueueSpec.X_OVERFLOW))
        {
            final Object value = arguments.get(QueueSpec.X_OVERFLOW);
            try
            {
                overflow = OverflowPolicy.fromArgument(value);
            }
            catch (final InvalidArgumentException ex)
            {
                throw invalid(queue, QueueSpec.X_OVERFLOW, value,
                    "expected drop-head, reject-publish, reject-publish-dlx or block");
            }
        }
        else
        {
            // RabbitMQ's default with a length limit; RingMQ's back-pressure for a full ring otherwise.
            overflow = maxLength != QueuePolicies.UNSET || maxLengthBytes != QueuePolicies.UNSET ?
                OverflowPolicy.DROP_HEAD : OverflowPolicy.BLOCK;
        }
        return new QueuePolicies(ttl, expires, maxLength, maxLengthBytes, overflow, dlx, dlrk, (int)Math.max(0, maxPriority),
            singleActiveConsumer, deliveryLimit, type);
    }

    private static QueueType queueType(final String queue, final Map<String, Object> arguments)
    {
        if (!arguments.containsKey(QUEUE_TYPE))
        {
            return QueueType.CLASSIC;
        }
        final Object value = arguments.get(QUEUE_TYPE);
        for (final QueueType type : QueueType.values())
        {
            if (type.argumentValue().equals(value))
            {
                return type;
            }
        }
        if ("stream".equals(value))
        {
            throw new InvalidArgumentException("x-queue-type 'stream' of " + describe(queue) + " is not supported: " +
                "RingMQ has classic and quorum queues, kept in memory; streams (an append-only log read by offset) " +
                "are not implemented");
        }
        throw invalid(queue, QUEUE_TYPE, value, "expected classic or quorum");
    }

    /** RabbitMQ's declare-time checks of a quorum queue (rabbit_quorum_queue:declare and its invalid arguments). */
    private static void checkQuorum(final String queue, final Map<String, Object> arguments, final boolean durable,
        final boolean exclusive, final boolean autoDelete)
    {
        if (exclusive)
        {
            throw new InvalidArgumentException("invalid property 'exclusive-owner' for " + describe(queue) + " in vhost '/'");
        }
        if (!durable)
        {
            throw new InvalidArgumentException("invalid property 'non-durable' for " + describe(queue) + " in vhost '/'");
        }
        if (autoDelete)
        {
            throw new InvalidArgumentException("invalid property 'auto-delete' for " + describe(queue) + " in vhost '/'");
        }
        for (final String key : NOT_FOR_QUORUM)
        {
            if (arguments.containsKey(key))
            {
                throw new InvalidArgumentException("invalid arg '" + key + "' for " + describe(queue) + " in vhost '/'");
            }
        }
        if ("reject-publish-dlx".equals(arguments.get(QueueSpec.X_OVERFLOW)))
        {
            throw new InvalidArgumentException("invalid arg 'x-overflow' with value 'reject-publish-dlx' for " +
                describe(queue) + " in vhost '/'");
        }
    }

    /** Classic: 0 or more, or none. Quorum: RabbitMQ 4's default when absent, and a negative limit means none. */
    private static long deliveryLimit(final String queue, final Map<String, Object> arguments, final QueueType type)
    {
        if (type != QueueType.QUORUM)
        {
            return integral(queue, arguments, DELIVERY_LIMIT, 0, Long.MAX_VALUE, "returns");
        }
        if (!arguments.containsKey(DELIVERY_LIMIT))
        {
            return QUORUM_DEFAULT_DELIVERY_LIMIT;
        }
        final long limit = integral(queue, arguments, DELIVERY_LIMIT, Long.MIN_VALUE, Long.MAX_VALUE, "returns");
        return limit < 0 ? QueuePolicies.UNSET : limit;
    }

    /** @return the ring capacity {@link QueueSpec#X_CAPACITY} asks for, else {@code chosen}. */
    static int capacity(final String queue, final Map<String, Object> arguments, final int chosen)
    {
        final long asked = integral(queue, arguments, QueueSpec.X_CAPACITY, 2, QueueSpec.MAX_CAPACITY, "slots");
        if (asked == QueuePolicies.UNSET)
        {
            return chosen;
        }
        if (!isCapacity(asked))
        {
            throw invalid(queue, QueueSpec.X_CAPACITY, arguments.get(QueueSpec.X_CAPACITY),
                "expected a power of two from 2 to " + QueueSpec.MAX_CAPACITY);
        }
        return (int)asked;
    }

    static boolean isCapacity(final long slots)
    {
        return slots >= 2 && slots <= QueueSpec.MAX_CAPACITY && Long.bitCount(slots) == 1;
    }

    /** @return the integral argument {@code key} within [min, max], or UNSET when absent. */
    private static long integral(final String queue, final Map<String, Object> arguments, final String key,
        final long min, final long max, final String unit)
    {
        if (!arguments.containsKey(key))
        {
            return QueuePolicies.UNSET;
        }
        final Object value = arguments.get(key);
        if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte))
        {
            throw invalid(queue, key, value, "expected an integer (Byte, Short, Integer or Long) of " + unit);
        }
        final long n = ((Number)value).longValue();
        if (n < min || n > max)
        {
            throw invalid(queue, key, value, "expected " + unit + " from " + min + " to " + max);
        }
        return n;
    }

    private static String string(final String queue, final Map<String, Object> arguments, final String key)
    {
        if (!arguments.containsKey(key))
        {
            return null;
        }
        final Object value = arguments.get(key);
        if (!(value instanceof String))
        {
            throw invalid(queue, key, value, "expected a String");
        }
        return (String)value;
    }

    private static InvalidArgumentException invalid(final String queue, final String key, final Object value,
        final String expectation)
    {
        // RabbitMQ's words ("invalid arg 'x-max-length' for queue 'q' in vhost '/': ..."), then what was wrong.
        return new InvalidArgumentException("invalid arg '" + key + "' for " + describe(queue) + " in vhost '/': " +
            (value == null ? "null" : describeValue(value)) + "; " + expectation);
    }

    /** @return RabbitMQ's rendering of an argument value: {@code the value '2000' of type 'signedint'}, or {@code none}. */
    static String describeValue(final Object value)
    {
        if (value == null)
        {
            return "none";
        }
        final String text = String.valueOf(value instanceof byte[] ? "<" + ((byte[])value).length + " bytes>" : value);
        final String shown = text.length() <= 64 ? text : text.substring(0, 64) + "...(" + text.length() + " chars)";
        return "the value '" + shown + "' of type '" + amqpType(value) + "'";
    }

    /** @return the AMQP field type RabbitMQ names for a Java value (as amqp-client maps them). */
    private static String amqpType(final Object value)
    {
        if (value instanceof String)
        {
            return "longstr";
        }
        if (value instanceof Integer)
        {
            return "signedint";
        }
        if (value instanceof Long)
        {
            return "long";
        }
        if (value instanceof Short)
        {
            return "short";
        }
        if (value instanceof Byte)
        {
            return "byte";
        }
        if (value instanceof Boolean)
        {
            return "bool";
        }
        if (value instanceof Double)
        {
            return "double";
        }
        if (value instanceof Float)
        {
            return "float";
        }
        if (value instanceof Map)
        {
            return "table";
        }
        if (value instanceof List)
        {
            return "array";
        }
        return value.getClass().getSimpleName();
    }

    /** @return true when two argument values declare the same thing: integers by value, as RabbitMQ compares type classes. */
    static boolean sameValue(final Object x, final Object y)
    {
        if (isIntegral(x) && isIntegral(y))
        {
            return ((Number)x).longValue() == ((Number)y).longValue();
        }
        return x == null ? y == null : x.equals(y);
    }

    private static String describe(final String queue)
    {
        return queue.isEmpty() ? "a server-named queue" : "queue '" + queue + "'";
    }

    private static boolean isIntegral(final Object value)
    {
        return value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte;
    }
}
