package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMQP field tables ({@code u32 length, then entries of shortstr key, type octet, value}) and field arrays
 * ({@code u32 length, then type octet and value, repeated}), with every field type RabbitMQ's codec has:
 * <pre>
 *   tag  wire                      decoded as            encoded from
 *   t    octet, non-zero = true    Boolean               Boolean
 *   b    int8                      Byte                  Byte
 *   B    uint8                     Integer               -
 *   s    int16                     Short                 Short
 *   u    uint16                    Integer               -
 *   I    int32                     Integer               Integer
 *   i    uint32                    Long                  -
 *   l    int64                     Long                  Long
 *   L    int64 (RabbitMQ reads it) Long                  -
 *   f    float32                   Float                 Float
 *   d    float64                   Double                Double
 *   D    u8 scale, int32 unscaled  BigDecimal            BigDecimal (scale 0..255, unscaled within 32 bits)
 *   S    u32 length, octets        String (valid UTF-8)  String, encoded as UTF-8
 *                                  or byte[] otherwise
 *   x    u32 length, octets        byte[]                byte[]
 *   A    u32 length, values        List&lt;Object&gt;          List or Object[]
 *   T    u64 seconds since epoch   java.util.Date        java.util.Date (milliseconds dropped)
 *   F    u32 length, entries       Map&lt;String,Object&gt;    Map with String keys
 *   V    nothing                   null                  null
 * </pre>
 * This is the mapping of RabbitMQ's Java client ({@code ValueReader}/{@code ValueWriter}), so what it
 * writes reads back equal here and the other way round; the decimal's unscaled value is signed as that
 * client has it. Decoded tables are {@link LinkedHashMap}s in wire order; a key that appears twice keeps
 * its first value, which is the one RabbitMQ's lookups find.
 * <p>
 * Nesting is bounded by {@link #MAX_DEPTH} both ways, so a hostile table cannot exhaust the stack
 * (RabbitMQ has no bound; no client nests anywhere near it).
 */
public final class FieldTables
{
    /** Deepest nesting of tables and arrays inside a table that is read or written. */
    public static final int MAX_DEPTH = 100;

    private FieldTables()
    {
    }

    /**
     * Reads one table (its u32 length and entries) at the reader's position.
     *
     * @param depth how many tables and arrays enclose this one
     */
    static Map<String, Object> read(final WireReader in, final String what, final int depth)
    {
        final int outer = in.narrow(length(in, what), what);
        final Map<String, Object> table = entries(in, depth);
        in.widen(outer);
        return table;
    }

    /** Reads table entries up to the reader's limit: a table's body, without its length. */
    static Map<String, Object> entries(final WireReader in, final int depth)
    {
        final Map<String, Object> table = new LinkedHashMap<>();
        while (in.remaining() > 0)
        {
            final String key = in.shortString("field table key");
            final Object value = value(in, depth);
            table.putIfAbsent(key, value);
        }
        return table;
    }

    private static List<Object> readArray(final WireReader in, final int depth)
    {
        final int outer = in.narrow(length(in, "field array"), "field array");
        final List<Object> array = new ArrayList<>();
        while (in.remaining() > 0)
        {
            array.add(value(in, depth));
        }
        in.widen(outer);
        return array;
    }

    private static int length(final WireReader in, final String what)
    {
        final long length = in.unsignedInt(what);
        if (length > in.remaining())
        {
            throw in.malformed(what + " runs past the end");
        }
        return (int)length;
    }

    private static Object value(final WireReader in, final int depth)
    {
        final int type = in.octet("field type");
        switch (type)
        {
            case 'S':
            {
                final byte[] bytes = in.bytes(length(in, "field value"));
                final String text = Utf8.decode(bytes);
                return text != null ? text : bytes;
            }
            case 'I':
                return in.signedInt("field value");
            case 'T':
                return new Date(in.longlong("field value") * 1000);
            case 'F':
                checkDepth(in, depth);
                return read(in, "field table", depth + 1);
            case 'A':
                checkDepth(in, depth);
                return readArray(in, depth + 1);
            case 't':
                return in.octet("field value") != 0;
            case 'b':
                return in.signedOctet("field value");
            case 'B':
                return in.octet("field value");
            case 's':
                return in.signedShort("field value");
            case 'u':
                return in.unsignedShort("field value");
            case 'i':
                return in.unsignedInt("field value");
            case 'l':
            case 'L':
                return in.longlong("field value");
            case 'f':
                return in.float32("field value");
            case 'd':
                return in.float64("field value");
            case 'D':
            {
                final int scale = in.octet("field value");
                return BigDecimal.valueOf(in.signedInt("field value"), scale);
            }
            case 'x':
                return in.bytes(length(in, "field value"));
            case 'V':
                return null;
            default:
                throw in.syntax("unknown field type 0x" + Integer.toHexString(type) + " in a field table");
        }
    }

    private static void checkDepth(final WireReader in, final int depth)
    {
        if (depth >= MAX_DEPTH)
        {
            throw in.syntax("field tables nested deeper than " + MAX_DEPTH);
        }
    }

    /**
     * Writes {@code table} as a field table: its u32 length, back-patched, then its entries in iteration
     * order. A null table is written empty.
     *
     * @throws IllegalArgumentException naming the key, for a value of a type AMQP cannot carry, a key longer
     *     than 255 octets, or nesting deeper than {@link #MAX_DEPTH}; {@code out} is then left as it was
     */
    public static void write(final ByteBuf out, final Map<String, ?> table)
    {
        final int start = out.writerIndex();
        try
        {
            writeTable(out, table, 0);
        }
        catch (final IllegalArgumentException ex)
        {
            out.writerIndex(start);
            throw ex;
        }
    }

    private static void writeTable(final ByteBuf out, final Map<?, ?> table, final int depth)
    {
        final int lengthIndex = out.writerIndex();
        out.writeInt(0);
        if (table != null)
        {
            for (final Map.Entry<?, ?> entry : table.entrySet())
            {
                if (!(entry.getKey() instanceof String))
                {
                    throw new IllegalArgumentException("field table key " + entry.getKey() + " is not a String");
                }
                final String key = (String)entry.getKey();
                WireWriter.shortString(out, key);
                writeValue(out, key, entry.getValue(), depth);
            }
        }
        out.setInt(lengthIndex, out.writerIndex() - lengthIndex - Integer.BYTES);
    }

    private static void writeValue(final ByteBuf out, final String key, final Object value, final int depth)
    {
        if (value instanceof String)
        {
            out.writeByte('S');
            WireWriter.longString(out, (String)value);
        }
        else if (value instanceof Integer)
        {
            out.writeByte('I').writeInt((Integer)value);
        }
        else if (value instanceof Long)
        {
            out.writeByte('l').writeLong((Long)value);
        }
        else if (value instanceof Boolean)
        {
            out.writeByte('t').writeByte((Boolean)value ? 1 : 0);
        }
        else if (value instanceof Map)
        {
            checkWriteDepth(key, depth);
            out.writeByte('F');
            writeTable(out, (Map<?, ?>)value, depth + 1);
        }
        else if (value == null)
        {
            out.writeByte('V');
        }
        else if (value instanceof byte[])
        {
            final byte[] bytes = (byte[])value;
            out.writeByte('x').writeInt(bytes.length).writeBytes(bytes);
        }
        else if (value instanceof List || value instanceof Object[])
        {
            checkWriteDepth(key, depth);
            out.writeByte('A');
            final int lengthIndex = out.writerIndex();
            out.writeInt(0);
            for (final Object element : value instanceof List ? (List<?>)value : List.of((Object[])value))
            {
                writeValue(out, key, element, depth + 1);
            }
            out.setInt(lengthIndex, out.writerIndex() - lengthIndex - Integer.BYTES);
        }
        else if (value instanceof Date)
        {
            out.writeByte('T').writeLong(((Date)value).getTime() / 1000);
        }
        else if (value instanceof BigDecimal)
        {
            writeDecimal(out, key, (BigDecimal)value);
        }
        else if (value instanceof Byte)
        {
            out.writeByte('b').writeByte((Byte)value);
        }
        else if (value instanceof Short)
        {
            out.writeByte('s').writeShort((Short)value);
        }
        else if (value instanceof Double)
        {
            out.writeByte('d').writeDouble((Double)value);
        }
        else if (value instanceof Float)
        {
            out.writeByte('f').writeFloat((Float)value);
        }
        else
        {
            throw new IllegalArgumentException("field table value of key '" + key + "' has a type AMQP cannot carry: " +
                value.getClass().getName());
        }
    }

    private static void writeDecimal(final ByteBuf out, final String key, final BigDecimal decimal)
    {
        final BigInteger unscaled = decimal.unscaledValue();
        if (decimal.scale() < 0 || decimal.scale() > 255 || unscaled.bitLength() > 31)
        {
            throw new IllegalArgumentException("decimal of key '" + key + "' does not fit AMQP's decimal " +
                "(scale 0..255, unscaled value within 32 bits): " + decimal);
        }
        out.writeByte('D').writeByte(decimal.scale()).writeInt(unscaled.intValue());
    }

    private static void checkWriteDepth(final String key, final int depth)
    {
        if (depth >= MAX_DEPTH)
        {
            throw new IllegalArgumentException("field table value of key '" + key + "' nests deeper than " +
                MAX_DEPTH + " (does a table contain itself?)");
        }
    }
}
