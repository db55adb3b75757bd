package io.ringmq;

import io.ringmq.error.PreconditionFailedException;

/**
 * A push consumer (AMQP {@code basic.consume}): the application's handle on it. Its deliveries are
 * handed to its {@link DeliveryHandler}, requeued ones first, while it has prefetch credit, on the
 * thread its {@link ConsumerThreading} names: one of the broker's shared consumer threads (the
 * default), a thread of its own, or the application's own thread calling {@link #deliver(int)}.
 * <p>
 * Several consumers on one queue compete: each message goes to exactly one, round-robin among those
 * with credit, the highest priority ({@link ConsumeOptions#priority()}) first, as RabbitMQ dispatches.
 * <p>
 * Acknowledge through the channel ({@link Channel#ack(long, boolean)}: tags are the channel's), or with
 * the conveniences {@link Delivery#ack()} inside the handler and {@link #ack(long, boolean)} here.
 * {@link #cancel()} stops deliveries; what it had been sent but not yet handed to the handler goes back
 * to the queue, unflagged; its unacknowledged deliveries stay outstanding on the channel and can still be
 * acked, nacked or rejected there, and are requeued (flagged redelivered, in order) when the channel, its
 * connection or the broker closes, as in RabbitMQ.
 */
public final class Consumer implements AutoCloseable
{
    private final Broker broker;
    private final DeliveryAgent agent;

    Consumer(final Broker broker, final DeliveryAgent agent)
    {
        this.broker = broker;
        this.agent = agent;
    }

    /** @return the consumer tag, unique on its channel. */
    public String consumerTag()
    {
        return agent.consumerTag();
    }

    /** @return the name of the queue it consumes from. */
    public String queue()
    {
        return agent.queue().queueName();
    }

    /** @return which thread delivers. */
    public ConsumerThreading threading()
    {
        return agent.options().threading();
    }

    /** @return true until cancelled (by the application, its channel, queue deletion or broker close). */
    public boolean isActive()
    {
        return agent.isRunning();
    }

    /** @return deliveries handed out and not yet settled (always 0 with auto-ack). */
    public int unackedCount()
    {
        return agent.unackedCount();
    }

    /**
     * {@link ConsumerThreading#CALLER_DRIVEN} only: hands up to {@code maxDeliveries} available messages
     * to the handler, on this thread, under the consumer's credit, and returns; never waits. When it
     * returns 0 the ready listener is told once more may be possible. One caller at a time.
     *
     * @param maxDeliveries the most messages to hand over in this call; 0 or less delivers nothing.
     * @return how many were delivered (0 also once the consumer is cancelled).
     * @throws IllegalStateException for a consumer with a thread, or when called concurrently.
     */
    public int deliver(final int maxDeliveries)
    {
        if (agent.options().threading() != ConsumerThreading.CALLER_DRIVEN)
        {
            throw new IllegalStateException("deliver() is for caller-driven consumers; consumer '" + consumerTag() +
                "' runs on " + agent.options().threading());
        }
        if (maxDeliveries <= 0)
        {
            return 0;
        }
        return CallerDriven.deliver(agent, maxDeliveries);
    }

    /**
     * AMQP {@code basic.ack} on the consumer's channel; any thread.
     *
     * @param deliveryTag the delivery's tag (with {@code multiple}, 0 acknowledges all outstanding).
     * @param multiple    true to settle every outstanding delivery of the channel up to and including it.
     * @throws io.ringmq.error.PreconditionFailedException for an auto-ack consumer, or an unknown or
     *         already settled tag.
     */
    public void ack(final long deliveryTag, final boolean multiple)
    {
        manual("ack");
        agent.acknowledgements().ack(deliveryTag, multiple);
    }

    /**
     * AMQP {@code basic.nack} on the consumer's channel; any thread. Requeued messages are redelivered
     * flagged, ahead of new ones.
     *
     * @param deliveryTag the delivery's tag.
     * @param multiple    true to settle every outstanding delivery of the channel up to and including it.
     * @param requeue     true: back to the queue; false: dead-lettered, or dropped without a dead-letter exchange.
     * @throws io.ringmq.error.PreconditionFailedException for an auto-ack consumer, or an unknown or
     *         already settled tag.
     */
    public void nack(final long deliveryTag, final boolean multiple, final boolean requeue)
    {
        manual("nack");
        agent.acknowledgements().nack(deliveryTag, multiple, requeue);
    }

    /**
     * AMQP {@code basic.reject} on the consumer's channel; any thread.
     *
     * @param deliveryTag the delivery's tag.
     * @param requeue     true: back to the queue; false: dead-lettered, or dropped without a dead-letter exchange.
     * @throws io.ringmq.error.PreconditionFailedException for an auto-ack consumer, or an unknown or
     *         already settled tag.
     */
    public void reject(final long deliveryTag, final boolean requeue)
    {
        manual("reject");
        agent.acknowledgements().reject(deliveryTag, requeue);
    }

    /**
     * AMQP {@code basic.cancel}: no delivery starts after this returns, and none is in progress (when
     * called from another thread, it waits for the one in progress). Messages sent to it and not yet
     * delivered go back to the queue; unacknowledged deliveries stay with the channel. Idempotent.
     */
    public void cancel()
    {
        broker.cancelConsumer(agent, null);
    }

    /** Same as {@link #cancel()}. */
    @Override
    public void close()
    {
        cancel();
    }

    DeliveryAgent agent()
    {
        return agent;
    }

    private void manual(final String method)
    {
        if (agent.isAutoAck())
        {
            throw new PreconditionFailedException("cannot " + method + " on consumer '" + consumerTag() +
                "': it uses automatic acknowledgement");
        }
    }

    @Override
    public String toString()
    {
        return "Consumer{tag='" + consumerTag() + "', queue='" + queue() + "', autoAck=" + agent.isAutoAck() +
            ", prefetch=" + agent.options().prefetch() + ", priority=" + agent.priority() + ", threading=" +
            threading() + ", active=" + isActive() + '}';
    }
}
