package io.ringmq.bench.harness;

import java.util.concurrent.atomic.AtomicInteger;

import io.ringmq.bench.contenders.Contender;
import io.ringmq.bench.contenders.Contenders;
import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.contenders.Subscriber;

/**
 * One contender opened for one shape, for one trial; owned by a {@code Scope.Group} benchmark state.
 * Threads of the group claim a publisher or subscriber index once, on first use.
 */
public final class Fixture
{
    /**
     * Messages one queue may hold: the ring size of the Disruptor, the capacity of the queues, the in-flight
     * limit of the brokers. Big enough that a consumer is rarely starved by a momentarily full ring, small
     * enough (16 Ki × 64 B of payload) to stay in L2/L3 for the in-JVM contenders.
     */
    public static final int CAPACITY = 1 << 14;

    /** The most messages a consumer takes in one benchmark invocation (one JMH "op" of the consumer). */
    public static final int BATCH = 256;

    private final Shape shape;
    private final AtomicInteger nextPublisher = new AtomicInteger();
    private final AtomicInteger nextSubscriber = new AtomicInteger();
    private Contender contender;

    public Fixture(final Shape shape)
    {
        this.shape = shape;
    }

    public Shape shape()
    {
        return shape;
    }

    /** Trial setup: makes and opens the named contender. */
    public void open(final String contenderName) throws Exception
    {
        final Contender made = Contenders.create(contenderName);
        made.open(shape, CAPACITY);
        contender = made;
        nextPublisher.set(0);
        nextSubscriber.set(0);
    }

    /** Trial teardown, after every thread of the group has stopped. */
    public void close() throws Exception
    {
        final Contender open = contender;
        contender = null;
        if (open != null)
        {
            open.close();
        }
    }

    /** Called once per publishing thread. */
    public Publisher claimPublisher()
    {
        final int index = nextPublisher.getAndIncrement();
        if (index >= shape.publishers())
        {
            throw new IllegalStateException(shape + " has " + shape.publishers()
                + " publisher(s); run one thread group (no -tg / -t overrides)");
        }
        return contender.publisher(index);
    }

    /** Called once per consuming thread. */
    public Subscriber claimSubscriber()
    {
        final int index = nextSubscriber.getAndIncrement();
        if (index >= shape.consumers())
        {
            throw new IllegalStateException(shape + " has " + shape.consumers()
                + " consumer(s); run one thread group (no -tg / -t overrides)");
        }
        return contender.subscriber(index);
    }
}
