package io.ringmq;

import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Message TTL, per queue and per message: an expired message is never delivered, is dropped or
 * dead-lettered with reason expired, and queues with policies shed expired messages without consumers.
 * <p>
 * No assertion is about time: a test waits (sleeps) at least as long as a TTL before claiming that
 * it has passed, which holds however slow the machine is, and waits for the broker's sweeper with
 * liveness bounds.
 */
class MessageTtlTest extends BrokerTestBase
{
    private static final MessageProperties ONE_MILLISECOND = MessageProperties.builder().expiration("1").build();
    private static final MessageProperties ONE_HOUR = MessageProperties.builder().expiration("3600000").build();

    /** Sleeps at least {@code millis}: afterwards, a TTL of {@code millis} or less has certainly passed. */
    private static void outlive(final long millis) throws InterruptedException
    {
        Thread.sleep(millis + 2);
    }

    /** A plain queue, and one with policies (a dead-letter exchange nobody routes from). */
    private void declare(final String name, final boolean withPolicies)
    {
        channel.queueDeclare(withPolicies ? QueueSpec.builder(name).deadLetterExchange("nowhere").build() : QueueSpec.named(name));
    }

    @ParameterizedTest(name = "policies={0}")
    @ValueSource(booleans = {false, true})
    void aMessageWhosePerMessageTtlPassedIsNeverGot(final boolean withPolicies) throws Exception
    {
        declare("q", withPolicies);
        channel.publish("", "q", ONE_MILLISECOND, seq(1));
        channel.publish("", "q", ONE_HOUR, seq(2));
        outlive(1);
        assertEquals(2, seqOf(channel.get("q", true).body()), "the expired head is skipped, never delivered");
        assertNull(channel.get("q", true));
        assertEquals(1, channel.queueDeclarePassive("q").expiredCount());
    }

    @ParameterizedTest(name = "policies={0}")
    @ValueSource(booleans = {false, true})
    void aConsumerNeverReceivesAnExpiredMessage(final boolean withPolicies) throws Exception
    {
        declare("q", withPolicies);
        for (int i = 0; i < 5; i++)
        {
            channel.publish("", "q", ONE_MILLISECOND, seq(i));
        }
        channel.publish("", "q", seq(99));
        outlive(1);
        final List<Integer> received = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> received.add(seqOf(d.body())));
        Await.until("the live message", () -> received.contains(99));
        Await.until("five expired", () -> channel.queueDeclarePassive("q").expiredCount() == 5);
        assertEquals(List.of(99), received);
    }

    @Test
    void aQueueTtlExpiresEveryMessageOlderThanIt() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMillis(5)).build());
        channel.publish("", "q", seq(1));
        outlive(5);
        assertNull(channel.get("q", true));
        assertEquals(1, channel.queueDeclarePassive("q").expiredCount());
    }

    @Test
    void aQueueWithoutConsumersShedsExpiredMessagesByItself()
    {
        channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMillis(1)).build());
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("the sweeper expired all ten", () -> channel.queueDeclarePassive("q").expiredCount() == 10);
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
    }

    @Test
    void theLowerOfTheQueueAndMessageTtlApplies() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("long").messageTtl(Duration.ofHours(1)).build());
        channel.queueDeclare(QueueSpec.builder("short").messageTtl(Duration.ofMillis(1)).build());
        channel.publish("", "long", ONE_MILLISECOND, seq(1));
        channel.publish("", "long", seq(2));
        channel.publish("", "short", ONE_HOUR, seq(3));
        outlive(1);
        assertEquals(2, seqOf(channel.get("long", true).body()));
        assertNull(channel.get("short", true));
        assertEquals(1, channel.queueDeclarePassive("long").expiredCount());
        assertEquals(1, channel.queueDeclarePassive("short").expiredCount());
    }

    @Test
    void aLongTtlAtTheHeadHoldsBackExpiredMessagesUntilItGoesAsInRabbitMq() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").deadLetterExchange("nowhere").build());
        channel.publish("", "q", ONE_HOUR, seq(1));
        channel.publish("", "q", ONE_MILLISECOND, seq(2));
        outlive(1);
        broker.queue("q", channel).storage().sweepExpired(); // what the sweeper does: heads only
        assertEquals(2, channel.queueDeclarePassive("q").messageCount(), "the expired one waits behind the head");
        assertEquals(1, seqOf(channel.get("q", true).body()));
        assertNull(channel.get("q", true), "and is never delivered");
        assertEquals(1, channel.queueDeclarePassive("q").expiredCount());
    }

    @Test
    void aRequeuedMessageKeepsItsOriginalAge() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMillis(100)).build());
        channel.publish("", "q", seq(1));
        final Delivery held = channel.get("q", false); // unacknowledged messages do not expire
        assumeTrue(held != null, "this machine took more than the TTL between a publish and a get");
        outlive(100);
        channel.nack(held.deliveryTag(), false, true);
        assertNull(channel.get("q", false), "requeued already past its TTL: expired, not redelivered");
        assertEquals(1, channel.queueDeclarePassive("q").expiredCount());
    }

    @Test
    @SuppressWarnings("unchecked")
    void expiredMessagesAreDeadLetteredWithReasonExpired()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
        channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMillis(1)).deadLetterExchange("dlx").build());
        channel.publish("", "q", MessageProperties.builder().expiration("1").build(), seq(1));
        final Delivery[] dead = new Delivery[1];
        Await.until("the dead letter", () -> (dead[0] = channel.get("dead", true)) != null);
        final Map<String, Object> death = ((List<Map<String, Object>>)dead[0].properties().headers().get("x-death")).get(0);
        assertEquals("expired", death.get("reason"));
        assertEquals("q", death.get("queue"));
        assertEquals("1", death.get("original-expiration"));
        assertNull(dead[0].properties().expiration());
    }

    @Test
    void aPriorityQueueExpiresTheHeadOfEveryLevel() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").maxPriority(5).messageTtl(Duration.ofMillis(1)).build());
        channel.publish("", "q", MessageProperties.builder().priority(5).build(), seq(1));
        channel.publish("", "q", MessageProperties.builder().priority(1).build(), seq(2));
        channel.publish("", "q", seq(3));
        Await.until("all three levels swept", () -> channel.queueDeclarePassive("q").expiredCount() == 3);
        assertNull(channel.get("q", true));
    }
}
