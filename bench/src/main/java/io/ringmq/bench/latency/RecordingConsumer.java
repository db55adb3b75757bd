package io.ringmq.bench.latency;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Subscriber;
import io.ringmq.bench.contenders.YieldingIdle;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.Fixture;

/**
 * The consumer of the latency group: records, per message, now minus the message's intended send time.
 * The only writer of the trial's histogram (HdrHistogram's {@code Histogram} is single-writer).
 */
@State(Scope.Thread)
public class RecordingConsumer implements MessageSink
{
    private final YieldingIdle idle = new YieldingIdle();
    private Subscriber subscriber;
    private Histogram histogram;
    private boolean recording;
    private long recordFromNanos;

    public int consumeSome(final PublishToDeliveryLatency bench, final Counters counters)
    {
        Subscriber subscriber = this.subscriber;
        if (subscriber == null)
        {
            subscriber = bench.fixture().claimSubscriber();
            this.subscriber = subscriber;
        }
        histogram = bench.histogram();
        recording = bench.recording();
        recordFromNanos = bench.recordFromNanos();
        final int n = subscriber.poll(this, Fixture.BATCH);
        if (n == 0)
        {
            counters.pollEmpty++;
            idle.idle();
        }
        else
        {
            idle.reset();
            counters.consumed += n;
        }
        return n;
    }

    @Override
    public void onMessage(final long intendedNanos)
    {
        final long now = System.nanoTime();
        if (recording && intendedNanos >= recordFromNanos)
        {
            final Histogram histogram = this.histogram;
            histogram.recordValue(Math.min(now - intendedNanos, histogram.getHighestTrackableValue()));
        }
    }
}
