package io.ringmq.bench.harness;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Control;

import io.ringmq.bench.contenders.Publisher;
import io.ringmq.bench.contenders.YieldingIdle;

/** A publishing thread of a throughput group: one message per invocation, sequences 0, 1, 2, ... */
@State(Scope.Thread)
public class ProducerThread
{
    private final YieldingIdle idle = new YieldingIdle();
    private Publisher publisher;
    private long nextSequence;

    /**
     * Publishes the next message, waiting (spin, then yield) while the contender is full. Gives up when JMH
     * ends the measurement, so that an iteration can end even if no consumer drains any more; the same
     * sequence is then offered again by the next invocation.
     */
    public void publishOne(final Fixture fixture, final Control control, final Counters counters)
    {
        Publisher publisher = this.publisher;
        if (publisher == null)
        {
            publisher = fixture.claimPublisher();
            this.publisher = publisher;
        }
        final long sequence = nextSequence;
        while (!publisher.offer(sequence))
        {
            counters.publishRefused++;
            if (control.stopMeasurement)
            {
                return;
            }
            idle.idle();
        }
        idle.reset();
        nextSequence = sequence + 1;
        counters.published++;
    }
}
