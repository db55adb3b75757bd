package io.ringmq;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead-letter exchanges: what is dead-lettered, the x-death history RabbitMQ records, cycles, and never blocking. */
class DeadLetterTest extends BrokerTestBase
{
    @BeforeEach
    void declareFixture()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> deaths(final Delivery delivery)
    {
        return (List<Map<String, Object>>)delivery.properties().headers().get("x-death");
    }

    private Delivery awaitGet(final String queue)
    {
        final Delivery[] got = new Delivery[1];
        Await.until("a message in " + queue, () -> (got[0] = channel.get(queue, false)) != null);
        return got[0];
    }

    @Test
    void aRejectedMessageIsRepublishedToTheDeadLetterExchangeWithItsHistory()
    {
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        final byte[] body = seq(7);
        channel.publish("", "work", MessageProperties.builder().messageId("m-7").header("app", "a").build(), body);
        channel.reject(channel.get("work", false).deliveryTag(), false);

        final Delivery dead = channel.get("dead", false);
        assertNotNull(dead);
        assertSame(body, dead.body(), "the body travels by reference, not copied");
        assertEquals("dlx", dead.exchange());
        assertEquals("work", dead.routingKey(), "no x-dead-letter-routing-key: its own key");
        assertEquals("m-7", dead.properties().messageId());
        assertEquals("a", dead.properties().headers().get("app"));
        final List<Map<String, Object>> deaths = deaths(dead);
        assertEquals(1, deaths.size());
        final Map<String, Object> death = deaths.get(0);
        assertEquals("work", death.get("queue"));
        assertEquals("rejected", death.get("reason"));
        assertEquals(1L, death.get("count"));
        assertEquals("", death.get("exchange"), "published to the default exchange");
        assertEquals(List.of("work"), death.get("routing-keys"));
        assertInstanceOf(Date.class, death.get("time"));
        assertEquals("work", dead.properties().headers().get("x-first-death-queue"));
        assertEquals("rejected", dead.properties().headers().get("x-first-death-reason"));
        assertEquals("", dead.properties().headers().get("x-first-death-exchange"));
        assertEquals(1, channel.queueDeclarePassive("work").rejectedCount());
        assertEquals(1, channel.queueDeclarePassive("work").deadLetteredCount());
    }

    @Test
    void nackWithoutRequeueAndAHandlerErrorWithoutRequeueDeadLetterToo()
    {
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        channel.publish("", "work", seq(1));
        channel.publish("", "work", seq(2));
        channel.get("work", false);
        channel.nack(channel.get("work", false).deliveryTag(), true, false);
        channel.publish("", "work", seq(3));
        channel.consume("work", ConsumeOptions.builder().autoAck(true).onHandlerError(false)
            .handlerErrorListener((tag, message, error) -> { }).build(), d ->
        {
            throw new IllegalStateException("poison");
        });
        final List<Integer> dead = new ArrayList<>();
        while (dead.size() < 3)
        {
            dead.add(seqOf(awaitGet("dead").body()));
        }
        assertEquals(Set.of(1, 2, 3), Set.copyOf(dead));
    }

