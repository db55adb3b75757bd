package io.ringmq.micrometer;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.Inspector;
import io.ringmq.QueueInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 queues: every one gets its meters and its series in a scrape. Prints what binding, a refresh and a
 * scrape cost, beside what reading the Inspector at every meter read would cost instead (the design this
 * binder does not use), so the choice can be re-checked on any machine. Timings are printed, not asserted.
 */
class TenThousandQueuesTest
{
    private static final int QUEUES = 10_000;
    private static final int RUNS = 3;
    private static final int SAMPLE = 1_000;

    @Test
    void tenThousandQueuesEachGetTheirMetersAndTheirSeriesInAScrape()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel();
             RingMqMetrics metrics = new RingMqMetrics(broker, Duration.ZERO))
        {
            final String[] names = new String[QUEUES];
            for (int i = 0; i < QUEUES; i++)
            {
                names[i] = String.format("q-%05d", i);
                channel.queueDeclare(names[i]);
                channel.publish("", names[i], new byte[16]);
            }
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

            long start = System.nanoTime();
            metrics.bindTo(registry);
            final long bindNanos = System.nanoTime() - start;

            final long[] refresh = new long[RUNS];
            final long[] scrape = new long[RUNS];
            String text = null;
            for (int run = 0; run < RUNS; run++)
            {
                start = System.nanoTime();
                metrics.refresh();
                refresh[run] = System.nanoTime() - start;
                start = System.nanoTime();
                text = registry.scrape();
                scrape[run] = System.nanoTime() - start;
            }

            // The alternative: meters that ask the Inspector for their queue at every read. Timed on a sample of
            // the queues (a slow Inspector must not make this test slow) and scaled to all of them.
            final Inspector inspector = broker.inspector();
            final long[] perRead = new long[RUNS];
            double sink = 0;
            for (int run = 0; run < RUNS; run++)
            {
                start = System.nanoTime();
                for (int i = 0; i < SAMPLE; i++)
                {
                    for (final MeterDefinition<QueueInfo> definition : MeterCatalog.QUEUE)
                    {
                        sink += definition.value().applyAsDouble(inspector.queue(names[i]).orElseThrow());
                    }
                }
                perRead[run] = (System.nanoTime() - start) * (QUEUES / SAMPLE);
            }

            final long readySeries = text.lines().filter(line -> line.startsWith("rabbitmq_queue_messages_ready{")).count();
            assertEquals(QUEUES, readySeries);
            assertTrue(sink > 0, "every queue holds a message: the reads must have seen it");
            assertEquals(QUEUES * MeterCatalog.QUEUE.size(),
                registry.getMeters().stream().filter(m -> m.getId().getTag("queue") != null).count());
            System.out.printf("%d queues, %d meters each: bindTo %.0f ms; refresh median %.1f ms; scrape median %.1f ms" +
                    " (%d kB); Inspector.queue(name) per meter read instead: %.1f ms more per scrape (scaled from %d queues)%n",
                QUEUES, MeterCatalog.QUEUE.size(), bindNanos / 1e6, median(refresh) / 1e6, median(scrape) / 1e6,
                text.length() / 1024, median(perRead) / 1e6, SAMPLE);
        }
    }

    private static long median(final long[] values)
    {
        final long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
