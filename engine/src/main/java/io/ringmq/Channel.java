package io.ringmq;

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
 * publish, consume, get and acknowledge. It belongs to a {@link Connection}.
 * <p>
 * <b>Threads:</b> publishing and {@link #get} use scratch state this channel owns (the routing
 * result, the {@link PublishResult}, the get flyweight), so a channel publishes from one thread at a
 * time — open one channel per publishing thread, as with RabbitMQ's client. Declarations, bindings,
 * {@link #consume} and acknowledgements are safe from any thread.
 * <p>
 * <b>Delivery tags</b> belong to the channel, as in AMQP: every delivery it hands out, to any of its
 * consumers or to a get, takes the next tag (1, 2, 3, …), and {@link #ack}, {@link #nack} and
 * {@link #reject} settle any of them; {@code multiple} covers every outstanding tag of the channel up to
 * the one named. An unknown, already settled or other channel's tag is refused with 406
 * PRECONDITION_FAILED and settles nothing. When the channel closes, every delivery still outstanding is
 * requeued, flagged redelivered, in tag order.
 * <p>
 * <b>Publishing when a queue is full</b> ({@code x-overflow} {@code block}): {@link #publish} waits,
 * parked, up to the channel's publish timeout and then throws {@link PublishTimeoutException} naming the
 * queues that did not take the message; {@link #publishNonBlocking} never waits: it holds the message on
 * the channel and tells the room listener when it may go on.
 * <p>
 * Exclusive queues belong to the channel's connection: other connections get
 * {@link ResourceLockedException}, and the queue is deleted when its connection closes.
 */
public final class Channel implements AutoCloseable, ConsumerOwner
{
    /** How long a publish waits for room in a full {@link OverflowPolicy#BLOCK} queue unless told otherwise. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Messages of a {@link #publishBatch} offered to each queue as one run: one claim of the queue's ring
     * and one count of its ready bytes per run. 64 amortises both to noise while the run's envelopes, all
     * acquired before the first offer, stay one pool magazine's worth.
     */
    static final int PUBLISH_RUN = 64;

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
    private final Connection connection;
    private final int number;
    private final DestinationSet<MessageQueue> destinations = new DestinationSet<>();
    private final PublishResult result = new PublishResult();
    private final Acknowledgements acks;
    private final Delivery getDelivery;
    private final Delivery autoAckGetDelivery;
    /** The get path's take holder. */
    private final Taken getTaken = new Taken();
    private final Set<DeliveryAgent> consumers = ConcurrentHashMap.newKeySet();
    private final HeldPublishes held = new HeldPublishes(this::roomMayHaveFreed);
    private final DirectReplyTo directReplyTo = new DirectReplyTo();
    /** Cleared once, by compareAndSet, by whichever of the owner, its connection or the broker closes the channel first. */
    @SuppressWarnings("unused")
    private volatile boolean open = true;
    private volatile ReturnListener returnListener;
    private volatile Runnable roomListener;
    private long publishTimeoutNanos = DEFAULT_PUBLISH_TIMEOUT.toNanos();
    private boolean throwOnPublishTimeout = true;
    /**
     * The last auto-ack get's envelope: kept until the next get so that its flyweight stays readable.
     * Only the channel's own (publishing/getting) thread reads or writes it.
     */
    private Envelope pendingAutoAckGet;
    /** The publishing thread's envelope cache, remembered (see {@link EnvelopePool.Memo}); publishing thread only. */
    private final EnvelopePool.Memo poolMemo = new EnvelopePool.Memo();
    /**
     * The envelopes of the run {@link #publishBatch} is offering; publishing thread only. Slots are not
     * cleared after a run: they are only read within it, and the envelopes belong to the pool anyway.
     */
    private final Envelope[] run = new Envelope[PUBLISH_RUN];
    /** The names of the queues that timed out in the current publish, one per message (null: none); publishing thread only. */
    private List<String> timedOut;

    Channel(final Broker broker, final Connection connection, final int number)
    {
        this.broker = broker;
        this.connection = connection;
        this.number = number;
        this.acks = new Acknowledgements("channel " + number);
        this.getDelivery = new Delivery(null, acks, acks.gets(), null, false);
        this.autoAckGetDelivery = new Delivery(null, acks, null, null, false);
    }

    /** @return this channel's number, unique within its broker. */
    public int number()
    {
        return number;
    }

    /** @return the connection it belongs to. */
    public Connection connection()
    {
        return connection;
    }

    /** @return true until the channel, its connection or its broker is closed. */
    public boolean isOpen()
    {
        return open && !broker.isClosed();
    }

    /**
     * Engine plumbing, public only because {@code Channel} implements an internal interface: the
     * channel's table of outstanding deliveries. Applications settle deliveries with {@link #ack},
     * {@link #nack} and {@link #reject}.
     *
     * @return the table its consumers and gets record their deliveries in.
     */
    @Override
    public Acknowledgements acknowledgements()
    {
        return acks;
    }

    // ------------------------------------------------------------------ exchanges

    /**
     * AMQP {@code exchange.declare} of a non-durable, non-auto-delete, non-internal exchange.
     *
     * @param exchange the exchange's name; {@code amq.*} names are reserved.
     * @param type     how it routes: direct, fanout, topic or headers.
     * @throws PreconditionFailedException when an exchange of that name exists with another declaration.
     */
    public void exchangeDeclare(final String exchange, final ExchangeType type)
    {
        exchangeDeclare(ExchangeSpec.builder(exchange, type).build());
    }

    /**
     * AMQP {@code exchange.declare}: idempotent for an equivalent spec (type, durable, auto-delete,
     * internal and {@code alternate-exchange}, as RabbitMQ compares them), PRECONDITION_FAILED otherwise.
     *
     * @param spec the exchange's name, type and flags ({@link ExchangeSpec#builder}).
     * @throws PreconditionFailedException when an exchange of that name exists with another declaration.
     */
    public void exchangeDeclare(final ExchangeSpec spec)
    {
        ensureOpen();
        if (spec == null)
        {
            throw new InvalidArgumentException("exchange spec must not be null");
        }
        broker.routing().declareExchange(spec);
    }

    /**
     * AMQP passive {@code exchange.declare}: checks that an exchange exists, without declaring it.
     *
     * @param exchange the exchange's name.
     * @return its declaration, as it was declared.
     * @throws NotFoundException when there is no such exchange.
     */
    public ExchangeSpec exchangeDeclarePassive(final String exchange)
    {
        ensureOpen();
        final ExchangeSpec spec = broker.routing().exchange(exchange);
        if (spec == null)
        {
            throw new NotFoundException("no exchange '" + exchange + "' in vhost '/'");
        }
        return spec;
    }

    /**
     * AMQP {@code exchange.delete}, with its bindings; deleting what does not exist is not an error.
     *
     * @param exchange the exchange's name.
     */
    public void exchangeDelete(final String exchange)
    {
        exchangeDelete(exchange, false);
    }

    /**
     * AMQP {@code exchange.delete}, with its bindings.
     *
     * @param exchange the exchange's name.
     * @param ifUnused true to delete it only if no queue or exchange is bound to it.
     * @throws PreconditionFailedException when {@code ifUnused} and it still has bindings.
     */
    public void exchangeDelete(final String exchange, final boolean ifUnused)
    {
        ensureOpen();
        broker.routing().deleteExchange(exchange, ifUnused);
    }

    /**
     * AMQP {@code exchange.bind}: messages reaching {@code source} with a matching key also go to
     * {@code destination}, which routes them on by its own type.
     *
     * @param destination the exchange that receives the messages.
     * @param source      the exchange the messages are published to.
     * @param routingKey  the binding key, matched as {@code source}'s type matches keys.
     * @throws NotFoundException when either exchange does not exist.
     */
    public void exchangeBind(final String destination, final String source, final String routingKey)
    {
        exchangeBind(destination, source, routingKey, null);
    }

    /**
     * AMQP {@code exchange.bind} with binding arguments, which a headers exchange matches
     * ({@code x-match} and the header values).
     *
     * @param destination the exchange that receives the messages.
     * @param source      the exchange the messages are published to.
     * @param routingKey  the binding key, matched as {@code source}'s type matches keys.
     * @param arguments   the binding's arguments (null: none); part of the binding's identity.
     * @throws NotFoundException when either exchange does not exist.
     */
    public void exchangeBind(final String destination, final String source, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.routing().bindExchange(source, destination, routingKey, arguments);
    }

    /**
     * AMQP {@code exchange.unbind}; unbinding what is not bound is not an error.
     *
     * @param destination the exchange that received the messages.
     * @param source      the exchange the messages are published to.
     * @param routingKey  the binding key it was bound with.
     */
    public void exchangeUnbind(final String destination, final String source, final String routingKey)
    {
        exchangeUnbind(destination, source, routingKey, null);
    }

    /**
     * AMQP {@code exchange.unbind} of a binding made with arguments; unbinding what is not bound is not
     * an error.
     *
     * @param destination the exchange that received the messages.
     * @param source      the exchange the messages are published to.
     * @param routingKey  the binding key it was bound with.
     * @param arguments   the arguments it was bound with (null: none).
     */
    public void exchangeUnbind(final String destination, final String source, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.routing().unbindExchange(source, destination, routingKey, arguments);
    }

    // ------------------------------------------------------------------ queues

    /**
     * AMQP {@code queue.declare} with no arguments, as RabbitMQ's clients do it: a server-named,
     * exclusive, auto-delete, non-durable queue.
     *
     * @return its info, with the generated name ({@code amq.gen-...}).
     */
    public QueueInfo queueDeclare()
    {
        return queueDeclare(QueueSpec.builder("").exclusive(true).autoDelete(true).build());
    }

    /**
     * AMQP {@code queue.declare} of a plain queue: not exclusive, not auto-delete, no arguments.
     *
     * @param queue the queue's name; "" declares a server-named queue.
     * @return its name (the generated one for "") and its message and consumer counts.
     */
    public QueueInfo queueDeclare(final String queue)
    {
        return queueDeclare(QueueSpec.named(queue));
    }

    /**
     * AMQP {@code queue.declare}: idempotent for an equivalent spec, PRECONDITION_FAILED otherwise.
     *
     * @param spec the queue's name, flags and arguments ({@link QueueSpec#builder}).
     * @return its name (the generated one for "") and its message and consumer counts.
     * @throws PreconditionFailedException when a queue of that name exists with another declaration.
     * @throws ResourceLockedException     when it is another connection's exclusive queue.
     */
    public QueueInfo queueDeclare(final QueueSpec spec)
    {
        ensureOpen();
        if (spec == null)
        {
            throw new InvalidArgumentException("queue spec must not be null");
        }
        return broker.declareQueue(spec, this);
    }

    /**
     * AMQP passive {@code queue.declare}: NOT_FOUND unless it exists. {@value DirectReplyTo#PSEUDO_QUEUE}
     * always exists, as in RabbitMQ.
     *
     * @param queue the queue's name.
     * @return its message and consumer counts now.
     * @throws NotFoundException       when there is no such queue.
     * @throws ResourceLockedException when it is another connection's exclusive queue.
     */
    public QueueInfo queueDeclarePassive(final String queue)
    {
        ensureOpen();
        if (DirectReplyTo.PSEUDO_QUEUE.equals(queue))
        {
            return QueueInfo.empty(DirectReplyTo.PSEUDO_QUEUE_SPEC);
        }
        return broker.queue(queue, this).info(); // not a use: a passive declare does not renew x-expires, as in RabbitMQ
    }

    /**
     * Counts the messages a get or a consumer could take now, without the unacknowledged ones.
     *
     * @param queue the queue's name.
     * @return the ready messages of {@code queue} (what {@code basic.get-ok} reports as message-count).
     * @throws NotFoundException when there is no such queue.
     */
    public int messageCount(final String queue)
    {
        ensureOpen();
        return broker.queue(queue, this).messageCount();
    }

    /**
     * AMQP {@code queue.delete}: its consumers are cancelled and its messages discarded.
     *
     * @param queue the queue's name.
     * @return the messages deleted with it (0 when it did not exist). A publish racing the delete may
     * still land a message in the queue after this count was taken; it is discarded too.
     */
    public int queueDelete(final String queue)
    {
        return queueDelete(queue, false, false);
    }

    /**
     * AMQP {@code queue.delete} with {@code if-unused} / {@code if-empty}.
     *
     * @param queue    the queue's name.
     * @param ifUnused true to delete it only while it has no consumers.
     * @param ifEmpty  true to delete it only while it holds no ready messages.
     * @return the messages deleted with it (0 when it did not exist).
     * @throws PreconditionFailedException when a condition asked for does not hold.
     */
    public int queueDelete(final String queue, final boolean ifUnused, final boolean ifEmpty)
    {
        ensureOpen();
        return broker.deleteQueue(queue, ifUnused, ifEmpty, this);
    }

    /**
     * AMQP {@code queue.purge}: removes ready messages (not unacknowledged ones).
     *
     * @param queue the queue's name.
     * @return how many messages it removed.
     * @throws NotFoundException when there is no such queue.
     */
    public int queuePurge(final String queue)
    {
        ensureOpen();
        return broker.queue(queue, this).purge();
    }

    /**
     * AMQP {@code queue.bind}: messages published to {@code exchange} whose key matches go to {@code queue}.
     *
     * @param queue      the queue that receives the messages.
     * @param exchange   the exchange they are published to.
     * @param routingKey the binding key, matched as the exchange's type matches keys.
     * @throws NotFoundException when the queue or the exchange does not exist.
     * @throws io.ringmq.error.AccessRefusedException for the default exchange {@code ""}, which cannot be bound.
     */
    public void queueBind(final String queue, final String exchange, final String routingKey)
    {
        queueBind(queue, exchange, routingKey, null);
    }

    /**
     * AMQP {@code queue.bind} with binding arguments, which a headers exchange matches ({@code x-match}
     * and the header values).
     *
     * @param queue      the queue that receives the messages.
     * @param exchange   the exchange they are published to.
     * @param routingKey the binding key, matched as the exchange's type matches keys.
     * @param arguments  the binding's arguments (null: none); part of the binding's identity.
     * @throws NotFoundException when the queue or the exchange does not exist.
     */
    public void queueBind(final String queue, final String exchange, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.queue(queue, this); // NOT_FOUND / RESOURCE_LOCKED before touching the table
        broker.routing().bindQueue(exchange, queue, routingKey, arguments);
    }

    /**
     * AMQP {@code queue.unbind}; unbinding what is not bound is not an error.
     *
     * @param queue      the queue that received the messages.
     * @param exchange   the exchange they are published to.
     * @param routingKey the binding key it was bound with.
     * @throws NotFoundException when the queue does not exist.
     */
    public void queueUnbind(final String queue, final String exchange, final String routingKey)
    {
        queueUnbind(queue, exchange, routingKey, null);
    }

    /**
     * AMQP {@code queue.unbind} of a binding made with arguments; unbinding what is not bound is not an
     * error.
     *
     * @param queue      the queue that received the messages.
     * @param exchange   the exchange they are published to.
     * @param routingKey the binding key it was bound with.
     * @param arguments  the arguments it was bound with (null: none).
     * @throws NotFoundException when the queue does not exist.
     */
    public void queueUnbind(final String queue, final String exchange, final String routingKey,
        final Map<String, ?> arguments)
    {
        ensureOpen();
        broker.queue(queue, this);
        broker.routing().unbindQueue(exchange, queue, routingKey, arguments);
    }

    // ------------------------------------------------------------------ publishing

    /**
     * Sets where unroutable {@code mandatory} messages are returned (AMQP {@code basic.return}).
     *
     * @param listener told on the publishing thread, before the publish returns; null: such messages are dropped.
     */
    public void setReturnListener(final ReturnListener listener)
    {
        this.returnListener = listener;
    }

    /**
     * How long a publish may wait for room in a full {@link OverflowPolicy#BLOCK} queue; past it the
     * publish throws {@link PublishTimeoutException}.
     *
     * @param timeout zero or positive; zero refuses at once when a {@code block} queue is full
     *                ({@link #DEFAULT_PUBLISH_TIMEOUT} unless set).
     */
    public void setPublishTimeout(final Duration timeout)
    {
        setPublishTimeout(timeout, true);
    }

    /**
     * How long a publish may wait for room in a full {@link OverflowPolicy#BLOCK} queue, and what it does
     * when that time is up.
     *
     * @param timeout        zero or positive; zero refuses at once when a {@code block} queue is full.
     * @param throwOnTimeout true (the default): a publish that timed out throws
     *                       {@link PublishTimeoutException}; false: the refusal is only counted in the
     *                       {@link PublishResult}'s {@code refusedQueues}.
     */
    public void setPublishTimeout(final Duration timeout, final boolean throwOnTimeout)
    {
        if (timeout == null || timeout.isNegative())
        {
            throw new InvalidArgumentException("publish timeout must be zero or positive, was " + timeout);
        }
        this.publishTimeoutNanos = timeout.toNanos();
        this.throwOnPublishTimeout = throwOnTimeout;
    }

    /**
     * Publishes a bytes message with no properties, not mandatory. See
     * {@link #publish(String, String, boolean, MessageProperties, byte[])}.
     *
     * @param exchange   the exchange's name ("" is the default exchange, which routes to the queue named by the key).
     * @param routingKey the key the exchange routes by.
     * @param body       the body, not copied (null: 0 bytes).
     * @return this channel's reused result: read it before the next publish.
     */
    public PublishResult publish(final String exchange, final String routingKey, final byte[] body)
    {
        return publish(exchange, routingKey, false, MessageProperties.EMPTY, body);
    }

    /**
     * Publishes a bytes message with properties, not mandatory. See
     * {@link #publish(String, String, boolean, MessageProperties, byte[])}.
     *
     * @param exchange   the exchange's name ("" is the default exchange).
     * @param routingKey the key the exchange routes by.
     * @param properties the message's properties (null: none).
     * @param body       the body, not copied (null: 0 bytes).
     * @return this channel's reused result: read it before the next publish.
     */
    public PublishResult publish(final String exchange, final String routingKey, final MessageProperties properties,
        final byte[] body)
    {
        return publish(exchange, routingKey, false, properties, body);
    }

    /**
     * AMQP {@code basic.publish} of a bytes message. The body array is not copied: do not change it
     * afterwards; a null body is published as 0 bytes, as RabbitMQ delivers it. Allocates nothing in
     * steady state. A full {@code block} queue keeps it waiting up to the publish timeout.
     *
     * @param exchange   the exchange's name ("" is the default exchange, which routes to the queue named by the key).
     * @param routingKey the key the exchange routes by.
     * @param mandatory  true to have it returned to the return listener ({@link #setReturnListener}) when
     *                   it reaches no queue.
     * @param properties the message's properties (null: none).
     * @param body       the body, not copied (null: 0 bytes).
     * @return this channel's reused result: read it before the next publish.
     * @throws NotFoundException        when the exchange does not exist.
     * @throws io.ringmq.error.AccessRefusedException when the exchange is internal.
     * @throws PublishTimeoutException  when full {@code block} queues did not take it in time.
     */
    public PublishResult publish(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] body)
    {
        return publishOne(exchange, routingKey, mandatory, properties, body == null ? Envelope.NO_BODY : body, null);
    }

    /**
     * Publishes a Java object in-process, without serialization: consumers receive the same
     * reference through {@link Delivery#payload()}. It must be safe to share with their threads.
     *
     * @param exchange   the exchange's name ("" is the default exchange).
     * @param routingKey the key the exchange routes by.
     * @param mandatory  true to have it returned to the return listener when it reaches no queue.
     * @param properties the message's properties (null: none).
     * @param payload    the object, not null; such a message has no body ({@link Delivery#body()} is null).
     * @return this channel's reused result: read it before the next publish.
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
     * routing key and properties: routed once, the channel's fences and wake-ups paid once, and the
     * messages offered to each queue in runs (one claim of the queue's ring per run where the queue has
     * room for it). Each message's outcome is what {@link #publish} would have given it: a queue that
     * cannot take the whole run at once (full, with policies) takes the rest one by one under its
     * overflow policy. Each queue receives the messages in their order.
     *
     * @param exchange   the exchange's name ("" is the default exchange).
     * @param routingKey the key the exchange routes by, the same for every message.
     * @param mandatory  true to have each message returned when it reaches no queue.
     * @param properties the properties of every message (null: none).
     * @param bodies     the bodies, not copied (a null element: 0 bytes).
     * @param offset     the index of the first body to publish.
     * @param count      how many bodies to publish from {@code offset}.
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
        final PublishResult result = beginPublish(true);
        final MessageProperties props = directReplyTo.rewrite(properties == null ? MessageProperties.EMPTY : properties);
        final int routed = broker.routing().route(exchange, routingKey, props.headers(), destinations);
        if (routed == 0)
        {
            for (int i = offset; i < offset + count; i++)
            {
                returnUnroutable(exchange, routingKey, mandatory, props, bodies[i] == null ? Envelope.NO_BODY : bodies[i], null);
            }
        }
        for (int start = offset; routed > 0 && start < offset + count; start += PUBLISH_RUN)
        {
            deliverRun(exchange, routingKey, props, bodies, start, Math.min(PUBLISH_RUN, offset + count - start), routed);
        }
        finishPublish(routed);
        return result;
    }

    /**
     * Offers {@code bodies[from..from+size)} to every routed queue as one run (see {@link MessageQueue#offerRun}).
     * Where a queue takes only part of it, the next message goes alone, as {@link #deliverToQueues} offers
     * it (under the overflow policy, waiting for room in a block queue), and once one is taken the rest is
     * offered as a run again: a publisher that outruns its consumer finds the ring full at nearly every
     * run, and room for many messages once it has waited.
     */
    private void deliverRun(final String exchange, final String routingKey, final MessageProperties props,
        final byte[][] bodies, final int from, final int size, final int routed)
    {
        final Envelope[] run = this.run;
        final EnvelopePool pool = broker.pool();
        long runBytes = 0;
        for (int j = 0; j < size; j++)
        {
            final byte[] body = bodies[from + j] == null ? Envelope.NO_BODY : bodies[from + j];
            final Envelope envelope = pool.acquire(poolMemo);
            // One hold per routed queue, as in deliverToQueues: no queue's release can recycle an
            // envelope while queues after it are still to be offered it.
            envelope.fill(exchange, routingKey, props, body, null, routed);
            run[j] = envelope;
            runBytes += body.length;
        }
        final PublishResult result = this.result;
        result.addRouted(routed * size);
        final DestinationSet<MessageQueue> destinations = this.destinations;
        final long timeout = publishTimeoutNanos;
        for (int i = 0; i < routed; i++)
        {
            final MessageQueue queue = destinations.get(i);
            int next = queue.offerRun(run, 0, size, runBytes);
            result.addAccepted(next);
            while (next < size)
            {
                final boolean taken = offerOne(queue, run[next++], timeout);
                if (taken && next < size)
                {
                    final int alsoTaken = queue.offerRun(run, next, size - next, Envelope.bodySizes(run, next, size));
                    result.addAccepted(alsoTaken);
                    next += alsoTaken;
                }
            }
        }
    }

    /**
     * AMQP {@code basic.publish} for a thread that must never wait, such as an I/O event loop: queues
     * with room take the message at once; a full {@code block} queue does not make it wait but leaves it
     * <em>held</em> by the channel ({@link PublishResult#heldQueues()}), and so is every later publish on
     * the channel until the held ones went in, to keep the channel's order. When a queue a held message
     * waits for may have room, the room listener ({@link #setRoomListener}) is told, on the thread that
     * freed it; then call {@link #resumeHeldPublishes()} on this channel's thread. Nothing held is ever
     * dropped: it goes into its queues, or with a queue deleted meanwhile. Do not mix with the waiting
     * {@link #publish} on one channel while messages are held.
     *
     * @param exchange   the exchange's name ("" is the default exchange).
     * @param routingKey the key the exchange routes by.
     * @param mandatory  true to have it returned to the return listener when it reaches no queue.
     * @param properties the message's properties (null: none).
     * @param body       the body, not copied (null: 0 bytes).
     * @return this channel's reused result.
     */
    public PublishResult publishNonBlocking(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] body)
    {
        final PublishResult result = beginPublish(false);
        final MessageProperties props = directReplyTo.rewrite(properties == null ? MessageProperties.EMPTY : properties);
        final int routed = broker.routing().route(exchange, routingKey, props.headers(), destinations);
        result.addRouted(routed);
        if (routed == 0)
        {
            returnUnroutable(exchange, routingKey, mandatory, props, body == null ? Envelope.NO_BODY : body, null);
            return result;
        }
        final Envelope envelope = broker.pool().acquire(poolMemo);
        envelope.fill(exchange, routingKey, props, body == null ? Envelope.NO_BODY : body, null, routed);
        final DestinationSet<MessageQueue> destinations = this.destinations;
        if (!held.isEmpty())
        {
            held.hold(envelope, queuesFrom(destinations, 0, routed), 0);
            result.addHeld(routed);
            return result;
        }
        for (int i = 0; i < routed; i++)
        {
            final MessageQueue queue = destinations.get(i);
            int outcome = queue.offer(envelope, 0, result);
            if (outcome == QueueStorage.NO_ROOM)
            {
                // Register for room, then offer once more: a take in between is never missed (RoomSignal).
                queue.callWhenRoom(this::roomMayHaveFreed);
                outcome = queue.offer(envelope, 0, result);
                if (outcome == QueueStorage.NO_ROOM)
                {
                    held.hold(envelope, queuesFrom(destinations, i, routed), 0);
                    result.addHeld(routed - i);
                    finishPublish(i);
                    return result;
                }
            }
            if (outcome == QueueStorage.ACCEPTED)
            {
                result.addAccepted();
            }
            else
            {
                result.addRefused();
                envelope.release();
            }
        }
        finishPublish(routed);
        return result;
    }

    /**
     * The application's answer to the room listener, on the channel's thread: offers the held messages
     * again, oldest first.
     *
     * @return how many held publishes are now complete (in publish order, for confirms).
     */
    public int resumeHeldPublishes()
    {
        ensureOpen();
        return held.resume();
    }

    /** @return messages held by {@link #publishNonBlocking}, waiting for room. */
    public int heldPublishes()
    {
        return held.size();
    }

    /**
     * Told, on the thread that freed room (a consumer's, say), when a queue that a held message waits for
     * may have room again: it should only schedule {@link #resumeHeldPublishes()} on the channel's thread.
     *
     * @param listener run on the thread that freed room, so it must be quick and must not publish; null: none.
     */
    public void setRoomListener(final Runnable listener)
    {
        this.roomListener = listener;
    }

    private void roomMayHaveFreed()
    {
        final Runnable listener = roomListener;
        if (listener != null)
        {
            listener.run();
        }
    }

    private static MessageQueue[] queuesFrom(final DestinationSet<MessageQueue> destinations, final int from, final int to)
    {
        final MessageQueue[] queues = new MessageQueue[to - from];
        for (int i = from; i < to; i++)
        {
            queues[i - from] = destinations.get(i);
        }
        return queues;
    }

    private PublishResult publishOne(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] body, final Object payload)
    {
        final PublishResult result = beginPublish(true);
        final MessageProperties props = directReplyTo.rewrite(properties == null ? MessageProperties.EMPTY : properties);
        final int routed = broker.routing().route(exchange, routingKey, props.headers(), destinations);
        deliverToQueues(exchange, routingKey, mandatory, props, body, payload, routed);
        finishPublish(routed);
        return result;
    }

    private PublishResult beginPublish(final boolean mayWait)
    {
        ensureOpen();
        if (mayWait && !held.isEmpty())
        {
            throw new IllegalStateException("channel " + number + " holds " + held.size() + " non-blocking publishes " +
                "waiting for room: resume them before a waiting publish, or the order would break");
        }
        result.reset();
        timedOut = null;
        return result;
    }

    /** Offers one message to every routed queue, each under its overflow policy. */
    private void deliverToQueues(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties props, final byte[] body, final Object payload, final int routed)
    {
        final PublishResult result = this.result;
        result.addRouted(routed);
        if (routed == 0)
        {
            returnUnroutable(exchange, routingKey, mandatory, props, body, payload);
            return;
        }
        final Envelope envelope = broker.pool().acquire(poolMemo);
        // One hold per routed queue. The count cannot reach zero while later queues are still being
        // offered the envelope: each queue's hold is released only after its own offer (by its
        // consumer, or just below when refused), so the holds of the queues not yet offered remain.
        envelope.fill(exchange, routingKey, props, body, payload, routed);
        final DestinationSet<MessageQueue> destinations = this.destinations;
        final long timeout = publishTimeoutNanos;
        for (int i = 0; i < routed; i++)
        {
            offerOne(destinations.get(i), envelope, timeout);
        }
    }

    /**
     * Offers one message to one queue, waiting for room up to {@code timeout}, and counts the outcome; a
     * queue that did not take it gets its hold back, and one that timed out is named in {@link #timedOut}.
     *
     * @return true when the queue took it.
     */
    private boolean offerOne(final MessageQueue queue, final Envelope envelope, final long timeout)
    {
        final int outcome = queue.offer(envelope, timeout, result);
        if (outcome == QueueStorage.ACCEPTED)
        {
            result.addAccepted();
            return true;
        }
        result.addRefused();
        envelope.release();
        if (outcome == QueueStorage.NO_ROOM && throwOnPublishTimeout)
        {
            if (timedOut == null)
            {
                timedOut = new ArrayList<>(1);
            }
            timedOut.add(queue.name());
        }
        return false;
    }

    private void returnUnroutable(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties props, final byte[] body, final Object payload)
    {
        final ReturnListener listener = returnListener;
        if (mandatory && listener != null)
        {
            result.markReturned();
            listener.handleReturn(ReturnListener.NO_ROUTE, "NO_ROUTE", new Message(exchange, routingKey, props, body, payload,
                false));
        }
    }

    private void finishPublish(final int routed)
    {
        if (routed > 0)
        {
            // Orders every offer above before the volatile reads in afterPublish: the Dekker partner of a
            // queue's deletion (volatile write, then drain) and of a consumer's arming for messages.
            VarHandle.fullFence();
            final DestinationSet<MessageQueue> destinations = this.destinations;
            for (int i = 0; i < routed; i++)
            {
                destinations.get(i).afterPublish();
            }
        }
        if (timedOut != null)
        {
            throw new PublishTimeoutException(timedOut, result.copy(), publishTimeoutNanos / 1_000_000);
        }
    }

    // ------------------------------------------------------------------ consuming

    /**
     * AMQP {@code basic.consume}. Consuming {@value DirectReplyTo#PSEUDO_QUEUE} (with automatic
     * acknowledgement) sets up direct reply-to as RabbitMQ does: messages this channel then publishes
     * with that {@code reply-to} carry a name of their own, and replies sent to it through the default
     * exchange reach this consumer.
     *
     * @param queue   the queue's name.
     * @param options acknowledgement mode, prefetch, threading, tag, priority and listeners (null: the defaults).
     * @param handler called with each delivery, on the thread {@link ConsumeOptions#threading()} chooses.
     * @return the consumer, to cancel it or (caller-driven) to run it.
     * @throws NotAllowedException when the consumer tag is already in use on this channel (530, as RabbitMQ).
     * @throws NotFoundException   when there is no such queue.
     */
    public Consumer consume(final String queue, final ConsumeOptions options, final DeliveryHandler handler)
    {
        return consumeBatched(queue, options, DeliveryAgent.perDelivery(handler));
    }

    /**
     * AMQP {@code basic.consume} with a handler told where each take from the queue ends, so that it can
     * act once per batch: {@code delivery.ack(true)} on the delivery marked end of batch settles every
     * delivery of the batch (see {@link BatchDeliveryHandler}). A name of its own, not an overload of
     * {@code consume}, so that {@code consume(queue, options, Delivery::ack)} keeps meaning one ack per
     * delivery (the method reference would fit both handler types). Otherwise as
     * {@link #consume(String, ConsumeOptions, DeliveryHandler)}.
     *
     * @param queue   the queue's name.
     * @param options acknowledgement mode, prefetch, threading, tag, priority and listeners (null: the defaults).
     * @param handler called with each delivery and its end-of-batch flag, on the thread
     *                {@link ConsumeOptions#threading()} chooses.
     * @return the consumer, to cancel it or (caller-driven) to run it.
     * @throws NotAllowedException when the consumer tag is already in use on this channel (530, as RabbitMQ).
     * @throws NotFoundException   when there is no such queue.
     */
    public Consumer consumeBatched(final String queue, final ConsumeOptions options, final BatchDeliveryHandler handler)
    {
        ensureOpen();
        final ConsumeOptions chosen = options == null ? ConsumeOptions.builder().build() : options;
        if (DirectReplyTo.PSEUDO_QUEUE.equals(queue))
        {
            final String name = directReplyTo.replyQueueFor(chosen);
            broker.declareReplyQueue(name, this);
            final Consumer created = broker.consume(name, chosen, handler, this);
            directReplyTo.consuming(name, created.agent());
            return created;
        }
        return broker.consume(queue, chosen, handler, this);
    }

    /**
     * AMQP {@code basic.consume} with default options: manual ack, unlimited prefetch, or auto-ack.
     *
     * @param queue   the queue's name.
     * @param autoAck true: a delivery is settled as it is handed out; false: the handler acks each one.
     * @param handler called with each delivery, on a thread of the broker's shared pool.
     * @return the consumer, to cancel it.
     * @throws NotFoundException when there is no such queue.
     */
    public Consumer consume(final String queue, final boolean autoAck, final DeliveryHandler handler)
    {
        return consume(queue, autoAck ? ConsumeOptions.autoAck() : ConsumeOptions.manualAck(0), handler);
    }

    /**
     * AMQP {@code basic.get}: takes one message, requeued ones first (in a priority queue: the highest
     * priority first). Expired messages met at the head are dropped or dead-lettered, never returned. A
     * get is not a consumer: single-active-consumer does not restrict it, and it counts as a use of a
     * queue with {@code x-expires}. Its delivery tag is the channel's next.
     *
     * @param queue   the queue's name.
     * @param autoAck true: settled as it is taken; false: ack, nack or reject its delivery tag later.
     * @return this channel's reused delivery, valid until its next get, or null when the queue is empty.
     */
    public Delivery get(final String queue, final boolean autoAck)
    {
        ensureOpen();
        final MessageQueue q = broker.queue(queue, this);
        releasePendingAutoAckGet();
        q.touch();
        if (!q.take(getTaken))
        {
            return null;
        }
        final Envelope envelope = getTaken.envelope;
        final boolean redelivered = getTaken.redelivered;
        final DeliveryOrigin origin = getTaken.origin;
        getTaken.clear();
        q.statistics().got(envelope.bodySize(), redelivered, !autoAck); // before the hold, as a consumer counts
        final long tag = acks.nextTag();
        final Delivery delivery;
        if (autoAck)
        {
            pendingAutoAckGet = envelope;
            delivery = autoAckGetDelivery;
        }
        else
        {
            acks.gets().hold(tag, envelope, origin);
            // A close racing this get (from another thread: the broker closing) requeues what the channel
            // holds after clearing "open"; the fence orders our hold before reading "open", so either the
            // close sees the tag or we see the close (and requeue it ourselves: claims are exactly-once).
            VarHandle.fullFence();
            if (!open)
            {
                acks.requeueAll();
                throw new BrokerClosedException("channel " + number + " was closed during basic.get on '" + queue +
                    "'; the message was requeued");
            }
            delivery = getDelivery;
        }
        delivery.set(envelope, tag, redelivered, origin);
        return delivery;
    }

    /**
     * Takes up to {@code maxMessages} messages, one {@link #get} at a time, and passes each to
     * {@code handler} on this thread. With manual acknowledgement the handler (or a later call)
     * settles each delivery tag.
     *
     * @param queue       the queue's name.
     * @param autoAck     true: each is settled as it is taken; false: the handler acks each one.
     * @param maxMessages the most messages to take; fewer when the queue runs empty.
     * @param handler     called with each delivery, on this thread.
     * @return how many were handed to the handler.
     * @throws Exception what the handler threw; the messages taken before it stay taken.
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

    // ------------------------------------------------------------------ acknowledging

    /**
     * AMQP {@code basic.ack} of any delivery of this channel (push or get); any thread.
     *
     * @param deliveryTag the delivery's tag.
     * @param multiple    true to settle every outstanding delivery of the channel up to and including it.
     * @throws PreconditionFailedException when the tag is unknown or already settled (406).
     */
    public void ack(final long deliveryTag, final boolean multiple)
    {
        acks.ack(deliveryTag, multiple);
    }

    /**
     * AMQP {@code basic.nack} of any delivery of this channel; any thread. Requeued ones come back
     * flagged redelivered, in order.
     *
     * @param deliveryTag the delivery's tag.
     * @param multiple    true to settle every outstanding delivery of the channel up to and including it.
     * @param requeue     true: back to its queue; false: dead-lettered, or dropped without a dead-letter exchange.
     * @throws PreconditionFailedException when the tag is unknown or already settled (406).
     */
    public void nack(final long deliveryTag, final boolean multiple, final boolean requeue)
    {
        acks.nack(deliveryTag, multiple, requeue);
    }

    /**
     * AMQP {@code basic.reject} of any delivery of this channel; any thread: a nack of one delivery.
     *
     * @param deliveryTag the delivery's tag.
     * @param requeue     true: back to its queue; false: dead-lettered, or dropped without a dead-letter exchange.
     * @throws PreconditionFailedException when the tag is unknown or already settled (406).
     */
    public void reject(final long deliveryTag, final boolean requeue)
    {
        acks.reject(deliveryTag, requeue);
    }

    /**
     * AMQP {@code basic.recover} with requeue: every delivery outstanding on the channel goes back to its
     * queue, flagged redelivered, in tag order.
     *
     * @return how many deliveries went back.
     */
    public int recover()
    {
        ensureOpen();
        return acks.requeueAll();
    }

    /** @return deliveries of this channel handed out and not yet settled, consumers' and gets' together. */
    public int unackedCount()
    {
        return acks.unackedCount();
    }

    /**
     * AMQP {@code basic.qos} with {@code global}: at most {@code prefetch} unacknowledged deliveries over
     * all of this channel's consumers together (0: no such limit), besides each consumer's own
     * {@link ConsumeOptions#prefetch()}.
     *
     * @param prefetch 0 to 65535.
     */
    public void setChannelPrefetch(final int prefetch)
    {
        if (prefetch < 0 || prefetch > ConsumeOptions.MAX_PREFETCH)
        {
            throw new InvalidArgumentException("prefetch must be 0..65535, was " + prefetch);
        }
        acks.setChannelPrefetch(prefetch);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Closes the channel: cancels its consumers, requeues every delivery still outstanding (flagged
     * redelivered, in tag order) and lets go of held publishes. Exclusive queues belong to the
     * connection and outlive the channel, unless this channel is its implicit connection's only one
     * ({@link Broker#openChannel()}). Idempotent.
     */
    @Override
    public void close()
    {
        close(null);
    }

    /** The connection or the broker closes it: consumers are told why. */
    void close(final String reason)
    {
        if (!OPEN.compareAndSet(this, true, false)) // the owner, its connection and the broker may all close it
        {
            return;
        }
        held.discardAll();
        broker.cancelConsumers(new ArrayList<>(consumers), reason, acks);
        // The last auto-ack get's envelope (pendingAutoAckGet) is left alone: only the channel's own
        // thread may touch it, and that message was delivered; the envelope goes to the garbage
        // collector instead of back to the pool.
        acks.requeueAll();
        connection.channelClosed(this);
    }

    void consumerStarted(final DeliveryAgent consumer)
    {
        consumers.add(consumer);
    }

    /** @return its consumers now (monitoring). */
    List<DeliveryAgent> consumers()
    {
        return new ArrayList<>(consumers);
    }

    /** @return what monitoring shows of it now. */
    ChannelInfo info()
    {
        return new ChannelInfo(number, connection.name(), consumers.size(), acks.unackedCount(), acks.channelPrefetch(),
            held.size());
    }

    /**
     * Engine plumbing, public only because {@code Channel} implements an internal interface: one of its
     * consumers stopped, so the channel forgets it. Applications cancel consumers with
     * {@link Consumer#cancel()}.
     *
     * @param consumer the consumer that stopped.
     */
    @Override
    public void consumerEnded(final DeliveryAgent consumer)
    {
        consumers.remove(consumer);
        if (consumer.scope() != null)
        {
            acks.retire(consumer.scope());
        }
        directReplyTo.consumerEnded(consumer);
    }

    /** @throws NotAllowedException when {@code consumerTag} is in use on this channel (530, as RabbitMQ). */
    void checkConsumerTagFree(final String consumerTag)
    {
        for (final DeliveryAgent consumer : consumers)
        {
            if (consumer.consumerTag().equals(consumerTag))
            {
                throw new NotAllowedException("attempt to reuse consumer tag '" + consumerTag + "' on channel " + number);
            }
        }
    }

    private void releasePendingAutoAckGet()
    {
        final Envelope pending = pendingAutoAckGet;
        if (pending != null)
        {
            pendingAutoAckGet = null;
            autoAckGetDelivery.clear();
            pending.release();
        }
    }

    void ensureOpen()
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
