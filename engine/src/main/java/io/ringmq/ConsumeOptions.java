package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.routing.table.Names;

import java.util.Map;
import java.util.Objects;

/**
 * How a push consumer takes messages: acknowledgement mode, prefetch, which thread delivers
 * ({@link ConsumerThreading}) and how a dedicated one waits, and what happens when its handler throws.
 */
public final class ConsumeOptions
{
    /** AMQP {@code basic.qos} prefetch-count is an unsigned short. */
    public static final int MAX_PREFETCH = 65535;
    /** The consume argument that sets {@link #priority()}, as in RabbitMQ. */
    public static final String X_PRIORITY = "x-priority";
    /**
     * How many times handlers may throw on one message before it is rejected instead of requeued:
     * RabbitMQ 4's default delivery limit for quorum queues, for the same reason (a poison message must
     * neither spin a core forever nor vanish without a word).
     */
    public static final int DEFAULT_HANDLER_ERROR_LIMIT = 20;

    private final boolean autoAck;
    private final int prefetch;
    private final WaitStrategy waitStrategy;
    private final String consumerTag;
    private final boolean exclusive;
    private final boolean requeueOnHandlerError;
    private final HandlerErrorListener errorListener;
    private final CancelListener cancelListener;
    private final int priority;
    private final ConsumerThreading threading;
    private final Runnable readyListener;
    private final int handlerErrorLimit;

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
        threading = b.threading;
        readyListener = b.readyListener;
        handlerErrorLimit = b.handlerErrorLimit;
    }

    /** @return a builder: manual acknowledgement, prefetch 0 (unlimited), the shared consumer pool. */
    public static Builder builder()
    {
        return new Builder();
    }

    /** @return options for automatic acknowledgement. */
    public static ConsumeOptions autoAck()
    {
        return builder().autoAck(true).build();
    }

    /**
     * Manual acknowledgement with a prefetch limit, the other options at their defaults.
     *
     * @param prefetch the most unacknowledged deliveries the consumer may hold, 0..65535 (0 = unlimited).
     * @return options for manual acknowledgement with that prefetch.
     */
    public static ConsumeOptions manualAck(final int prefetch)
    {
        return builder().prefetch(prefetch).build();
    }

    /** @return true when a delivery is settled once its handler returns normally (see {@link Builder#autoAck}). */
    public boolean isAutoAck()
    {
        return autoAck;
    }

    /** @return the most unacknowledged deliveries the consumer may hold; 0 means no limit. */
    public int prefetch()
    {
        return prefetch;
    }

    /** @return how a {@link ConsumerThreading#DEDICATED_THREAD} waits; unused by the other threadings. */
    public WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    /** @return which thread delivers. */
    public ConsumerThreading threading()
    {
        return threading;
    }

    /**
     * @return how many times handlers may throw on one message before it is rejected instead of requeued
     * (see {@link Builder#handlerErrorLimit}).
     */
    public int handlerErrorLimit()
    {
        return handlerErrorLimit;
    }

    Runnable readyListener()
    {
        return readyListener;
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

    /**
     * @return true when a delivery whose handler threw is requeued (up to the error limit); false when it
     *         is rejected at once (see {@link Builder#onHandlerError}).
     */
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

    /** Told when a handler threw; runs on the delivering thread, after the delivery was settled. */
    @FunctionalInterface
    public interface HandlerErrorListener
    {
        /**
         * A handler threw; the delivery was requeued or rejected as the options say.
         *
         * @param consumerTag the tag of the consumer whose handler threw.
         * @param message     a copy of the message, or null when the handler had settled it itself.
         * @param error       what the handler threw.
         */
        void onHandlerError(String consumerTag, Message message, Throwable error);

        /**
         * Handlers have now failed on {@code message} {@code failures} times, more than the consumer's
         * {@link #handlerErrorLimit()}: it was rejected without requeue, so dead-lettered (reason
         * {@code rejected}) where its queue has a dead-letter exchange, else dropped and counted in
         * {@link QueueInfo#rejectedCount()}. The default logs a warning.
         *
         * @param consumerTag the tag of the consumer whose handler failed last.
         * @param message     a copy of the message that was given up on.
         * @param failures    how many times handlers failed on it.
         */
        default void onGaveUp(final String consumerTag, final Message message, final int failures)
        {
            System.getLogger("io.ringmq").log(System.Logger.Level.WARNING, "consumer " + consumerTag +
                " gave up on " + message + " after " + failures + " handler failures: rejected without requeue " +
                "(dead-lettered where the queue has a dead-letter exchange, else dropped)");
        }
    }

    /** Told when the broker cancels the consumer (its queue was deleted, or the broker closed): AMQP server-side {@code basic.cancel}. */
    @FunctionalInterface
    public interface CancelListener
    {
        /**
         * The broker cancelled the consumer; no delivery starts after this. Runs on the thread that
         * deleted the queue or closed the broker.
         *
         * @param consumerTag the cancelled consumer's tag.
         * @param reason      why, such as {@code "queue 'q' was deleted"} or {@code "broker closed"}.
         */
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
        private ConsumerThreading threading = ConsumerThreading.SHARED_POOL;
        private Runnable readyListener;
        private int handlerErrorLimit = DEFAULT_HANDLER_ERROR_LIMIT;

        private Builder()
        {
        }

        /**
         * Chooses the thread that delivers (default {@link ConsumerThreading#SHARED_POOL}). For
         * {@link ConsumerThreading#CALLER_DRIVEN} use {@link #callerDriven(Runnable)}, which also names
         * the ready listener.
         *
         * @param threading the shared pool or a dedicated thread.
         * @return this builder.
         */
        public Builder threading(final ConsumerThreading threading)
        {
            Objects.requireNonNull(threading, "threading");
            if (threading == ConsumerThreading.CALLER_DRIVEN && readyListener == null)
            {
                throw new InvalidArgumentException("a caller-driven consumer needs a ready listener: use callerDriven(listener)");
            }
            this.threading = threading;
            return this;
        }

        /**
         * The broker's shared consumer threads (the default).
         *
         * @return this builder.
         */
        public Builder sharedPool()
        {
            return threading(ConsumerThreading.SHARED_POOL);
        }

        /**
         * A thread of its own, waiting as {@link #waitStrategy} says.
         *
         * @return this builder.
         */
        public Builder dedicatedThread()
        {
            return threading(ConsumerThreading.DEDICATED_THREAD);
        }

        /**
         * No thread: the application calls {@link Consumer#deliver(int)}. {@code readyListener} is told,
         * on whichever thread made it so (a publisher, an acker, a dispatcher), that deliveries may be
         * possible after a {@code deliver} returned 0; it must only schedule the next {@code deliver}
         * (say, as a task on an event loop), never deliver itself nor block. Told once at the start too.
         *
         * @param readyListener told that {@link Consumer#deliver(int)} may have work.
         * @return this builder.
         */
        public Builder callerDriven(final Runnable readyListener)
        {
            this.readyListener = Objects.requireNonNull(readyListener, "readyListener");
            this.threading = ConsumerThreading.CALLER_DRIVEN;
            return this;
        }

        /**
         * How many times handlers may throw on one message (on any consumer of its queue) and have it
         * requeued; the next failure rejects it without requeue and tells
         * {@link HandlerErrorListener#onGaveUp}. Default {@value ConsumeOptions#DEFAULT_HANDLER_ERROR_LIMIT};
         * {@code Integer.MAX_VALUE} requeues forever, as earlier versions did.
         *
         * @param limit 0 or more; 0 rejects a message on its first handler failure.
         * @return this builder.
         */
        public Builder handlerErrorLimit(final int limit)
        {
            if (limit < 0)
            {
                throw new InvalidArgumentException("handler error limit must be 0 or more, was " + limit);
            }
            this.handlerErrorLimit = limit;
            return this;
        }

        /**
         * Sets the consumer priority ({@code x-priority}); see {@link ConsumeOptions#priority()}.
         *
         * @param priority higher goes first; 0 by default, negative allowed.
         * @return this builder.
         */
        public Builder priority(final int priority)
        {
            this.priority = priority;
            return this;
        }

        /**
         * Applies RabbitMQ {@code basic.consume} arguments: {@code x-priority} (an integer of any Java
         * integral type, within int range) sets {@link #priority(int)}; other arguments are ignored, as
         * RabbitMQ ignores arguments it does not know.
         *
         * @param arguments the consume arguments, or null for none.
         * @return this builder.
         * @throws InvalidArgumentException when {@code x-priority} is not an integer in int range.
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
         *
         * @param autoAck true for automatic acknowledgement; false (the default): the handler acks.
         * @return this builder.
         */
        public Builder autoAck(final boolean autoAck)
        {
            this.autoAck = autoAck;
            return this;
        }

        /**
         * The most unacknowledged deliveries the consumer may hold (AMQP {@code basic.qos}).
         *
         * @param prefetch 0..65535; 0 means no limit; ignored with auto-ack.
         * @return this builder.
         */
        public Builder prefetch(final int prefetch)
        {
            if (prefetch < 0 || prefetch > MAX_PREFETCH)
            {
                throw new InvalidArgumentException("prefetch must be 0..65535, was " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /**
         * How the consumer's own thread waits when it has nothing to do. A wait strategy belongs to a
         * thread of its own, so this also chooses {@link ConsumerThreading#DEDICATED_THREAD}.
         *
         * @param waitStrategy from busy spinning (lowest latency, a core) to blocking (the default).
         * @return this builder.
         */
        public Builder waitStrategy(final WaitStrategy waitStrategy)
        {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            this.threading = ConsumerThreading.DEDICATED_THREAD;
            return this;
        }

        /**
         * The consumer's tag, which names it in cancels and logs.
         *
         * @param consumerTag a tag unique on the channel, or null for a generated one.
         * @return this builder.
         */
        public Builder consumerTag(final String consumerTag)
        {
            if (consumerTag != null)
            {
                Names.checkShortString("consumer tag", consumerTag);
            }
            this.consumerTag = consumerTag;
            return this;
        }

        /**
         * AMQP exclusive consume: the consumer must be its queue's only one.
         *
         * @param exclusive true to refuse other consumers while it runs, and to be refused when the queue
         *                  already has one (403 ACCESS_REFUSED, as RabbitMQ).
         * @return this builder.
         */
        public Builder exclusive(final boolean exclusive)
        {
            this.exclusive = exclusive;
            return this;
        }

        /**
         * What happens to a delivery whose handler threw and did not settle it itself: with
         * {@code true} (the default) it is requeued and redelivered with {@code redelivered = true}, up
         * to {@link #handlerErrorLimit} times; with {@code false} it is rejected without requeue
         * (discarded, or dead-lettered where the queue has a dead-letter exchange). Either way the
         * consumer keeps running and the error listener is told.
         *
         * @param requeue true to requeue, false to reject.
         * @return this builder.
         */
        public Builder onHandlerError(final boolean requeue)
        {
            this.requeueOnHandlerError = requeue;
            return this;
        }

        /**
         * Replaces the default listener, which logs the error through {@link System.Logger}.
         *
         * @param listener told of each handler failure, on the delivering thread.
         * @return this builder.
         */
        public Builder handlerErrorListener(final HandlerErrorListener listener)
        {
            this.errorListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets who is told when the broker cancels the consumer (the default does nothing).
         *
         * @param listener told once, when the queue is deleted or the broker closes.
         * @return this builder.
         */
        public Builder cancelListener(final CancelListener listener)
        {
            this.cancelListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** @return the options, immutable. */
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
