package io.ringmq.amqp;

import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What AMQP 0-9-1 defines and RabbitMQ refuses with 540 NOT_IMPLEMENTED, a connection error: basic.publish with
 * immediate, basic.recover without requeue, basic.qos with a prefetch size, channel.flow that stops deliveries.
 * The texts are RabbitMQ 3.10's (rabbit_channel). After each test the other connections still work.
 */
@Timeout(30)
class NotImplementedTest extends ServerTestBase
{
    private static void assertRefused(final Method method, final String text)
    {
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, method).expectConnectionClose(ReplyCode.NOT_IMPLEMENTED, text, method.protocolClassId(),
                method.protocolMethodId());
        }
    }

    @Test
    void aPublishWithImmediateIs540()
    {
        // RabbitMQ dropped immediate in 3.0. The message's content follows, as a client sends it, and is ignored.
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Basic.Publish(0, "", "q", false, true)).sendContentHeader(1, 3)
                .sendBody(1, new byte[] {1, 2, 3});
            client.expectConnectionClose(ReplyCode.NOT_IMPLEMENTED, "NOT_IMPLEMENTED - immediate=true", 60, 40);
        }
    }

    @Test
    void aRecoverWithoutRequeueIs540()
    {
        assertRefused(new AMQImpl.Basic.Recover(false), "NOT_IMPLEMENTED - requeue=false");
        assertRefused(new AMQImpl.Basic.RecoverAsync(false), "NOT_IMPLEMENTED - requeue=false");
    }

    @Test
    void aNonZeroPrefetchSizeIs540()
    {
        assertRefused(new AMQImpl.Basic.Qos(1, 10, false), "NOT_IMPLEMENTED - prefetch_size!=0 (1)");
    }

    @Test
    void aChannelFlowThatStopsDeliveriesIs540AndOneThatStartsThemIsAnswered()
    {
        assertRefused(new AMQImpl.Channel.Flow(false), "NOT_IMPLEMENTED - active=false");
        try (RawAmqpClient client = server.rawWithChannel())
        {
            client.send(1, new AMQImpl.Channel.Flow(true));
            assertTrue(client.expect(AMQImpl.Channel.FlowOk.class).getActive());
        }
    }
}
