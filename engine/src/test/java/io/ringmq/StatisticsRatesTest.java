package io.ringmq;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rates are sampled on the housekeeping thread every statistics interval: positive while messages flow,
 * back to 0 when idle. Only that a rate appears and goes back is asserted, never its size or timing.
 */
class StatisticsRatesTest
{
    @Test
    void ratesAppearWhileMessagesFlowAndFallToZeroWhenIdle()
    {
        try (Broker broker = Broker.builder().statisticsInterval(Duration.ofMillis(20)).build();
             Channel channel = broker.openChannel())
        {
            channel.queueDeclare("q");
            assertEquals(0, broker.inspector().queue("q").orElseThrow().publishRate(), "no rate before two samples");
            channel.consume("q", ConsumeOptions.manualAck(100), d -> d.ack());
            final Inspector inspector = broker.inspector();
            Await.until("positive rates of the queue and the broker", () ->
            {
                channel.publish("", "q", new byte[1]);
                final QueueInfo queue = inspector.queue("q").orElseThrow();
                final BrokerOverview overview = inspector.overview();
                return queue.publishRate() > 0 && queue.deliverRate() > 0 && queue.ackRate() > 0 &&
                    overview.publishRate() > 0 && overview.deliverRate() > 0 && overview.ackRate() > 0;
            });
            final long published = inspector.queue("q").orElseThrow().publishedCount();
            Await.until("all acknowledged", () -> inspector.queue("q").orElseThrow().acknowledgedCount() == published);
            Await.until("idle: rates back to 0", () ->
            {
                final QueueInfo queue = inspector.queue("q").orElseThrow();
                final BrokerOverview overview = inspector.overview();
                return queue.publishRate() == 0 && queue.deliverRate() == 0 && queue.ackRate() == 0 &&
                    overview.publishRate() == 0 && overview.deliverRate() == 0 && overview.ackRate() == 0;
            });
        }
    }

    @Test
    void redeliveriesHaveARateToo()
    {
        try (Broker broker = Broker.builder().statisticsInterval(Duration.ofMillis(20)).build();
             Channel channel = broker.openChannel())
        {
            channel.queueDeclare("q");
            final Inspector inspector = broker.inspector();
            channel.publish("", "q", new byte[1]);
            Await.until("a positive redelivery rate", () ->
            {
                final Delivery delivery = channel.get("q", false);
                channel.nack(delivery.deliveryTag(), false, true); // back, to be redelivered by the next get
                return inspector.queue("q").orElseThrow().redeliverRate() > 0 && inspector.overview().redeliverRate() > 0;
            });
        }
    }

    @Test
    void aBrokerNobodyInspectsSamplesNothing()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("plain");
            assertFalse(broker.housekeeper().isStarted(), "no sampling thread without an inspector");
            broker.inspector();
            assertTrue(broker.housekeeper().isStarted(), "the first inspector() starts the sampler");
        }
    }
}
