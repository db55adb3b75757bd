package io.ringmq.amqp.management;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** JSON through Jackson's streaming generator: one factory, and AMQP field-table values written as RabbitMQ writes them. */
final class Json
{
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json()
    {
    }

    /** @return the UTF-8 JSON that {@code body} writes. */
    static byte[] write(final Consumer<JsonGenerator> body)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) // no data binding: plain values only
        {
            body.accept(json);
        }
        return out.toByteArray();
    }

    /** {@code {"rate": r}}: RabbitMQ's {@code *_details} object (basic rates mode, no samples). */
    static void details(final JsonGenerator json, final String name, final double rate)
    {
        json.writeObjectPropertyStart(name + "_details");
        json.writeNumberProperty("rate", rate);
        json.writeEndObject();
    }

    /** {@code name: count, name_details: {rate}}: a cumulative count with its rate, as in RabbitMQ's {@code message_stats}. */
    static void countAndRate(final JsonGenerator json, final String name, final long count, final double rate)
    {
        json.writeNumberProperty(name, count);
        details(json, name, rate);
    }

    /** An AMQP table ({@code arguments}, {@code client_properties}) as a JSON object. */
    static void table(final JsonGenerator json, final String name, final Map<String, ?> table)
    {
        json.writeName(name);
        value(json, table);
    }

    /**
     * One AMQP field value: strings, numbers, booleans, nested tables and arrays as themselves; a timestamp as
     * seconds since the epoch and binary as its UTF-8 text, as RabbitMQ's management API shows them.
     */
    static void value(final JsonGenerator json, final Object value)
    {
        if (value == null)
        {
            json.writeNull();
        }
        else if (value instanceof String text)
        {
            json.writeString(text);
        }
        else if (value instanceof Boolean flag)
        {
            json.writeBoolean(flag);
        }
        else if (value instanceof Integer || value instanceof Short || value instanceof Byte)
        {
            json.writeNumber(((Number)value).intValue());
        }
        else if (value instanceof Long number)
        {
            json.writeNumber(number);
        }
        else if (value instanceof Float || value instanceof Double)
        {
            json.writeNumber(((Number)value).doubleValue());
        }
        else if (value instanceof BigDecimal decimal)
        {
            json.writeNumber(decimal);
        }
        else if (value instanceof Date date)
        {
            json.writeNumber(date.getTime() / 1000);
        }
        else if (value instanceof byte[] bytes)
        {
            json.writeString(new String(bytes, StandardCharsets.UTF_8));
        }
        else if (value instanceof Map<?, ?> map)
        {
            json.writeStartObject();
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                json.writeName(String.valueOf(entry.getKey()));
                value(json, entry.getValue());
            }
            json.writeEndObject();
        }
        else if (value instanceof List<?> list)
        {
            json.writeStartArray();
            for (final Object element : list)
            {
                value(json, element);
            }
            json.writeEndArray();
        }
        else
        {
            json.writeString(value.toString()); // an enum or another engine value: its name
        }
    }
}
