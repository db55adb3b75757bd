package io.ringmq.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.ringmq.amqp.codec.AmqpProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Heartbeats on a live server offering 1 s, as RabbitMQ's rabbit_heartbeat keeps them: the server looks every
 * half interval and sends a heartbeat when it has sent nothing since it last looked, and drops a peer it has
 * heard nothing from for two intervals (no connection.close: the peer is gone). A client may send heartbeats whatever was negotiated, and a
 * client that asks for heartbeats from a server that offered none gets them.
 */
@Timeout(30)
class HeartbeatTest
{
    private static final int HEARTBEAT_SECONDS = 1;

    private static EmbeddedServer server;

    @BeforeAll
    static void start()
    {
        server = EmbeddedServer.start(options -> options.heartbeat(HEARTBEAT_SECONDS));
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    /** Reads for {@code millis}, sending a heartbeat every 300 ms; @return how many heartbeats the server sent. */
    private static int heartbeatsReceivedWhileBeating(final RawAmqpClient client, final long millis)
    {
        int heartbeats = 0;
        final long end = System.currentTimeMillis() + millis;
        long nextBeat = 0;
        for (long now = System.currentTimeMillis(); now < end; now = System.currentTimeMillis())
        {
            if (now >= nextBeat)
            {
                client.sendHeartbeat(0);
                nextBeat = now + 300;
            }
            final Frame frame = client.pollFrame(Math.min(end, nextBeat) - now);
            if (frame != null)
            {
                assertEquals(AmqpProtocol.FRAME_HEARTBEAT, frame.type, () -> "an idle connection got " + frame);
                assertEquals(0, frame.channel);
                heartbeats++;
            }
        }
        return heartbeats;
    }

    @Test
    void theServerSendsHeartbeatsOnAnIdleConnection()
    {
        try (RawAmqpClient client = server.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            assertEquals(HEARTBEAT_SECONDS, tune.getHeartbeat());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), HEARTBEAT_SECONDS);
            client.open("/");
            // About one an interval when idle (RabbitMQ's sender counts its own last heartbeat as traffic, so it
            // beats every other half interval): 3 in 3.2 s; at least 2 leaves room for a loaded machine.
            final int heartbeats = heartbeatsReceivedWhileBeating(client, 3_200);
            assertTrue(heartbeats >= 2, "heartbeats in 3.2 s: " + heartbeats);
            // The peer kept beating, so it was not dropped: the connection still works.
            client.openChannel(1);
        }
        server.assertUnaffected();
    }

    @Test
    void aPeerSilentForTwoIntervalsIsDroppedWithoutConnectionClose()
    {
        try (RawAmqpClient client = server.raw().openConnection(HEARTBEAT_SECONDS))
        {
            final long silentSince = System.currentTimeMillis();
            client.expectEnd(); // heartbeats from the server are allowed on the way; a method is not
            final long silentFor = System.currentTimeMillis() - silentSince;
            assertTrue(silentFor >= 2 * HEARTBEAT_SECONDS * 1000 - 200,
                "dropped after " + silentFor + " ms of silence, before two intervals");
        }
        server.assertUnaffected();
    }

    @Test
    void aRealClientIdleForThreeIntervalsStaysConnected() throws Exception
    {
        final ConnectionFactory factory = server.factory();
        factory.setRequestedHeartbeat(HEARTBEAT_SECONDS);
        try (Connection connection = factory.newConnection())
        {
            assertEquals(HEARTBEAT_SECONDS, connection.getHeartbeat());
            Thread.sleep(3_000L * HEARTBEAT_SECONDS);
            assertTrue(connection.isOpen(), "closed: " + connection.getCloseReason());
            final Channel channel = connection.createChannel();
            channel.queueDeclare();
        }
    }

    @Test
    void aClientMayHeartbeatWhenTheServerOfferedNone()
    {
        try (EmbeddedServer quiet = EmbeddedServer.start(options -> options.heartbeat(0));
             RawAmqpClient client = quiet.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            assertEquals(0, tune.getHeartbeat());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), 0);
            client.open("/");
            assertEquals(0, heartbeatsReceivedWhileBeating(client, 1_200), "heartbeats from a server that offered none");
            client.openChannel(1);
            quiet.assertUnaffected();
        }
    }

    @Test
    void aClientThatAsksForHeartbeatsFromAServerThatOfferedNoneGetsThem()
    {
        // RabbitMQ runs its heartbeater with the value of tune-ok, whatever it offered.
        try (EmbeddedServer quiet = EmbeddedServer.start(options -> options.heartbeat(0));
             RawAmqpClient client = quiet.raw())
        {
            final AMQImpl.Connection.Tune tune = client.startAndLogin("guest", "guest", RawAmqpClient.modernCapabilities());
            client.tuneOk(tune.getChannelMax(), tune.getFrameMax(), HEARTBEAT_SECONDS);
            client.open("/");
            final int heartbeats = heartbeatsReceivedWhileBeating(client, 2_000);
            assertTrue(heartbeats >= 2, "heartbeats in 2 s: " + heartbeats);
            quiet.assertUnaffected();
        }
    }
}
