package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import io.ringmq.internal.UnackedTable;


/**
 * One delivered message, as a handler or {@link Channel#get} sees it (AMQP {@code basic.deliver} /
 * {@code basic.get-ok}).
 * <p>
 * <b>Lifetime:</b> a Delivery is a flyweight: each consumer (and each channel, for gets) reuses one
 * instance for every delivery, so delivering allocates nothing. Read it inside the handler (or before
 * the channel's next get). To keep the message longer, call {@link #copy()}.
 * <p>
 * <b>Acknowledging:</b> {@link #deliveryTag()} is the channel's tag for this delivery; it stays valid
 * after the callback, from any thread: settle it with {@link Channel#ack(long, boolean)} and friends.
 * The conveniences {@link #ack()}, {@link #nack(boolean)} and {@link #reject(boolean)} act on the
 * delivery the flyweight holds <em>now</em>, so they are allowed only where that is certainly this one:
 * inside the handler, on the thread running it (or, for a get, on the thread that got it, until its next
 * get). Anywhere else they throw {@link IllegalStateException} rather than settle another message.
 */
public final class Delivery
{
    /** The header a quorum queue adds to a redelivered message: how many times it came back before. */
    public static final String X_DELIVERY_COUNT = "x-delivery-count";

    private final String consumerTag;
    private final Acknowledgements acks;
    /** Where this flyweight's deliveries are kept, or null for automatic acknowledgement. */
    private final AckScope scope;
    /** The consumer's queue name and type, or null for a channel's gets (then per delivery, from its origin). */
    private final String fixedQueue;
    private final boolean fixedQuorum;
    private Envelope envelope;
    private long deliveryTag;
    private boolean redelivered;
    private int returns;
    private String queue;
    private boolean quorum;
    /**
     * The thread the current delivery was handed to, while {@link #handedOver}; see the class comment. Kept
     * after {@link #clear} and written only when it changes: a reference store into this long-lived object
     * costs G1 a StoreLoad fence in its post-write barrier, once per delivery if written each time.
     */
    private Thread owner;
    /** Between {@link #set} and {@link #clear}: the conveniences may act, on {@link #owner}'s thread. */
    private boolean handedOver;
    /** A quorum queue's redelivery: the properties with {@code x-delivery-count}, made on first read. */
    private MessageProperties counted;
    /**
     * How {@link #ack} releases what it settles: through the acking thread's remembered pool cache.
     * Used only on the thread the delivery was handed to (see the class comment), one at a time.
     */
    private final UnackedTable.ClaimSink<Envelope> release = Acknowledgements.ackReleasingThrough(new EnvelopePool.Memo());

    /**
     * @param acks  the channel's acknowledgements.
     * @param scope where this delivery's tags are kept, or null for automatic acknowledgement.
     * @param queue  the consumer's queue name, or null for a channel's gets (set per get).
     * @param quorum whether that queue is a quorum queue.
     */
    Delivery(final String consumerTag, final Acknowledgements acks, final AckScope scope, final String queue,
        final boolean quorum)
    {
        this.consumerTag = consumerTag;
        this.acks = acks;
        this.scope = scope;
        this.fixedQueue = queue;
        this.fixedQuorum = quorum;
        this.queue = queue;
        this.quorum = quorum;
    }

    /** The delivering thread, before handing the flyweight over. */
    void set(final Envelope envelope, final long deliveryTag, final boolean redelivered, final DeliveryOrigin origin)
    {
        this.envelope = envelope;
        this.deliveryTag = deliveryTag;
        this.redelivered = redelivered;
        this.returns = origin.returns();
        if (fixedQueue == null)
        {
            this.queue = origin.queueName();
            this.quorum = origin.isQuorum();
        }
        this.counted = null;
        final Thread current = Thread.currentThread();
        if (owner != current)
        {
            owner = current;
        }
        handedOver = true;
    }

    void clear()
    {
        envelope = null;
        counted = null;
        handedOver = false;
    }

    /** @return the tag to acknowledge this delivery with: the channel's, unique and increasing on the channel. */
    public long deliveryTag()
    {
        return deliveryTag;
    }

    /** @return true when the message was delivered before and requeued (AMQP redelivered flag). */
    public boolean redelivered()
    {
        return redelivered;
    }

    /**
     * @return how many times the message came back to this queue before this delivery (a nack or reject
     * with requeue, a handler error, its consumer cancelled or channel closed while it was
     * unacknowledged); 0 on a first delivery. A quorum queue also reports it as {@value #X_DELIVERY_COUNT}.
     */
    public int deliveryCount()
    {
        current();
        return returns;
    }

    /** @return the queue it came from. */
    public String queue()
    {
        return queue;
    }

