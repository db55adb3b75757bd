package io.ringmq;

import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.ExchangeType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One round of the soak test: a fresh broker, a fixed topology, and for a bounded time threads
 * that publish, consume (push and get), ack, nack, reject, requeue, cancel, bind, unbind, purge and
 * delete; then every thread stops, the books are balanced once with the queues still full and once
 * after they were drained, and the {@link SoakLedger} must agree with the engine's counts.
 * <p>
 * Every thread draws its operations from its own {@link Random}, seeded from the run's seed, the
 * round and the thread's index: the sequence of operations is reproducible by seed, the
 * interleaving only as far as scheduling allows.
 * <p>
 * Topology: see {@link SoakQueues} — plain queues q0..q3 behind fanout, direct and topic exchanges
 * that are bound and unbound at random; q4 (length limit, drop-head), q5 (message TTL, single active
 * consumer) and q6 (byte limit with reject-publish-dlx, delivery limit), reached through the default
 * exchange only, dead-letter into dlq. Multiple acks are used only where nothing else can settle the
 * same scope's tags concurrently (get channels, and consumers on queues that are never deleted), so
 * that the ledger knows which copies they settled.
 */
final class SoakRound
{
    private static final int PUBLISHERS = 3;
    private static final int GETTERS = 2;
    private static final int CONSUMER_OWNERS = 3;
    private static final int SHARED_ACKERS = 2;
    private static final String[] DIRECT_KEYS = {"k0", "k1", "k2", "k3"};
    private static final String[] TOPIC_PATTERNS = {"a.*", "#", "*.b", "a.b"};
    private static final String[] TOPIC_KEYS = {"a.b", "a.c", "b.b", "c"};
    private static final WaitStrategy[] WAITS = {WaitStrategy.BLOCKING, WaitStrategy.YIELDING, WaitStrategy.BACKOFF,
        WaitStrategy.SLEEPING, WaitStrategy.BLOCKING};
    private static final int[] PREFETCHES = {0, 1, 2, 8, 32};
    /** Index {@code n}: a per-message TTL of {@code n} ms (index 0 unused). */
    private static final MessageProperties[] EXPIRING = new MessageProperties[SoakQueues.MAX_TTL_MILLIS + 1];

    static
    {
        for (int ms = 1; ms <= SoakQueues.MAX_TTL_MILLIS; ms++)
        {
            EXPIRING[ms] = MessageProperties.builder().expiration(Integer.toString(ms)).build();
        }
    }

    private final long seed;
    private final int round;
    private final long millis;
    private final long queueTtlMillis;
    private final SoakLedger ledger;
    private final Broker broker = Broker.builder().envelopePool(512, 64).build();
    /** Every incarnation of every queue, for the counts only the engine keeps (dropped, expired, dead-lettered...). */
    private final List<MessageQueue> incarnations = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> crashes = new CopyOnWriteArrayList<>();
    /**
     * Deliveries handed to the shared ackers, which settle them from other threads than the one
     * that received them, racing the owner's cancel or close (each tag must go to exactly one).
     */
    private final ConcurrentLinkedQueue<Handed> handedToAckers = new ConcurrentLinkedQueue<>();
    private volatile boolean ackersStopping;
    private String balance = "";

    SoakRound(final long seed, final int round, final long millis, final int capacity)
    {
        this.seed = seed;
        this.round = round;
        this.millis = millis;
        this.queueTtlMillis = 1 + random(-1).nextInt(SoakQueues.MAX_TTL_MILLIS);
        this.ledger = new SoakLedger(capacity, queueTtlMillis);
    }

    SoakLedger ledger()
    {
        return ledger;
    }

    List<Throwable> crashes()
    {
        return crashes;
    }

    private Random random(final int thread)
    {
        return new Random(seed * 0x9E3779B97F4A7C15L + round * 1_000_003L + thread);
    }

    /** Runs the round; the ledger and {@link #crashes()} say how it went. @return a summary line. */
    String run() throws InterruptedException
    {
        try (Channel admin = broker.openChannel())
        {
            admin.exchangeDeclare("fan", ExchangeType.FANOUT);
            admin.exchangeDeclare("dir", ExchangeType.DIRECT);
            admin.exchangeDeclare("top", ExchangeType.TOPIC);
            admin.exchangeDeclare(SoakQueues.DLX, ExchangeType.FANOUT);
            for (int q = 0; q < SoakQueues.COUNT; q++)
            {
                declare(admin, q);
            }
            admin.queueBind("q0", "fan", "");
            admin.queueBind("q2", "fan", "");
            admin.queueBind("q1", "dir", "k1");
            admin.queueBind("q3", "top", "a.*");
        }
        int index = 0;
        for (int p = 0; p < PUBLISHERS; p++)
        {
            final int publisher = p;
            start("publisher-" + p, index++, random -> publish(publisher, random));
        }
        for (int g = 0; g < GETTERS; g++)
        {
            start("getter-" + g, index++, this::get);
        }
        for (int c = 0; c < CONSUMER_OWNERS; c++)
        {
            start("consumer-owner-" + c, index++, this::ownConsumers);
        }
        start("binder", index++, this::bindAndUnbind);
        start("admin", index++, this::purgeAndDelete);
        // Started, and so joined, last: they settle for the others until those have stopped.
        final List<Thread> ackers = new ArrayList<>();
        for (int a = 0; a < SHARED_ACKERS; a++)
        {
            start("shared-acker-" + a, index++, this::ackHanded);
            ackers.add(threads.get(threads.size() - 1));
        }

        Thread.sleep(millis);
        stopping = true;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (final Thread thread : threads)
        {
            if (ackers.contains(thread))
            {
                ackersStopping = true;
            }
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (thread.isAlive())
            {
                final StackTraceElement[] stack = thread.getStackTrace();
                final AssertionError stuck = new AssertionError("thread " + thread.getName() + " did not stop within 30 s");
                stuck.setStackTrace(stack);
                crashes.add(stuck);
            }
        }
        try
        {
            drainAndCount();
        }
        catch (final RuntimeException | AssertionError error)
        {
            crashes.add(error);
        }
        finally
        {
            try
            {
                broker.close();
            }
            catch (final RuntimeException error)
            {
                crashes.add(error);
            }
        }
        return summary();
    }

