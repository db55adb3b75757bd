package io.ringmq.bench.contenders;

/**
 * One messaging system under test, set up for one {@link Shape}, for one JMH trial.
 *
 * <p>Life cycle, all driven by the harness: {@link #open} once, on a setup thread; then
 * {@link #publisher(int)} and {@link #subscriber(int)} once per index, possibly on other threads, each
 * result then used by exactly one thread; then {@link #close} once, after every thread has stopped. All
 * queues, rings and subscriptions must exist when {@code open} returns, so that no message published
 * before a consumer's first poll is lost.
 *
 * <p>To add a contender: implement this interface and register it in {@link Contenders}.
 */
public interface Contender extends AutoCloseable
{
    /**
     * Creates the queues (or ring), publishers and subscribers for the shape.
     *
     * @param shape    who sends to whom
     * @param capacity how many unconsumed messages one queue may hold; a power of two. Bounded structures
     *                 use it as their size, unbounded brokers as an in-flight limit.
     */
    void open(Shape shape, int capacity) throws Exception;

    /** The publisher for thread {@code index}, {@code 0 <= index < shape.publishers()}. */
    Publisher publisher(int index);

    /** The subscriber for thread {@code index}, {@code 0 <= index < shape.consumers()}. */
    Subscriber subscriber(int index);

    /**
     * Releases everything {@code open} made; must not hang, even if messages are still in flight. Failures
     * are rethrown unchecked (a benchmark cannot recover from them anyway).
     */
    @Override
    void close();
}
