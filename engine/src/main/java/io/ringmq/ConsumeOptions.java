package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.Names;

import java.util.Map;
import java.util.Objects;

/**
 * How a push consumer takes messages: acknowledgement mode, prefetch, how its thread waits, and
 * what happens when its handler throws.
 */
public final class ConsumeOptions
{
    /** AMQP {@code basic.qos} prefetch-count is an unsigned short. */
    public static final int MAX_PREFETCH = 65535;
    /** The consume argument that sets {@link #priority()}, as in RabbitMQ. */
    public static final String X_PRIORITY = "x-priority";

    private final boolean autoAck;
    private final int prefetch;
    private final WaitStrategy waitStrategy;
    private final String consumerTag;
    private final boolean exclusive;
    private final boolean requeueOnHandlerError;
    private final HandlerErrorListener errorListener;
    private final CancelListener cancelListener;
    private final int priority;

    private ConsumeOptions(final Builder b)
    {
        autoAck = b.autoAck;
        prefetch = b.prefetch;
        waitStrategy = b.waitStrategy;
        consumerTag = b.consumerTag;
        exclusive = b.exclusive;
        requeueOnHandlerError = b.requeueOnHandlerError;
        errorListener = b.errorListener;
        cancelListener = b.cancelListener;
        priority = b.priority;
    }

    /** @return a builder: manual acknowledgement, prefetch 0 (unlimited), {@link WaitStrategy#BLOCKING}. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return options for automatic acknowledgement. */
    public static ConsumeOptions autoAck()
    {
        return builder().autoAck(true).build();
    }

    /** @return options for manual acknowledgement with the given prefetch (0 = unlimited). */
    public static ConsumeOptions manualAck(final int prefetch)
    {
        return builder().prefetch(prefetch).build();
    }

    public boolean isAutoAck()
    {
        return autoAck;
    }

    /** @return the most unacknowledged deliveries the consumer may hold; 0 means no limit. */
    public int prefetch()
    {
        return prefetch;
    }

    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /** @return the requested consumer tag, or null to let the broker generate one. */
    public String consumerTag()
    {
        return consumerTag;
    }

    /** @return true when this consumer must be the queue's only one (AMQP exclusive consume). */
    public boolean exclusive()
    {
        return exclusive;
    }

    public boolean requeueOnHandlerError()
    {
        return requeueOnHandlerError;
    }

    /**
     * @return the consumer priority ({@code x-priority}; 0 by default, negative allowed), as in RabbitMQ:
     * a queue's higher-priority consumers get its messages while they have prefetch credit; lower ones
     * get messages only when every higher-priority consumer of the queue is blocked — out of credit
     * (prefetch reached) or cancelled. Consumers of equal priority share messages as usual.
     * <p>
     * The queue's round-robin dispatch applies it to every message: the next message goes to the next
     * consumer in the rotation among the highest-priority ones with credit. A consumer with automatic
     * acknowledgement or prefetch 0 has credit while fewer than {@code Consumer.MAILBOX_LIMIT} messages
     * wait for it, so consumers below it receive nothing while it keeps up — as in RabbitMQ, where it
     * would be blocked only by flow control on its connection.
     */
    public int priority()
    {
        return priority;
    }

    HandlerErrorListener errorListener()
    {
        return errorListener;
    }

    CancelListener cancelListener()
    {
        return cancelListener;
    }

    /** Told when a handler threw; runs on the consumer thread, after the delivery was settled. */
    @FunctionalInterface
    public interface HandlerErrorListener
    {
        void onHandlerError(String consumerTag, Message message, Throwable error);
    }

    /** Told when the broker cancels the consumer (its queue was deleted, or the broker closed): AMQP server-side {@code basic.cancel}. */
    @FunctionalInterface
    public interface CancelListener
    {
        void onCancel(String consumerTag, String reason);
    }

    /** Mutable builder of {@link ConsumeOptions}; not thread-safe. */
    public static final class Builder
    {
        private boolean autoAck;
        private int prefetch;
        private WaitStrategy waitStrategy = WaitStrategy.BLOCKING;
        private String consumerTag;
        private boolean exclusive;
        private boolean requeueOnHandlerError = true;
        private HandlerErrorListener errorListener = Builder::logHandlerError;
        private CancelListener cancelListener = (tag, reason) -> { };
        private int priority;

        private Builder()
        {
        }

        /** Sets the consumer priority ({@code x-priority}); see {@link ConsumeOptions#priority()}. */
        public Builder priority(final int priority)
        {
            this.priority = priority;
            return this;
        }

        /**
         * Applies RabbitMQ {@code basic.consume} arguments: {@code x-priority} (an integer of any Java
         * integral type, within int range) sets {@link #priority(int)}; other arguments are ignored, as
         * RabbitMQ ignores arguments it does not know.
         */
        public Builder arguments(final Map<String, ?> arguments)
        {
            if (arguments == null || !arguments.containsKey(X_PRIORITY))
            {
                return this;
            }
            final Object value = arguments.get(X_PRIORITY);
            if (!(value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) ||
                ((Number)value).longValue() != ((Number)value).intValue())
            {
                throw new InvalidArgumentException("invalid consume argument x-priority: " +
                    (value == null ? "null" : value.getClass().getSimpleName() + " " + value) + "; expected an integer in int range");
            }
            this.priority = ((Number)value).intValue();
            return this;
        }

        /**
         * Automatic acknowledgement: a delivery is settled when the handler returns normally. (AMQP
         * settles on send; RingMQ waits for the handler so that a throwing handler loses nothing.)
         */
        public Builder autoAck(final boolean autoAck)
        {
            this.autoAck = autoAck;
            return this;
        }

        /** @param prefetch 0..65535; 0 means no limit (AMQP {@code basic.qos}); ignored with auto-ack. */
        public Builder prefetch(final int prefetch)
        {
            if (prefetch < 0 || prefetch > MAX_PREFETCH)
            {
                throw new InvalidArgumentException("prefetch must be 0..65535, was " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        public Builder waitStrategy(final WaitStrategy waitStrategy)
        {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /** @param consumerTag a tag unique on the queue, or null for a generated one. */
        public Builder consumerTag(final String consumerTag)
        {
            if (consumerTag != null)
            {
                Names.checkShortString("consumer tag", consumerTag);
            }
            this.consumerTag = consumerTag;
            return this;
        }

        public Builder exclusive(final boolean exclusive)
        {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * What happens to a delivery whose handler threw and did not settle it itself: with
         * {@code true} (the default) it is requeued and redelivered with {@code redelivered = true};
         * with {@code false} it is rejected without requeue (discarded, or dead-lettered where the
         * queue has a dead-letter exchange). Either way the consumer thread keeps running and the
         * error listener is told.
         */
        public Builder onHandlerError(final boolean requeue)
        {
            this.requeueOnHandlerError = requeue;
            return this;
        }

        /** Replaces the default listener, which logs the error through {@link System.Logger}. */
        public Builder handlerErrorListener(final HandlerErrorListener listener)
        {
            this.errorListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public Builder cancelListener(final CancelListener listener)
        {
            this.cancelListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public ConsumeOptions build()
        {
            return new ConsumeOptions(this);
        }

        private static void logHandlerError(final String consumerTag, final Message message, final Throwable error)
        {
            System.getLogger("io.ringmq").log(System.Logger.Level.WARNING,
                "handler of consumer " + consumerTag + " threw on " + message, error);
        }
    }
}
