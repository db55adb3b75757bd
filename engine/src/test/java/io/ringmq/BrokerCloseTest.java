package io.ringmq;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing the broker: close() waits for every handler; close(timeout) gives up on stuck ones and says so. */
class BrokerCloseTest
{
    /** Lets every handler a test blocked go, so that no test leaves a thread behind. */
    private final CountDownLatch release = new CountDownLatch(1);
    private final Broker broker = Broker.create();

    @AfterEach
    void letHandlersGo()
    {
        release.countDown();
        broker.close();
    }

    @ParameterizedTest
    @EnumSource(value = ConsumerThreading.class, names = {"DEDICATED_THREAD", "SHARED_POOL"})
    void closeWithATimeoutGivesUpOnAHandlerThatDoesNotReturnAndLeavesTheBrokerClosed(final ConsumerThreading threading)
        throws Exception
    {
        final Channel stuckChannel = broker.openChannel();
        stuckChannel.queueDeclare("stuck");
        final CountDownLatch inHandler = new CountDownLatch(1);
        stuckChannel.consume("stuck", ConsumeOptions.builder().threading(threading).build(), d ->
        {
            inHandler.countDown();
            release.await(); // "forever": until the test is over
        });
        stuckChannel.publish("", "stuck", new byte[1]);
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        // A healthy consumer on another connection is closed all the same, not held up behind the stuck one.
        final Channel healthy = broker.openChannel();
        healthy.queueDeclare("healthy");
        final List<String> cancelled = new CopyOnWriteArrayList<>();
        healthy.consume("healthy", ConsumeOptions.builder().autoAck(true).dedicatedThread()
            .cancelListener((tag, reason) -> cancelled.add(reason)).build(), d -> { });

        final long start = System.nanoTime();
        final boolean stoppedInTime = broker.close(Duration.ofMillis(200));
        final long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertFalse(stoppedInTime, "a handler is still inside its delivery");
        assertTrue(tookMillis >= 200 && tookMillis < 5_000, "waited the timeout, then returned: " + tookMillis + " ms");
        assertFalse(broker.isOpen());
        assertThrows(BrokerClosedException.class, () -> stuckChannel.publish("", "stuck", new byte[1]));
        assertThrows(BrokerClosedException.class, () -> healthy.publish("", "healthy", new byte[1]));
        assertThrows(BrokerClosedException.class, broker::openChannel);
        assertEquals(List.of("broker closed"), cancelled);
        assertFalse(broker.close(Duration.ZERO), "a later call: the teardown still waits for the handler");

        release.countDown();
        Await.until("the teardown left running ends once the handler returns", () -> broker.close(Duration.ZERO));
    }

    @Test
    void closeWithATimeoutReturnsTrueWhenEverythingStoppedInTime() throws Exception
    {
        final Channel channel = broker.openChannel();
        channel.queueDeclare("q");
        final AtomicReference<Thread> dedicated = new AtomicReference<>();
        channel.consume("q", ConsumeOptions.builder().autoAck(true).dedicatedThread().build(),
            d -> dedicated.set(Thread.currentThread()));
        channel.consume("q", ConsumeOptions.autoAck(), d -> { });
        channel.publish("", "q", new byte[1]);
        channel.publish("", "q", new byte[1]);
        Await.until("the dedicated consumer had a delivery", () -> dedicated.get() != null);

        assertTrue(broker.close(Duration.ofSeconds(10)));
        assertFalse(dedicated.get().isAlive(), "its thread was joined");
        assertTrue(broker.close(Duration.ZERO), "idempotent");
    }

    @Test
    void closeWithoutATimeoutStillWaitsForTheDeliveryInProgressAndRequeuesWhatWasUnacknowledged() throws Exception
    {
        final Channel channel = broker.openChannel();
        channel.queueDeclare("q");
        final CountDownLatch inHandler = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final List<String> events = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.builder().dedicatedThread()
            .cancelListener((tag, reason) -> events.add("cancelled: " + reason)).build(), d ->
        {
            inHandler.countDown();
            finish.await();
            events.add("handler returned");
        });
        channel.publish("", "q", new byte[1]);
        assertTrue(inHandler.await(10, TimeUnit.SECONDS));

        final Thread closer = new Thread(broker::close);
        closer.start();
        closer.join(200);
        assertTrue(closer.isAlive(), "close() waits while the handler runs, however long");
        assertFalse(broker.isOpen(), "but the broker is closed at once");
        finish.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertEquals(List.of("handler returned", "cancelled: broker closed"), events);
        assertEquals(0, channel.unackedCount(), "the unacknowledged delivery was requeued (and discarded with its queue)");
    }

    @Test
    void aNegativeTimeoutIsRefusedAndClosesNothing()
    {
        assertThrows(io.ringmq.error.InvalidArgumentException.class, () -> broker.close(Duration.ofMillis(-1)));
        assertTrue(broker.isOpen());
    }
}