    private void declare(final Channel admin, final int q)
    {
        admin.queueDeclare(SoakQueues.spec(q, queueTtlMillis));
        incarnations.add(Internals.queue(broker, SoakQueues.NAMES[q]));
        if (q == SoakQueues.DLQ)
        {
            admin.queueBind(SoakQueues.NAMES[q], SoakQueues.DLX, "");
        }
    }

    private interface Work
    {
        void run(Random random) throws Exception;
    }

    private void start(final String name, final int index, final Work work)
    {
        final Random random = random(index);
        final Thread thread = new Thread(() ->
        {
            try
            {
                work.run(random);
            }
            catch (final Throwable error)
            {
                crashes.add(error);
            }
        }, "soak-r" + round + "-" + name);
        threads.add(thread);
        thread.start();
    }

    // ------------------------------------------------------------------ publishers

    private void publish(final int publisher, final Random random)
    {
        final Channel channel = broker.openChannel();
        channel.setPublishTimeout(Duration.ofMillis(1), false); // the ledger counts refusals from the results
        final long start = System.nanoTime();
        final int perPublisher = ledger.capacity / PUBLISHERS;
        int sequence = 0;
        final byte[][] batch = new byte[8][];
        final int[] batchIds = new int[8];
        while (!stopping)
        {
            // Pace to the id budget: spread this publisher's ids over the round.
            final double elapsed = (System.nanoTime() - start) / (millis * 1e6);
            if (sequence >= perPublisher || sequence > perPublisher * Math.min(1.0, elapsed + 0.05))
            {
                LockSupport.parkNanos(100_000);
                continue;
            }
            final String exchange;
            final String key;
            int home = -1;
            final int target = random.nextInt(20);
            if (target < 6)
            {
                exchange = "";
                key = SoakQueues.NAMES[random.nextInt(SoakQueues.ROUTED)];
            }
            else if (target < 10)
            {
                exchange = ""; // q4..q6 have this one route: the books know what each accepted
                home = SoakQueues.MAXLEN + random.nextInt(3);
                key = SoakQueues.NAMES[home];
            }
            else if (target < 15)
            {
                exchange = "fan";
                key = "";
            }
            else if (target < 19)
            {
                exchange = "dir";
                key = DIRECT_KEYS[random.nextInt(DIRECT_KEYS.length)];
            }
            else
            {
                exchange = "top";
                key = TOPIC_KEYS[random.nextInt(TOPIC_KEYS.length)];
            }
            final int ttl = random.nextInt(10) == 0 ? 1 + random.nextInt(SoakQueues.MAX_TTL_MILLIS) : 0;
            final MessageProperties properties = ttl > 0 ? EXPIRING[ttl] : MessageProperties.EMPTY;
            if (random.nextInt(10) == 0)
            {
                final int count = Math.min(1 + random.nextInt(batch.length), perPublisher - sequence);
                for (int i = 0; i < count; i++)
                {
                    batchIds[i] = (sequence++) * PUBLISHERS + publisher;
                    batch[i] = SoakLedger.body(batchIds[i]);
                    ledger.publishing(batchIds[i], home, ttl);
                }
                final PublishResult result = channel.publishBatch(exchange, key, false, properties, batch, 0, count);
                final long after = System.nanoTime();
                for (int i = 0; i < count; i++)
                {
                    ledger.published(batchIds[i], result, true, after);
                }
                ledger.publishResult(result, home);
            }
            else
            {
                final int id = (sequence++) * PUBLISHERS + publisher;
                ledger.publishing(id, home, ttl);
                final PublishResult result = channel.publish(exchange, key, properties, SoakLedger.body(id));
                ledger.published(id, result, false, System.nanoTime());
                ledger.publishResult(result, home);
            }
            ledger.operations.increment();
        }
        channel.close();
    }

    // ------------------------------------------------------------------ get (pull) consumers

    /** One outstanding delivery: its tag, id and queue. */
    private static final class Held
    {
        final long tag;
        final int id;
        final String queue;

        Held(final long tag, final int id, final String queue)
        {
            this.tag = tag;
            this.id = id;
            this.queue = queue;
        }
    }

