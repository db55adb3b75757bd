package io.ringmq.bench.contenders;

/**
 * The receive side of a {@link Contender}. Single thread: each instance is owned by one consuming thread.
 */
public interface Subscriber
{
    /**
     * Takes up to {@code limit} messages that are available now, hands each one's sequence to {@code sink}
     * in delivery order, and acknowledges them where the contender has acknowledgements (the ack may be
     * batched, as the contender's own client batches it).
     *
     * <p>Never blocks for long: returns 0 when nothing is available, and the caller decides how to wait.
     *
     * @return the number of messages handed to the sink
     */
    int poll(MessageSink sink, int limit);
}
