package io.ringmq.bench.latency;

import java.util.List;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

import io.ringmq.WaitStrategy;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.harness.Fixture;

/**
 * One peer wired the way its users run it: the caller's thread publishes, and the peer's own consumer thread
 * (a Disruptor {@code BatchEventProcessor}, a JCTools drain loop, an {@code ArrayBlockingQueue.take()} loop,
 * a RingMQ push consumer) hands every message to a {@link MessageSink}. Unlike {@link Fixture}'s contenders,
 * nobody polls from outside: the consumer waits as the peer's own wait strategy says.
 *
 * <p>The {@code long} a publisher offers is carried to the sink unchanged (the latency benchmark sends a
 * message's intended send time). Open with {@link #open}; one publishing thread.
 */
public interface Pipeline extends AutoCloseable
{
    String DISRUPTOR_YIELDING = "disruptor-yielding";
    String DISRUPTOR_BUSY_SPIN = "disruptor-busyspin";
    String DISRUPTOR_BLOCKING = "disruptor-blocking";
    String JCTOOLS_SPSC = "jctools-spsc";
    String ABQ = "abq";
    /** RingMQ's push consumer with {@code WaitStrategy.YIELDING}, its best on two cores. */
    String RINGMQ_PUSH = "ringmq-push";
    String RINGMQ_PUSH_BUSY_SPIN = "ringmq-push-busyspin";
    String RINGMQ_PUSH_BLOCKING = "ringmq-push-blocking";

    /** Every name {@link #open} knows, in the order the report lists them. */
    List<String> NAMES = List.of(DISRUPTOR_YIELDING, DISRUPTOR_BUSY_SPIN, DISRUPTOR_BLOCKING, JCTOOLS_SPSC, ABQ,
        RINGMQ_PUSH, RINGMQ_PUSH_BUSY_SPIN, RINGMQ_PUSH_BLOCKING);

    /** The publish side; only the thread that publishes calls it. */
    Publisher publisher();

    /**
     * Stops the consumer thread and waits for it to end: after this returns, everything the sink was given
     * happened-before, so the caller may read what the sink recorded.
     */
    @Override
    void close() throws Exception;

    /**
     * Builds and starts the named pipeline.
     *
     * @param name     one of {@link #NAMES}
     * @param capacity slots of the ring or queue, a power of two
     * @param sink     called on the consumer thread for every message, in publish order
     * @return the started pipeline
     * @throws IllegalArgumentException for an unknown name
     */
    static Pipeline open(final String name, final int capacity, final MessageSink sink)
    {
        return switch (name)
        {
            case DISRUPTOR_YIELDING -> new DisruptorPipeline(new YieldingWaitStrategy(), capacity, sink);
            case DISRUPTOR_BUSY_SPIN -> new DisruptorPipeline(new BusySpinWaitStrategy(), capacity, sink);
            case DISRUPTOR_BLOCKING -> new DisruptorPipeline(new BlockingWaitStrategy(), capacity, sink);
            case JCTOOLS_SPSC -> new SpscQueuePipeline(capacity, sink);
            case ABQ -> new BlockingQueuePipeline(capacity, sink);
            case RINGMQ_PUSH -> new RingMqPushPipeline(WaitStrategy.YIELDING, capacity, sink);
            case RINGMQ_PUSH_BUSY_SPIN -> new RingMqPushPipeline(WaitStrategy.BUSY_SPIN, capacity, sink);
            case RINGMQ_PUSH_BLOCKING -> new RingMqPushPipeline(WaitStrategy.BLOCKING, capacity, sink);
            default -> throw new IllegalArgumentException("unknown pipeline '" + name + "'; known: " + NAMES);
        };
    }
}
