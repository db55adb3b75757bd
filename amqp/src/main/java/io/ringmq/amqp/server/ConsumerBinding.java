package io.ringmq.amqp.server;

import io.ringmq.Consumer;
import io.ringmq.Delivery;
import io.ringmq.DeliveryHandler;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code basic.consume} of a network client: a caller-driven engine {@link Consumer} whose handler
 * writes {@code basic.deliver} frames into its connection's pending output, and whose ready listener
 * (called on whichever thread made deliveries possible) queues it for the connection's delivery loop.
 */
final class ConsumerBinding implements DeliveryHandler, Runnable
{
    private final AmqpChannel channel;
    /** In the connection's ready queue: at most once (set by any thread, cleared by the event loop). */
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Consumer consumer;
    private String tag;

    ConsumerBinding(final AmqpChannel channel)
    {
        this.channel = channel;
    }

    /** Event loop, right after basic.consume succeeded. */
    void started(final Consumer consumer)
    {
        this.tag = consumer.consumerTag();
        this.consumer = consumer;
    }

    /** The engine's ready listener: any thread. */
    @Override
    public void run()
    {
        channel.connection().consumerReady(this);
    }

    /** Event loop: writes one delivery. */
    @Override
    public void handle(final Delivery delivery)
    {
        channel.connection().writeDeliver(channel.number(), tag, delivery);
    }

    /** Event loop. @return deliveries written. */
    int deliver(final int max)
    {
        final Consumer c = consumer;
        return c == null ? 0 : c.deliver(max);
    }

    boolean isActive()
    {
        final Consumer c = consumer;
        return c != null && c.isActive();
    }

    /** basic.cancel: no delivery after this; what reached the client stays outstanding on the channel. */
    void cancel()
    {
        final Consumer c = consumer;
        if (c != null)
        {
            c.cancel();
        }
    }

    /** Its channel is closing (the engine channel cancels the consumer itself). */
    void detach()
    {
        consumer = null;
    }

    boolean markQueued()
    {
        return queued.compareAndSet(false, true);
    }

    void clearQueued()
    {
        queued.set(false);
    }
}
