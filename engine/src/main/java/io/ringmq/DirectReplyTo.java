package io.ringmq;

import io.ringmq.error.PreconditionFailedException;

import java.util.UUID;

/**
 * Direct reply-to, as RabbitMQ does it, for one channel: a requester consumes the pseudo-queue
 * {@value #PSEUDO_QUEUE} (with automatic acknowledgement), then publishes requests whose
 * {@code reply-to} is that pseudo-queue; each such request leaves with a {@code reply-to} of the form
 * {@code amq.rabbitmq.reply-to.<opaque>}, and replies published to that name through the default
 * exchange reach the requester's consumer.
 * <p>
 * RingMQ backs the name with a private queue exclusive to the requester's connection and deleted with
 * its consumer (auto-delete), so the default exchange routes replies to it like to any queue; a reply to
 * a requester that is gone is unroutable, as in RabbitMQ. Its name starts with {@code amq.}, which
 * applications may not declare.
 * <p>
 * Threads: {@link #rewrite} runs on the channel's publishing thread; the name is read from there and
 * written by {@link #consume} and {@link #consumerEnded}, so it is volatile.
 */
final class DirectReplyTo
{
    /** The pseudo-queue a requester consumes and names as {@code reply-to}. */
    static final String PSEUDO_QUEUE = "amq.rabbitmq.reply-to";
    /** What a passive declare of the pseudo-queue reports: exclusive and auto-delete, as the reply queues behind it. */
    static final QueueSpec PSEUDO_QUEUE_SPEC = QueueSpec.builder(PSEUDO_QUEUE).exclusive(true).autoDelete(true).build();
    private static final String PREFIX = PSEUDO_QUEUE + ".";

    private volatile String replyQueue;
    private volatile DeliveryAgent consumer;
    /** The last rewrite, kept so that a stream of requests with the same properties allocates once. Publishing thread only. */
    private MessageProperties lastRequested;
    private MessageProperties lastRewritten;

    /**
     * {@code basic.consume} of the pseudo-queue: checks it is allowed.
     *
     * @return the name of the private queue to declare and consume in its place.
     */
    String replyQueueFor(final ConsumeOptions options)
    {
        if (!options.isAutoAck())
        {
            throw new PreconditionFailedException("reply consumer cannot acknowledge");
        }
        if (replyQueue != null)
        {
            throw new PreconditionFailedException("reply consumer already set");
        }
        return PREFIX + UUID.randomUUID().toString().replace("-", "");
    }

    /** The reply queue's consumer is in place: requests may now name the pseudo-queue. */
    void consuming(final String name, final DeliveryAgent replyConsumer)
    {
        consumer = replyConsumer;
        replyQueue = name;
    }

    /**
     * @return {@code requested}, or, when its {@code reply-to} is the pseudo-queue, the same properties
     * with this channel's reply name.
     * @throws PreconditionFailedException when the channel has no reply consumer (RabbitMQ's words).
     */
    MessageProperties rewrite(final MessageProperties requested)
    {
        final String replyTo = requested.replyTo();
        if (replyTo == null || !PSEUDO_QUEUE.equals(replyTo))
        {
            return requested;
        }
        final String name = replyQueue;
        if (name == null)
        {
            throw new PreconditionFailedException("fast reply consumer does not exist");
        }
        if (requested != lastRequested || !name.equals(lastRewritten.replyTo()))
        {
            lastRewritten = requested.toBuilder().replyTo(name).build();
            lastRequested = requested;
        }
        return lastRewritten;
    }

    void consumerEnded(final DeliveryAgent ended)
    {
        if (ended == consumer)
        {
            consumer = null;
            replyQueue = null;
        }
    }
}
