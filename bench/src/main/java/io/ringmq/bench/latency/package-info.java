/**
 * Publish-to-delivery latency at fixed offered rates, corrected for coordinated omission.
 *
 * <p>The publisher follows a schedule: message {@code i} is <em>intended</em> to be sent at
 * {@code t0 + i / rate}. It waits for that instant, sends, and when it falls behind (a full contender, a
 * slow send) it sends the late messages at once, without skipping any. The message carries its intended
 * send time (as its sequence, in {@code System.nanoTime()} units, same JVM), and the consumer records
 * {@code nanoTime() - intended} into an HdrHistogram. A stall therefore counts against every message that
 * should have been sent during it, not just the one that was stuck: that is the correction. Measuring from
 * the actual send time instead would hide exactly the stalls this benchmark exists to show.
 *
 * <p>Only measurement iterations are recorded, and only messages scheduled in the current iteration (the
 * schedule restarts at each iteration, so JMH's pause between iterations is not charged to anybody).
 * At trial end the histogram of all measurement iterations is appended, as one JSON line with the
 * percentiles and the compressed histogram, to the file named by {@code -Dringmq.bench.latency.out} or
 * {@code RINGMQ_BENCH_LATENCY_OUT} (default {@code latency-histograms.jsonl}); the report merges the lines
 * of all forks. The JMH score to read alongside is {@code consumed}: if it is below the offered rate, the
 * contender did not keep up and its latencies grow with the run's length.
 *
 * <p>Two views use this method. {@link io.ringmq.bench.latency.PublishToDeliveryLatency} is a JMH
 * {@code @Group}: a JMH thread consumes, polling each contender with the same yielding back-off.
 * {@link io.ringmq.bench.latency.PipelineLatency} has only the publishing JMH thread: each peer's consumer is
 * its own thread, run as its users run it ({@link io.ringmq.bench.latency.Pipeline}: the Disruptor's
 * {@code BatchEventProcessor} under each wait strategy, a JCTools drain loop, an {@code ArrayBlockingQueue}
 * {@code take()} loop, a RingMQ push consumer), and it writes to its own file
 * ({@code -Dringmq.bench.latency.pipeline.out}). The report's p99.9 target is read from the second view.
 */
package io.ringmq.bench.latency;
