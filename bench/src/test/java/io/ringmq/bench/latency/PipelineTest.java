package io.ringmq.bench.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.openjdk.jmh.annotations.Param;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Publisher;

/**
 * Every {@link Pipeline} carries each published value to its sink once, in order, on its own consumer thread,
 * through a ring much smaller than the number of messages (so every pooled envelope and body is reused);
 * and close() ends that thread, so the benchmark may read the histogram afterwards.
 */
class PipelineTest
{
    /** Far more than the ring holds: every pooled envelope and body is reused many times. */
    private static final int MESSAGES = 200_000;
    private static final int CAPACITY = 1 << 10;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(20);

    static final List<String> NAMES = Pipeline.NAMES;

    /** Written by the consumer thread only; read after close(), which joined it. */
    private static final class InOrderSink implements MessageSink
    {
        volatile Thread consumer;
        long next;
        long outOfOrder;
        boolean sameThread = true;
        private volatile long seen;

        @Override
        public void onMessage(final long value)
        {
            if (consumer == null)
            {
                consumer = Thread.currentThread();
            }
            sameThread &= consumer == Thread.currentThread();
            if (value != next)
            {
                outOfOrder++;
            }
            next = value + 1;
            seen = seen + 1;
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("NAMES")
    void deliversEveryValueOnceInOrderOnItsOwnThreadAndCloseEndsIt(final String name) throws Exception
    {
        final InOrderSink sink = new InOrderSink();
        final Pipeline pipeline = Pipeline.open(name, CAPACITY, sink);
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        try
        {
            final Publisher publisher = pipeline.publisher();
            for (long value = 0; value < MESSAGES; value++)
            {
                while (!publisher.offer(value))
                {
                    assertTrue(System.nanoTime() < deadline, name + " stopped taking messages at " + value);
                    Thread.yield();
                }
            }
            while (sink.seen < MESSAGES)
            {
                assertTrue(System.nanoTime() < deadline, name + " delivered only " + sink.seen);
                Thread.yield();
            }
        }
        finally
        {
            pipeline.close();
        }

        assertEquals(MESSAGES, sink.seen, name + ": each value once");
        assertEquals(0, sink.outOfOrder, name + ": values out of order");
        assertTrue(sink.consumer != Thread.currentThread() && sink.sameThread, name + ": one consumer thread of its own");
        assertTrue(!sink.consumer.isAlive(), name + ": close() ended the consumer thread");
    }

    @Test
    void theBenchmarkRunsOnlyPipelinesThatExist() throws NoSuchFieldException
    {
        final Param param = PipelineLatency.class.getField("contender").getAnnotation(Param.class);
        final Set<String> names = new LinkedHashSet<>(List.of(param.value()));
        assertTrue(Pipeline.NAMES.containsAll(names), "unknown pipeline in " + names);
        assertTrue(names.contains(Pipeline.RINGMQ_PUSH) && names.containsAll(List.of(Pipeline.DISRUPTOR_YIELDING,
            Pipeline.DISRUPTOR_BUSY_SPIN, Pipeline.DISRUPTOR_BLOCKING)), "the target needs RingMQ and every Disruptor wait");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Pipeline.open("disruptor", CAPACITY, v -> { }));
        assertTrue(e.getMessage().contains(Pipeline.DISRUPTOR_YIELDING), e.getMessage());
    }

    @Test
    void theRecorderTimesOnlyMessagesScheduledInsideAMeasurementWindowButCountsAll()
    {
        final LatencyRecorder recorder = new LatencyRecorder(new Histogram(TimeUnit.MINUTES.toNanos(1), 3));
        final long now = System.nanoTime();
        recorder.onMessage(now);                                  // before any window: warmup
        recorder.startWindow(false, now);
        recorder.onMessage(now);                                  // a warmup iteration
        recorder.startWindow(true, now);
        recorder.onMessage(now - TimeUnit.SECONDS.toNanos(1));   // scheduled in an earlier iteration
        recorder.onMessage(now + 1);                              // this iteration's

        assertEquals(4, recorder.delivered());
        assertEquals(1, recorder.histogram().getTotalCount());
        assertTrue(recorder.histogram().getMaxValue() < TimeUnit.SECONDS.toNanos(1), "the late leftover was not recorded");
    }
}
