/**
 * Throughput, one class per {@link io.ringmq.bench.contenders.Shape}, every contender a
 * {@code @Param("contender")} value. Each is a JCTools-style {@code @Group}: the group's threads are the
 * shape's publishers and consumers, and the score to read is the {@code consumed} counter (messages
 * delivered per second; under fanout, deliveries, i.e. 4 per message). The generated primary score adds
 * up both sides' invocations and is not a message rate.
 *
 * <p>To add a contender to every shape, register it in {@link io.ringmq.bench.contenders.Contenders} and
 * add its name to the {@code @Param} list in {@link io.ringmq.bench.throughput.ShapeThroughput} ({@code BenchmarkParamsTest} fails until you do).
 */
package io.ringmq.bench.throughput;
