package io.ringmq.bench.pipeline;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.ringmq.ConsumerThreading;
import io.ringmq.WaitStrategy;
import io.ringmq.bench.contenders.Shape;

/**
 * One peer in one shape for one JMH trial, shared by the trial's producer threads: starts the peer, hands each
 * producer its batches through {@link Deliveries}, and at the end checks that every message was delivered
 * exactly once before closing the peer. Each shape's benchmark class declares a subclass with its own
 * {@code @Param("peer")} list (not every peer runs every shape).
 * <p>
 * The params below only concern some peers and have one default each, so they multiply nothing unless a run
 * asks for more ({@code -p wait=YIELDING,BUSY_SPIN}).
 */
@State(Scope.Benchmark)
public abstract class PipelineTrial
{
    /** JCTools' and Agrona's consumer (and full-producer) idle strategy: yielding, busyspin or backoff. */
    @Param({"yielding"})
    public String idle;

    /** RingMQ consumers' threading: a dedicated thread each is the best choice for a few busy consumers. */
    @Param({"DEDICATED_THREAD"})
    public String threading;

    /** RingMQ's dedicated-thread wait strategy: YIELDING on 2 cores (BUSY_SPIN would starve the producer). */
    @Param({"YIELDING"})
    public String wait;

    private final Shape shape;
    private Peer peer;
    private int batch;
    private Deliveries deliveries;

    PipelineTrial(final Shape shape)
    {
        this.shape = shape;
    }

    /** @return the {@code @Param("peer")} value of the subclass. */
    abstract String peer();

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        final Peers.Entry entry = Peers.require(peer());
        final PeerSettings settings = new PeerSettings(PeerSettings.RING, idle, ConsumerThreading.valueOf(threading),
            WaitStrategy.valueOf(wait));
        start(entry, settings, entry.batch(), Deliveries.DEFAULT_TIMEOUT_NANOS);
    }

    /** Starts the peer; the tests call it with small rings, small batches and short timeouts. */
    final void start(final Peers.Entry entry, final PeerSettings settings, final int batch, final long timeoutNanos)
        throws Exception
    {
        if (!entry.runs(shape))
        {
            throw new IllegalArgumentException(entry.name() + " does not run " + shape.label());
        }
        final Tally[] tallies = Tally.forConsumers(shape.consumers());
        final Peer made = entry.factory().get();
        try
        {
            made.start(shape, tallies, settings);
        }
        catch (final Exception | Error e)
        {
            made.close();
            throw e;
        }
        peer = made;
        this.batch = batch;
        deliveries = new Deliveries(shape, tallies, timeoutNanos);
    }

    /**
     * One benchmark invocation of producer {@code producer}: a batch published, returning once the consumers
     * have been handed all of it.
     *
     * @param producer the JMH thread's index
     * @return the deliveries it made (× consumers under fanout): the {@code consumed} counter's increment
     * @throws Exception when the peer fails, or loses or duplicates messages
     */
    final long publishBatch(final int producer) throws Exception
    {
        if (producer >= shape.publishers())
        {
            throw new IllegalStateException(shape.label() + " has " + shape.publishers() + " producer(s); do not "
                + "override the benchmark's thread count (-t)");
        }
        return deliveries.publishBatch(peer, producer, batch);
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception
    {
        final Peer open = peer;
        peer = null;
        if (open == null)
        {
            return;
        }
        try
        {
            deliveries.verifyExactlyOnce();
        }
        finally
        {
            open.close();
        }
    }

    /** @return messages published this trial (once each, whatever the fanout). */
    final long published()
    {
        return deliveries.begun();
    }
}
