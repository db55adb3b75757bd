package io.ringmq.amqp.codec;

import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.ValueReader;
import com.rabbitmq.client.impl.ValueWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldTablesTest
{
    private static Map<String, Object> read(final ByteBuf table)
    {
        return new WireReader(new ShortStringCache()).begin(table, 40, 10).table("arguments");
    }

    private static Map<String, Object> read(final byte[] table)
    {
        return read(Unpooled.wrappedBuffer(table));
    }

    private static byte[] clientWrites(final Map<String, Object> table) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DataOutputStream out = new DataOutputStream(bytes);
        new ValueWriter(out).writeTable(table);
        out.flush();
        return bytes.toByteArray();
    }

    private static Map<String, Object> clientReads(final ByteBuf written) throws IOException
    {
        return new ValueReader(new DataInputStream(new ByteArrayInputStream(ByteBufUtil.getBytes(written))))
            .readTable();
    }

    /** Every type the client writes, in the Java types it writes them from. */
    private static Map<String, Object> everyClientType()
    {
        final Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", "value");
        nested.put("n", 7);
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put("string", "h\u00e9llo \u65e5\u672c");
        t.put("int", -123456);
        t.put("long", Long.MIN_VALUE);
        t.put("bool-true", true);
        t.put("bool-false", false);
        t.put("byte", (byte)-5);
        t.put("short", (short)-300);
        t.put("float", 1.5f);
        t.put("double", -2.25d);
        t.put("decimal", new BigDecimal("-12.345"));
        t.put("timestamp", new Date(1_700_000_000_000L));
        t.put("bytes", new byte[] {0, (byte)0xFF, 7});
        t.put("void", null);
        t.put("table", nested);
        t.put("array", new ArrayList<>(List.of(1, "two", 3L, List.of(true), Map.of("k", "v"))));
        t.put("empty-table", new LinkedHashMap<>());
        return t;
    }

    @Test
    void readsEveryTypeTheJavaClientWritesWithTheClientsJavaTypes() throws IOException
    {
        final Map<String, Object> sent = everyClientType();
        final Map<String, Object> read = read(clientWrites(sent));

        assertEquals(new ArrayList<>(sent.keySet()).size(), read.size());
        for (final Map.Entry<String, Object> e : sent.entrySet())
        {
            if (e.getValue() instanceof byte[])
            {
                assertArrayEquals((byte[])e.getValue(), (byte[])read.get(e.getKey()));
            }
            else
            {
                assertEquals(e.getValue(), read.get(e.getKey()), e.getKey());
            }
        }
        assertInstanceOf(LinkedHashMap.class, read);
    }

    @Test
    void whatItWritesTheJavaClientReadsBackEqual() throws IOException
    {
        final Map<String, Object> sent = everyClientType();
        final ByteBuf out = Unpooled.buffer();
        FieldTables.write(out, sent);
        final Map<String, Object> theirs = clientReads(out);

        for (final Map.Entry<String, Object> e : sent.entrySet())
        {
            final Object value = theirs.get(e.getKey());
            if (e.getValue() instanceof byte[])
            {
                assertArrayEquals((byte[])e.getValue(), (byte[])value);
            }
            else if (e.getValue() instanceof String)
            {
                assertEquals(e.getValue(), ((LongString)value).toString());
            }
            else if (!(e.getValue() instanceof Map || e.getValue() instanceof List))
            {
                assertEquals(e.getValue(), value, e.getKey());
            }
        }
        assertEquals("value", ((Map<?, ?>)theirs.get("table")).get("inner").toString());
        assertEquals(5, ((List<?>)theirs.get("array")).size());
    }

    @Test
    void writesTheSameOctetsAsTheJavaClientForOneEntryOfEachType() throws IOException
    {
        // The client copies nothing here; tables of one entry have one byte order.
        for (final Map.Entry<String, Object> e : everyClientType().entrySet())
        {
            final Map<String, Object> one = new HashMap<>();
            one.put(e.getKey(), e.getValue());
            final ByteBuf out = Unpooled.buffer();
            FieldTables.write(out, one);
            assertArrayEquals(clientWrites(one), ByteBufUtil.getBytes(out), e.getKey());
        }
    }

    @Test
    void readsTheTypesOnlyRabbitMqAndOtherClientsSend()
    {
        final ByteBuf t = Unpooled.buffer();
        t.writeInt(0);
        entry(t, "B").writeByte('B').writeByte(200);
        entry(t, "u").writeByte('u').writeShort(65000);
        entry(t, "i").writeByte('i').writeInt(0xFFFF_FFFF);
        entry(t, "L").writeByte('L').writeLong(-9);
        entry(t, "t2").writeByte('t').writeByte(2);
        entry(t, "D+").writeByte('D').writeByte(2).writeInt(0x7FFF_FFFF);
        entry(t, "S-bad").writeByte('S').writeInt(2).writeByte(0xC3).writeByte(0x28);
        t.setInt(0, t.readableBytes() - 4);

        final Map<String, Object> read = read(t);
        assertEquals(200, read.get("B"));
        assertEquals(65000, read.get("u"));
        assertEquals(0xFFFF_FFFFL, read.get("i"));
        assertEquals(-9L, read.get("L"));
        assertEquals(true, read.get("t2"));
        assertEquals(new BigDecimal("21474836.47"), read.get("D+"));
        assertArrayEquals(new byte[] {(byte)0xC3, 0x28}, (byte[])read.get("S-bad"), "not UTF-8: kept as octets");
    }

    private static ByteBuf entry(final ByteBuf t, final String key)
    {
        WireWriter.shortString(t, key);
        return t;
    }

    @Test
    void aKeySentTwiceKeepsItsFirstValueAsRabbitMqLooksItUp()
    {
        final ByteBuf t = Unpooled.buffer();
        t.writeInt(0);
        entry(t, "k").writeByte('I').writeInt(1);
        entry(t, "other").writeByte('V');
        entry(t, "k").writeByte('I').writeInt(2);
        t.setInt(0, t.readableBytes() - 4);

        final Map<String, Object> read = read(t);
        assertEquals(1, read.get("k"));
        assertEquals(List.of("k", "other"), new ArrayList<>(read.keySet()));
    }

    @Test
    void anUnknownTypeTagIsASyntaxError()
    {
        final ByteBuf t = Unpooled.buffer();
        t.writeInt(0);
        entry(t, "k").writeByte('Z').writeInt(1);
        t.setInt(0, t.readableBytes() - 4);

        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> read(t));
        assertEquals(ReplyCode.SYNTAX_ERROR, ex.replyCode());
        assertEquals(40, ex.classId());
        assertEquals(10, ex.methodId());
        assertTrue(ex.getMessage().startsWith("SYNTAX_ERROR - exchange.declare: unknown field type 0x5a"),
            ex.getMessage());
    }

    @Test
    void lengthsPastTheEndAreFrameErrorsNeverIndexErrors()
    {
        final byte[] good = ByteBufUtil.getBytes(written(everyClientType()));
        // Cut the table short at every length, and claim one octet more than there is.
        for (int cut = 0; cut < good.length; cut++)
        {
            final byte[] shorter = java.util.Arrays.copyOf(good, cut);
            final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> read(shorter));
            assertEquals(ReplyCode.FRAME_ERROR, ex.replyCode(), "cut at " + cut);
        }
        final ByteBuf longer = Unpooled.copiedBuffer(good);
        longer.setInt(0, longer.getInt(0) + 1);
        assertEquals(ReplyCode.FRAME_ERROR, assertThrows(AmqpProtocolException.class, () -> read(longer)).replyCode());
        final ByteBuf huge = Unpooled.copiedBuffer(good);
        huge.setInt(0, 0xFFFF_FFFF);
        assertEquals(ReplyCode.FRAME_ERROR, assertThrows(AmqpProtocolException.class, () -> read(huge)).replyCode());
    }

    private static ByteBuf written(final Map<String, ?> table)
    {
        final ByteBuf out = Unpooled.buffer();
        FieldTables.write(out, table);
        return out;
    }

    @Test
    void nestingIsBoundedBothWays()
    {
        Map<String, Object> deepest = new LinkedHashMap<>();
        final Map<String, Object> top = deepest;
        for (int i = 0; i < FieldTables.MAX_DEPTH; i++)
        {
            final Map<String, Object> next = new LinkedHashMap<>();
            deepest.put("n", next);
            deepest = next;
        }
        final ByteBuf ok = written(top);
        assertEquals(top, read(ok), "as deep as the bound allows reads back");

        deepest.put("n", List.of(1));
        assertThrows(IllegalArgumentException.class, () -> written(top));

        final Map<String, Object> cycle = new HashMap<>();
        cycle.put("self", cycle);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> written(cycle));
        assertTrue(ex.getMessage().contains("'self'"), ex.getMessage());

        // A hostile table nested far deeper than the bound: 502, not a StackOverflowError.
        final int levels = 100_000;
        final ByteBuf hostile = Unpooled.buffer();
        for (int i = 0; i < levels; i++)
        {
            hostile.writeInt((levels - i) * 7 - 3).writeByte(1).writeByte('n').writeByte('F');
        }
        hostile.writeInt(0);
        final ByteBuf framed = Unpooled.buffer().writeInt(hostile.readableBytes()).writeBytes(hostile);
        assertEquals(ReplyCode.SYNTAX_ERROR, assertThrows(AmqpProtocolException.class, () -> read(framed)).replyCode());
    }

    @Test
    void aValueOfAnotherTypeIsRefusedNamingItsKeyAndLeavesTheBufferAsItWas()
    {
        final ByteBuf out = Unpooled.buffer().writeByte(42);
        final Map<String, Object> t = new LinkedHashMap<>();
        t.put("fine", 1);
        t.put("odd", new StringBuilder("x"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> FieldTables.write(out, t));
        assertTrue(ex.getMessage().contains("'odd'") && ex.getMessage().contains("StringBuilder"), ex.getMessage());
        assertEquals(1, out.readableBytes());

        assertThrows(IllegalArgumentException.class, () -> written(Map.of("d", new BigDecimal("1e300"))));
        assertThrows(IllegalArgumentException.class, () -> written(Map.of("d", new BigDecimal("1e3"))),
            "negative scale");
        assertThrows(IllegalArgumentException.class, () -> written(Map.of("k".repeat(256), 1)));
    }

    @Test
    void aNullTableIsWrittenEmptyAndObjectArraysAsArrays()
    {
        assertArrayEquals(new byte[] {0, 0, 0, 0}, ByteBufUtil.getBytes(written(null)));
        final Map<String, Object> t = new HashMap<>();
        t.put("a", new Object[] {1, "x"});
        assertEquals(List.of(1, "x"), read(written(t)).get("a"));
    }
}
