package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

/** Exchange-to-exchange bindings, alternate exchanges and the headers exchange, as RabbitMQ routes them. */
@InteropTest
class ExchangeSemanticsTest
{
    @Test
    void anExchangeBoundToAnExchangeForwardsWhatMatchesAndEachQueueGetsOneCopy(Amqp amqp) throws Exception
    {
        String source = amqp.exchangeName("e2e-source");
        String destination = amqp.exchangeName("e2e-destination");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(source, BuiltinExchangeType.TOPIC);
        channel.exchangeDeclare(destination, BuiltinExchangeType.FANOUT);
        channel.exchangeBind(destination, source, "orders.*");
        String viaDestination = channel.queueDeclare().getQueue();
        channel.queueBind(viaDestination, destination, "");
        channel.queueBind(viaDestination, source, "orders.#");   // reachable twice, delivered once

        Channel publisher = amqp.channel();
        Messages.publishConfirmed(publisher, source, "orders.new", "forwarded");
        Messages.publishConfirmed(publisher, source, "payments.new", "not forwarded");
        assertEquals(List.of("forwarded"), Messages.drain(channel, viaDestination));

        channel.exchangeUnbind(destination, source, "orders.*");
        channel.queueUnbind(viaDestination, source, "orders.#");
        Messages.publishConfirmed(publisher, source, "orders.new", "after unbind");
        assertEquals(List.of(), Messages.drain(channel, viaDestination));
    }

    @Test
    void whatAnExchangeCannotRouteGoesToItsAlternateExchangeAndIsNotReturned(Amqp amqp) throws Exception
    {
        String alternate = amqp.exchangeName("ae");
        String primary = amqp.exchangeName("with-ae");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(alternate, BuiltinExchangeType.FANOUT);
        channel.exchangeDeclare(primary, BuiltinExchangeType.DIRECT, false, false, Map.of("alternate-exchange", alternate));
        String routed = channel.queueDeclare().getQueue();
        channel.queueBind(routed, primary, "known");
        String unrouted = channel.queueDeclare().getQueue();
        channel.queueBind(unrouted, alternate, "");

        Channel publisher = amqp.channel();
        AtomicBoolean returned = new AtomicBoolean();
        publisher.addReturnListener(r -> returned.set(true));
        publisher.confirmSelect();
        publisher.basicPublish(primary, "known", true, null, "routed".getBytes(UTF_8));
        publisher.basicPublish(primary, "unknown", true, null, "to the AE".getBytes(UTF_8));
        publisher.waitForConfirmsOrDie(Await.SECONDS * 1000);

        assertEquals(List.of("routed"), Messages.drain(channel, routed));
        assertEquals(List.of("to the AE"), Messages.drain(channel, unrouted));
        assertFalse(returned.get(), "routed by the alternate exchange counts as routed for mandatory");
    }

    @Test
    void theHeadersExchangeMatchesAllOrAnyOfTheBindingsHeaders(Amqp amqp) throws Exception
    {
        String exchange = amqp.exchangeName("headers");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.HEADERS);
        String all = channel.queueDeclare().getQueue();
        channel.queueBind(all, exchange, "", Map.of("x-match", "all", "format", "pdf", "type", "report"));
        String any = channel.queueDeclare().getQueue();
        channel.queueBind(any, exchange, "", Map.of("x-match", "any", "format", "pdf", "type", "report"));

        Channel publisher = amqp.channel();
        publisher.confirmSelect();
        publish(publisher, exchange, Map.of("format", "pdf", "type", "report"), "both");
        publish(publisher, exchange, Map.of("format", "pdf", "type", "log"), "format only");
        publish(publisher, exchange, Map.of("format", "zip"), "neither");
        publish(publisher, exchange, Map.of("format", "pdf", "type", "report", "extra", 1), "both and more");
        publisher.waitForConfirmsOrDie(Await.SECONDS * 1000);

        assertEquals(List.of("both", "both and more"), Messages.drain(channel, all));
        assertEquals(List.of("both", "format only", "both and more"), Messages.drain(channel, any));
    }

    private static void publish(Channel channel, String exchange, Map<String, Object> headers, String body) throws Exception
    {
        channel.basicPublish(exchange, "ignored", new AMQP.BasicProperties.Builder().headers(headers).build(), body.getBytes(UTF_8));
    }
}
