package io.ringmq;

import io.ringmq.error.AccessRefusedException;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.ReplyCode;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets a typed error naming the problem, and nothing already accepted changes. */
class BadInputTest
{
    private static final String LONG_NAME = "q".repeat(256);

    @Test
    void nullAndBlankQueueNamesAreRefused()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            assertMessage(assertThrows(InvalidArgumentException.class, () -> QueueSpec.named(null)), "queue name");
            assertMessage(assertThrows(InvalidArgumentException.class, () -> channel.queueBind("  ", "amq.direct", "k")),
                "blank");
            assertMessage(assertThrows(InvalidArgumentException.class, () -> channel.get(null, true)), "null");
        }
    }

    @Test
    void namesAndKeysOver255BytesAreRefused()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            assertMessage(assertThrows(InvalidArgumentException.class, () -> QueueSpec.named(LONG_NAME)), "255");
            assertThrows(InvalidArgumentException.class, () -> channel.exchangeDeclare(LONG_NAME, ExchangeType.DIRECT));
            channel.queueDeclare("q");
            final InvalidArgumentException ex = assertThrows(InvalidArgumentException.class,
                () -> channel.publish("", "é".repeat(128), new byte[0]));
            assertMessage(ex, "routing key");
            assertEquals(ReplyCode.PRECONDITION_FAILED, ex.replyCode());
            // 255 two-byte characters would be 510 bytes; 127 of them (254 bytes) are fine.
            channel.publish("", "é".repeat(127), new byte[0]);
        }
    }

    @Test
    void publishingToAMissingExchangeIsNotFound()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            final NotFoundException ex = assertThrows(NotFoundException.class,
                () -> channel.publish("nowhere", "k", new byte[0]));
            assertMessage(ex, "nowhere");
            assertEquals(ReplyCode.NOT_FOUND, ex.replyCode());
        }
    }

    @Test
    void redeclaringWithOtherArgumentsIsPreconditionFailedAndKeepsTheOriginal()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.exchangeDeclare("x", ExchangeType.DIRECT);
            channel.exchangeDeclare("x", ExchangeType.DIRECT); // equivalent: fine
            assertMessage(assertThrows(PreconditionFailedException.class,
                () -> channel.exchangeDeclare("x", ExchangeType.FANOUT)), "x");
            assertEquals(ExchangeType.DIRECT, channel.exchangeDeclarePassive("x").type());

            channel.queueDeclare(QueueSpec.builder("q").capacity(64).build());
            channel.publish("", "q", new byte[] {7});
            channel.queueDeclare(QueueSpec.builder("q").capacity(64).build());
            assertMessage(assertThrows(PreconditionFailedException.class,
                () -> channel.queueDeclare(QueueSpec.builder("q").capacity(128).build())), "inequivalent arg 'capacity'");
            assertMessage(assertThrows(PreconditionFailedException.class,
                () -> channel.queueDeclare(QueueSpec.builder("q").capacity(64).durable(true).build())), "'q'");
            assertEquals(1, channel.queueDeclarePassive("q").messageCount(), "the accepted message survives");
        }
    }

    @Test
    void invalidQueueArgumentsAreRefusedAtDeclareTime()
    {
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument("x-overflow", "explode").build()), "x-overflow");
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").capacity(1000).build()), "power of two");
        assertEquals("PRECONDITION_FAILED - invalid arg 'x-ringmq-capacity' for queue 'q' in vhost '/': the value '1000' of type 'signedint'; "
                     + "expected a power of two from 2 to " + QueueSpec.MAX_CAPACITY,
            assertThrows(InvalidArgumentException.class,
                () -> QueueSpec.builder("q").argument(QueueSpec.X_CAPACITY, 1000).build()).getMessage());
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument(QueueSpec.X_CAPACITY, 1).build()), "x-ringmq-capacity");
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument(QueueSpec.X_CAPACITY, "65536").build()), "expected an integer");
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> QueueSpec.builder("q").argument("x-queue-type", "quorum").build()), "non-durable"); // a quorum queue is durable
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> ConsumeOptions.builder().prefetch(-1)), "prefetch");
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> MessageProperties.builder().priority(256)), "priority");
        assertMessage(assertThrows(InvalidArgumentException.class,
            () -> MessageProperties.builder().expiration("-5")), "expiration");
    }

    @Test
    void usingAMissingOrDeletedQueueIsNotFound()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("short-lived");
            assertEquals(0, channel.queueDelete("short-lived"));
            assertMessage(assertThrows(NotFoundException.class, () -> channel.get("short-lived", true)), "short-lived");
            assertThrows(NotFoundException.class, () -> channel.consume("short-lived", true, d -> { }));
            assertThrows(NotFoundException.class, () -> channel.queuePurge("short-lived"));
            assertThrows(NotFoundException.class, () -> channel.queueBind("short-lived", "amq.direct", "k"));
            assertThrows(NotFoundException.class, () -> channel.queueDeclarePassive("short-lived"));
            assertEquals(0, channel.publish("", "short-lived", new byte[0]).routedQueues());
        }
    }

    @Test
    void theDefaultExchangeAndReservedNamesAreAccessRefused()
    {
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("q");
            assertThrows(AccessRefusedException.class, () -> channel.queueBind("q", "", "q"));
            assertThrows(AccessRefusedException.class, () -> channel.exchangeDelete(""));
            assertThrows(AccessRefusedException.class, () -> channel.exchangeDeclare("amq.mine", ExchangeType.TOPIC));
            assertThrows(AccessRefusedException.class, () -> channel.queueDeclare("amq.q"));
            channel.exchangeDeclare(ExchangeSpec.builder("inner", ExchangeType.FANOUT).internal(true).build());
            assertThrows(AccessRefusedException.class, () -> channel.publish("inner", "", new byte[0]));
        }
    }

    @Test
    void exclusiveQueuesAreLockedToTheirChannelAndDeletedWithIt()
    {
        try (Broker broker = Broker.create(); Channel owner = broker.openChannel(); Channel other = broker.openChannel())
        {
            owner.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
            assertThrows(ResourceLockedException.class, () -> other.get("mine", true));
            assertThrows(ResourceLockedException.class, () -> other.consume("mine", true, d -> { }));
            assertThrows(ResourceLockedException.class, () -> other.queueDeclare(QueueSpec.builder("mine").exclusive(true).build()));
            assertThrows(ResourceLockedException.class, () -> other.queueDelete("mine"));
            assertEquals(1, other.publish("", "mine", new byte[0]).acceptedQueues(), "anyone may publish to it");
            owner.close();
            assertThrows(NotFoundException.class, () -> other.queueDeclarePassive("mine"));
        }
    }

    @Test
    void aClosedBrokerOrChannelRefusesEverything()
    {
        final Broker broker = Broker.create();
        final Channel channel = broker.openChannel();
        channel.queueDeclare("q");
        final Channel closedChannel = broker.openChannel();
        closedChannel.close();
        assertMessage(assertThrows(BrokerClosedException.class, () -> closedChannel.publish("", "q", new byte[0])),
            "closed");
        broker.close();
        broker.close(); // idempotent
        assertThrows(BrokerClosedException.class, broker::openChannel);
        assertThrows(BrokerClosedException.class, () -> channel.publish("", "q", new byte[0]));
        assertThrows(BrokerClosedException.class, () -> channel.queueDeclare("other"));
        assertThrows(BrokerClosedException.class, () -> channel.get("q", true));
        assertTrue(!broker.isOpen() && !channel.isOpen());
    }

    private static void assertMessage(final Exception ex, final String fragment)
    {
        assertTrue(ex.getMessage().contains(fragment), () -> "'" + ex.getMessage() + "' should mention '" + fragment + "'");
    }
}
