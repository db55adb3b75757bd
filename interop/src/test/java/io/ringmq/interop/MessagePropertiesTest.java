package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.LongString;
import org.junit.jupiter.api.Test;

/**
 * A message keeps what its publisher gave it: all 14 basic properties, and a header table holding
 * every field type amqp-client writes (nested in a table and an array too), arrive unchanged through
 * basic.get and through basic.deliver, as RabbitMQ passes them on.
 */
@InteropTest
class MessagePropertiesTest
{
    /** AMQP timestamps are whole seconds. */
    private static final Date TIMESTAMP = new Date(1_764_547_200_000L);

    @Test
    void all14PropertiesAndEveryHeaderFieldTypeArriveUnchangedByGetAndByDeliver(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("properties");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        AMQP.BasicProperties sent = allProperties();
        byte[] body = "every property".getBytes(UTF_8);

        channel.basicPublish("", queue, sent, body);
        GetResponse got = getOne(channel, queue);
        assertArrayEquals(body, got.getBody());
        assertSameProperties(sent, got.getProps());

        BlockingQueue<Delivery> delivered = new LinkedBlockingQueue<>();
        Channel consumer = amqp.connect().createChannel();
        consumer.basicConsume(queue, true, (tag, delivery) -> delivered.add(delivery), tag -> { });
        channel.basicPublish("", queue, sent, body);
        Delivery delivery = Await.take(delivered, "the delivered message");
        assertArrayEquals(body, delivery.getBody());
        assertSameProperties(sent, delivery.getProperties());
    }

    @Test
    void aMessageWithoutPropertiesArrivesWithoutAny(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("no-properties");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        channel.basicPublish("", queue, null, new byte[0]);
        GetResponse got = getOne(channel, queue);
        assertEquals(0, got.getBody().length);
        AMQP.BasicProperties props = got.getProps();
        assertNull(props.getContentType());
        assertNull(props.getHeaders());
        assertNull(props.getDeliveryMode());
        assertNull(props.getPriority());
        assertNull(props.getTimestamp());
        assertNull(props.getMessageId());
    }

    /** basic.get until the message published just before arrives (a publish is asynchronous). */
    private static GetResponse getOne(Channel channel, String queue) throws Exception
    {
        GetResponse[] got = new GetResponse[1];
        Await.until(() -> (got[0] = channel.basicGet(queue, true)) != null, "the message published to " + queue);
        return got[0];
    }

    private static AMQP.BasicProperties allProperties()
    {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", "text");
        nested.put("number", 7);
        List<Object> array = new ArrayList<>(List.of("one", 2, 3L, true));
        array.add(List.of("deeper"));
        array.add(Map.of("k", "v"));

        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("longstr", "a string");                                  // S
        headers.put("int", Integer.MIN_VALUE);                                // I
        headers.put("long", Long.MAX_VALUE);                                  // l
        headers.put("short", (short) -12_345);                                // s
        headers.put("byte", (byte) -7);                                       // b
        headers.put("double", Math.PI);                                       // d
        headers.put("float", 2.5f);                                           // f
        headers.put("decimal", new BigDecimal("-1234.5678"));                // D
        headers.put("timestamp", TIMESTAMP);                                  // T
        headers.put("table", nested);                                         // F
        headers.put("array", array);                                          // A
        headers.put("bytes", new byte[] {0, 1, 2, (byte) 0xff});             // x
        headers.put("true", true);                                            // t
        headers.put("false", false);                                          // t
        headers.put("void", null);                                            // V
        headers.put("utf8", "Grüße, 世界");                                    // S, multi-byte

        return new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("gzip")
            .headers(headers)
            .deliveryMode(2)
            .priority(5)
            .correlationId("correlation-1")
            .replyTo("reply-queue")
            .expiration("60000")
            .messageId("message-1")
            .timestamp(TIMESTAMP)
            .type("order.created")
            .userId("guest")
            .appId("interop")
            .clusterId("cluster-1")
            .build();
    }

    private static void assertSameProperties(AMQP.BasicProperties sent, AMQP.BasicProperties received)
    {
        assertEquals(sent.getContentType(), received.getContentType());
        assertEquals(sent.getContentEncoding(), received.getContentEncoding());
        assertEquals(sent.getDeliveryMode(), received.getDeliveryMode());
        assertEquals(sent.getPriority(), received.getPriority());
        assertEquals(sent.getCorrelationId(), received.getCorrelationId());
        assertEquals(sent.getReplyTo(), received.getReplyTo());
        assertEquals(sent.getExpiration(), received.getExpiration());
        assertEquals(sent.getMessageId(), received.getMessageId());
        assertEquals(sent.getTimestamp(), received.getTimestamp());
        assertEquals(sent.getType(), received.getType());
        assertEquals(sent.getUserId(), received.getUserId());
        assertEquals(sent.getAppId(), received.getAppId());
        assertEquals(sent.getClusterId(), received.getClusterId());
        assertNotNull(received.getHeaders(), "headers");
        assertSameTable(sent.getHeaders(), received.getHeaders(), "headers");
    }

    private static void assertSameTable(Map<String, Object> sent, Map<String, Object> received, String where)
    {
        assertEquals(sent.keySet(), received.keySet(), where + ": keys");
        for (Map.Entry<String, Object> field : sent.entrySet())
        {
            assertSameValue(field.getValue(), received.get(field.getKey()), where + "." + field.getKey());
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertSameValue(Object sent, Object received, String where)
    {
        if (sent instanceof String text)
        {
            // amqp-client reads every long string as a LongString.
            assertEquals(text, assertInstanceOf(LongString.class, received, where).toString(), where);
        }
        else if (sent instanceof byte[] bytes)
        {
            assertArrayEquals(bytes, assertInstanceOf(byte[].class, received, where), where);
        }
        else if (sent instanceof Map<?, ?> table)
        {
            assertSameTable((Map<String, Object>) table, assertInstanceOf(Map.class, received, where), where);
        }
        else if (sent instanceof List<?> list)
        {
            List<Object> got = assertInstanceOf(List.class, received, where);
            assertEquals(list.size(), got.size(), where + ": length");
            for (int i = 0; i < list.size(); i++)
            {
                assertSameValue(list.get(i), got.get(i), where + "[" + i + "]");
            }
        }
        else
        {
            // Same value and same type: a short stays a short, a float a float.
            assertEquals(sent, received, where);
        }
    }
}
