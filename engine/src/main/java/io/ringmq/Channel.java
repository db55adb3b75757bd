package io.ringmq;

import io.ringmq.error.BrokerClosedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import io.ringmq.routing.table.DestinationSet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session with the broker, in AMQP's vocabulary: declare exchanges and queues, bind them,
 * publish, consume, get and acknowledge.
 * <p>
 * <b>Threads:</b> publishing and {@link #get} use scratch state this channel owns (the routing
 * result, the {@link PublishResult}, the get flyweight), so a channel publishes from one thread at a
 * time — open one channel per publishing thread, as with RabbitMQ's client. Declarations, bindings,
 * {@link #consume} and acknowledgements are safe from any thread.
 * <p>
 * Exclusive queues belong to the channel that declared them (AMQP gives them to the connection;
 * RingMQ has no connections): other channels get {@link io.ringmq.error.ResourceLockedException},
 * and the queue is deleted when its channel closes.
 */
public final class Channel implements AutoCloseable
{
    /** How long a publish waits for room in a full {@link OverflowPolicy#BLOCK} queue unless told otherwise. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private static final VarHandle OPEN;

    static
    {
        try
        {
            OPEN = MethodHandles.lookup().findVarHandle(Channel.class, "open", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Broker broker;
    private final int number;
    private final DestinationSet<MessageQueue> destinations = new DestinationSet<>();
    private final PublishResult result = new PublishResult();
    private final AckScope getScope;
    private final Delivery getDelivery;
    /** The get path's result holder for queues with policies. */
    private final Taken getTaken = new Taken();
    private final Set<Consumer> consumers = ConcurrentHashMap.newKeySet();
    /** Cleared once, by compareAndSet, by whichever of the owner or the broker closes the channel first. */
    @SuppressWarnings("unused")
    private volatile boolean open = true;
    private volatile ReturnListener returnListener;
    private long publishTimeoutNanos = DEFAULT_PUBLISH_TIMEOUT.toNanos();
    /**
     * The last auto-ack get's envelope: kept until the next get so that its flyweight stays readable.
     * Only the channel's own (publishing/getting) thread reads or writes it.
     */
    private Envelope pendingAutoAckGet;

    Channel(final Broker broker, final int number)
    {
        this.broker = broker;
        this.number = number;
        this.getScope = new AckScope(0, "channel " + number);
        this.getDelivery = new Delivery(null, getScope);
    }

    /** @return this channel's number, unique within its broker. */
    public int number()
    {
        return number;
    }

    /** @return true until the channel or its broker is closed. */
    public boolean isOpen()
    {
        return open && !broker.isClosed();
    }

    // ------------------------------------------------------------------ exchanges

    /** AMQP {@code exchange.declare} of a non-durable, non-auto-delete, non-internal exchange. */
    public void exchangeDeclare(final String exchange, final ExchangeType type)
    {
        exchangeDeclare(ExchangeSpec.builder(exchange, type).build());
    }

    /** AMQP {@code exchange.declare}: idempotent for an equivalent spec, PRECONDITION_FAILED otherwise. */
    public void exchangeDeclare(final ExchangeSpec spec)
    {
        ensureOpen();
        if (spec == null)
        {
            throw new InvalidArgumentException("exchange spec must not be null");
        }
        broker.routing().declareExchange(spec);
    }

    /** AMQP passive {@code exchange.declare}: NOT_FOUND unless it exists. @return its declaration. */
    public ExchangeSpec exchangeDeclarePassive(final String exchange)
    {
        ensureOpen();
        final ExchangeSpec spec = broker.routing().exchange(exchange);
        if (spec == null)
        {
            throw new NotFoundException("no exchange '" + exchange + "'");
        }
        return spec;
    }

    /** AMQP {@code exchange.delete}. */
    public void exchangeDelete(final String exchange)
    {
        exchangeDelete(exchange, false);
    }

    /** AMQP {@code exchange.delete}; with {@code ifUnused}, PRECONDITION_FAILED while it has bindings. */
    public void exchangeDelete(final String exchange, final boolean ifUnused)
    {
        ensureOpen();
        broker.routing().deleteExchange(exchange, ifUnused);
    }

    /** AMQP {@code exchange.bind}: messages reaching {@code source} with a matching key also go to {@code destination}. */
    public void exchangeBind(final String destination, final String source, final String routingKey)
    {
        exchangeBind(destination, source, routingKey, null);
    }

    public void exchangeBind(final String destination, final String source, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.routing().bindExchange(source, destination, routingKey, arguments);
    }

    /** AMQP {@code exchange.unbind}; unbinding what is not bound is not an error. */
    public void exchangeUnbind(final String destination, final String source, final String routingKey)
    {
        exchangeUnbind(destination, source, routingKey, null);
    }

    public void exchangeUnbind(final String destination, final String source, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.routing().unbindExchange(source, destination, routingKey, arguments);
    }

    // ------------------------------------------------------------------ queues

    /** AMQP {@code queue.declare} of a plain queue; "" declares a server-named queue. */
    public QueueInfo queueDeclare(final String queue)
    {
        return queueDeclare(QueueSpec.named(queue));
    }

    /** AMQP {@code queue.declare}: idempotent for an equivalent spec, PRECONDITION_FAILED otherwise. */
    public QueueInfo queueDeclare(final QueueSpec spec)
    {
        ensureOpen();
        if (spec == null)
        {
            throw new InvalidArgumentException("queue spec must not be null");
        }
        return broker.declareQueue(spec, this);
    }

    /** AMQP passive {@code queue.declare}: NOT_FOUND unless it exists. */
    public QueueInfo queueDeclarePassive(final String queue)
    {
        ensureOpen();
        return broker.queue(queue, this).info();
    }

    /**
     * AMQP {@code queue.delete}.
     *
     * @return the messages deleted with it (0 when it did not exist). A publish racing the delete may
     * still land a message in the queue after this count was taken; it is discarded too.
     */
    public int queueDelete(final String queue)
    {
        return queueDelete(queue, false, false);
    }

    /** AMQP {@code queue.delete} with {@code if-unused} / {@code if-empty}. */
    public int queueDelete(final String queue, final boolean ifUnused, final boolean ifEmpty)
    {
        ensureOpen();
        return broker.deleteQueue(queue, ifUnused, ifEmpty, this);
    }

    /** AMQP {@code queue.purge}: removes ready messages (not unacknowledged ones). @return how many. */
    public int queuePurge(final String queue)
    {
        ensureOpen();
        return broker.queue(queue, this).purge();
    }

    /** AMQP {@code queue.bind}. */
    public void queueBind(final String queue, final String exchange, final String routingKey)
    {
        queueBind(queue, exchange, routingKey, null);
    }

    public void queueBind(final String queue, final String exchange, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.queue(queue, this); // NOT_FOUND / RESOURCE_LOCKED before touching the table
        broker.routing().bindQueue(exchange, queue, routingKey, arguments);
    }

    /** AMQP {@code queue.unbind}; unbinding what is not bound is not an error. */
    public void queueUnbind(final String queue, final String exchange, final String routingKey)
    {
        queueUnbind(queue, exchange, routingKey, null);
    }

    public void queueUnbind(final String queue, final String exchange, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.queue(queue, this);
        broker.routing().unbindQueue(exchange, queue, routingKey, arguments);
    }

    // ------------------------------------------------------------------ publishing

    /** Where unroutable {@code mandatory} messages are returned (AMQP {@code basic.return}); null for none. */
    public void setReturnListener(final ReturnListener listener)
    {
        this.returnListener = listener;
    }

    /** How long a publish may wait for room in a full {@link OverflowPolicy#BLOCK} queue before it is refused. */
    public void setPublishTimeout(final Duration timeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new InvalidArgumentException("publish timeout must be zero or positive, was " + timeout);
        }
        this.publishTimeoutNanos = timeout.toNanos();
    }

    /** Publishes a bytes message with no properties. See {@link #publish(String, String, boolean, MessageProperties, byte[])}. */
    public PublishResult publish(final String exchange, final String routingKey, final byte[] body)
    {
        return publish(exchange, routingKey, false, MessageProperties.EMPTY, body);
    }

    public PublishResult publish(final String exchange, final String routingKey, final MessageProperties properties,
        final byte[] body)
    {
        return publish(exchange, routingKey, false, properties, body);
    }

    /**
     * AMQP {@code basic.publish} of a bytes message. The body array is not copied: do not change it
     * afterwards. Allocates nothing in steady state.
     *
     * @return this channel's reused result: read it before the next publish.
     * @throws NotFoundException       when the exchange does not exist.
     * @throws io.ringmq.error.AccessRefusedException when the exchange is internal.
     */
    public PublishResult publish(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] body)
    {
        return publishOne(exchange, routingKey, mandatory, properties, body, null);
    }

    /**
     * Publishes a Java object in-process, without serialization: consumers receive the same
     * reference through {@link Delivery#payload()}. It must be safe to share with their threads.
     */
    public PublishResult publishObject(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final Object payload)
    {
        if (payload == null)
        {
            throw new InvalidArgumentException("payload must not be null");
        }
        return publishOne(exchange, routingKey, mandatory, properties, null, payload);
    }

    /**
     * Publishes {@code count} bytes messages from {@code bodies[offset..]} with the same exchange,
     * routing key and properties: routed once, and the channel's fences and wake-ups paid once.
     *
     * @return this channel's reused result, summed over the batch.
     */
    public PublishResult publishBatch(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[][] bodies, final int offset, final int count)
    {
        if (bodies == null || offset < 0 || count < 0 || offset + count > bodies.length)
        {
            throw new InvalidArgumentException("batch range [" + offset + ", " + offset + "+" + count +
                ") is not within the array of " + (bodies == null ? "null" : bodies.length + " bodies"));
        }
        final PublishResult result = beginPublish();
        final MessageProperties props = properties == null ? MessageProperties.EMPTY : properties;
        final int routed = broker.routing().route(exchange, routingKey, props.headers(), destinations);
        for (int i = offset; i < offset + count; i++)
        {
            deliverToQueues(exchange, routingKey, mandatory, props, bodies[i], null, routed);
        }
        finishPublish(routed);
        return result;
    }

    private PublishResult publishOne(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] body, final Object payload)
    {
        final PublishResult result = beginPublish();
        final MessageProperties props = properties == null ? MessageProperties.EMPTY : properties;
        final int routed = broker.routing().route(exchange, routingKey, props.headers(), destinations);
        deliverToQueues(exchange, routingKey, mandatory, props, body, payload, routed);
        finishPublish(routed);
        return result;
    }

    private PublishResult beginPublish()
    {
        ensureOpen();
        result.reset();
        return result;
    }

    private void deliverToQueues(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties props, final byte[] body, final Object payload, final int routed)
    {
        final PublishResult result = this.result;
        result.addRouted(routed);
        if (routed == 0)
        {
            final ReturnListener listener = returnListener;
            if (mandatory && listener != null)
            {
                result.markReturned();
                listener.handleReturn(ReturnListener.NO_ROUTE, "NO_ROUTE",
                    new Message(exchange, routingKey, props, body, payload, false));
            }
            return;
        }
        final Envelope envelope = broker.pool().acquire();
        // One hold per routed queue. The count cannot reach zero while later queues are still being
        // offered the envelope: each queue's hold is released only after its own offer (by its
        // consumer, or just below when refused), so the holds of the queues not yet offered remain.
        envelope.fill(exchange, routingKey, props, body, payload, routed);
        final DestinationSet<MessageQueue> destinations = this.destinations;
        final long timeout = publishTimeoutNanos;
        for (int i = 0; i < routed; i++)
        {
            if (destinations.get(i).offer(envelope, timeout, result))
            {
                result.addAccepted();
            }
            else
            {
                result.addRefused();
                envelope.release();
            }
        }
    }

    private void finishPublish(final int routed)
    {
        if (routed == 0)
        {
            return;
        }
        // Orders every offer above before the volatile reads in afterPublish: the Dekker partner of a
        // queue's deletion (volatile write, then drain) and of a consumer's sleeper registration.
        VarHandle.fullFence();
        final DestinationSet<MessageQueue> destinations = this.destinations;
        for (int i = 0; i < routed; i++)
        {
            destinations.get(i).afterPublish();
        }
    }

    // ------------------------------------------------------------------ consuming

    /** AMQP {@code basic.consume}: starts a consumer thread. */
    public Consumer consume(final String queue, final ConsumeOptions options, final DeliveryHandler handler)
    {
        ensureOpen();
        return broker.consume(queue, options == null ? ConsumeOptions.builder().build() : options, handler, this);
    }

    /** AMQP {@code basic.consume} with default options: manual ack, unlimited prefetch, or auto-ack. */
    public Consumer consume(final String queue, final boolean autoAck, final DeliveryHandler handler)
    {
        return consume(queue, autoAck ? ConsumeOptions.autoAck() : ConsumeOptions.manualAck(0), handler);
    }

    /**
     * AMQP {@code basic.get}: takes one message, requeued ones first (in a priority queue: the highest
     * priority first). Expired messages met at the head are dropped or dead-lettered, never returned. A
     * get is not a consumer: single-active-consumer does not restrict it, and it counts as a use of a
     * queue with {@code x-expires}.
     *
     * @return this channel's reused delivery, valid until its next get, or null when the queue is empty.
     */
    public Delivery get(final String queue, final boolean autoAck)
    {
        ensureOpen();
        final MessageQueue q = broker.queue(queue, this);
        releasePendingAutoAckGet();
        final PolicyStore store = q.store();
        if (store != null)
        {
            store.touch();
        }
        if (!q.take(getTaken))
        {
            getDelivery.clear();
            return null;
        }
        final Envelope envelope = getTaken.envelope;
        final boolean redelivered = getTaken.redelivered;
        final DeliveryOrigin origin = getTaken.origin;
        getTaken.clear();
        final long tag;
        if (autoAck)
        {
            pendingAutoAckGet = envelope;
            tag = 0;
        }
        else
        {
            tag = getScope.hold(envelope, origin);
            // A close racing this get (from another thread: the broker closing) requeues what the scope
            // holds after clearing "open"; the fence orders our hold before reading "open", so either the
            // close sees the tag or we see the close (and requeue it ourselves: claims are exactly-once).
            VarHandle.fullFence();
            if (!open)
            {
                getScope.requeueAll();
                getDelivery.clear();
                throw new BrokerClosedException("channel " + number + " was closed during basic.get on '" + queue +
                    "'; the message was requeued");
            }
        }
        getDelivery.set(envelope, tag, redelivered, q.name());
        return getDelivery;
    }

    /**
     * Takes up to {@code maxMessages} messages, one {@link #get} at a time, and passes each to
     * {@code handler} on this thread. With manual acknowledgement the handler (or a later call)
     * settles each delivery tag.
     *
     * @return how many were handed to the handler.
     */
    public int drain(final String queue, final boolean autoAck, final int maxMessages, final DeliveryHandler handler)
        throws Exception
    {
        if (handler == null || maxMessages < 0)
        {
            throw new InvalidArgumentException("drain needs a handler and maxMessages >= 0");
        }
        int drained = 0;
        while (drained < maxMessages)
        {
            final Delivery delivery = get(queue, autoAck);
            if (delivery == null)
            {
                break;
            }
            drained++;
            handler.handle(delivery);
        }
        releasePendingAutoAckGet();
        return drained;
    }

    /** AMQP {@code basic.ack} of a tag from {@link #get}; any thread. */
    public void ack(final long deliveryTag, final boolean multiple)
    {
        getScope.ack(deliveryTag, multiple);
    }

    /** AMQP {@code basic.nack} of a tag from {@link #get}; any thread. */
    public void nack(final long deliveryTag, final boolean multiple, final boolean requeue)
    {
        getScope.nack(deliveryTag, multiple, requeue);
    }

    /** AMQP {@code basic.reject} of a tag from {@link #get}; any thread. */
    public void reject(final long deliveryTag, final boolean requeue)
    {
        getScope.reject(deliveryTag, requeue);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Closes the channel: cancels its consumers (their unacknowledged messages are requeued), requeues
     * what its gets left unacknowledged, and deletes the exclusive queues it declared. Idempotent.
     */
    @Override
    public void close()
    {
        close(null);
    }

    void closeBecauseBrokerClosed()
    {
        close("broker closed");
    }

    private void close(final String reason)
    {
        if (!OPEN.compareAndSet(this, true, false)) // the channel's owner and the broker may both close it
        {
            return;
        }
        final List<Consumer> mine = new ArrayList<>(consumers);
        for (final Consumer consumer : mine)
        {
            if (reason == null)
            {
                broker.cancelConsumer(consumer, null);
            }
            else
            {
                consumer.stop(reason);
            }
        }
        // The last auto-ack get's envelope (pendingAutoAckGet) is left alone: only the channel's own
        // thread may touch it, and that message was delivered; the envelope goes to the garbage
        // collector instead of back to the pool.
        getScope.requeueAll();
        broker.deleteExclusiveQueuesOf(this);
        broker.channelClosed(this);
    }

    void consumerStarted(final Consumer consumer)
    {
        consumers.add(consumer);
    }

    void consumerEnded(final Consumer consumer)
    {
        consumers.remove(consumer);
    }

    void checkConsumerTagFree(final String consumerTag)
    {
        for (final Consumer consumer : consumers)
        {
            if (consumer.consumerTag().equals(consumerTag))
            {
                throw new PreconditionFailedException("consumer tag '" + consumerTag + "' is already in use on channel " +
                    number);
            }
        }
    }

    private void releasePendingAutoAckGet()
    {
        final Envelope pending = pendingAutoAckGet;
        if (pending != null)
        {
            pendingAutoAckGet = null;
            getDelivery.clear();
            pending.release();
        }
    }

    private void ensureOpen()
    {
        if (!open)
        {
            throw new BrokerClosedException("channel " + number + " is closed");
        }
        broker.ensureOpen();
    }

    @Override
    public String toString()
    {
        return "Channel{number=" + number + ", open=" + open + ", consumers=" + consumers.size() + '}';
    }
}
