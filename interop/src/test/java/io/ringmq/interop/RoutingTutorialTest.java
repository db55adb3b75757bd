package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

/** RabbitMQ tutorial four, "Routing": a direct exchange, queues bound with one or several keys. */
@InteropTest
class RoutingTutorialTest
{
    @Test
    void directExchangeDeliversBySeverityToEveryQueueBoundWithThatKey(Amqp amqp) throws Exception
    {
        String exchange = amqp.exchangeName("direct_logs");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT);
        String errorsOnly = channel.queueDeclare().getQueue();
        channel.queueBind(errorsOnly, exchange, "error");
        String everything = channel.queueDeclare().getQueue();
        for (String severity : List.of("info", "warning", "error"))
        {
            channel.queueBind(everything, exchange, severity);
        }

        Channel publisher = amqp.channel();
        for (String severity : List.of("info", "warning", "error", "debug"))
        {
            Messages.publishConfirmed(publisher, exchange, severity, severity + " message");
        }

        assertEquals(List.of("error message"), Messages.drain(channel, errorsOnly));
        assertEquals(List.of("info message", "warning message", "error message"), Messages.drain(channel, everything));
    }
}
