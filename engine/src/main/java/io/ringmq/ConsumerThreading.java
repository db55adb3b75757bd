package io.ringmq;

/**
 * Which thread runs a push consumer's deliveries: chosen per consumer with
 * {@link ConsumeOptions.Builder#threading}.
 */
public enum ConsumerThreading
{
    /**
     * The broker's shared pool of consumer threads (the default): any number of consumers on a few
     * threads ({@link Broker.Builder#consumerPool}). A consumer that has nothing to do costs no thread;
     * busy consumers take turns a batch at a time. A handler may block, but it then holds one pool thread:
     * for handlers that block for long, choose {@link #DEDICATED_THREAD}.
     */
    SHARED_POOL,
    /**
     * A platform thread of its own, waiting as its {@link WaitStrategy} says: the lowest latency, as in
     * earlier versions of RingMQ.
     */
    DEDICATED_THREAD,
    /**
     * No thread: the application calls {@link Consumer#deliver(int)}, which never waits, and is told by
     * its ready listener ({@link ConsumeOptions.Builder#callerDriven}) when there may be something to
     * deliver. For I/O event loops that must never park.
     */
    CALLER_DRIVEN
}
