package io.ringmq;

import io.ringmq.error.InvalidArgumentException;

import java.util.Set;

/**
 * Validation of the {@code x-} queue arguments RabbitMQ defines, at declare time.
 * <p>
 * Arguments RabbitMQ does not know are kept and ignored, as RabbitMQ does. Arguments RabbitMQ
 * knows but this version of RingMQ does not implement yet are refused with a clear error rather
 * than accepted and silently ignored: a queue that promised a TTL it does not enforce would lose
 * the user's intent without a word.
 */
final class QueueArguments
{
    private static final Set<String> NOT_YET_SUPPORTED = Set.of(
        "x-message-ttl", "x-expires", "x-max-length", "x-max-length-bytes", "x-dead-letter-exchange",
        "x-dead-letter-routing-key", "x-max-priority", "x-single-active-consumer", "x-delivery-limit",
        "x-queue-mode", "x-queue-master-locator");

    private QueueArguments()
    {
    }

    static void validate(final QueueSpec spec)
    {
        for (final String key : spec.arguments().keySet())
        {
            if (NOT_YET_SUPPORTED.contains(key))
            {
                throw new InvalidArgumentException("queue argument '" + key + "' of queue '" + spec.name() +
                    "' is not supported by this version of RingMQ");
            }
        }
        final Object queueType = spec.arguments().get("x-queue-type");
        if (queueType != null && !"classic".equals(queueType))
        {
            throw new InvalidArgumentException("x-queue-type '" + queueType + "' of queue '" + spec.name() +
                "' is not supported: RingMQ queues are in-memory classic queues");
        }
        // x-overflow was parsed (and rejected when invalid) when the spec was built.
    }
}