    @Test
    void theDeadLetterRoutingKeyReplacesTheMessagesOwnAndTheDefaultExchangeWorks()
    {
        channel.queueDeclare("parking");
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("").deadLetterRoutingKey("parking").build());
        channel.publish("", "work", seq(1));
        channel.reject(channel.get("work", false).deliveryTag(), false);
        final Delivery parked = channel.get("parking", true);
        assertEquals("", parked.exchange());
        assertEquals("parking", parked.routingKey());
        assertEquals(List.of("work"), deaths(parked).get(0).get("routing-keys"), "the history keeps the original key");
    }

    @Test
    void dyingAgainInTheSameQueueForTheSameReasonIncrementsItsCountAndMovesItFirst()
    {
        // The retry pattern: work rejects to retry; retry's TTL dead-letters back to work. A rejection in the
        // cycle makes it deliberate, so RabbitMQ (and RingMQ) lets it go round.
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("").deadLetterRoutingKey("retry").build());
        channel.queueDeclare(QueueSpec.builder("retry").messageTtl(Duration.ofMillis(1))
            .deadLetterExchange("").deadLetterRoutingKey("work").build());
        channel.publish("", "work", seq(1));
        channel.reject(channel.get("work", false).deliveryTag(), false);
        channel.reject(awaitGet("work").deliveryTag(), false); // back from retry once
        final Delivery twice = awaitGet("work");
        final List<Map<String, Object>> deaths = deaths(twice);
        assertEquals(2, deaths.size());
        assertEquals("retry", deaths.get(0).get("queue"));
        assertEquals("expired", deaths.get(0).get("reason"));
        assertEquals(2L, deaths.get(0).get("count"));
        assertEquals("work", deaths.get(1).get("queue"));
        assertEquals("rejected", deaths.get(1).get("reason"));
        assertEquals(2L, deaths.get(1).get("count"));
        assertEquals("rejected", twice.properties().headers().get("x-first-death-reason"), "never changed");
        assertEquals("expired", twice.properties().headers().get("x-last-death-reason"));
        assertEquals("retry", twice.properties().headers().get("x-last-death-queue"));
    }

    @Test
    void aFullyAutomaticCycleIsDroppedAsRabbitMqDropsIt()
    {
        // a expires into b, b expires back into a: no rejection anywhere, so the second death would loop forever.
        channel.queueDeclare(QueueSpec.builder("a").messageTtl(Duration.ofMillis(1))
            .deadLetterExchange("").deadLetterRoutingKey("b").build());
        channel.queueDeclare(QueueSpec.builder("b").messageTtl(Duration.ofMillis(1))
            .deadLetterExchange("").deadLetterRoutingKey("a").build());
        final MessageQueue a = broker.queue("a", channel);
        final MessageQueue b = broker.queue("b", channel);
        channel.publish("", "a", seq(1));
        Await.until("b's dead letter found no target", () -> b.deadLetterUnroutableCount() == 1);
        assertEquals(1, a.removedCount(DeathReason.EXPIRED));
        assertEquals(1, a.deadLetteredCount(), "a -> b was fine");
        assertEquals(1, b.removedCount(DeathReason.EXPIRED));
        assertEquals(0, b.deadLetteredCount(), "b -> a closed the cycle: dropped");
        assertEquals(0, a.messageCount() + b.messageCount());
    }

    @Test
    void aQueueDeadLetteringIntoItselfByExpiryIsACycle()
    {
        channel.queueDeclare(QueueSpec.builder("self").messageTtl(Duration.ofMillis(1))
            .deadLetterExchange("").deadLetterRoutingKey("self").build());
        channel.publish("", "self", seq(1));
        final MessageQueue self = broker.queue("self", channel);
        Await.until("dropped as a cycle", () -> self.deadLetterUnroutableCount() == 1);
        assertEquals(0, self.messageCount());
    }

    @Test
    void rejectingIntoItselfIsNotACycle()
    {
        channel.queueDeclare(QueueSpec.builder("self").deadLetterExchange("").build()); // its own name is the key
        channel.publish("", "self", seq(1));
        channel.reject(channel.get("self", false).deliveryTag(), false);
        final Delivery again = channel.get("self", false);
        assertNotNull(again, "a consumer's rejection makes every lap deliberate");
        assertEquals(1L, deaths(again).get(0).get("count"));
    }

    @Test
    void theExpirationPropertyMovesIntoTheHistorySoTheDeadLetterDoesNotExpireAgain()
    {
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        channel.publish("", "work", MessageProperties.builder().expiration("60000").build(), seq(1));
        channel.reject(channel.get("work", false).deliveryTag(), false);
        final Delivery dead = channel.get("dead", true);
        assertNull(dead.properties().expiration());
        assertEquals("60000", deaths(dead).get(0).get("original-expiration"));
    }

    @Test
    void aFullTargetRefusesTheDeadLetterInsteadOfBlockingTheThreadThatDeadLetters()
    {
        channel.queueDeclare(QueueSpec.builder("full").capacity(2).overflow(OverflowPolicy.BLOCK).build());
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("").deadLetterRoutingKey("full").build());
        channel.publish("", "full", seq(0));
        channel.publish("", "full", seq(0));
        channel.publish("", "work", seq(1));
        channel.reject(channel.get("work", false).deliveryTag(), false); // returns: refused, not blocked
        final MessageQueue work = broker.queue("work", channel);
        assertEquals(1, work.deadLetterRefusedCopies());
        assertEquals(1, work.deadLetterUnroutableCount());
        assertEquals(0, work.deadLetteredCount());
        assertEquals(2, channel.queueDeclarePassive("full").messageCount());
    }

    @Test
    void aMissingDeadLetterExchangeDropsTheMessageAndCountsIt()
    {
        channel.queueDeclare(QueueSpec.builder("missing").deadLetterExchange("nowhere").build());
        channel.publish("", "missing", seq(1));
        channel.reject(channel.get("missing", false).deliveryTag(), false);
        final MessageQueue queue = broker.queue("missing", channel);
        assertEquals(1, queue.removedCount(DeathReason.REJECTED));
        assertEquals(1, queue.deadLetterUnroutableCount());
    }

    @Test
    void anInternalDeadLetterExchangeReceivesDeadLettersAsInRabbitMq()
    {
        channel.exchangeDeclare(ExchangeSpec.builder("inner", ExchangeType.FANOUT).internal(true).build());
        channel.queueDeclare("graveyard");
        channel.queueBind("graveyard", "inner", "");
        channel.queueDeclare(QueueSpec.builder("internal").deadLetterExchange("inner").build());
        channel.publish("", "internal", seq(1));
        channel.reject(channel.get("internal", false).deliveryTag(), false);
        final MessageQueue queue = broker.queue("internal", channel);
        assertEquals(1, queue.deadLetteredCount());
        assertEquals(0, queue.deadLetterUnroutableCount());
        assertNotNull(channel.get("graveyard", true));
    }

    @Test
    void aFanoutDeadLetterExchangeCountsEveryCopy()
    {
        channel.queueDeclare("audit");
        channel.queueBind("audit", "dlx", "");
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        channel.publish("", "work", seq(1));
        channel.reject(channel.get("work", false).deliveryTag(), false);
        final MessageQueue work = broker.queue("work", channel);
        assertEquals(2, work.deadLetterAcceptedCopies());
        assertEquals(1, work.deadLetteredCount());
        assertNotNull(channel.get("audit", true));
        assertNotNull(channel.get("dead", true));
    }

    @Test
    void consumersRejectingConcurrentlyDeadLetterEveryMessageExactlyOnce()
    {
        // Each consumer thread dead-letters with its own routing scratch: none is lost or doubled. (The dead
        // queue is large enough never to refuse: a full target would refuse copies, by design.)
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("big").build());
        channel.exchangeDeclare("big", ExchangeType.FANOUT);
        channel.queueDeclare(QueueSpec.builder("graveyard").capacity(1 << 15).build());
        channel.queueBind("graveyard", "big", "");
        final Set<Integer> seen = ConcurrentHashMap.newKeySet();
        final int[] duplicates = new int[1];
        channel.consume("graveyard", true, d ->
        {
            if (!seen.add(seqOf(d.body())))
            {
                duplicates[0]++;
            }
        });
        for (int c = 0; c < 4; c++)
        {
            channel.consume("work", ConsumeOptions.manualAck(8), d -> d.reject(false));
        }
        final int total = 20_000;
        for (int i = 0; i < total; i++)
        {
            channel.publish("", "work", seq(i));
        }
        Await.until("every message dead-lettered", () -> seen.size() == total);
        assertEquals(0, duplicates[0]);
        final MessageQueue work = broker.queue("work", channel);
        assertEquals(total, work.deadLetteredCount());
        assertEquals(0, work.deadLetterRefusedCopies());
    }

    @Test
    void deletingOrPurgingAQueueDoesNotDeadLetterItsMessages()
    {
        channel.queueDeclare(QueueSpec.builder("work").deadLetterExchange("dlx").build());
        channel.publish("", "work", seq(1));
        channel.publish("", "work", seq(2));
        assertEquals(2, channel.queuePurge("work"));
        channel.publish("", "work", seq(3));
        final MessageQueue work = broker.queue("work", channel);
        assertEquals(1, channel.queueDelete("work"));
        assertEquals(0, channel.queueDeclarePassive("dead").messageCount());
        assertEquals(1, work.discardedCount());
    }
}
