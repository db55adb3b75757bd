package io.ringmq.routing.table;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Equality of AMQP field values as Java objects.
 *
 * <p>Two notions live here. {@link #deepEquals} is identity: it decides whether two declarations
 * or two bindings are the same (so {@code Integer 1} and {@code Long 1} differ, as a {@code signedint}
 * and a {@code long} differ in RabbitMQ's tables), with {@code byte[]} compared by content. {@link
 * #typeClassEquals} is what a headers exchange uses to compare a binding value with a header value:
 * RabbitMQ's {@code rabbit_misc:type_class}, under which every integral type is one class and
 * {@code float}/{@code double} another.
 *
 * <p>Public only because {@link io.ringmq.routing.ExchangeSpec}, in the API package, copies, compares
 * and renders its arguments with the very same rules; the package is exported to the engine alone.
 */
public final class ArgumentValues
{
    private ArgumentValues()
    {
    }

    /** Content equality that also sees into {@code byte[]}, arrays, lists and maps. */
    static boolean deepEquals(final Object a, final Object b)
    {
        if (a == b)
        {
            return true;
        }
        if (a == null || b == null)
        {
            return false;
        }
        if (a instanceof byte[] && b instanceof byte[])
        {
            return Arrays.equals((byte[]) a, (byte[]) b);
        }
        if (a instanceof Object[] && b instanceof Object[])
        {
            final Object[] x = (Object[]) a;
            final Object[] y = (Object[]) b;
            if (x.length != y.length)
            {
                return false;
            }
            for (int i = 0; i < x.length; i++)
            {
                if (!deepEquals(x[i], y[i]))
                {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List && b instanceof List)
        {
            final List<?> x = (List<?>) a;
            final List<?> y = (List<?>) b;
            if (x.size() != y.size())
            {
                return false;
            }
            final Iterator<?> i = x.iterator();
            final Iterator<?> j = y.iterator();
            while (i.hasNext())
            {
                if (!deepEquals(i.next(), j.next()))
                {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map && b instanceof Map)
        {
            return mapsDeepEqual((Map<?, ?>) a, (Map<?, ?>) b);
        }
        return a.equals(b);
    }

    public static boolean mapsDeepEqual(final Map<?, ?> x, final Map<?, ?> y)
    {
        if (x.size() != y.size())
        {
            return false;
        }
        for (final Map.Entry<?, ?> e : x.entrySet())
        {
            if (!y.containsKey(e.getKey()) || !deepEquals(e.getValue(), y.get(e.getKey())))
            {
                return false;
            }
        }
        return true;
    }

    /** A hash consistent with {@link #deepEquals}. */
    static int deepHashCode(final Object value)
    {
        if (value == null)
        {
            return 0;
        }
        if (value instanceof byte[])
        {
            return Arrays.hashCode((byte[]) value);
        }
        if (value instanceof Object[])
        {
            int h = 1;
            for (final Object element : (Object[]) value)
            {
                h = 31 * h + deepHashCode(element);
            }
            return h;
        }
        if (value instanceof List)
        {
            int h = 1;
            for (final Object element : (List<?>) value)
            {
                h = 31 * h + deepHashCode(element);
            }
            return h;
        }
        if (value instanceof Map)
        {
            return mapDeepHashCode((Map<?, ?>) value);
        }
        return value.hashCode();
    }

    public static int mapDeepHashCode(final Map<?, ?> map)
    {
        int h = 0;
        for (final Map.Entry<?, ?> e : map.entrySet())
        {
            h += Objects.hashCode(e.getKey()) ^ deepHashCode(e.getValue());
        }
        return h;
    }

    /** A defensive copy of a value whose content could otherwise change under a binding. */
    public static Object copyOf(final Object value)
    {
        return value instanceof byte[] ? ((byte[]) value).clone() : value;
    }

    /** Renders {@code byte[]} readably in messages and {@code toString}. */
    public static String render(final Object value)
    {
        if (value instanceof byte[])
        {
            return "bytes" + Arrays.toString((byte[]) value);
        }
        if (value instanceof String)
        {
            return "'" + value + "'";
        }
        return String.valueOf(value);
    }

    /**
     * Header-value equality by RabbitMQ type class: any two of {@code Byte, Short, Integer, Long}
     * compare as integers, {@code Float} and {@code Double} as doubles, {@code byte[]} by content,
     * anything else by {@code equals} (so {@code "1"} never equals {@code 1}). Never allocates.
     */
    static boolean typeClassEquals(final Object pattern, final Object data)
    {
        if (isIntegral(pattern))
        {
            return isIntegral(data) && ((Number) pattern).longValue() == ((Number) data).longValue();
        }
        if (isFloating(pattern))
        {
            return isFloating(data) && ((Number) pattern).doubleValue() == ((Number) data).doubleValue();
        }
        if (pattern instanceof byte[])
        {
            return data instanceof byte[] && Arrays.equals((byte[]) pattern, (byte[]) data);
        }
        return pattern.equals(data);
    }

    static boolean isIntegral(final Object value)
    {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte;
    }

    static boolean isFloating(final Object value)
    {
        return value instanceof Double || value instanceof Float;
    }
}
