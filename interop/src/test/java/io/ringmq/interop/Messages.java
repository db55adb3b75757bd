package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

/** Small publish/get steps many tests share. */
final class Messages
{
    private Messages()
    {
    }

    /**
     * Publishes each body in confirm mode and waits for the confirms, so that once this returns
     * the broker has routed every message and a {@code basic.get} sees them.
     */
    static void publishConfirmed(Channel channel, String exchange, String routingKey, String... bodies)
        throws IOException, InterruptedException, TimeoutException
    {
        channel.confirmSelect();
        for (String body : bodies)
        {
            channel.basicPublish(exchange, routingKey, null, body.getBytes(UTF_8));
        }
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);
    }

    /** Publishes one message to the default exchange in confirm mode and waits for its confirm. */
    static void publishConfirmedBytes(Channel channel, String queue, byte[] body)
        throws IOException, InterruptedException, TimeoutException
    {
        channel.confirmSelect();
        channel.basicPublish("", queue, null, body);
        channel.waitForConfirmsOrDie(Await.SECONDS * 1000);
    }

    /** Takes (auto-ack) every message now in the queue, in order. */
    static List<String> drain(Channel channel, String queue) throws IOException
    {
        List<String> bodies = new ArrayList<>();
        GetResponse response;
        while ((response = channel.basicGet(queue, true)) != null)
        {
            bodies.add(body(response));
        }
        return bodies;
    }

    static String body(GetResponse response)
    {
        return new String(response.getBody(), UTF_8);
    }
}