    /** @return the consumer's tag, or null for a {@link Channel#get}. */
    public String consumerTag()
    {
        return consumerTag;
    }

    /** @return the exchange it was published to ("" for the default exchange). */
    public String exchange()
    {
        return current().exchange;
    }

    /** @return the routing key it was published with. */
    public String routingKey()
    {
        return current().routingKey;
    }

    /**
     * @return its properties, never null; from a quorum queue, a redelivery's carry the
     * {@value #X_DELIVERY_COUNT} header, as RabbitMQ 4 adds it.
     */
    public MessageProperties properties()
    {
        final Envelope e = current();
        if (returns == 0 || !quorum)
        {
            return e.properties;
        }
        MessageProperties withCount = counted;
        if (withCount == null)
        {
            withCount = e.properties.toBuilder().header(X_DELIVERY_COUNT, (long)returns).build();
            counted = withCount;
        }
        return withCount;
    }

    /** @return the body bytes as published (not a copy; do not modify), or null for an object message. */
    public byte[] body()
    {
        return current().body;
    }

    /** @return the Java object published in-process, or null for a bytes message. */
    public Object payload()
    {
        return current().payload;
    }

    /** @return the body as UTF-8 text (allocates), or {@code String.valueOf(payload)}. */
    public String bodyAsString()
    {
        final Envelope e = current();
        return Message.text(e.body, e.payload);
    }

    /** @return a detached, immutable copy that stays valid after the callback. */
    public Message copy()
    {
        final Envelope e = current();
        return new Message(e.exchange, e.routingKey, properties(), e.body, e.payload, redelivered);
    }

    /** Acknowledges this delivery (AMQP {@code basic.ack}, multiple = false); see the class comment for where. */
    public void ack()
    {
        acks.ackIn(ownScope("ack"), deliveryTag, release, "ack");
    }

    /**
     * Acknowledges this delivery (AMQP {@code basic.ack}), and with {@code multiple} every delivery of the
     * channel outstanding up to its tag, whichever consumer of the channel it went to: what a
     * {@link BatchDeliveryHandler} calls at the end of a batch to settle the whole batch at once. See the
     * class comment for where it may be called.
     *
     * @param multiple true: also every outstanding delivery of the channel with a lower tag.
     * @throws PreconditionFailedException when the delivery was made with automatic acknowledgement, or is
     *                                     already settled (406, as RabbitMQ).
     * @throws IllegalStateException       outside the handler, or from another thread than the one it
     *                                     was handed to.
     */
    public void ack(final boolean multiple)
    {
        final AckScope scope = ownScope("ack");
        if (multiple)
        {
            acks.ack(deliveryTag, true, release);
        }
        else
        {
            acks.ackIn(scope, deliveryTag, release, "ack");
        }
    }

    /**
     * Negatively acknowledges this delivery (AMQP {@code basic.nack}, multiple = false).
     *
     * @param requeue true: back to its queue, flagged redelivered; false: dead-lettered, or dropped
     *                without a dead-letter exchange.
     */
    public void nack(final boolean requeue)
    {
        ownScope("nack");
        acks.nack(deliveryTag, false, requeue);
    }

    /**
     * Rejects this delivery (AMQP {@code basic.reject}).
     *
     * @param requeue true: back to its queue, flagged redelivered; false: dead-lettered, or dropped
     *                without a dead-letter exchange.
     */
    public void reject(final boolean requeue)
    {
        ownScope("reject");
        acks.reject(deliveryTag, requeue);
    }

    private AckScope ownScope(final String method)
    {
        if (!handedOver || owner != Thread.currentThread())
        {
            // Another thread, or after the callback: the flyweight may already hold the next delivery.
            throw new IllegalStateException("Delivery." + method + "() outside its callback (or from another " +
                "thread) could settle whichever delivery this flyweight holds now; call channel." + method +
                "(" + deliveryTag + ", ...) with the tag instead");
        }
        if (scope == null)
        {
            throw new PreconditionFailedException("cannot " + method + " delivery tag " + deliveryTag +
                ": it was delivered with automatic acknowledgement");
        }
        return scope;
    }

    private Envelope current()
    {
        final Envelope e = envelope;
        if (e == null)
        {
            throw new IllegalStateException("this Delivery flyweight is no longer valid: use copy() inside the " +
                "callback to keep a message");
        }
        return e;
    }

    @Override
    public String toString()
    {
        final Envelope e = envelope;
        return e == null ? "Delivery{released}" : "Delivery{tag=" + deliveryTag + ", queue='" + queue() +
            "', exchange='" + e.exchange + "', routingKey='" + e.routingKey + "', redelivered=" + redelivered + '}';
    }
}
