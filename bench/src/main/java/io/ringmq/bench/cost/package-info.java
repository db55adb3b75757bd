/**
 * What a delivery costs in CPU alone, on one thread: the floor under the multi-threaded pipeline rates, for
 * RingMQ and the Disruptor in the same run ({@link io.ringmq.bench.cost.SingleThreadCost}).
 */
package io.ringmq.bench.cost;
