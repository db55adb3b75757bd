package io.ringmq.bench.contenders;

/**
 * The send side of a {@link Contender}. Single thread: each instance is owned by one publishing thread.
 */
public interface Publisher
{
    /**
     * Offers the message with this sequence.
     *
     * <p>Never blocks for long (a broker client may wait for a bounded time, for example for a batch of
     * publisher confirms). Returns {@code false} when the contender is full; the caller then waits as it sees
     * fit and calls again <em>with the same sequence</em>: an implementation may keep partial progress
     * between such calls (a fanout over four queues that three have already accepted).
     *
     * @param sequence per-publisher increasing identity of the message; carried to the consumer
     * @return true once the message is accepted (for every queue under fanout)
     */
    boolean offer(long sequence);
}
