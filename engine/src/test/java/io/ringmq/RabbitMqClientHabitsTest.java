package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What code ported from RabbitMQ's clients does without thinking, and must work the same here. */
class RabbitMqClientHabitsTest extends BrokerTestBase
{
    @Test
    void queueDeclareWithNoArgumentsDeclaresAServerNamedExclusiveAutoDeleteQueue()
    {
        final QueueInfo info = channel.queueDeclare();
        assertTrue(info.name().startsWith("amq.gen-"), info.name());
        channel.publish("", info.name(), seq(1));
        assertEquals(1, seqOf(channel.get(info.name(), true).body()));
        try (Channel other = broker.openChannel())
        {
            assertThrows(ResourceLockedException.class, () -> other.queueDeclarePassive(info.name()), "exclusive");
        }
        final Consumer consumer = channel.consume(info.name(), true, d -> { });
        consumer.cancel();
        assertThrows(io.ringmq.error.NotFoundException.class, () -> channel.queueDeclarePassive(info.name()),
            "auto-delete: gone with its last consumer");
    }

    @Test
    void aNullBodyIsDeliveredAsZeroBytesNeverAsTheTextNull()
    {
        channel.queueDeclare("q");
        channel.publish("", "q", null);
        final Delivery got = channel.get("q", true);
        assertEquals(0, got.body().length);
        assertEquals("", got.bodyAsString());
        final List<String> pushed = new CopyOnWriteArrayList<>();
        channel.consume("q", true, d -> pushed.add(d.bodyAsString() + "|" + d.body().length));
        channel.publish("", "q", false, MessageProperties.EMPTY, null);
        Await.until("pushed", () -> pushed.size() == 1);
        assertEquals(List.of("|0"), pushed);
    }
}
