package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.LongStringHelper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol.BasicProperty;
import io.ringmq.amqp.codec.AmqpProtocol.Field;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The protocol table agrees with RabbitMQ's Java client, which is generated from the same codegen JSON. */
class AmqpProtocolTest
{
    /** @return amqp-client's class for a method, e.g. basic.get-ok → AMQImpl$Basic$GetOk. */
    static Class<?> clientClass(final Method method) throws ClassNotFoundException
    {
        final String[] parts = method.amqpName().split("\\.");
        return Class.forName(AMQImpl.class.getName() + "$" + camel(parts[0]) + "$" + camel(parts[1]));
    }

    private static String camel(final String dashed)
    {
        return Arrays.stream(dashed.split("-"))
            .map(p -> Character.toUpperCase(p.charAt(0)) + p.substring(1))
            .collect(Collectors.joining());
    }

    @Test
    void everyMethodHasTheClientsIdsNameAndContentFlag() throws Exception
    {
        for (final Method method : Method.values())
        {
            final Class<?> c = clientClass(method);
            assertEquals(method.methodId(), c.getField("INDEX").getInt(null), method.amqpName());
            assertEquals(method.classId(), c.getEnclosingClass().getField("INDEX").getInt(null), method.amqpName());
            final com.rabbitmq.client.impl.Method instance = instantiate(method, TableEncoder.randomValues(method,
                new Random(1)));
            assertEquals(method.amqpName(), instance.protocolMethodName());
            assertEquals(method.hasContent(), instance.hasContent(), method.amqpName());
        }
    }

    @Test
    void theTableHasEveryMethodTheClientKnows()
    {
        final Set<String> client = new HashSet<>();
        for (final Class<?> amqpClass : AMQImpl.class.getDeclaredClasses())
        {
            for (final Class<?> m : amqpClass.getDeclaredClasses())
            {
                if (com.rabbitmq.client.impl.Method.class.isAssignableFrom(m))
                {
                    client.add(amqpClass.getSimpleName() + "." + m.getSimpleName());
                }
            }
        }
        assertEquals(66, Method.values().length);
        assertEquals(client.size(), Method.values().length, "methods in amqp-client: " + client);
    }

    @Test
    void fieldsInTableOrderEncodeAsTheClientEncodesThem() throws Exception
    {
        final Random random = new Random(42);
        for (int round = 0; round < 20; round++)
        {
            for (final Method method : Method.values())
            {
                final List<Object> values = TableEncoder.randomValues(method, random);
                // amqp-client copies tables into a HashMap, so only a one-entry table has one byte order.
                for (int i = 0; i < values.size(); i++)
                {
                    if (values.get(i) instanceof Map)
                    {
                        values.set(i, Map.of("x-key", round));
                    }
                }
                final ByteBuf ours = Unpooled.buffer();
                TableEncoder.payload(ours, method, values);
                final byte[] frame = ClientOracle.frame(instantiate(method, values), 0);
                final byte[] theirs = Arrays.copyOfRange(frame, AmqpProtocol.FRAME_PAYLOAD_OFFSET, frame.length - 1);
                assertArrayEquals(theirs, ByteBufUtil.getBytes(ours), method.amqpName() + " " + values);
            }
        }
    }

