package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.rabbit.listener.adapter.MessageListenerAdapter;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Spring AMQP (spring-rabbit, plain Spring, no Boot) as its users wire it: declarations as beans
 * that RabbitAdmin declares on the first connection, RabbitTemplate for sending and receiving,
 * a listener container with manual acks, and request/reply over direct reply-to.
 */
@InteropTest
class SpringAmqpTest
{
    private static final long TIMEOUT_MILLIS = Await.SECONDS * 1000;

    @Test
    void rabbitAdminDeclaresTheContextsQueueExchangeAndBindingAndTheTemplateRoutesThroughThem(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("spring-orders");
        String exchange = amqp.exchangeName("spring-shop");
        try (AnnotationConfigApplicationContext context = springContext(amqp))
        {
            context.registerBean("ordersQueue", Queue.class, () -> new Queue(queue, false, false, false));
            context.registerBean("shopExchange", DirectExchange.class, () -> new DirectExchange(exchange, false, false));
            context.registerBean("ordersBinding", Binding.class,
                () -> BindingBuilder.bind(new Queue(queue, false)).to(new DirectExchange(exchange)).with("order.created"));
            context.refresh();
            RabbitTemplate template = context.getBean(RabbitTemplate.class);

            template.convertAndSend(exchange, "order.created", "order 17");   // the first connection declares
            template.convertAndSend(exchange, "order.cancelled", "unrouted");
            assertEquals("order 17", template.receiveAndConvert(queue, TIMEOUT_MILLIS));
            assertNull(template.receiveAndConvert(queue, 200), "only the bound key was routed");

            Properties properties = context.getBean(RabbitAdmin.class).getQueueProperties(queue);
            assertNotNull(properties, "RabbitAdmin sees the queue it declared");
            assertEquals(0, ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue());
        }
        Channel check = amqp.channel();
        check.exchangeDeclarePassive(exchange);
        check.queueDeclarePassive(queue);
    }

    @Test
    void theTemplateConvertsTextAndBytesBothWays(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("spring-convert");
        try (AnnotationConfigApplicationContext context = springContext(amqp))
        {
            context.registerBean("queue", Queue.class, () -> new Queue(queue, false, false, false));
            context.refresh();
            RabbitTemplate template = context.getBean(RabbitTemplate.class);
            template.convertAndSend("", queue, "héllo");
            template.convertAndSend("", queue, new byte[] {1, 2, 3});
            Message text = template.receive(queue, TIMEOUT_MILLIS);
            assertEquals(MessageProperties.CONTENT_TYPE_TEXT_PLAIN, text.getMessageProperties().getContentType());
            assertEquals("héllo", new String(text.getBody(), UTF_8));
            Object bytes = template.receiveAndConvert(queue, TIMEOUT_MILLIS);
            assertTrue(bytes instanceof byte[] b && b.length == 3 && b[2] == 3, "bytes come back as bytes");
        }
    }

    @Test
    void aListenerContainerWithManualAcksSeesTheRedeliveryOfWhatItNacked(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("spring-manual");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (AnnotationConfigApplicationContext context = springContext(amqp))
        {
            context.registerBean("queue", Queue.class, () -> new Queue(queue, false, false, false));
            context.refresh();
            CachingConnectionFactory connections = context.getBean(CachingConnectionFactory.class);
            context.getBean(RabbitAdmin.class).initialize();

            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
            container.setQueueNames(queue);
            container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
            container.setPrefetchCount(1);
            container.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
                MessageProperties p = message.getMessageProperties();
                String body = new String(message.getBody(), UTF_8);
                seen.add(body + (p.isRedelivered() ? " (redelivered)" : ""));
                if (body.equals("nack me") && !p.isRedelivered())
                {
                    channel.basicNack(p.getDeliveryTag(), false, true);
                }
                else
                {
                    channel.basicAck(p.getDeliveryTag(), false);
                }
            });
            container.start();
            try
            {
                RabbitTemplate template = context.getBean(RabbitTemplate.class);
                template.convertAndSend("", queue, "nack me");
                template.convertAndSend("", queue, "ack me");
                assertEquals(List.of("nack me", "nack me (redelivered)", "ack me"),
                             List.of(Await.take(seen, "first"), Await.take(seen, "second"), Await.take(seen, "third")));
            }
            finally
            {
                container.stop();
            }
            assertEquals(0, ((Number) context.getBean(RabbitAdmin.class).getQueueProperties(queue)
                .get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).intValue(), "everything acked");
        }
    }

    @Test
    void sendAndReceiveGetsTheReplyOverDirectReplyTo(Amqp amqp) throws Exception
    {
        String requests = amqp.queueName("spring-rpc");
        BlockingQueue<String> replyTos = new LinkedBlockingQueue<>();
        try (AnnotationConfigApplicationContext context = springContext(amqp))
        {
            context.registerBean("requests", Queue.class, () -> new Queue(requests, false, false, false));
            context.refresh();
            context.getBean(RabbitAdmin.class).initialize();

            MessageListenerAdapter upperCaser = new MessageListenerAdapter(new Object()
            {
                @SuppressWarnings("unused")   // called by the adapter, by name
                public String handleMessage(String request)
                {
                    return request.toUpperCase();
                }
            });
            SimpleMessageListenerContainer server = new SimpleMessageListenerContainer(context.getBean(CachingConnectionFactory.class));
            server.setQueueNames(requests);
            server.setMessageListener((ChannelAwareMessageListener) (message, channel) -> {
                replyTos.add(message.getMessageProperties().getReplyTo());
                upperCaser.onMessage(message, channel);
            });
            server.start();
            try
            {
                RabbitTemplate template = context.getBean(RabbitTemplate.class);
                assertEquals("PING", template.convertSendAndReceive("", requests, "ping"));
                assertEquals("PONG", template.convertSendAndReceive("", requests, "pong"));
            }
            finally
            {
                server.stop();
            }
        }
        for (String request : List.of("ping", "pong"))
        {
            String replyTo = Await.take(replyTos, "the reply-to of " + request);
            assertTrue(replyTo.startsWith("amq.rabbitmq.reply-to."), "RabbitTemplate used direct reply-to: " + replyTo);
        }
    }

    /** A context with a connection factory for the broker under test, a RabbitAdmin and a RabbitTemplate. */
    private static AnnotationConfigApplicationContext springContext(Amqp amqp)
    {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(CachingConnectionFactory.class, () -> new CachingConnectionFactory(amqp.factory()));
        context.registerBean(RabbitAdmin.class, () -> new RabbitAdmin(context.getBean(CachingConnectionFactory.class)));
        context.registerBean(RabbitTemplate.class, () -> {
            RabbitTemplate template = new RabbitTemplate(context.getBean(CachingConnectionFactory.class));
            template.setReplyTimeout(TIMEOUT_MILLIS);
            return template;
        });
        return context;
    }
}
