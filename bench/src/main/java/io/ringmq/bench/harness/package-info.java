/**
 * The JMH side shared by every benchmark: a {@link io.ringmq.bench.harness.Fixture} per trial that opens one
 * contender for one shape and hands its publishers and subscribers to the group's threads, the per-thread
 * states that drive them, and the {@link io.ringmq.bench.harness.Counters} that JMH reports.
 *
 * <p>Why the threads claim their publisher or subscriber on first use rather than through a JMH state
 * dependency: the fixture lives in each benchmark class (one per shape), and JMH injects states by their
 * concrete class, so a shared thread state cannot name it.
 */
package io.ringmq.bench.harness;
