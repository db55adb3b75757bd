package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Delivery;
import io.ringmq.OverflowPolicy;
import io.ringmq.QueueSpec;

/**
 * Small helpers the stress tests share: a broker small enough to build once per jcstress state,
 * and message bodies that carry one id byte.
 */
public final class Probe
{
    /** Returned by {@link #take} when the queue was empty. */
    public static final int EMPTY = 0;
    /** Returned by {@link #take} when the delivery had no body or one that no publisher wrote. */
    public static final int CORRUPT = -1;

    private Probe()
    {
    }

    /** @return a broker whose envelope pool is tiny, so that reuse of a released envelope is immediate. */
    public static Broker smallBroker()
    {
        return Broker.builder().envelopePool(4, 4).build();
    }

    /** Declares a queue with a ring of {@code capacity} and the given overflow policy. */
    public static void declare(final Channel channel, final String queue, final int capacity,
        final OverflowPolicy overflow)
    {
        channel.queueDeclare(QueueSpec.builder(queue).capacity(capacity).overflow(overflow).build());
    }

    /**
     * @return a caller-driven consumer's options, manual ack with no prefetch of its own: the actor that
     * calls its {@code deliver} is its whole delivering thread, so a race is exactly the one an actor makes.
     */
    public static ConsumeOptions callerDriven(final Runnable onReady)
    {
        return ConsumeOptions.builder().prefetch(0).callerDriven(onReady).build();
    }

    /** Declares queues {@code a} and {@code b} (rings of 4) and publishes one message to each: id 1 to a, 2 to b. */
    public static void oneMessageInEachOfTwoQueues(final Channel channel)
    {
        declare(channel, "a", 4, OverflowPolicy.REJECT_PUBLISH);
        declare(channel, "b", 4, OverflowPolicy.REJECT_PUBLISH);
        channel.publish("", "a", body(1));
        channel.publish("", "b", body(2));
    }

    /** @return a one-byte body carrying {@code id} (1..127). */
    public static byte[] body(final int id)
    {
        return new byte[] {(byte)id};
    }

    /** @return the id a delivery's body carries, or {@link #CORRUPT}. */
    public static int id(final Delivery delivery)
    {
        final byte[] body = delivery.body();
        return body == null || body.length != 1 ? CORRUPT : body[0];
    }

    /** A manual-ack get that acknowledges at once. @return the id taken, {@link #EMPTY} or {@link #CORRUPT}. */
    public static int take(final Channel channel, final String queue)
    {
        final Delivery delivery = channel.get(queue, false);
        if (delivery == null)
        {
            return EMPTY;
        }
        final int id = id(delivery);
        channel.ack(delivery.deliveryTag(), false);
        return id;
    }

    /**
     * Takes everything left in {@code queue} and folds the ids into a decimal string of digits, in
     * the order taken, after {@code prefix} (ids 1..9).
     */
    public static int drainDigits(final Channel channel, final String queue, final int prefix)
    {
        int digits = prefix;
        int id;
        while ((id = take(channel, queue)) != EMPTY)
        {
            digits = digits * 10 + (id < 0 || id > 9 ? 0 : id);
        }
        return digits;
    }
}
