package io.ringmq.bench.contenders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;

import io.ringmq.bench.latency.PublishToDeliveryLatency;
import io.ringmq.bench.throughput.FanoutOneToFourThroughput;
import io.ringmq.bench.throughput.OneToOneThroughput;
import io.ringmq.bench.throughput.OneToTwoCompetingThroughput;
import io.ringmq.bench.throughput.TwoToOneThroughput;

/**
 * The {@code @Param("contender")} lists and the registry must agree, or a registered contender silently
 * never runs (or JMH fails a whole trial on an unknown name).
 */
class BenchmarkParamsTest
{
    private static final List<Class<?>> THROUGHPUT = List.of(OneToOneThroughput.class, TwoToOneThroughput.class,
        OneToTwoCompetingThroughput.class, FanoutOneToFourThroughput.class);

    @Test
    void everyThroughputShapeRunsEveryRegisteredContender() throws Exception
    {
        for (final Class<?> benchmark : THROUGHPUT)
        {
            assertEquals(Contenders.names(), contenderParam(benchmark),
                benchmark.getSimpleName() + " @Param(\"contender\") must list exactly the registered contenders");
        }
    }

    @Test
    void latencyRunsOnlyRegisteredContenders() throws Exception
    {
        final Set<String> names = contenderParam(PublishToDeliveryLatency.class);
        assertTrue(Contenders.names().containsAll(names), "unregistered contender in " + names);
    }

    @Test
    void unknownContenderIsRefusedWithTheRegisteredNames()
    {
        final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Contenders.create("no-such-broker"));
        assertTrue(e.getMessage().contains("disruptor"), e.getMessage());
    }

    private static Set<String> contenderParam(final Class<?> benchmark) throws NoSuchFieldException
    {
        final Param param = benchmark.getField("contender").getAnnotation(Param.class);
        return new LinkedHashSet<>(List.of(param.value()));
    }
}
