package io.ringmq;

import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code x-delivery-limit}: a message returned more often than the limit is dead-lettered with reason delivery_limit. */
class DeliveryLimitTest extends BrokerTestBase
{
    @BeforeEach
    void declareFixture()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aMessageIsDeliveredAtMostLimitPlusOneTimesThenDeadLettered()
    {
        channel.queueDeclare(QueueSpec.builder("q").deliveryLimit(2).deadLetterExchange("dlx").build());
        channel.publish("", "q", seq(1));
        int deliveries = 0;
        Delivery d;
        while ((d = channel.get("q", false)) != null)
        {
            deliveries++;
            assertEquals(deliveries > 1, d.redelivered());
            channel.nack(d.deliveryTag(), false, true);
        }
        assertEquals(3, deliveries);
        final Delivery dead = channel.get("dead", true);
        assertNotNull(dead);
        final Map<String, Object> death = ((List<Map<String, Object>>)dead.properties().headers().get("x-death")).get(0);
        assertEquals("delivery_limit", death.get("reason"));
        assertEquals(1, channel.queueDeclarePassive("q").deliveryLimitCount());
    }

    @Test
    void limitZeroMeansNeverRedeliveredAndWithoutADeadLetterExchangeTheMessageIsDropped()
    {
        channel.queueDeclare(QueueSpec.builder("q").deliveryLimit(0).build());
        channel.publish("", "q", seq(1));
        channel.reject(channel.get("q", false).deliveryTag(), true);
        assertNull(channel.get("q", false));
        assertEquals(1, broker.queue("q", channel).removedCount(DeathReason.DELIVERY_LIMIT));
    }

    @Test
    void aClosedChannelsUnackedMessagesCountAsReturned()
    {
        channel.queueDeclare(QueueSpec.builder("q").deliveryLimit(0).deadLetterExchange("dlx").build());
        final Channel consuming = broker.openChannel();
        final Consumer consumer = consuming.consume("q", ConsumeOptions.manualAck(1), d -> { });
        channel.publish("", "q", seq(1));
        Await.until("delivered", () -> consumer.unackedCount() == 1);
        consuming.close();
        assertNotNull(channel.get("dead", true), "returned once, past a limit of 0");
    }

    @Test
    void aHandlerThatAlwaysFailsStopsGettingThePoisonMessage()
    {
        channel.queueDeclare(QueueSpec.builder("q").deliveryLimit(3).deadLetterExchange("dlx").build());
        final AtomicInteger attempts = new AtomicInteger();
        channel.consume("q", ConsumeOptions.builder().prefetch(1).handlerErrorListener((tag, m, e) -> { }).build(), d ->
        {
            attempts.incrementAndGet();
            throw new IllegalStateException("poison");
        });
        channel.publish("", "q", seq(1));
        final Delivery[] dead = new Delivery[1];
        Await.until("dead-lettered", () -> (dead[0] = channel.get("dead", true)) != null);
        assertEquals(4, attempts.get());
    }

    @Test
    void theCountIsKeptPerQueueForAMessageRoutedToSeveral()
    {
        channel.exchangeDeclare("fan", ExchangeType.FANOUT);
        channel.queueDeclare(QueueSpec.builder("a").deliveryLimit(1).build());
        channel.queueDeclare(QueueSpec.builder("b").deliveryLimit(1).build());
        channel.queueBind("a", "fan", "");
        channel.queueBind("b", "fan", "");
        channel.publish("fan", "", seq(1));
        channel.nack(channel.get("a", false).deliveryTag(), false, true);
        channel.nack(channel.get("a", false).deliveryTag(), false, true); // second return: past a's limit
        assertNull(channel.get("a", false));
        final Delivery inB = channel.get("b", false);
        assertNotNull(inB, "b's copy has its own count");
        channel.nack(inB.deliveryTag(), false, true);
        assertTrue(channel.get("b", false).redelivered(), "one return in b: within its limit");
    }
}
