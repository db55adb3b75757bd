package io.ringmq.bench.harness;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import io.ringmq.bench.contenders.MessageSink;
import io.ringmq.bench.contenders.Subscriber;
import io.ringmq.bench.contenders.YieldingIdle;

/**
 * A consuming thread of a throughput group: takes up to {@link Fixture#BATCH} messages per invocation and
 * counts them; when there are none it waits once (spin, then yield) and returns, so it never blocks.
 */
@State(Scope.Thread)
public class ConsumerThread implements MessageSink
{
    private final YieldingIdle idle = new YieldingIdle();
    private Subscriber subscriber;
    /** Written per message so that reading the message cannot be optimised away. */
    private long lastSequence;

    public int consumeSome(final Fixture fixture, final Counters counters)
    {
        Subscriber subscriber = this.subscriber;
        if (subscriber == null)
        {
            subscriber = fixture.claimSubscriber();
            this.subscriber = subscriber;
        }
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
    public void onMessage(final long sequence)
    {
        lastSequence = sequence;
    }

    public long lastSequence()
    {
        return lastSequence;
    }
}
