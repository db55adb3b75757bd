package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;

/** RabbitMQ tutorial five, "Topics": {@code *} matches one word, {@code #} zero or more. */
@InteropTest
class TopicsTutorialTest
{
    @Test
    void topicExchangeRoutesTheTutorialsAnimalsAsItSays(Amqp amqp) throws Exception
    {
        String exchange = amqp.exchangeName("topic_logs");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC);
        String q1 = channel.queueDeclare().getQueue();
        channel.queueBind(q1, exchange, "*.orange.*");
        String q2 = channel.queueDeclare().getQueue();
        channel.queueBind(q2, exchange, "*.*.rabbit");
        channel.queueBind(q2, exchange, "lazy.#");

        Channel publisher = amqp.channel();
        for (String key : List.of("quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox", "lazy.brown.fox",
                                  "lazy.pink.rabbit", "quick.brown.fox", "orange", "quick.orange.new.rabbit",
                                  "lazy.orange.new.rabbit", "lazy"))
        {
            Messages.publishConfirmed(publisher, exchange, key, key);
        }

        assertEquals(List.of("quick.orange.rabbit", "lazy.orange.elephant", "quick.orange.fox"),
                     Messages.drain(channel, q1));
        // lazy.pink.rabbit matches both of Q2's bindings and is still delivered once.
        assertEquals(List.of("quick.orange.rabbit", "lazy.orange.elephant", "lazy.brown.fox", "lazy.pink.rabbit",
                             "lazy.orange.new.rabbit", "lazy"),
                     Messages.drain(channel, q2));
    }
}