    /** A delivery handed to the shared ackers, with the scope it must be settled on. */
    private static final class Handed
    {
        final Consumer consumer;
        final Channel channel;
        final long tag;
        final int id;
        final String queue;
        final String by;

        Handed(final Consumer consumer, final Channel channel, final long tag, final int id, final String queue,
            final String by)
        {
            this.consumer = consumer;
            this.channel = channel;
            this.tag = tag;
            this.id = id;
            this.queue = queue;
            this.by = by;
        }

        /** Tags belong to the channel: they stay settleable until it closes, even after a cancel. */
        boolean scopeOpen()
        {
            return channel.isOpen();
        }
    }

    /**
     * Settles deliveries other threads received. A settle may lose the tag to its scope's cancel or
     * close (which requeues it): then it must fail with PRECONDITION_FAILED, and only then.
     */
    private void ackHanded(final Random random)
    {
        final String by = Thread.currentThread().getName();
        while (!ackersStopping || !handedToAckers.isEmpty())
        {
            final Handed h = handedToAckers.poll();
            if (h == null)
            {
                LockSupport.parkNanos(20_000);
                continue;
            }
            ledger.operations.increment();
            final int how = random.nextInt(10);
            try
            {
                if (how < 7)
                {
                    if (h.consumer != null)
                    {
                        h.consumer.ack(h.tag, false);
                    }
                    else
                    {
                        h.channel.ack(h.tag, false);
                    }
                    ledger.settled(h.id, h.queue, false, by + " ack for " + h.by);
                }
                else if (how < 8)
                {
                    if (h.consumer != null)
                    {
                        h.consumer.reject(h.tag, false);
                    }
                    else
                    {
                        h.channel.reject(h.tag, false);
                    }
                    ledger.settled(h.id, h.queue, true, by + " reject for " + h.by);
                }
                else if (h.consumer != null)
                {
                    h.consumer.nack(h.tag, false, true);
                }
                else
                {
                    h.channel.nack(h.tag, false, true);
                }
            }
            catch (final PreconditionFailedException ex)
            {
                if (h.scopeOpen())
                {
                    ledger.violation(by + " could not settle tag " + h.tag + " of " + ledger.describe(h.id,
                        SoakLedger.queueIndex(h.queue)) + " for " + h.by + ", whose scope is still open and " +
                        "nobody else settles that tag");
                }
            }
        }
    }

    private void get(final Random random)
    {
        Channel channel = broker.openChannel();
        // A channel whose tags also go to the shared ackers settles only one tag at a time itself:
        // a multiple settle would take tags the ackers were given.
        boolean sharing = random.nextBoolean();
        final List<Held> held = new ArrayList<>();
        final String by = Thread.currentThread().getName();
        while (!stopping)
        {
            ledger.operations.increment();
            final int action = random.nextInt(100);
            if (action < 2)
            {
                channel.close(); // requeues whatever it held, in tag order (racing the shared ackers)
                held.clear();
                channel = broker.openChannel();
                sharing = random.nextBoolean();
                continue;
            }
            if (action < 10 && !held.isEmpty())
            {
                settleHeld(channel, held, random, by, sharing);
                continue;
            }
            final String queue = SoakQueues.NAMES[random.nextInt(SoakQueues.COUNT)];
            final boolean autoAck = random.nextInt(4) == 0;
            final long takenAfter = System.nanoTime();
            final Delivery delivery;
            try
            {
                delivery = channel.get(queue, autoAck);
            }
            catch (final NotFoundException ex)
            {
                continue; // q3 or dlq between deletion and redeclaration
            }
            if (delivery == null)
            {
                Thread.yield();
                continue;
            }
            final int id = ledger.delivered(delivery, takenAfter, by);
            if (autoAck)
            {
                ledger.settled(id, queue, false, by + " auto-ack get");
                continue;
            }
            final long tag = delivery.deliveryTag();
            final int settle = random.nextInt(100);
            if (settle < 50)
            {
                channel.ack(tag, false);
                ledger.settled(id, queue, false, by + " ack");
            }
            else if (settle < 62)
            {
                channel.nack(tag, false, true);
            }
            else if (settle < 70)
            {
                channel.reject(tag, false);
                ledger.settled(id, queue, true, by + " reject");
            }
            else if (settle < 75)
            {
                channel.reject(tag, true);
            }
            else if (sharing && settle < 88)
            {
                handedToAckers.add(new Handed(null, channel, tag, id, queue, by));
            }
            else
            {
                held.add(new Held(tag, id, queue));
                if (held.size() > 32)
                {
                    settleHeld(channel, held, random, by, sharing);
                }
            }
        }
        channel.close();
    }

