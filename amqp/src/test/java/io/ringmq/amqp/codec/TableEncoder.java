package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.amqp.codec.AmqpProtocol.Field;
import io.ringmq.amqp.codec.AmqpProtocol.FieldType;
import io.ringmq.amqp.codec.AmqpProtocol.Method;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Encodes any method from the protocol table alone, field by field, with no knowledge of the hand-written
 * readers: the independent second opinion that tests compare with RabbitMQ's client and with the readers.
 * Values: BIT Boolean, OCTET/SHORT Integer, LONG/LONGLONG/TIMESTAMP Long, SHORTSTR String, LONGSTR byte[],
 * TABLE Map. Public for the listener's live fuzz test in {@code io.ringmq.amqp}.
 */
public final class TableEncoder
{
    private TableEncoder()
    {
    }

    /** Writes the method payload (ids and arguments) of {@code method} with {@code values} in field order. */
    public static void payload(final ByteBuf out, final Method method, final List<Object> values)
    {
        out.writeShort(method.classId()).writeShort(method.methodId());
        arguments(out, method, values);
    }

    static void arguments(final ByteBuf out, final Method method, final List<Object> values)
    {
        final List<Field> fields = method.fields();
        int bitIndex = 0;
        int bits = 0;
        for (int i = 0; i < fields.size(); i++)
        {
            final Field field = fields.get(i);
            final Object value = values.get(i);
            if (field.type() == FieldType.BIT)
            {
                if ((Boolean)value)
                {
                    bits |= 1 << bitIndex;
                }
                bitIndex++;
                final boolean lastOfGroup = i + 1 == fields.size() || fields.get(i + 1).type() != FieldType.BIT ||
                    bitIndex == 8;
                if (lastOfGroup)
                {
                    out.writeByte(bits);
                    bits = 0;
                    bitIndex = 0;
                }
                continue;
            }
            switch (field.type())
            {
                case OCTET -> out.writeByte((Integer)value);
                case SHORT -> out.writeShort((Integer)value);
                case LONG -> out.writeInt((int)(long)(Long)value);
                case LONGLONG, TIMESTAMP -> out.writeLong((Long)value);
                case SHORTSTR ->
                {
                    final byte[] b = ((String)value).getBytes(StandardCharsets.UTF_8);
                    out.writeByte(b.length).writeBytes(b);
                }
                case LONGSTR ->
                {
                    final byte[] b = (byte[])value;
                    out.writeInt(b.length).writeBytes(b);
                }
                case TABLE -> FieldTables.write(out, castTable(value));
                default -> throw new AssertionError(field);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castTable(final Object value)
    {
        return (Map<String, Object>)value;
    }

    /** @return random values for every field of {@code method}, in field order. */
    public static List<Object> randomValues(final Method method, final Random random)
    {
        final List<Object> values = new ArrayList<>();
        for (final Field field : method.fields())
        {
            values.add(randomValue(field.type(), random));
        }
        return values;
    }

    static Object randomValue(final FieldType type, final Random random)
    {
        return switch (type)
        {
            case BIT -> random.nextBoolean();
            case OCTET -> random.nextInt(256);
            case SHORT -> random.nextInt(65536);
            case LONG -> random.nextLong() & 0xFFFF_FFFFL;
            case LONGLONG, TIMESTAMP -> random.nextLong();
            case SHORTSTR -> randomName(random);
            case LONGSTR -> randomBytes(random, random.nextInt(40));
            case TABLE -> randomTable(random, 2);
        };
    }

    private static final String[] NAMES = {"", "amq.direct", "perf-test", "orders.eu.created", "q-\u00e9t\u00e9",
        "3c9c2b4e-8d53-4d0a-9d2a-6b8f1f0f2a11", "x-death", "\u65e5\u672c", "a"};

    public static String randomName(final Random random)
    {
        if (random.nextInt(4) == 0)
        {
            final StringBuilder sb = new StringBuilder();
            final int n = random.nextInt(60);
            for (int i = 0; i < n; i++)
            {
                sb.append((char)('a' + random.nextInt(26)));
            }
            return sb.toString();
        }
        return NAMES[random.nextInt(NAMES.length)];
    }

    public static byte[] randomBytes(final Random random, final int n)
    {
        final byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A table of the value types whose decoding returns the value that was encoded. */
    static Map<String, Object> randomTable(final Random random, final int depth)
    {
        final Map<String, Object> table = new LinkedHashMap<>();
        final int n = random.nextInt(4);
        for (int i = 0; i < n; i++)
        {
            final String key = "k" + i + randomName(random);
            final Object value = switch (random.nextInt(depth > 0 ? 8 : 6))
            {
                case 0 -> random.nextBoolean();
                case 1 -> random.nextInt();
                case 2 -> random.nextLong();
                case 3 -> randomName(random);
                case 4 -> random.nextDouble();
                case 5 -> null;
                case 6 -> randomTable(random, depth - 1);
                default -> new ArrayList<>(List.of(random.nextInt(), randomName(random)));
            };
            table.put(key, value);
        }
        return table;
    }
}
