package io.ringmq.bench.latency;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.contenders.YieldingIdle;
import io.ringmq.bench.harness.Counters;
import io.ringmq.bench.harness.Fixture;

/**
 * The publisher of the latency group: sends one message per invocation at its intended time, and sends the
 * intended time itself as the message's sequence.
 */
@State(Scope.Thread)
public class PacedProducer
{
    private final YieldingIdle idle = new YieldingIdle();
    private Publisher publisher;
    private long nextIntendedNanos;
    private boolean anchored;

    /** Each iteration restarts the schedule at its first invocation. */
    @Setup(Level.Iteration)
    public void restartSchedule()
    {
        anchored = false;
    }

    /** One message of the schedule, through the fixture's publisher (claimed on first use). */
    public void publishOne(final Fixture fixture, final long intervalNanos, final Control control,
                           final Counters counters)
    {
        Publisher publisher = this.publisher;
        if (publisher == null)
        {
            publisher = fixture.claimPublisher();
            this.publisher = publisher;
        }
        publishOne(publisher, intervalNanos, control, counters);
    }

    /** One message of the schedule, through the given publisher (always the same one within a trial). */
    public void publishOne(final Publisher publisher, final long intervalNanos, final Control control,
                           final Counters counters)
    {
        if (!anchored)
        {
            nextIntendedNanos = System.nanoTime();
            anchored = true;
        }
        final long intended = nextIntendedNanos;
        // Spin, not park: parking cannot wake within the 1-10 us between messages.
        while (System.nanoTime() < intended)
        {
            if (control.stopMeasurement)
            {
                return;
            }
            Thread.onSpinWait();
        }
        while (!publisher.offer(intended))
        {
            counters.publishRefused++;
            if (control.stopMeasurement)
            {
                return;
            }
            idle.idle();
        }
        idle.reset();
        // Late or not, the next message keeps its place in the schedule: no catch-up skipping.
        nextIntendedNanos = intended + intervalNanos;
        counters.published++;
    }
}