    /** Settles some of what a get channel holds; only this thread settles that channel's tags. */
    private void settleHeld(final Channel channel, final List<Held> held, final Random random, final String by,
        final boolean sharing)
    {
        final int how = sharing ? 3 : random.nextInt(4);
        final Held last = held.get(held.size() - 1);
        switch (how)
        {
            case 0:
                channel.ack(last.tag, true);
                for (final Held h : held)
                {
                    ledger.settled(h.id, h.queue, false, by + " ack multiple");
                }
                held.clear();
                break;
            case 1:
                channel.nack(last.tag, true, true);
                held.clear();
                break;
            case 2:
                channel.nack(0, true, false); // tag 0 with multiple: everything outstanding
                for (final Held h : held)
                {
                    ledger.settled(h.id, h.queue, true, by + " nack-all without requeue");
                }
                held.clear();
                break;
            default:
                final Held one = held.remove(random.nextInt(held.size()));
                channel.ack(one.tag, false);
                ledger.settled(one.id, one.queue, false, by + " ack");
                break;
        }
    }

    // ------------------------------------------------------------------ push consumers

    private void ownConsumers(final Random random) throws InterruptedException
    {
        final String by = Thread.currentThread().getName();
        while (!stopping)
        {
            // A channel per consumer: a cancelled consumer's deliveries stay outstanding on its channel,
            // so a multiple settle there covers only this consumer's (and the shared ackers' take theirs one by one).
            final Channel channel = broker.openChannel();
            final PushConsumer consumer = PushConsumer.start(this, channel, random, by);
            if (consumer == null)
            {
                channel.close();
                continue;
            }
            final long lifetime = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5 + random.nextInt(200));
            while (!stopping && System.nanoTime() - lifetime < 0 && consumer.consumer.isActive())
            {
                ledger.operations.increment();
                consumer.settleDeferred(random);
                LockSupport.parkNanos(random.nextInt(50_000));
            }
            consumer.consumer.cancel(); // stops deliveries; what reached its handler stays outstanding on the channel
            consumer.settleDeferred(random); // AMQP lets a cancelled consumer's deliveries be settled still
            channel.close(); // requeues, in tag order, whatever is still outstanding (racing the shared ackers)
        }
    }

    /** A push consumer and what its owner thread settles for it. */
    private static final class PushConsumer
    {
        final SoakRound round;
        final Random random;
        final String queue;
        /** q3 and dlq: their deletion requeues a consumer's tags from another thread. */
        final boolean deletable;
        final boolean autoAck;
        final boolean deferred;
        /** Deferred deliveries go to the shared ackers; the owner only cancels. */
        final boolean shared;
        final boolean requeueOnError;
        final int prefetch;
        /** Its channel's global prefetch ({@code basic.qos global}), 0 for none: bounds it beside its own. */
        final int channelPrefetch;
        final String by;
        Channel channel;
        final AtomicReference<Consumer> self = new AtomicReference<>();
        final ConcurrentLinkedQueue<Held> handedOver = new ConcurrentLinkedQueue<>();
        final List<Held> held = new ArrayList<>();
        Consumer consumer;
        /**
         * Consumer thread: when its previous handler call returned (at first, when consume was called).
         * The consumer takes its next message after that, so a TTL must not have passed by then.
         */
        long lastHandlerExit;

        private PushConsumer(final SoakRound round, final Random random, final String by)
        {
            this.round = round;
            this.random = new Random(random.nextLong()); // the consumer thread's own sequence
            final int q = random.nextInt(SoakQueues.COUNT);
            this.queue = SoakQueues.NAMES[q];
            this.deletable = SoakQueues.deletable(q);
            this.autoAck = random.nextInt(5) == 0;
            this.deferred = !autoAck && random.nextBoolean();
            this.shared = deferred && random.nextBoolean();
            this.requeueOnError = random.nextBoolean();
            this.prefetch = PREFETCHES[random.nextInt(PREFETCHES.length)];
            this.channelPrefetch = random.nextInt(3) == 0 ? 1 + random.nextInt(8) : 0;
            this.by = by + "/" + queue + (autoAck ? "/auto" : shared ? "/shared" : deferred ? "/deferred" : "/immediate") + "/prefetch" + prefetch +
                (channelPrefetch > 0 ? "/global" + channelPrefetch : "");
        }

        static PushConsumer start(final SoakRound round, final Channel channel, final Random random, final String by)
        {
            final PushConsumer pc = new PushConsumer(round, random, by);
            final ConsumeOptions options = ConsumeOptions.builder()
                .autoAck(pc.autoAck)
                .prefetch(pc.prefetch)
                .waitStrategy(WAITS[random.nextInt(WAITS.length)])
                .onHandlerError(pc.requeueOnError)
                .handlerErrorListener((tag, message, error) -> { })
                .build();
            pc.lastHandlerExit = System.nanoTime(); // published to the consumer thread by its start
            pc.channel = channel;
            channel.setChannelPrefetch(pc.channelPrefetch); // its channel has no other consumer: the bound is its own
            try
            {
                pc.consumer = channel.consume(pc.queue, options, pc::handle);
            }
            catch (final NotFoundException ex)
            {
                return null; // q3 or dlq between deletion and redeclaration
            }
            pc.self.set(pc.consumer);
            return pc;
        }

        /** Consumer thread. */
        private void handle(final Delivery delivery)
        {
            try
            {
                handleOne(delivery);
            }
            finally
            {
                lastHandlerExit = System.nanoTime();
            }
        }

        private void handleOne(final Delivery delivery)
        {
            final SoakLedger ledger = round.ledger;
            final int id = ledger.delivered(delivery, lastHandlerExit, by);
            final Consumer c = self.get();
            if (c != null && prefetch > 0 && c.unackedCount() > prefetch)
            {
                ledger.violation(by + " holds " + c.unackedCount() + " unacked deliveries, more than its prefetch " + prefetch);
            }
            if (c != null && !autoAck && channelPrefetch > 0 && c.unackedCount() > channelPrefetch)
            {
                ledger.violation(by + " holds " + c.unackedCount() + " unacked deliveries, more than its channel's global prefetch " +
                    channelPrefetch);
            }
            final int action = random.nextInt(100);
            if (action < 3)
            {
                if (!requeueOnError)
                {
                    ledger.settled(id, queue, true, by + " handler error without requeue");
                }
                throw new IllegalStateException("soak: a handler that throws"); // requeued, or rejected, by the engine
            }
            if (autoAck)
            {
                ledger.settled(id, queue, false, by + " auto-ack");
                return;
            }
            if (shared && c != null)
            {
                round.handedToAckers.add(new Handed(c, channel, delivery.deliveryTag(), id, queue, by));
                return;
            }
            if (deferred) // or shared, before consume() returned the consumer to hand over with
            {
                handedOver.add(new Held(delivery.deliveryTag(), id, queue));
                return;
            }
            if (action < 65)
            {
                delivery.ack();
                ledger.settled(id, queue, false, by + " ack");
            }
            else if (action < 78)
            {
                delivery.nack(true);
            }
            else if (action < 88)
            {
                delivery.reject(false);
                ledger.settled(id, queue, true, by + " reject");
            }
            else
            {
                delivery.reject(true);
            }
        }

        /** Owner thread: settles deferred deliveries; they fail as unknown only once the channel closed. */
        void settleDeferred(final Random ownerRandom)
        {
            final SoakLedger ledger = round.ledger;
            Held h;
            while ((h = handedOver.poll()) != null)
            {
                held.add(h);
            }
            if (held.isEmpty())
            {
                return;
            }
            final int how = ownerRandom.nextInt(10);
            // q3 and dlq can be deleted, and a deletion requeues a consumer's tags from another thread:
            // a multiple ack there would settle an unknown subset, so they settle one tag at a time.
            // A shared consumer's other tags are with the shared ackers: a multiple settle would take them.
            if (how < 2 && !deletable && !shared)
            {
                final Held last = held.get(held.size() - 1);
                try
                {
                    consumer.ack(last.tag, true);
                    for (final Held one : held)
                    {
                        ledger.settled(one.id, one.queue, false, by + " ack multiple");
                    }
                }
                catch (final PreconditionFailedException ex)
                {
                    unsettleable(last);
                }
                held.clear();
                return;
            }
            if (how < 3 && !deletable && !shared)
            {
                final Held last = held.get(held.size() - 1);
                try
                {
                    consumer.nack(last.tag, true, true);
                }
                catch (final PreconditionFailedException ex)
                {
                    unsettleable(last);
                }
                held.clear();
                return;
            }
            final Held one = held.remove(ownerRandom.nextInt(held.size()));
            try
            {
                if (how < 7)
                {
                    consumer.ack(one.tag, false);
                    ledger.settled(one.id, one.queue, false, by + " deferred ack");
                }
                else if (how < 8)
                {
                    consumer.reject(one.tag, false);
                    ledger.settled(one.id, one.queue, true, by + " deferred reject");
                }
                else
                {
                    consumer.nack(one.tag, false, true);
                }
            }
            catch (final PreconditionFailedException ex)
            {
                unsettleable(one);
            }
        }

        private void unsettleable(final Held one)
        {
            if (channel.isOpen())
            {
                round.ledger.violation(by + " could not settle tag " + one.tag + " of " + round.ledger.describe(one.id,
                    SoakLedger.queueIndex(one.queue)) + " though its channel is open and nobody else settles it");
            }
        }
    }

    // ------------------------------------------------------------------ topology

    /** Binds and unbinds q0..q3 only: q4..q6 and dlq keep their one route, so each one's intake is known. */
    private void bindAndUnbind(final Random random)
    {
        final Channel channel = broker.openChannel();
        while (!stopping)
        {
            ledger.operations.increment();
            final String queue = SoakQueues.NAMES[random.nextInt(SoakQueues.ROUTED)];
            final boolean bind = random.nextBoolean();
            try
            {
                switch (random.nextInt(3))
                {
                    case 0:
                        if (bind)
                        {
                            channel.queueBind(queue, "fan", "");
                        }
                        else
                        {
                            channel.queueUnbind(queue, "fan", "");
                        }
                        break;
                    case 1:
                        final String key = DIRECT_KEYS[random.nextInt(DIRECT_KEYS.length)];
                        if (bind)
                        {
                            channel.queueBind(queue, "dir", key);
                        }
                        else
                        {
                            channel.queueUnbind(queue, "dir", key);
                        }
                        break;
                    default:
                        final String pattern = TOPIC_PATTERNS[random.nextInt(TOPIC_PATTERNS.length)];
                        if (bind)
                        {
                            channel.queueBind(queue, "top", pattern);
                        }
                        else
                        {
                            channel.queueUnbind(queue, "top", pattern);
                        }
                        break;
                }
            }
            catch (final NotFoundException ex)
            {
                // q3 between deletion and redeclaration
            }
            LockSupport.parkNanos(random.nextInt(200_000));
        }
        channel.close();
    }

    private void purgeAndDelete(final Random random)
    {
        final Channel channel = broker.openChannel();
        while (!stopping)
        {
            ledger.operations.increment();
            final int action = random.nextInt(20);
            if (action < 12)
            {
                final int q = random.nextInt(SoakQueues.COUNT);
                try
                {
                    ledger.purged[q].add(channel.queuePurge(SoakQueues.NAMES[q]));
                }
                catch (final NotFoundException ex)
                {
                    // q3 or dlq between deletion and redeclaration
                }
            }
            else if (action < 16)
            {
                channel.queueDelete("q3"); // what it held is counted in that incarnation's discardedCount
                LockSupport.parkNanos(random.nextInt(1_000_000));
                declare(channel, SoakQueues.Q3);
                channel.queueBind("q3", "top", TOPIC_PATTERNS[random.nextInt(TOPIC_PATTERNS.length)]);
                if (random.nextBoolean())
                {
                    channel.queueBind("q3", "fan", "");
                }
            }
            else if (action < 17)
            {
                // Dead letters meanwhile find no queue: counted as unroutable by the queue they died in.
                channel.queueDelete("dlq");
                LockSupport.parkNanos(random.nextInt(1_000_000));
                declare(channel, SoakQueues.DLQ);
            }
            LockSupport.parkNanos(1_000_000 + random.nextInt(20_000_000));
        }
        channel.close();
    }

    // ------------------------------------------------------------------ the books

    /** One queue's counts, summed over its incarnations. */
    private static final class Counts
    {
        final long[] removed = new long[DeathReason.count()];
        long discarded;
        long droppedHead;
        /** Of droppedHead: by a requeue past the limit, which no publisher is told of. */
        long droppedOnReturn;
        long rejected;
        long refusedToDeadLetter;
        long deadLettered;
        long deadLetterAccepted;
        long deadLetterRefused;
        long deadLetterUnroutable;
        long ready;
        long strandedInDeleted;

        long removedTotal()
        {
            long sum = 0;
            for (final long n : removed)
            {
                sum += n;
            }
            return sum;
        }

        void add(final MessageQueue queue)
        {
            for (final DeathReason reason : DeathReason.values())
            {
                removed[reason.ordinal()] += queue.removedCount(reason);
            }
            discarded += queue.discardedCount();
            droppedHead += queue.droppedHeadCount();
            droppedOnReturn += queue.droppedOnReturnCount();
            rejected += queue.rejectedCount();
            refusedToDeadLetter += queue.refusedToDeadLetterCount();
            deadLettered += queue.deadLetteredCount();
            deadLetterAccepted += queue.deadLetterAcceptedCopies();
            deadLetterRefused += queue.deadLetterRefusedCopies();
            deadLetterUnroutable += queue.deadLetterUnroutableCount();
            ready += queue.messageCount();
            strandedInDeleted += queue.isDeleted() ? queue.messageCount() : 0;
        }

        long removed(final DeathReason reason)
        {
            return removed[reason.ordinal()];
        }
    }

    private Counts[] counts()
    {
        final Counts[] counts = new Counts[SoakQueues.COUNT];
        for (int q = 0; q < SoakQueues.COUNT; q++)
        {
            counts[q] = new Counts();
        }
        for (final MessageQueue queue : incarnations)
        {
            counts[SoakQueues.index(queue.name())].add(queue);
        }
        return counts;
    }

    /**
     * Every thread has stopped (every channel is closed, so nothing is unacknowledged): stops the
     * broker's sweeper so that nothing moves, balances the books with the queues as they are, drains
     * them (the dead-lettering queues before dlq, which their expired heads may still feed), and
     * balances again.
     */
    private void drainAndCount()
    {
        Internals.stopHousekeeping(broker);
        balance("with the queues as they were left", counts());
        try (Channel channel = broker.openChannel())
        {
            for (int q = 0; q < SoakQueues.COUNT; q++)
            {
                final String queue = SoakQueues.NAMES[q];
                Delivery delivery;
                long takenAfter = System.nanoTime();
                while ((delivery = channel.get(queue, true)) != null)
                {
                    final int id = ledger.delivered(delivery, takenAfter, "final drain");
                    ledger.settled(id, queue, false, "final drain");
                    ledger.drained[q].increment();
                    takenAfter = System.nanoTime();
                }
                final int left = channel.queueDeclarePassive(queue).messageCount();
                if (left != 0)
                {
                    ledger.violation("queue " + queue + " still reports " + left + " messages after the final drain");
                }
            }
        }
        ledger.checkIds();
        final Counts[] counts = counts();
        balance("after the final drain", counts);
        checkCauses(counts);
    }

    /**
     * The ledger identity of every queue: what it accepted = acked by consumers + removed for each
     * reason (removedCount: rejected, expired, maxlen, delivery_limit) + discarded with a deleted
     * incarnation + purged + still ready + unacknowledged (0: every channel is closed). q4..q6 and dlq
     * are balanced one by one (their intake is known exactly); q0..q3 together.
     */
    private void balance(final String when, final Counts[] counts)
    {
        long homeAccepted = 0;
        long deadLettersAccepted = 0;
        for (int q = SoakQueues.MAXLEN; q <= SoakQueues.LIMIT; q++)
        {
            homeAccepted += ledger.acceptedByHome[q].sum();
            deadLettersAccepted += counts[q].deadLetterAccepted;
            balanceOne(when, SoakQueues.NAMES[q], ledger.acceptedByHome[q].sum(), counts, q, q);
        }
        balanceOne(when, "dlq", deadLettersAccepted, counts, SoakQueues.DLQ, SoakQueues.DLQ);
        balanceOne(when, "q0..q3", ledger.acceptedTotal.sum() - homeAccepted, counts, 0, SoakQueues.ROUTED - 1);
        if (!balance.isEmpty())
        {
            return; // the summary shows the first balance: the one with messages still ready
        }
        final StringBuilder b = new StringBuilder("balance " + when + ": accepted = acked + removed + discarded + purged + ready");
        for (int q = 0; q < SoakQueues.COUNT; q++)
        {
            final Counts c = counts[q];
            b.append(String.format("; %s %d = %d + %d + %d + %d + %d", SoakQueues.NAMES[q],
                ledger.acked[q].sum() + c.removedTotal() + c.discarded + ledger.purged[q].sum() + c.ready,
                ledger.acked[q].sum(), c.removedTotal(), c.discarded, ledger.purged[q].sum(), c.ready));
        }
        balance = b.toString();
    }

    private void balanceOne(final String when, final String what, final long accepted, final Counts[] counts,
        final int from, final int to)
    {
        long acked = 0;
        long removed = 0;
        long discarded = 0;
        long purged = 0;
        long ready = 0;
        for (int q = from; q <= to; q++)
        {
            acked += ledger.acked[q].sum();
            removed += counts[q].removedTotal();
            discarded += counts[q].discarded;
            purged += ledger.purged[q].sum();
            ready += counts[q].ready;
        }
        final long out = acked + removed + discarded + purged + ready;
        if (accepted != out)
        {
            ledger.violation(what + ", " + when + ": copies accepted (" + accepted + ") != acked (" + acked +
                ") + removed by policy (" + removed + ") + discarded with a deleted queue (" + discarded + ") + purged (" +
                purged + ") + ready (" + ready + ") + unacked (0): " + (accepted - out) + " copies unaccounted for");
        }
    }

    /** Each cause's count, against what publishers and consumers were told and what dlq received. */
    private void checkCauses(final Counts[] counts)
    {
        long droppedHead = 0;
        for (int q = 0; q < SoakQueues.COUNT; q++)
        {
            final Counts c = counts[q];
            final String name = SoakQueues.NAMES[q];
            droppedHead += c.droppedHead - c.droppedOnReturn;
            if (ledger.rejected[q].sum() != c.removed(DeathReason.REJECTED))
            {
                violation(name + ": consumers rejected " + ledger.rejected[q].sum() + " copies without requeue, the queue " +
                    "counted " + c.removed(DeathReason.REJECTED));
            }
            if (c.strandedInDeleted != 0)
            {
                violation(name + ": " + c.strandedInDeleted + " messages are still in a deleted incarnation: neither " +
                    "delivered nor counted as discarded");
            }
            if (!SoakQueues.deadLetters(q) && (c.deadLettered | c.deadLetterUnroutable | c.refusedToDeadLetter) != 0)
            {
                violation(name + " has no dead-letter exchange but counted dead letters: " + c.deadLettered + " routed, " +
                    c.deadLetterUnroutable + " unroutable, " + c.refusedToDeadLetter + " refused publishes");
            }
            for (final DeathReason reason : DeathReason.values())
            {
                final boolean possible = q == SoakQueues.DLQ ? reason == DeathReason.REJECTED :
                    q < SoakQueues.ROUTED ? reason != DeathReason.DELIVERY_LIMIT && (reason != DeathReason.MAXLEN || q == 2) :
                    SoakQueues.mayDie(q, reason, true) && !(q == SoakQueues.LIMIT && reason == DeathReason.MAXLEN);
                if (!possible && c.removed(reason) != 0)
                {
                    violation(name + " counted " + c.removed(reason) + " messages removed for " + reason.value() +
                        ", which its policies cannot produce" + (q == SoakQueues.DLQ ? " (a dead letter has no expiration)" : ""));
                }
            }
        }
        if (ledger.droppedByPublishResult.sum() != droppedHead)
        {
            violation("publishers were told of " + ledger.droppedByPublishResult.sum() + " drop-head drops, the queues counted " +
                droppedHead + " besides those a requeue past the limit caused");
        }
        final Counts q4 = counts[SoakQueues.MAXLEN];
        if (ledger.droppedByHome[SoakQueues.MAXLEN].sum() != q4.removed(DeathReason.MAXLEN) - q4.droppedOnReturn)
        {
            violation("q4: publishers were told of " + ledger.droppedByHome[SoakQueues.MAXLEN].sum() + " drops, q4 counted " +
                q4.removed(DeathReason.MAXLEN) + " removed for maxlen, " + q4.droppedOnReturn + " of them after a requeue");
        }
        final Counts q6 = counts[SoakQueues.LIMIT];
        if (ledger.refusedByHome[SoakQueues.LIMIT].sum() != q6.refusedToDeadLetter)
        {
            violation("q6: publishers were told of " + ledger.refusedByHome[SoakQueues.LIMIT].sum() + " refusals, q6 " +
                "counted " + q6.refusedToDeadLetter + " refused to dead-letter (reject-publish-dlx refuses only to dead-letter)");
        }
        for (int q = SoakQueues.MAXLEN; q <= SoakQueues.LIMIT; q++)
        {
            final Counts c = counts[q];
            final String name = SoakQueues.NAMES[q];
            final long handled = c.removedTotal() + c.refusedToDeadLetter;
            if (handled != c.deadLettered + c.deadLetterUnroutable)
            {
                violation(name + ": removed (" + c.removedTotal() + ") + refused to dead-letter (" + c.refusedToDeadLetter +
                    ") != dead-lettered (" + c.deadLettered + ") + unroutable (" + c.deadLetterUnroutable + ")");
            }
            if (c.deadLetterAccepted != c.deadLettered)
            {
                violation(name + ": " + c.deadLettered + " dead letters reached a queue but " + c.deadLetterAccepted +
                    " copies were accepted: its dead-letter exchange reaches dlq alone");
            }
            if (c.deadLetterRefused > c.deadLetterUnroutable)
            {
                violation(name + ": dlq refused " + c.deadLetterRefused + " dead letters, but only " +
                    c.deadLetterUnroutable + " found no queue");
            }
            for (final DeathReason reason : DeathReason.values())
            {
                final long counted = q == SoakQueues.LIMIT && reason == DeathReason.MAXLEN ? c.refusedToDeadLetter :
                    c.removed(reason);
                if (ledger.deathsSeen(q, reason) > counted)
                {
                    violation("dlq consumers received " + ledger.deathsSeen(q, reason) + " dead letters from " + name +
                        " for " + reason.value() + ", but " + name + " counted only " + counted);
                }
            }
        }
    }

    private void violation(final String what)
    {
        ledger.violation(what);
    }

    private String summary()
    {
        final Counts[] c = counts();
        long expired = 0;
        long deadLettered = 0;
        long unroutable = 0;
        long discarded = 0;
        for (final Counts one : c)
        {
            expired += one.removed(DeathReason.EXPIRED);
            discarded += one.discarded;
            deadLettered += one.deadLettered;
            unroutable += one.deadLetterUnroutable;
        }
        return String.format("round %d (q5 ttl %d ms): %d ops, %d publishes, %d copies routed, %d accepted, %d refused; " +
                "%d deliveries (%d redelivered); acked %d, rejected %d (%d drained at the end), dropped %d, expired %d, " +
                "past the delivery limit %d, refused to dead-letter %d, purged %d, discarded %d, q3 incarnations %d, " +
                "dlq incarnations %d; dead-lettered %d (dlq refused %d, unroutable %d), received from dlq by x-death: %s; %s",
            round, queueTtlMillis, ledger.operations.sum(), ledger.publishes.sum(), ledger.routedTotal.sum(),
            ledger.acceptedTotal.sum(), ledger.refusedTotal.sum(), ledger.deliveries.sum(), ledger.redeliveries.sum(),
            SoakLedger.sum(ledger.acked), SoakLedger.sum(ledger.rejected), SoakLedger.sum(ledger.drained),
            ledger.droppedByPublishResult.sum(), expired, c[SoakQueues.LIMIT].removed(DeathReason.DELIVERY_LIMIT),
            c[SoakQueues.LIMIT].refusedToDeadLetter, SoakLedger.sum(ledger.purged), discarded,
            incarnations(SoakQueues.Q3), incarnations(SoakQueues.DLQ), deadLettered,
            c[SoakQueues.MAXLEN].deadLetterRefused + c[SoakQueues.TTL].deadLetterRefused + c[SoakQueues.LIMIT].deadLetterRefused,
            unroutable, deathsSeen(), balance);
    }

    /** @return the dead letters dlq consumers received, by source and reason (the x-death they carried). */
    private String deathsSeen()
    {
        final StringBuilder b = new StringBuilder();
        for (int q = SoakQueues.MAXLEN; q <= SoakQueues.LIMIT; q++)
        {
            b.append(b.length() == 0 ? "" : ", ").append(SoakQueues.NAMES[q]);
            for (final DeathReason reason : DeathReason.values())
            {
                if (SoakQueues.mayDie(q, reason, true))
                {
                    b.append(' ').append(reason.value()).append(' ').append(ledger.deathsSeen(q, reason));
                }
            }
        }
        return b.toString();
    }

    private int incarnations(final int q)
    {
        int n = 0;
        for (final MessageQueue queue : incarnations)
        {
            n += queue.name().equals(SoakQueues.NAMES[q]) ? 1 : 0;
        }
        return n;
    }

    static String describeTopology()
    {
        return SoakQueues.describe();
    }
}
