package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import org.junit.jupiter.api.Test;

/**
 * connection.blocked / connection.unblocked: RabbitMQ blocks publishing connections during a
 * resource alarm and tells clients that announced the connection.blocked capability. The run
 * provokes the alarm with commands it is given ({@value InteropSettings#ALARM_RAISE} and
 * {@value InteropSettings#ALARM_CLEAR}); without them the test is skipped.
 */
@InteropTest
class ConnectionBlockedTest
{
    @Test
    void aPublisherIsBlockedDuringAnAlarmAndUnblockedAfterItAndItsMessageArrives(Amqp amqp) throws Exception
    {
        Optional<String> raise = InteropSettings.get(InteropSettings.ALARM_RAISE);
        Optional<String> clear = InteropSettings.get(InteropSettings.ALARM_CLEAR);
        assumeTrue(raise.isPresent() && clear.isPresent(),
                   "set " + InteropSettings.ALARM_RAISE + " and " + InteropSettings.ALARM_CLEAR + " to provoke connection.blocked");

        String queue = amqp.queueName("blocked");
        Connection connection = amqp.connect();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        connection.addBlockedListener(new BlockedListener()
        {
            @Override
            public void handleBlocked(String reason)
            {
                events.add("blocked: " + reason);
            }

            @Override
            public void handleUnblocked()
            {
                events.add("unblocked");
            }
        });
        Channel channel = connection.createChannel();
        channel.queueDeclare(queue, false, false, false, null);

        shell(raise.get());
        try
        {
            // RabbitMQ blocks a connection when it next publishes during the alarm, and says so then.
            channel.basicPublish("", queue, null, "held back".getBytes(UTF_8));
            String blocked = Await.take(events, "connection.blocked");
            // RabbitMQ 3.10 gives the reason "low on memory" for the memory alarm.
            assertEquals("blocked: low on memory", blocked);
            assertEquals(0, amqp.channel().queueDeclarePassive(queue).getMessageCount(), "the publish is held while blocked");
        }
        finally
        {
            shell(clear.get());
        }
        assertEquals("unblocked", Await.take(events, "connection.unblocked"));
        Await.until(() -> amqp.channel().queueDeclarePassive(queue).getMessageCount() == 1, "the held message to arrive");
    }

    private static void shell(String command) throws Exception
    {
        Process process = new ProcessBuilder(List.of("bash", "-c", command)).inheritIO().start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited)
        {
            process.destroyForcibly();
        }
        assertTrue(exited && process.exitValue() == 0, "command failed: " + command);
    }
}
