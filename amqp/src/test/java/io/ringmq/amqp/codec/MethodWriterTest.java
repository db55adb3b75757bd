package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol.FieldType;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MethodWriterTest
{
    /** Writes {@code method} with {@code values} (table field order) through the writer for it. */
    @SuppressWarnings("unchecked")
    private static void write(final ByteBuf out, final int ch, final Method method, final List<Object> v)
    {
        switch (method)
        {
            case CONNECTION_START -> MethodWriter.connectionStart(out, (Map<String, ?>)v.get(2), utf8(v.get(3)),
                utf8(v.get(4)));
            case CONNECTION_SECURE -> MethodWriter.connectionSecure(out, (byte[])v.get(0));
            case CONNECTION_TUNE -> MethodWriter.connectionTune(out, (Integer)v.get(0), (int)(long)(Long)v.get(1),
                (Integer)v.get(2));
            case CONNECTION_OPEN_OK -> MethodWriter.connectionOpenOk(out);
            case CONNECTION_CLOSE -> MethodWriter.connectionClose(out, (Integer)v.get(0), (String)v.get(1),
                (Integer)v.get(2), (Integer)v.get(3));
            case CONNECTION_CLOSE_OK -> MethodWriter.connectionCloseOk(out);
            case CONNECTION_BLOCKED -> MethodWriter.connectionBlocked(out, (String)v.get(0));
            case CONNECTION_UNBLOCKED -> MethodWriter.connectionUnblocked(out);
            case CONNECTION_UPDATE_SECRET_OK -> MethodWriter.connectionUpdateSecretOk(out);
            case CHANNEL_OPEN_OK -> MethodWriter.channelOpenOk(out, ch);
            case CHANNEL_FLOW -> MethodWriter.channelFlow(out, ch, (Boolean)v.get(0));
            case CHANNEL_FLOW_OK -> MethodWriter.channelFlowOk(out, ch, (Boolean)v.get(0));
            case CHANNEL_CLOSE -> MethodWriter.channelClose(out, ch, (Integer)v.get(0), (String)v.get(1),
                (Integer)v.get(2), (Integer)v.get(3));
            case CHANNEL_CLOSE_OK -> MethodWriter.channelCloseOk(out, ch);
            case ACCESS_REQUEST_OK -> MethodWriter.accessRequestOk(out, ch, (Integer)v.get(0));
            case EXCHANGE_DECLARE_OK -> MethodWriter.exchangeDeclareOk(out, ch);
            case EXCHANGE_DELETE_OK -> MethodWriter.exchangeDeleteOk(out, ch);
            case EXCHANGE_BIND_OK -> MethodWriter.exchangeBindOk(out, ch);
            case EXCHANGE_UNBIND_OK -> MethodWriter.exchangeUnbindOk(out, ch);
            case QUEUE_DECLARE_OK -> MethodWriter.queueDeclareOk(out, ch, (String)v.get(0), (Long)v.get(1),
                (Long)v.get(2));
            case QUEUE_BIND_OK -> MethodWriter.queueBindOk(out, ch);
            case QUEUE_UNBIND_OK -> MethodWriter.queueUnbindOk(out, ch);
            case QUEUE_PURGE_OK -> MethodWriter.queuePurgeOk(out, ch, (Long)v.get(0));
            case QUEUE_DELETE_OK -> MethodWriter.queueDeleteOk(out, ch, (Long)v.get(0));
            case BASIC_QOS_OK -> MethodWriter.basicQosOk(out, ch);
            case BASIC_CONSUME_OK -> MethodWriter.basicConsumeOk(out, ch, (String)v.get(0));
            case BASIC_CANCEL -> MethodWriter.basicCancel(out, ch, (String)v.get(0), (Boolean)v.get(1));
            case BASIC_CANCEL_OK -> MethodWriter.basicCancelOk(out, ch, (String)v.get(0));
            case BASIC_RETURN -> MethodWriter.basicReturn(out, ch, (Integer)v.get(0), (String)v.get(1),
                (String)v.get(2), (String)v.get(3));
            case BASIC_DELIVER -> MethodWriter.basicDeliver(out, ch, (String)v.get(0), (Long)v.get(1),
                (Boolean)v.get(2), (String)v.get(3), (String)v.get(4));
            case BASIC_GET_OK -> MethodWriter.basicGetOk(out, ch, (Long)v.get(0), (Boolean)v.get(1), (String)v.get(2),
                (String)v.get(3), (Long)v.get(4));
            case BASIC_GET_EMPTY -> MethodWriter.basicGetEmpty(out, ch);
            case BASIC_ACK -> MethodWriter.basicAck(out, ch, (Long)v.get(0), (Boolean)v.get(1));
            case BASIC_NACK -> MethodWriter.basicNack(out, ch, (Long)v.get(0), (Boolean)v.get(1), (Boolean)v.get(2));
            case BASIC_RECOVER_OK -> MethodWriter.basicRecoverOk(out, ch);
            case TX_SELECT_OK -> MethodWriter.txSelectOk(out, ch);
            case TX_COMMIT_OK -> MethodWriter.txCommitOk(out, ch);
            case TX_ROLLBACK_OK -> MethodWriter.txRollbackOk(out, ch);
            case CONFIRM_SELECT_OK -> MethodWriter.confirmSelectOk(out, ch);
            default -> throw new IllegalArgumentException(method.amqpName() + " is not sent by the server");
        }
    }

    private static String utf8(final Object bytes)
    {
        return new String((byte[])bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Values the writers can carry: the reserved fields they write empty, connection.start's fixed 0-9. */
    private static List<Object> writableValues(final Method method, final Random random)
    {
        final List<Object> v = TableEncoder.randomValues(method, random);
        for (int i = 0; i < v.size(); i++)
        {
            final String name = method.fields().get(i).name();
            if (name.equals("known-hosts") || name.equals("cluster-id"))
            {
                v.set(i, "");
            }
            else if (name.equals("channel-id"))
            {
                v.set(i, new byte[0]);
            }
            else if (method.fields().get(i).type() == FieldType.LONGSTR && method == Method.CONNECTION_START)
            {
                v.set(i, "PLAIN AMQPLAIN \u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (method == Method.CONNECTION_START)
        {
            v.set(0, 0);
            v.set(1, 9);
        }
        return v;
    }

    @Test
    void everyServerMethodIsWrittenAsTheTableEncodesItAndTheJavaClientReadsIt()
    {
        final Random random = new Random(17);
        int methods = 0;
        for (final Method method : Method.values())
        {
            if (!method.sentByServer())
            {
                continue;
            }
            methods++;
            for (int round = 0; round < 50; round++)
            {
                final List<Object> values = writableValues(method, random);
                final int channel = method.classId() == AmqpProtocol.CLASS_CONNECTION ? 0 : 1 + random.nextInt(2047);
                final ByteBuf out = Unpooled.buffer();
                write(out, channel, method, values);

                final List<Frame> frames = ClientOracle.frames(out);
                assertEquals(1, frames.size());
                assertEquals(channel, frames.get(0).channel);
                final ByteBuf expected = Unpooled.buffer();
                TableEncoder.payload(expected, method, values);
                assertArrayEquals(ByteBufUtil.getBytes(expected), frames.get(0).getPayload(), method.amqpName());
                final com.rabbitmq.client.impl.Method parsed = ClientOracle.method(frames.get(0));
                assertEquals(method.amqpName(), parsed.protocolMethodName());
            }
        }
        assertEquals(39, methods);
    }

    @Test
    void fieldsAreWhereTheJavaClientLooksForThem()
    {
        final ByteBuf out = Unpooled.buffer();
        MethodWriter.basicDeliver(out, 3, "ctag", 42L, true, "ex", "rk");
        final AMQImpl.Basic.Deliver d = (AMQImpl.Basic.Deliver)ClientOracle.onlyMethod(out);
        assertEquals("ctag", d.getConsumerTag());
        assertEquals(42L, d.getDeliveryTag());
        assertEquals(true, d.getRedelivered());
        assertEquals("ex", d.getExchange());
        assertEquals("rk", d.getRoutingKey());

        final ByteBuf tune = Unpooled.buffer();
        MethodWriter.connectionTune(tune, 2047, 131072, 60);
        final AMQImpl.Connection.Tune t = (AMQImpl.Connection.Tune)ClientOracle.onlyMethod(tune);
        assertEquals(2047, t.getChannelMax());
        assertEquals(131072, t.getFrameMax());
        assertEquals(60, t.getHeartbeat());

        final ByteBuf nack = Unpooled.buffer();
        MethodWriter.basicNack(nack, 1, 7, true, false);
        final AMQImpl.Basic.Nack n = (AMQImpl.Basic.Nack)ClientOracle.onlyMethod(nack);
        assertEquals(true, n.getMultiple());
        assertEquals(false, n.getRequeue());
    }

    @Test
    void connectionStartCarriesTheServerPropertiesWithTheirCapabilities()
    {
        final Map<String, Boolean> capabilities = new java.util.LinkedHashMap<>();
        MethodWriter.RABBITMQ_CAPABILITIES.forEach(c -> capabilities.put(c, true));
        final ByteBuf out = Unpooled.buffer();
        MethodWriter.connectionStart(out, MethodWriter.serverProperties("RingMQ", "0.1.0", "Java 17", capabilities),
            "PLAIN AMQPLAIN", "en_US");
        final AMQImpl.Connection.Start s = (AMQImpl.Connection.Start)ClientOracle.onlyMethod(out);
        assertEquals(0, s.getVersionMajor());
        assertEquals(9, s.getVersionMinor());
        assertEquals("PLAIN AMQPLAIN", s.getMechanisms().toString());
        assertEquals("en_US", s.getLocales().toString());
        assertEquals("RingMQ", s.getServerProperties().get("product").toString());
        final Map<?, ?> caps = (Map<?, ?>)s.getServerProperties().get("capabilities");
        assertEquals(9, caps.size());
        assertEquals(true, caps.get("consumer_cancel_notify"));
        assertEquals(List.of("capabilities", "product", "version", "platform"),
            List.copyOf(MethodWriter.serverProperties("p", "v", "pl", Map.of()).keySet()));
    }

    @Test
    void heartbeatAndProtocolHeaderAreTheOctetsTheClientExpects() throws IOException
    {
        final ByteBuf out = Unpooled.buffer();
        MethodWriter.heartbeat(out);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new Frame(AMQP.FRAME_HEARTBEAT, 0).writeTo(new DataOutputStream(bytes));
        assertArrayEquals(bytes.toByteArray(), ByteBufUtil.getBytes(out));

        final ByteBuf header = Unpooled.buffer();
        MethodWriter.protocolHeader(header);
        assertArrayEquals(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}, ByteBufUtil.getBytes(header));
    }

    @Test
    void aNameLongerThanAShortStringIsRefusedAndLeavesTheBufferAsItWas()
    {
        final String tooLong = "\u00e9".repeat(128); // 256 octets of UTF-8
        final ByteBuf out = Unpooled.buffer().writeByte(7);
        assertThrows(IllegalArgumentException.class, () -> MethodWriter.basicConsumeOk(out, 1, tooLong));
        assertThrows(IllegalArgumentException.class, () -> MethodWriter.basicDeliver(out, 1, "t", 1, false, tooLong, ""));
        assertThrows(IllegalArgumentException.class, () -> MethodWriter.queueDeclareOk(out, 1, tooLong, 0, 0));
        assertThrows(IllegalArgumentException.class,
            () -> MethodWriter.connectionStart(out, Map.of("k", new Object()), "PLAIN", "en_US"));
        assertArrayEquals(new byte[] {7}, ByteBufUtil.getBytes(out));

        MethodWriter.basicConsumeOk(out, 1, "\u00e9".repeat(127) + "x"); // 255 octets: the most allowed
        assertInstanceOf(AMQImpl.Basic.ConsumeOk.class, ClientOracle.onlyMethod(out.skipBytes(1)));
        assertThrows(IllegalArgumentException.class, () -> MethodWriter.emptyMethod(out, 1, Method.BASIC_ACK));
    }

    @Test
    void aReplyTextLongerThanAShortStringIsCutAsRabbitMqCutsIt()
    {
        // An error naming a long queue must still close the channel: RabbitMQ cuts the text to 252 octets and "...".
        final ByteBuf out = Unpooled.buffer();
        MethodWriter.channelClose(out, 1, 406, "PRECONDITION_FAILED - " + "q".repeat(300), 50, 10);
        final AMQImpl.Channel.Close close = (AMQImpl.Channel.Close)ClientOracle.onlyMethod(out);
        assertEquals(255, close.getReplyText().length());
        assertEquals("PRECONDITION_FAILED - " + "q".repeat(230) + "...", close.getReplyText());
        assertEquals(406, close.getReplyCode());
    }

    @Test
    void theExchangeUnbindOkIdIsRabbitMqsFiftyOne()
    {
        final ByteBuf out = Unpooled.buffer();
        MethodWriter.exchangeUnbindOk(out, 1);
        assertEquals(Arrays.asList(40, 51), Arrays.asList(out.getUnsignedShort(7), out.getUnsignedShort(9)));
    }
}
