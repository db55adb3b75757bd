package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Connections own exclusive queues and close their channels together, as in AMQP. */
class ConnectionTest extends BrokerTestBase
{
    @Test
    void anExclusiveQueueIsSharedByTheConnectionsChannelsAndLockedToOthers()
    {
        try (Connection mine = broker.openConnection(); Connection theirs = broker.openConnection())
        {
            final Channel declaring = mine.openChannel();
            final Channel sibling = mine.openChannel();
            declaring.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
            sibling.publish("", "mine", seq(1));
            assertEquals(1, seqOf(sibling.get("mine", true).body()), "another channel of the same connection");
            declaring.close();
            sibling.queueDeclarePassive("mine"); // outlives the declaring channel: it is the connection's
            final Channel other = theirs.openChannel();
            assertThrows(ResourceLockedException.class, () -> other.queueDeclarePassive("mine"));
            assertThrows(ResourceLockedException.class, () -> other.consume("mine", true, d -> { }));
        }
        assertThrows(io.ringmq.error.NotFoundException.class, () -> channel.queueDeclarePassive("mine"),
            "deleted with its connection");
    }

    @Test
    void closingAConnectionClosesItsChannelsAndRequeuesTheirDeliveries()
    {
        channel.queueDeclare("q");
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        final Connection connection = broker.openConnection("app");
        final Channel a = connection.openChannel();
        final Channel b = connection.openChannel();
        a.get("q", false);
        final List<Long> tags = new CopyOnWriteArrayList<>();
        b.consume("q", ConsumeOptions.manualAck(0), d -> tags.add(d.deliveryTag()));
        Await.until("b got the other", () -> tags.size() == 1);
        assertEquals(2, connection.channelCount());
        connection.close();
        assertFalse(a.isOpen());
        assertFalse(b.isOpen());
        assertFalse(connection.isOpen());
        assertEquals(2, channel.queueDeclarePassive("q").messageCount(), "both requeued");
        assertThrows(BrokerClosedException.class, connection::openChannel);
    }

    @Test
    void anImplicitConnectionLivesAndDiesWithItsOneChannel()
    {
        final Channel alone = broker.openChannel();
        alone.queueDeclare(QueueSpec.builder("solo").exclusive(true).build());
        assertThrows(ResourceLockedException.class, () -> channel.queueDeclarePassive("solo"), "today's behaviour: per channel");
        alone.close();
        assertFalse(alone.connection().isOpen());
        assertThrows(io.ringmq.error.NotFoundException.class, () -> channel.queueDeclarePassive("solo"));
    }
}
