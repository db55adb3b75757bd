package io.ringmq.bench.pipeline;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the four shape benchmarks of this package share: JMH settings (three forks, so the report has a spread
 * over forks), and the rule that the score to read is the {@code consumed} counter, messages delivered per
 * second; the primary score counts batches.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 3, jvmArgs = {"-Xms1g", "-Xmx1g"})
public abstract class PipelineBenchmark
{
}
