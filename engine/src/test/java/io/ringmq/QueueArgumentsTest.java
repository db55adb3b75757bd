package io.ringmq;

import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.ReplyCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RabbitMQ queue arguments are validated at declare time with errors that name the argument, queue and value. */
class QueueArgumentsTest
{
    @Test
    void eachInvalidArgumentIsRefusedNamingTheArgumentTheQueueAndTheValue()
    {
        refused("x-message-ttl", -5, "-5");
        refused("x-message-ttl", "60000", "'60000'");
        refused("x-message-ttl", 1.5, "1.5");
        refused("x-message-ttl", 4_294_967_296L, "4294967296");
        refused("x-expires", 0, "0");
        refused("x-max-length", -1, "-1");
        refused("x-max-length-bytes", -1L, "-1");
        refused("x-max-priority", 256, "256");
        refused("x-max-priority", -1, "-1");
        refused("x-delivery-limit", -1, "-1");
        refused("x-single-active-consumer", "true", "'true'");
        refused("x-dead-letter-exchange", 42, "42");
        refused("x-dead-letter-exchange", "x".repeat(256), "255");
        refused("x-overflow", "explode", "'explode'");
        refused("x-message-ttl", null, "null");
    }

    @Test
    void aDeadLetterRoutingKeyWithoutADeadLetterExchangeIsPreconditionFailedAsInRecentRabbitMq()
    {
        final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument("x-dead-letter-routing-key", "k").build());
        assertEquals(ReplyCode.PRECONDITION_FAILED, ex.replyCode());
        assertMessage(ex, "x-dead-letter-exchange");
        assertMessage(ex, "'q'");
    }

    @Test
    void integralArgumentsAcceptEveryJavaIntegralType()
    {
        for (final Object value : new Object[] {(byte)3, (short)3, 3, 3L})
        {
            final QueuePolicies policies = QueueSpec.builder("q").argument("x-max-length", value).build().policies();
            assertEquals(3, policies.maxLength(), value.getClass().getSimpleName());
        }
    }

    @Test
    void redeclaringWithTheSameValueInAnotherIntegralTypeIsEquivalentAndAnotherValueIsNot()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare(QueueSpec.builder("q").argument("x-message-ttl", 60_000).build());
            channel.queueDeclare(QueueSpec.builder("q").argument("x-message-ttl", 60_000L).build());
            channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofMinutes(1)).build());
            assertThrows(PreconditionFailedException.class,
                () -> channel.queueDeclare(QueueSpec.builder("q").messageTtl(Duration.ofSeconds(59)).build()));
        }
    }

    @Test
    void typedBuilderMethodsDeclareTheRabbitMqArguments()
    {
        final QueueSpec spec = QueueSpec.builder("q")
            .messageTtl(Duration.ofSeconds(5))
            .expires(Duration.ofMinutes(1))
            .maxLength(10)
            .maxLengthBytes(1000)
            .overflow(OverflowPolicy.REJECT_PUBLISH_DLX)
            .deadLetterExchange("dlx")
            .deadLetterRoutingKey("dead")
            .maxPriority(9)
            .singleActiveConsumer(true)
            .deliveryLimit(3)
            .build();
        assertEquals(Map.of("x-message-ttl", 5000L, "x-expires", 60_000L, "x-max-length", 10L, "x-max-length-bytes", 1000L,
            "x-overflow", "reject-publish-dlx", "x-dead-letter-exchange", "dlx", "x-dead-letter-routing-key", "dead",
            "x-max-priority", 9, "x-single-active-consumer", true, "x-delivery-limit", 3), spec.arguments());
        final QueuePolicies p = spec.policies();
        assertEquals(Duration.ofSeconds(5).toNanos(), p.messageTtlNanos());
        assertEquals(Duration.ofMinutes(1).toNanos(), p.expiresNanos());
        assertEquals(OverflowPolicy.REJECT_PUBLISH_DLX, spec.overflow());
        assertEquals("dlx", p.deadLetterExchange());
        assertEquals("dead", p.deadLetterRoutingKey());
        assertEquals(9, p.maxPriority());
        assertTrue(p.singleActiveConsumer());
        assertEquals(3, p.deliveryLimit());
    }

    @Test
    void theOverflowDefaultIsDropHeadWithALengthLimitAndBlockWithout()
    {
        assertEquals(OverflowPolicy.DROP_HEAD, QueueSpec.builder("q").maxLength(5).build().overflow());
        assertEquals(OverflowPolicy.DROP_HEAD, QueueSpec.builder("q").maxLengthBytes(5).build().overflow());
        assertEquals(OverflowPolicy.BLOCK, QueueSpec.builder("q").build().overflow());
        assertEquals(OverflowPolicy.BLOCK, QueueSpec.builder("q").deadLetterExchange("dlx").build().overflow());
        assertEquals(OverflowPolicy.REJECT_PUBLISH,
            QueueSpec.builder("q").maxLength(5).overflow(OverflowPolicy.REJECT_PUBLISH).build().overflow());
    }

    @Test
    void aQueueWithoutPoliciesTakesThePlainPath()
    {
        assertTrue(QueueSpec.named("q").policies().isPlain());
        assertTrue(QueueSpec.builder("q").overflow(OverflowPolicy.DROP_HEAD).argument("x-custom", 1).build().policies().isPlain(),
            "x-overflow alone and unknown arguments need no policies");
        assertTrue(QueueSpec.builder("q").maxPriority(0).build().policies().isPlain(), "x-max-priority 0 means no priorities, as in RabbitMQ");
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("plain");
            channel.queueDeclare(QueueSpec.builder("ttl").messageTtl(Duration.ofSeconds(1)).build());
            assertTrue(broker.queue("plain", channel).storage() instanceof PlainStorage);
            assertTrue(broker.queue("ttl", channel).storage() instanceof PolicyStorage);
        }
    }

    @Test
    void argumentsRabbitMqKnowsButRingMqDoesNotImplementAreStillRefused()
    {
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument("x-queue-mode", "lazy").build()), "not supported");
    }

    @Test
    void aServerNamedQueueIsDescribedAsSuchInErrors()
    {
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("").argument("x-max-length", -1).build()), "server-named");
    }

    private static void refused(final String key, final Object value, final String shownValue)
    {
        final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("orders").argument(key, value).build(), key + " = " + value);
        assertMessage(ex, key);
        assertMessage(ex, "'orders'");
        assertMessage(ex, shownValue);
        assertEquals(ReplyCode.PRECONDITION_FAILED, ex.replyCode());
    }

    private static void assertMessage(final Exception ex, final String fragment)
    {
        assertTrue(ex.getMessage().contains(fragment), () -> "'" + ex.getMessage() + "' should mention '" + fragment + "'");
    }
}
