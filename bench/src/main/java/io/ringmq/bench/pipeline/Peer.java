package io.ringmq.bench.pipeline;

import io.ringmq.bench.contenders.Shape;

/**
 * One peer as its users run it, for one trial: producers on the caller's threads, consumers on threads of the
 * peer's own machinery (the Disruptor's {@code BatchEventProcessor}s, RingMQ's push consumer threads,
 * Artemis' delivery executor) or, where the peer is a bare queue, on threads this class starts.
 * <p>
 * Lifecycle: {@link #start}, then any number of {@link #publish} calls (each producer index from one thread
 * at a time), then {@link #close}.
 */
public interface Peer extends AutoCloseable
{
    /**
     * Builds the topology for the shape and starts its consumers; consumer {@code i} counts what it is handed
     * into {@code tallies[i]}. Under fanout every consumer gets every message, otherwise each message goes to
     * exactly one consumer.
     *
     * @param shape    publishers, consumers, and whether each message goes to all consumers
     * @param tallies  one per consumer
     * @param settings ring capacity and the wait and threading choices
     * @throws Exception when the peer cannot be started
     */
    void start(Shape shape, Tally[] tallies, PeerSettings settings) throws Exception;

    /**
     * Publishes {@code count} messages as producer {@code producer}, waiting for room the way the peer's own
     * API waits (a claim that spins, a blocking put, a publish that blocks on a full queue). Returns when
     * they are all handed to the peer, not when they are consumed.
     *
     * @param producer the producer's index, below the shape's publisher count
     * @param count    how many messages
     * @throws Exception when the peer refuses or fails
     */
    void publish(int producer, int count) throws Exception;

    /**
     * Stops the consumers and releases everything.
     *
     * @throws Exception when shutting down fails
     */
    @Override
    void close() throws Exception;
}
