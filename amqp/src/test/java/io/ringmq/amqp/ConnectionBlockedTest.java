package io.ringmq.amqp;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import io.ringmq.QueueSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * connection.blocked / unblocked as RingMQ's back-pressure: a confirming publisher fills an {@code x-overflow:
 * block} queue's ring until the server holds its publishes and stops reading its connection. The client is told
 * (it announced the connection.blocked capability), nothing is lost or confirmed early while it is held, and once a
 * consumer drains the queue the client is told it is unblocked, every message arrives exactly once and every
 * publish is confirmed.
 */
@Timeout(90)
class ConnectionBlockedTest
{
    private static final int RING = QueueSpec.DEFAULT_CAPACITY;
    private static final int MESSAGES = RING + RING / 2;
    private static final long WAIT_SECONDS = 30;

    @Test
    void aPublisherHeldByAFullBlockQueueIsBlockedThenUnblockedAndNothingIsLostOrDoubled() throws Exception
    {
        try (EmbeddedServer server = EmbeddedServer.start();
             Connection publisherConnection = server.connect();
             Connection consumerConnection = server.connect())
        {
            final BlockingQueue<String> events = new LinkedBlockingQueue<>();
            publisherConnection.addBlockedListener(new BlockedListener()
            {
                @Override
                public void handleBlocked(final String reason)
                {
                    events.add("blocked");
                }

                @Override
                public void handleUnblocked()
                {
                    events.add("unblocked");
                }
            });
            final Channel publisher = publisherConnection.createChannel();
            final String queue = publisher.queueDeclare("blocking", false, false, false, Map.of("x-overflow", "block"))
                .getQueue();
            publisher.confirmSelect();
            final Confirms confirms = new Confirms();
            publisher.addConfirmListener(confirms);

            // Publish from a thread of its own: once the server stops reading, the socket fills and the write blocks.
            final AtomicReference<Throwable> publishFailure = new AtomicReference<>();
            final CountDownLatch published = new CountDownLatch(1);
            final Thread publishing = new Thread(() ->
            {
                try
                {
                    for (int i = 0; i < MESSAGES; i++)
                    {
                        confirms.outstanding.add(publisher.getNextPublishSeqNo());
                        publisher.basicPublish("", queue, null, ByteBuffer.allocate(Integer.BYTES).putInt(i).array());
                    }
                }
                catch (final IOException | RuntimeException ex)
                {
                    publishFailure.set(ex);
                }
                published.countDown();
            }, "blocked-publisher");
            publishing.setDaemon(true);
            publishing.start();

            assertEquals("blocked", events.poll(WAIT_SECONDS, TimeUnit.SECONDS), "connection.blocked once the ring is full");
            // Held, not lost and not confirmed: the ring is full and stays full, the rest waits unconfirmed.
            final Channel observer = consumerConnection.createChannel();
            EmbeddedServer.sleep(300);
            assertEquals(RING, observer.queueDeclarePassive(queue).getMessageCount(), "messages in the full ring");
            assertTrue(confirms.acked.get() <= RING, "confirmed while held: " + confirms.acked.get());
            assertTrue(confirms.outstanding.size() > 0, "every publish confirmed though the queue was full");
            assertNull(events.poll(), "unblocked while still full");

            // A consumer drains the queue: the held publishes complete, the client hears it is unblocked.
            final Channel consumer = consumerConnection.createChannel();
            consumer.basicQos(500);
            final NumberedMessageLedger ledger = new NumberedMessageLedger(consumer);
            consumer.basicConsume(queue, false, ledger);

            assertEquals("unblocked", events.poll(WAIT_SECONDS, TimeUnit.SECONDS), "connection.unblocked once drained");
            assertTrue(published.await(WAIT_SECONDS, TimeUnit.SECONDS), "the publisher's writes never completed");
            assertNull(publishFailure.get(), () -> "publishing failed: " + publishFailure.get());
            assertTrue(ledger.awaitDeliveries(MESSAGES, WAIT_SECONDS, TimeUnit.SECONDS), "messages received: " + ledger.deliveries());
            assertTrue(publisher.waitForConfirms(TimeUnit.SECONDS.toMillis(WAIT_SECONDS)), "a publish was nacked");
            assertTrue(confirms.outstanding.isEmpty(), "unconfirmed: " + confirms.outstanding.size());
            assertEquals(0, confirms.nacked.get(), "nacks");
            ledger.assertEachOnce(MESSAGES);
            server.assertUnaffected();
        }
    }

    /** Publisher confirms, multiple or not, against the sequence numbers still outstanding. */
    private static final class Confirms implements ConfirmListener
    {
        final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger nacked = new AtomicInteger();

        @Override
        public void handleAck(final long deliveryTag, final boolean multiple)
        {
            acked.addAndGet(settle(deliveryTag, multiple));
        }

        @Override
        public void handleNack(final long deliveryTag, final boolean multiple)
        {
            nacked.addAndGet(settle(deliveryTag, multiple));
        }

        private int settle(final long deliveryTag, final boolean multiple)
        {
            if (!multiple)
            {
                return outstanding.remove(deliveryTag) ? 1 : 0;
            }
            final var settled = outstanding.headSet(deliveryTag, true);
            final int count = settled.size();
            settled.clear();
            return count;
        }
    }
}
