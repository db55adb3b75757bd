package io.ringmq.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The benchmark measures what it says only if every round delivers each message to every consumer it is
 * owed, and keeps doing so once the rings have wrapped: a round that loses one throws, and so fails here.
 */
class SingleThreadCostTest
{
    /** Enough rounds to wrap each ring of {@link SingleThreadCost#CAPACITY} slots twice. */
    private static final int ROUNDS = 2 * SingleThreadCost.CAPACITY / SingleThreadCost.BATCH + 8;

    static Stream<Arguments> everyPeerInEveryShape()
    {
        return Stream.of("one-to-one", "fanout-one-to-four", "one-to-two-competing")
            .flatMap(shape -> Stream.of("disruptor", "ringmq-auto", "ringmq-manual").map(peer -> Arguments.of(peer, shape)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyPeerInEveryShape")
    void everyRoundDeliversEachMessageToEveryConsumerItIsOwedAfterTheRingsWrap(final String peer, final String shape)
    {
        final SingleThreadCost benchmark = new SingleThreadCost();
        benchmark.peer = peer;
        benchmark.shape = shape;
        benchmark.start();
        try
        {
            long delivered = 0;
            for (int round = 0; round < ROUNDS; round++)
            {
                delivered += benchmark.deliveries();
            }
            assertEquals((long)ROUNDS * SingleThreadCost.BATCH, delivered);
        }
        finally
        {
            benchmark.stop();
        }
    }
}
