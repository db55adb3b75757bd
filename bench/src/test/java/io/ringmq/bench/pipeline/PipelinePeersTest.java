package io.ringmq.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;

import io.ringmq.bench.contenders.Shape;

/**
 * One contract for every peer in every shape it runs, through the same {@link PipelineTrial} the benchmarks
 * use: small rings (so they wrap and fill many times), a few small batches per producer (two producer threads
 * for 2P1C), every batch complete before the next, and exactly-once delivery checked at the end. Plus the
 * harness's own promise: a peer that loses or duplicates a message fails the batch loudly.
 */
class PipelinePeersTest
{
    private static final int RING = 1024;
    private static final int BATCHES = 3;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final List<Class<?>> SHAPES = List.of(OneToOnePipeline.class, TwoToOnePipeline.class,
        OneToTwoCompetingPipeline.class, FanoutOneToFourPipeline.class);

    static Stream<Arguments> everyPeerInEveryShapeItRuns()
    {
        return Peers.names().stream().flatMap(name -> Arrays.stream(Shape.values())
            .filter(shape -> Peers.entry(name).runs(shape))
            .map(shape -> Arguments.of(name, shape)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyPeerInEveryShapeItRuns")
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void everyBatchArrivesWholeAndEveryMessageExactlyOnce(final String name, final Shape shape) throws Exception
    {
        final Peers.Entry entry = Peers.entry(name);
        final int batch = entry.family().equals("artemis") ? 1_000 : 20_000;
        final PipelineTrial trial = trial(shape, name);
        trial.start(entry, PeerSettings.defaults(RING), batch, TIMEOUT_NANOS);
        final long[] delivered = new long[shape.publishers()];
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> producers = new ArrayList<>();
        try
        {
            for (int p = 0; p < shape.publishers(); p++)
            {
                final int producer = p;
                producers.add(new Thread(() ->
                {
                    try
                    {
                        for (int b = 0; b < BATCHES; b++)
                        {
                            delivered[producer] += trial.publishBatch(producer);
                        }
                    }
                    catch (final Throwable t)
                    {
                        failure.compareAndSet(null, t);
                    }
                }, name + "-producer-" + p));
            }
            producers.forEach(Thread::start);
            for (final Thread t : producers)
            {
                t.join();
            }
            if (failure.get() != null)
            {
                throw new AssertionError(name + " " + shape.label() + " failed", failure.get());
            }
            final long published = (long) batch * BATCHES * shape.publishers();
            assertEquals(published, trial.published());
            assertEquals(published * shape.deliveriesPerMessage(), Arrays.stream(delivered).sum(),
                "the consumed counter counts one delivery per consumer under fanout");
        }
        finally
        {
            trial.stop();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPeerThatLosesAMessageFailsTheBatch() throws Exception
    {
        final PipelineTrial trial = trial(Shape.ONE_TO_ONE, "lossy");
        trial.start(fake("lossy", (tallies, count) -> tallies[0].arrived(count - 1)), PeerSettings.defaults(RING),
            100, TimeUnit.MILLISECONDS.toNanos(200));

        final Deliveries.LostMessagesException e = assertThrows(Deliveries.LostMessagesException.class,
            () -> trial.publishBatch(0));
        assertTrue(e.getMessage().contains("waited for 100") && e.getMessage().contains("[99]"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPeerThatDeliversAMessageTwiceFailsTheBatch() throws Exception
    {
        final PipelineTrial trial = trial(Shape.ONE_TO_TWO_COMPETING, "duplicating");
        trial.start(fake("duplicating", (tallies, count) ->
        {
            tallies[0].arrived(count);
            tallies[1].arrived(1);
        }), PeerSettings.defaults(RING), 100, TIMEOUT_NANOS);

        final Deliveries.DuplicateDeliveryException e = assertThrows(Deliveries.DuplicateDeliveryException.class,
            () -> trial.publishBatch(0));
        assertTrue(e.getMessage().contains("[100, 1]"), e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void fanoutWaitsForEveryConsumerNotForTheSum() throws Exception
    {
        // Consumer 3 never gets anything: the sum (300 of 400) must not pass for 100 per consumer.
        final PipelineTrial trial = trial(Shape.FANOUT_ONE_TO_FOUR, "starving");
        trial.start(fake("starving", (tallies, count) ->
        {
            tallies[0].arrived(count);
            tallies[1].arrived(count);
            tallies[2].arrived(count);
        }), PeerSettings.defaults(RING), 100, TimeUnit.MILLISECONDS.toNanos(200));

        final Deliveries.LostMessagesException e = assertThrows(Deliveries.LostMessagesException.class,
            () -> trial.publishBatch(0));
        assertTrue(e.getMessage().contains("per consumer") && e.getMessage().contains("[100, 100, 100, 0]"),
            e.getMessage());
    }

    @Test
    void everyShapeRunsEveryRegisteredPeerThatCanRunIt() throws Exception
    {
        for (final Class<?> benchmark : SHAPES)
        {
            final Shape shape = (Shape) benchmark.getField("SHAPE").get(null);
            final Class<?> trial = Class.forName(benchmark.getName() + "$Trial");
            final List<String> listed = List.of(trial.getField("peer").getAnnotation(Param.class).value());
            assertEquals(Peers.names().stream().filter(n -> Peers.entry(n).runs(shape)).toList(), listed,
                benchmark.getSimpleName() + " @Param(\"peer\") must list exactly the registered peers that run "
                    + shape.label());
        }
    }

    @Test
    void aPeerIsNotStartedInAShapeItCannotRun()
    {
        final PipelineTrial trial = trial(Shape.ONE_TO_TWO_COMPETING, "agrona");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
            trial.start(Peers.entry("agrona"), PeerSettings.defaults(RING), 100, TIMEOUT_NANOS));
        assertTrue(e.getMessage().contains("does not run 1P2C"), e.getMessage());
    }

    private static PipelineTrial trial(final Shape shape, final String name)
    {
        return new PipelineTrial(shape)
        {
            @Override
            String peer()
            {
                return name;
            }
        };
    }

    /** What a fake peer does with a batch: credits the tallies directly, right or wrong. */
    @FunctionalInterface
    private interface Deliver
    {
        void deliver(Tally[] tallies, int count);
    }

    private static Peers.Entry fake(final String name, final Deliver deliver)
    {
        return new Peers.Entry(name, "fake", 100, true, () -> new Peer()
        {
            private Tally[] tallies;

            @Override
            public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings)
            {
                this.tallies = tallies;
            }

            @Override
            public void publish(final int producer, final int count)
            {
                deliver.deliver(tallies, count);
            }

            @Override
            public void close()
            {
            }
        }, "a test double");
    }
}
