package io.ringmq;

import io.ringmq.error.PreconditionFailedException;
import io.ringmq.error.ReplyCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AMQP 0-9-1 §1.8.3.13: delivery tags belong to the channel, push and get alike. */
class ChannelDeliveryTagsTest extends BrokerTestBase
{
    @Test
    void pushAndGetDeliveriesShareTheChannelsSequence()
    {
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        for (int i = 0; i < 3; i++)
        {
            channel.publish("", "a", seq(i));
        }
        channel.publish("", "b", seq(9));
        assertEquals(1, channel.get("b", false).deliveryTag());
        final List<Long> tags = new CopyOnWriteArrayList<>();
        channel.consume("a", ConsumeOptions.manualAck(0), d -> tags.add(d.deliveryTag()));
        Await.until("three pushed", () -> tags.size() == 3);
        assertEquals(List.of(2L, 3L, 4L), tags);
        channel.publish("", "b", seq(10));
        assertEquals(5, channel.get("b", true).deliveryTag(), "auto-ack gets take a tag too");
    }

    @Test
    void theStandardPortAcksAPushDeliveryThroughTheChannel()
    {
        channel.queueDeclare("q");
        final List<Long> tags = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.manualAck(0), d -> tags.add(d.deliveryTag()));
        channel.publish("", "q", seq(1));
        Await.until("delivered", () -> tags.size() == 1);
        channel.ack(tags.get(0), false); // channel.basicAck(tag, false)
        assertEquals(0, channel.unackedCount());
    }

    @Test
    void multipleCoversEveryConsumerOfTheChannelUpToTheTagNamed()
    {
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        final List<Long> aTags = new CopyOnWriteArrayList<>();
        final List<Long> bTags = new CopyOnWriteArrayList<>();
        final Consumer a = channel.consume("a", ConsumeOptions.manualAck(0), d -> aTags.add(d.deliveryTag()));
        channel.publish("", "a", seq(1));
        Await.until("a got 1", () -> aTags.size() == 1);
        final Consumer b = channel.consume("b", ConsumeOptions.manualAck(0), d -> bTags.add(d.deliveryTag()));
        channel.publish("", "b", seq(2));
        Await.until("b got 2", () -> bTags.size() == 1);
        channel.publish("", "a", seq(3));
        Await.until("a got 3", () -> aTags.size() == 2);
        assertEquals(List.of(1L, 3L), aTags);
        assertEquals(List.of(2L), bTags);
        channel.ack(2, true); // tag 2 and everything below it, whichever consumer: 1 (a) and 2 (b)
        assertEquals(1, a.unackedCount(), "a's tag 3 is above the bound");
        assertEquals(0, b.unackedCount());
        channel.ack(0, true);
        assertEquals(0, channel.unackedCount());
    }

    @Test
    void unknownSettledOrOtherChannelsTagsAreRefusedWith406AndSettleNothing()
    {
        channel.queueDeclare("q");
        for (int i = 0; i < 3; i++)
        {
            channel.publish("", "q", seq(i));
        }
        final long first = channel.get("q", false).deliveryTag();
        final long second = channel.get("q", false).deliveryTag();
        channel.ack(first, false);
        final PreconditionFailedException twice = assertThrows(PreconditionFailedException.class, () -> channel.ack(first, false));
        assertEquals(ReplyCode.PRECONDITION_FAILED, twice.replyCode());
        assertThrows(PreconditionFailedException.class, () -> channel.ack(99, true), "never delivered");
        try (Channel other = broker.openChannel())
        {
            assertThrows(PreconditionFailedException.class, () -> other.ack(second, false), "another channel's tag");
            assertThrows(PreconditionFailedException.class, () -> other.nack(second, true, true));
        }
        assertEquals(1, channel.unackedCount(), "the refused settlements settled nothing");
        channel.reject(second, false);
        assertEquals(0, channel.unackedCount());
    }

    @Test
    void tagsAreNeverReusedWhileTheChannelLives()
    {
        channel.queueDeclare("q");
        long last = 0;
        for (int i = 0; i < 1000; i++)
        {
            channel.publish("", "q", seq(i));
            final long tag = channel.get("q", false).deliveryTag();
            assertEquals(last + 1, tag);
            channel.nack(tag, false, true); // back, and taken again under a new tag
            last = tag;
        }
    }

    @Test
    void aDeliveryKeptPastItsCallbackCannotBeAckedEvenOnTheThreadThatRanIt() throws Exception
    {
        try (Broker small = Broker.builder().consumerPool(1).build(); Channel ch = small.openChannel())
        {
            ch.queueDeclare("kept");
            ch.queueDeclare("later");
            final AtomicReference<Delivery> kept = new AtomicReference<>();
            final AtomicReference<Thread> keptOn = new AtomicReference<>();
            ch.consume("kept", ConsumeOptions.manualAck(0), d ->
            {
                keptOn.set(Thread.currentThread());
                kept.set(d); // a misuse: acked later, from another consumer's callback on the same pool thread
            });
            final AtomicReference<Throwable> misuse = new AtomicReference<>();
            final AtomicReference<Thread> laterOn = new AtomicReference<>();
            ch.consume("later", ConsumeOptions.autoAck(), d ->
            {
                laterOn.set(Thread.currentThread());
                try
                {
                    kept.get().ack();
                    misuse.set(new AssertionError("acked outside its callback"));
                }
                catch (final IllegalStateException expected)
                {
                    misuse.set(expected);
                }
            });
            ch.publish("", "kept", seq(1));
            Await.until("kept delivered", () -> kept.get() != null);
            ch.publish("", "later", seq(2));
            Await.until("later delivered", () -> misuse.get() != null);
            assertEquals(keptOn.get(), laterOn.get(), "a pool of one ran both callbacks");
            assertTrue(misuse.get() instanceof IllegalStateException, String.valueOf(misuse.get()));
            assertEquals(1, ch.unackedCount(), "the kept delivery is still unacknowledged");
        }
    }

    @Test
    void aReusedDeliveryCannotBeAckedAfterItsCallbackAndSettlesNothing() throws Exception
    {
        channel.queueDeclare("q");
        final AtomicReference<Delivery> kept = new AtomicReference<>();
        final List<Long> tags = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.manualAck(0), d ->
        {
            kept.set(d); // a misuse: the flyweight is the consumer's, reused for its next delivery
            tags.add(d.deliveryTag());
        });
        channel.publish("", "q", seq(1));
        channel.publish("", "q", seq(2));
        Await.until("both delivered", () -> tags.size() == 2);
        final IllegalStateException misuse = assertThrows(IllegalStateException.class, () -> kept.get().ack());
        assertTrue(misuse.getMessage().contains("channel.ack("), misuse.getMessage());
        assertThrows(IllegalStateException.class, () -> kept.get().nack(true));
        assertThrows(IllegalStateException.class, () -> kept.get().reject(false));
        assertEquals(2, channel.unackedCount(), "the misuse settled nothing, let alone the wrong message");
        channel.ack(tags.get(0), false); // the tag is what identifies a delivery
        assertEquals(1, channel.unackedCount());
    }

    @Test
    void insideItsCallbackADeliveryAcksItself()
    {
        channel.queueDeclare("q");
        final Consumer consumer = channel.consume("q", ConsumeOptions.manualAck(1), d -> d.ack());
        for (int i = 0; i < 100; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("all acked", () -> channel.queueDeclarePassive("q").messageCount() == 0 && consumer.unackedCount() == 0);
    }

    @Test
    void aGlobalPrefetchBoundsTheChannelsConsumersTogether()
    {
        channel.queueDeclare("a");
        channel.queueDeclare("b");
        channel.setChannelPrefetch(3);
        final List<Long> tags = new CopyOnWriteArrayList<>();
        final AtomicInteger mostHeld = new AtomicInteger();
        final DeliveryHandler handler = recordingTheMostHeld(tags, mostHeld);
        final Consumer a = channel.consume("a", ConsumeOptions.manualAck(10), handler);
        final Consumer b = channel.consume("b", ConsumeOptions.manualAck(10), handler);
        for (int i = 0; i < 5; i++)
        {
            channel.publish("", "a", seq(i));
            channel.publish("", "b", seq(i));
        }
        Await.until("three delivered", () -> tags.size() >= 3);
        assertEquals(3, a.unackedCount() + b.unackedCount(), "the channel's limit, not each consumer's 10: " + tags);
        channel.ack(tags.get(0), false);
        Await.until("credit freed on the channel is used", () -> tags.size() >= 4);
        assertEquals(3, mostHeld.get(), "held at once by the two consumers together, each on its own thread " + tags);
        assertEquals(3, channel.unackedCount());
    }

    @Test
    void aGlobalPrefetchBoundsCompetingConsumersOfOneQueue()
    {
        channel.queueDeclare("q");
        channel.setChannelPrefetch(3);
        final List<Long> tags = new CopyOnWriteArrayList<>();
        final AtomicInteger mostHeld = new AtomicInteger();
        final DeliveryHandler handler = recordingTheMostHeld(tags, mostHeld);
        channel.consume("q", ConsumeOptions.manualAck(10), handler);
        channel.consume("q", ConsumeOptions.manualAck(10), handler);
        for (int i = 0; i < 10; i++)
        {
            channel.publish("", "q", seq(i));
        }
        Await.until("three delivered", () -> tags.size() >= 3);
        channel.ack(tags.get(0), false);
        Await.until("credit freed on the channel is used", () -> tags.size() >= 4);
        assertEquals(3, mostHeld.get(), "held at once by the two consumers together: the channel's limit, not each one's 10 " +
            "(the round-robin hands them messages on another thread) " + tags);
        assertEquals(3, channel.unackedCount());
    }

    /** A handler that keeps each delivery's tag and the most the channel held at once (this delivery is held by then). */
    private DeliveryHandler recordingTheMostHeld(final List<Long> tags, final AtomicInteger mostHeld)
    {
        return d ->
        {
            mostHeld.accumulateAndGet(channel.unackedCount(), Math::max);
            tags.add(d.deliveryTag());
        };
    }

    @Test
    void recoverRequeuesEverythingOutstandingFlaggedInOrder()
    {
        channel.queueDeclare("q");
        for (int i = 1; i <= 3; i++)
        {
            channel.publish("", "q", seq(i));
        }
        final List<Long> tags = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            tags.add(channel.get("q", false).deliveryTag());
        }
        assertEquals(3, channel.recover());
        assertEquals(0, channel.unackedCount());
        for (int i = 1; i <= 3; i++)
        {
            final Delivery d = channel.get("q", true);
            assertEquals(i, seqOf(d.body()));
            assertTrue(d.redelivered());
        }
        assertThrows(PreconditionFailedException.class, () -> channel.ack(tags.get(0), false), "requeued: settled");
    }

    @Test
    void closingTheChannelRequeuesItsConsumersAndGetsDeliveriesInTagOrder()
    {
        channel.queueDeclare("q");
        final Channel consuming = broker.openChannel();
        for (int i = 1; i <= 4; i++)
        {
            channel.publish("", "q", seq(i));
        }
        consuming.get("q", false); // 1, tag 1
        final List<Long> tags = new CopyOnWriteArrayList<>();
        consuming.consume("q", ConsumeOptions.manualAck(2), d -> tags.add(d.deliveryTag())); // 2, 3
        Await.until("two pushed", () -> tags.size() == 2);
        consuming.close();
        final List<String> back = new ArrayList<>();
        Delivery d;
        while ((d = channel.get("q", true)) != null)
        {
            back.add(seqOf(d.body()) + (d.redelivered() ? "r" : ""));
        }
        assertEquals(List.of("1r", "2r", "3r", "4"), back);
        assertNull(channel.get("q", true));
    }
}
