package io.ringmq.amqp.codec;

import com.rabbitmq.client.impl.AMQImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class MethodReadersTest
{
    private final MethodReaders readers = new MethodReaders(new ShortStringCache());

    private static ByteBuf clientArguments(final Method method, final List<Object> values) throws Exception
    {
        return ClientOracle.arguments(AmqpProtocolTest.instantiate(method, values));
    }

    private static void assertReadAsSent(final Method method, final List<Object> sent, final List<Object> read)
    {
        assertEquals(sent.size(), read.size(), method.amqpName());
        for (int i = 0; i < sent.size(); i++)
        {
            if (read.get(i) != ReaderDispatch.UNREAD && !Objects.deepEquals(sent.get(i), read.get(i)))
            {
                fail(method.amqpName() + "." + method.fields().get(i).name() + ": sent " + sent.get(i) + ", read " +
                    read.get(i));
            }
        }
    }

    @Test
    void readsEveryMethodAClientSendsAsTheJavaClientEncodedIt() throws Exception
    {
        final Random random = new Random(7);
        int methods = 0;
        for (final Method method : Method.values())
        {
            if (!method.sentByClient())
            {
                continue;
            }
            methods++;
            for (int round = 0; round < 200; round++)
            {
                final List<Object> sent = TableEncoder.randomValues(method, random);
                assertReadAsSent(method, sent, ReaderDispatch.read(readers, method, clientArguments(method, sent)));
            }
        }
        assertEquals(36, methods);
    }

    @Test
    void eachBitIsReadFromItsOwnPlace() throws Exception
    {
        // One bit set at a time, so two swapped bits cannot pass by chance.
        for (final Method method : Method.values())
        {
            if (!method.sentByClient())
            {
                continue;
            }
            final List<Object> base = TableEncoder.randomValues(method, new Random(3));
            for (int i = 0; i < base.size(); i++)
            {
                if (method.fields().get(i).type() != AmqpProtocol.FieldType.BIT)
                {
                    continue;
                }
                for (int j = 0; j < base.size(); j++)
                {
                    if (method.fields().get(j).type() == AmqpProtocol.FieldType.BIT)
                    {
                        base.set(j, i == j);
                    }
                }
                assertReadAsSent(method, base, ReaderDispatch.read(readers, method, clientArguments(method, base)));
            }
        }
    }

    @Test
    void publishNamesAreTheSameStringInstancesEveryTime()
    {
        final BasicMethods.Publish first = readers.basicPublish(
            ClientOracle.arguments(new AMQImpl.Basic.Publish(0, "orders", "eu.created", false, false)));
        final String exchange = first.exchange();
        final String routingKey = first.routingKey();
        final BasicMethods.Publish second = readers.basicPublish(
            ClientOracle.arguments(new AMQImpl.Basic.Publish(0, "orders", "eu.created", true, false)));
        assertSame(exchange, second.exchange());
        assertSame(routingKey, second.routingKey());
        assertTrue(second.mandatory());
    }

    @Test
    void argumentsCutShortAnywhereAreAFrameErrorNamingTheMethod() throws Exception
    {
        final Random random = new Random(11);
        for (final Method method : Method.values())
        {
            if (!method.sentByClient())
            {
                continue;
            }
            final ByteBuf whole = clientArguments(method, TableEncoder.randomValues(method, random));
            for (int cut = 0; cut < whole.readableBytes(); cut++)
            {
                final ByteBuf shorter = whole.slice(whole.readerIndex(), cut);
                final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
                    () -> ReaderDispatch.read(readers, method, shorter), method.amqpName() + " cut at " + cut);
                assertEquals(ReplyCode.FRAME_ERROR, ex.replyCode());
                assertEquals(method.classId(), ex.classId());
                assertEquals(method.methodId(), ex.methodId());
                assertTrue(ex.getMessage().startsWith("FRAME_ERROR - cannot decode " + method.amqpName() + ": "),
                    ex.getMessage());
            }
        }
    }

    @Test
    void octetsAfterTheLastArgumentAreAFrameErrorAsInRabbitMq() throws Exception
    {
        for (final Method method : Method.values())
        {
            if (!method.sentByClient())
            {
                continue;
            }
            final ByteBuf whole = clientArguments(method, TableEncoder.randomValues(method, new Random(5)));
            final ByteBuf longer = Unpooled.buffer().writeBytes(whole).writeByte(0);
            final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
                () -> ReaderDispatch.read(readers, method, longer), method.amqpName());
            assertEquals(ReplyCode.FRAME_ERROR, ex.replyCode());
        }
    }

    @Test
    void aNameThatIsNotUtf8IsAFrameErrorEvenInPublish()
    {
        final ByteBuf args = Unpooled.buffer().writeShort(0).writeByte(2).writeByte(0xC0).writeByte(0x80)
            .writeByte(0).writeByte(0);
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> readers.basicPublish(args));
        assertEquals(ReplyCode.FRAME_ERROR, ex.replyCode());
        assertTrue(ex.explanation().contains("exchange is not UTF-8"), ex.explanation());
    }

    @Test
    void aDeclareWhoseArgumentsRabbitMqCannotReadIsASyntaxError()
    {
        final ByteBuf args = Unpooled.buffer().writeShort(0);
        WireWriter.shortString(args, "q");
        args.writeByte(0).writeInt(4).writeByte(1).writeByte('k').writeByte('?').writeByte(0);
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> readers.queueDeclare(args));
        assertEquals(ReplyCode.SYNTAX_ERROR, ex.replyCode());
        assertEquals(50, ex.classId());
        assertEquals(10, ex.methodId());
    }

    @Test
    void tableArgumentsKeepTheirJavaTypes() throws Exception
    {
        final Map<String, Object> arguments = Map.of("x-message-ttl", 60000, "x-queue-type", "classic",
            "x-max-length", 10L);
        final QueueMethods.Declare d = readers.queueDeclare(ClientOracle.arguments(
            new AMQImpl.Queue.Declare(0, "q", false, true, false, false, false, arguments)));
        assertEquals(arguments, d.arguments());
        assertEquals("q", d.queue());
        assertTrue(d.durable());
    }

    @Test
    void noArgumentsRefusesAMethodThatHasFields()
    {
        assertThrows(IllegalArgumentException.class, () -> readers.noArguments(Method.BASIC_ACK, Unpooled.EMPTY_BUFFER));
        readers.noArguments(Method.TX_COMMIT, Unpooled.EMPTY_BUFFER);
    }
}