    /** Builds amqp-client's method object from values in our table's field order and types. */
    static com.rabbitmq.client.impl.Method instantiate(final Method method, final List<Object> values)
        throws Exception
    {
        final List<Field> fields = method.fields();
        for (final Constructor<?> constructor : clientClass(method).getConstructors())
        {
            final Class<?>[] types = constructor.getParameterTypes();
            if (types.length != fields.size() ||
                (types.length == 1 && types[0].getSimpleName().equals("MethodArgumentReader")))
            {
                continue;
            }
            final Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++)
            {
                final Object v = values.get(i);
                args[i] = switch (fields.get(i).type())
                {
                    case LONG -> (int)(long)(Long)v;
                    case LONGSTR -> LongStringHelper.asLongString((byte[])v);
                    case TIMESTAMP -> new Date((Long)v * 1000);
                    default -> v;
                };
            }
            return (com.rabbitmq.client.impl.Method)constructor.newInstance(args);
        }
        throw new AssertionError("no constructor of " + method.amqpName() + " takes its " + fields.size() + " fields");
    }

    @Test
    void byIdFindsEveryMethodAndNothingElse()
    {
        for (final Method method : Method.values())
        {
            assertSame(method, Method.byId(method.classId(), method.methodId()));
        }
        assertNull(Method.byId(60, 41));
        assertNull(Method.byId(40, 41)); // exchange.unbind-ok is 51
        assertNull(Method.byId(11, 10));
        assertNull(Method.byId(65535, 65535));
        assertNull(Method.byId(-1, 10));
    }

    @Test
    void replyCodesAreTheClientsConstants() throws Exception
    {
        for (final ReplyCode code : ReplyCode.values())
        {
            assertEquals(code.code(), AMQP.class.getField(code.name()).getInt(null), code.name());
            assertSame(code, ReplyCode.of(code.code()));
        }
        assertEquals(19, ReplyCode.values().length);
        assertNull(ReplyCode.of(201));
        assertTrue(ReplyCode.FRAME_ERROR.hardError());
        assertTrue(!ReplyCode.NOT_FOUND.hardError());
        assertEquals("NOT_FOUND - no queue 'q'", ReplyCode.NOT_FOUND.replyText("no queue 'q'"));
    }

    @Test
    void frameConstantsAreTheClientsConstants()
    {
        assertEquals(AMQP.FRAME_METHOD, AmqpProtocol.FRAME_METHOD);
        assertEquals(AMQP.FRAME_HEADER, AmqpProtocol.FRAME_HEADER);
        assertEquals(AMQP.FRAME_BODY, AmqpProtocol.FRAME_BODY);
        assertEquals(AMQP.FRAME_HEARTBEAT, AmqpProtocol.FRAME_HEARTBEAT);
        assertEquals(AMQP.FRAME_END, AmqpProtocol.FRAME_END);
        assertEquals(AMQP.FRAME_MIN_SIZE, AmqpProtocol.FRAME_MIN_SIZE);
        assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, AmqpProtocol.protocolHeader());
    }

    @Test
    void eachBasicPropertyHasTheFlagBitTheClientWrites()
    {
        for (final BasicProperty property : BasicProperty.values())
        {
            final AMQP.BasicProperties.Builder b = new AMQP.BasicProperties.Builder();
            switch (property)
            {
                case CONTENT_TYPE -> b.contentType("t");
                case CONTENT_ENCODING -> b.contentEncoding("e");
                case HEADERS -> b.headers(Map.of("h", 1));
                case DELIVERY_MODE -> b.deliveryMode(2);
                case PRIORITY -> b.priority(3);
                case CORRELATION_ID -> b.correlationId("c");
                case REPLY_TO -> b.replyTo("r");
                case EXPIRATION -> b.expiration("10");
                case MESSAGE_ID -> b.messageId("m");
                case TIMESTAMP -> b.timestamp(new Date(1000));
                case TYPE -> b.type("t");
                case USER_ID -> b.userId("u");
                case APP_ID -> b.appId("a");
                case CLUSTER_ID -> b.clusterId("c");
                default -> throw new AssertionError(property);
            }
            final ByteBuf flagsAndValues = ClientOracle.properties(b.build());
            assertEquals(property.flag(), flagsAndValues.getUnsignedShort(flagsAndValues.readerIndex()),
                property.name());
        }
        assertEquals(List.of("content-type", "content-encoding", "headers", "delivery-mode", "priority",
            "correlation-id", "reply-to", "expiration", "message-id", "timestamp", "type", "user-id", "app-id",
            "cluster-id"), new ArrayList<>(Arrays.stream(BasicProperty.values()).map(p -> p.field().name()).toList()));
    }
}
