package io.ringmq;

import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "No room, will tell you": publishing from a thread that must never park (an I/O event loop). */
class NonBlockingPublishTest extends BrokerTestBase
{
    private final AtomicInteger roomSignals = new AtomicInteger();

    private void fullQueue(final String name, final int capacity)
    {
        channel.queueDeclare(QueueSpec.builder(name).capacity(capacity).overflow(OverflowPolicy.BLOCK).build());
        channel.setRoomListener(roomSignals::incrementAndGet);
        for (int i = 0; i < capacity; i++)
        {
            assertTrue(channel.publishNonBlocking("", name, false, null, seq(i)).isFullyAccepted());
        }
    }

    @Test
    void aFullBlockQueueHoldsTheMessageInsteadOfWaitingAndToldWhenRoomFrees()
    {
        fullQueue("q", 2);
        final PublishResult held = channel.publishNonBlocking("", "q", false, null, seq(2));
        assertTrue(held.isHeld());
        assertEquals(1, held.heldQueues());
        assertEquals(0, held.acceptedQueues());
        assertEquals(0, held.refusedQueues(), "held, not refused: nothing is dropped");
        assertEquals(1, channel.heldPublishes());
        assertEquals(0, roomSignals.get());
        try (Channel consumer = broker.openChannel())
        {
            assertEquals(0, seqOf(consumer.get("q", true).body()));
        }
        assertEquals(1, roomSignals.get(), "the take told the listener, once");
        assertEquals(1, channel.resumeHeldPublishes());
        assertEquals(0, channel.heldPublishes());
        assertEquals(List.of(1, 2), drain("q"));
    }

    @Test
    void laterPublishesWaitBehindAHeldOneSoTheChannelsOrderHolds()
    {
        fullQueue("q", 2);
        channel.queueDeclare("roomy");
        channel.exchangeDeclare("both", ExchangeType.FANOUT);
        channel.queueBind("roomy", "both", "");
        channel.queueBind("q", "both", "");
        final PublishResult first = channel.publishNonBlocking("both", "", false, null, seq(10));
        assertEquals(1, first.acceptedQueues(), "the queue with room took it at once");
        assertEquals(1, first.heldQueues());
        final PublishResult second = channel.publishNonBlocking("", "roomy", false, null, seq(11));
        assertEquals(1, second.heldQueues(), "held behind the first, though its own queue has room");
        assertEquals(List.of(10), drain("roomy"));
        assertEquals(0, channel.resumeHeldPublishes(), "still no room in q");
        assertEquals(List.of(0, 1), drain("q"));
        assertEquals(2, channel.resumeHeldPublishes(), "both complete, in order");
        assertEquals(List.of(10), drain("q"));
        assertEquals(List.of(11), drain("roomy"));
    }

    @Test
    void aWaitingPublishIsRefusedWhileMessagesAreHeldSoNothingOvertakesThem()
    {
        fullQueue("q", 2);
        channel.publishNonBlocking("", "q", false, null, seq(2));
        assertThrows(IllegalStateException.class, () -> channel.publish("", "q", seq(3)));
    }

    @Test
    void aHeldMessageWhoseQueueIsDeletedGoesWithIt()
    {
        fullQueue("q", 2);
        channel.publishNonBlocking("", "q", false, null, seq(2));
        try (Channel admin = broker.openChannel())
        {
            admin.queueDelete("q");
        }
        assertEquals(1, roomSignals.get(), "the deletion told the listener");
        assertEquals(1, channel.resumeHeldPublishes(), "complete: its queue is gone");
        assertEquals(0, channel.heldPublishes());
    }

    @Test
    void aPublisherThatRaceswithAConsumerNeverMissesTheRoomSignal() throws Exception
    {
        channel.queueDeclare(QueueSpec.builder("q").capacity(2).overflow(OverflowPolicy.BLOCK).build());
        channel.setRoomListener(roomSignals::incrementAndGet);
        final int total = 20_000;
        final AtomicInteger taken = new AtomicInteger();
        final Thread consumer = new Thread(() ->
        {
            try (Channel mine = broker.openChannel())
            {
                while (taken.get() < total)
                {
                    if (mine.get("q", true) != null)
                    {
                        taken.incrementAndGet();
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            }
        });
        consumer.start();
        int published = 0;
        int completed = 0;
        int seenSignals = 0;
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while (published < total || channel.heldPublishes() > 0)
        {
            assertTrue(System.nanoTime() < deadline, "stuck: " + channel.heldPublishes() + " held, signals " + roomSignals.get());
            if (channel.heldPublishes() > 0)
            {
                final int signals = roomSignals.get();
                if (signals != seenSignals) // only on a signal: a lost one would leave us here until the deadline
                {
                    seenSignals = signals;
                    completed += channel.resumeHeldPublishes();
                }
                Thread.onSpinWait();
                continue;
            }
            final PublishResult result = channel.publishNonBlocking("", "q", false, null, seq(published++));
            if (!result.isHeld())
            {
                completed++;
            }
        }
        consumer.join();
        assertEquals(total, completed);
        assertEquals(total, taken.get(), "every message went in, once");
    }

    @Test
    void closingTheChannelLetsGoOfWhatItHeld()
    {
        fullQueue("q", 2);
        channel.publishNonBlocking("", "q", false, null, seq(2));
        channel.close();
        channel = broker.openChannel();
        assertEquals(List.of(0, 1), drain("q"));
        assertNull(channel.get("q", true));
        assertFalse(channel.isOpen() && false);
    }

    private List<Integer> drain(final String queue)
    {
        final List<Integer> values = new ArrayList<>();
        try (Channel reader = broker.openChannel())
        {
            Delivery d;
            while ((d = reader.get(queue, true)) != null)
            {
                values.add(seqOf(d.body()));
            }
        }
        return values;
    }
}
