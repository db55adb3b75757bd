/**
 * Every peer at its best, as its users run it: the pipeline benchmarks.
 * <p>
 * A JMH thread (two for 2P1C) publishes a batch of messages per invocation; the consumers run on threads of
 * their own, the peer's own machinery wherever it has one (the Disruptor's {@code BatchEventProcessor}s,
 * RingMQ's push consumer threads, Artemis' delivery executor) and loops of ours around the bare queues
 * (JCTools' {@code drain}, Agrona's {@code read}, {@code ArrayBlockingQueue.take}); the invocation ends when
 * the consumers have been handed every message of the batch. The score, the {@code consumed} counter, is
 * messages delivered per second (under fanout, per consumer). Every trial checks exactly-once delivery
 * ({@link io.ringmq.bench.pipeline.Deliveries}).
 * <p>
 * Registry: {@link io.ringmq.bench.pipeline.Peers}. The {@code @Group} harness of
 * {@code io.ringmq.bench.throughput}, where every contender is driven from JMH threads with one shared back-off,
 * stays as a second view: it compares the hand-offs, this package compares the peers.
 */
package io.ringmq.bench.pipeline;
