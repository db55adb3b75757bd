package io.ringmq.bench.report;

import io.ringmq.bench.PriorityQueueBenchmark;
import io.ringmq.bench.RoutingBenchmark;
import io.ringmq.bench.cost.SingleThreadCost;
import io.ringmq.bench.engine.RingMqPushThroughput;

/**
 * The RingMQ-only benchmark classes the report gives a table each: no contenders, one benchmark per row,
 * its primary score as JMH reports it. The side-by-side classes (throughput, latency) have their own rows.
 */
enum Suite
{
    ENGINE_PUSH(RingMqPushThroughput.class, "RingMQ push consumers, end to end",
        "RingMQ as an application uses it: JMH threads publish, each on its own channel, through a direct "
            + "exchange (fanout for `FanoutToFour`) into queues of 16 Ki with `x-overflow = block`; RingMQ's own "
            + "consumer threads (`YIELDING` wait strategy) run the handler, which with `ack=manual` acks every "
            + "delivery (prefetch 256). Because a full queue blocks the publisher, the score, publishes per "
            + "second, is also the delivery rate (under fanout, each publish is delivered 4 times). B/op counts "
            + "every thread of the JVM, consumer threads included, per publish: the zero-allocation claim for "
            + "publish → deliver → ack."),
    CPU_COST(SingleThreadCost.class, "CPU per delivery, one thread",
        "The pipeline shapes run on one thread, with nothing crossing a core and nothing waiting: the thread "
            + "publishes 256 deliveries' worth (64 messages under fanout, each delivered 4 times), then drives "
            + "every consumer until each has had its share; ns per delivery. The Disruptor: a single-producer "
            + "ring and one `EventPoller` per handler (striped handlers for competing consumers); RingMQ: "
            + "`publishBatch` and caller-driven consumers (`ack=manual`: an ack per delivery, prefetch 256). "
            + "On two cores a path of t ns per delivery cannot exceed 2/t deliveries per ns, however its threads "
            + "overlap: the floor under the pipeline rates."),
    ROUTING(RoutingBenchmark.class, "Routing",
        "One `RoutingTable.route` per operation (no queues, no messages), per exchange type, with 10 to "
            + "100,000 bindings, against naive baselines measured in the same run: a `HashMap<String, List>` "
            + "for direct and a scan of precompiled `java.util.regex` patterns for topic. `declareBindings` "
            + "declares 100,000 direct bindings one by one into a fresh table (single shot, ms). Fanout, "
            + "headers and the exchange chain have fixed sizes (16 bindings; 3 exchanges)."),
    PRIORITY(PriorityQueueBenchmark.class, "Priority queues",
        "Plain queue (`maxPriority=0`) against priority queues (`x-max-priority` 10 and 255) through the "
            + "public API: `publishThenGet` and `backlog` (64 published then 64 taken, per message) on one "
            + "thread, ns per message; `pubGet`, one publisher and one `basic.get` thread on one queue, "
            + "operations per microsecond, where `got` is the delivered rate to compare (a full queue "
            + "refuses: `refused`; an empty get: `empty`).");

    private final Class<?> benchmarkClass;
    private final String title;
    private final String description;

    Suite(final Class<?> benchmarkClass, final String title, final String description)
    {
        this.benchmarkClass = benchmarkClass;
        this.title = title;
        this.description = description;
    }

    String title()
    {
        return title;
    }

    String description()
    {
        return description;
    }

    String className()
    {
        return benchmarkClass.getName();
    }

    String simpleName()
    {
        return benchmarkClass.getSimpleName();
    }

    /** True for a result of this class's benchmarks, including those declared in its nested classes. */
    boolean owns(final JmhResult result)
    {
        return result.benchmark().startsWith(className() + ".");
    }

    /** The benchmark name after the class: {@code direct}, or {@code OneToOne.oneToOne} for a nested class. */
    String method(final JmhResult result)
    {
        return result.benchmark().substring(className().length() + 1);
    }
}
