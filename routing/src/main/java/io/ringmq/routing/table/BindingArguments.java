package io.ringmq.routing.table;

import io.ringmq.error.InvalidArgumentException;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of one binding in canonical form: keys sorted, {@code byte[]} values copied.
 *
 * <p>It exists for binding identity. RabbitMQ identifies a binding by (source, destination, key,
 * arguments), so two bindings that differ only in arguments are distinct; comparing the caller's
 * {@code Map}s directly would get {@code byte[]} values wrong and would let a caller mutate a binding
 * after the fact. Immutable.
 */
final class BindingArguments
{
    static final BindingArguments NONE = new BindingArguments(new String[0], new Object[0]);

    private final String[] keys;
    private final Object[] values;
    private final int hash;

    private BindingArguments(final String[] keys, final Object[] values)
    {
        this.keys = keys;
        this.values = values;
        int h = Arrays.hashCode(keys);
        for (final Object value : values)
        {
            h = 31 * h + ArgumentValues.deepHashCode(value);
        }
        this.hash = h;
    }

    /**
     * @param arguments the caller's arguments; {@code null} means none. Values may be {@code null}.
     * @throws InvalidArgumentException for a {@code null} key.
     */
    static BindingArguments of(final Map<String, ?> arguments)
    {
        if (arguments == null || arguments.isEmpty())
        {
            return NONE;
        }
        final String[] keys = new String[arguments.size()];
        int n = 0;
        for (final String key : arguments.keySet())
        {
            if (key == null)
            {
                throw new InvalidArgumentException("binding argument names must not be null");
            }
            keys[n++] = key;
        }
        Arrays.sort(keys);
        final Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++)
        {
            values[i] = ArgumentValues.copyOf(arguments.get(keys[i]));
        }
        return new BindingArguments(keys, values);
    }

    int size()
    {
        return keys.length;
    }

    String key(final int index)
    {
        return keys[index];
    }

    Object value(final int index)
    {
        return values[index];
    }

    /** @return the arguments as an unmodifiable map in key order, {@code byte[]} values copied (listings). */
    Map<String, Object> asMap()
    {
        if (keys.length == 0)
        {
            return Collections.emptyMap();
        }
        final Map<String, Object> map = new LinkedHashMap<>(keys.length * 2);
        for (int i = 0; i < keys.length; i++)
        {
            map.put(keys[i], ArgumentValues.copyOf(values[i]));
        }
        return Collections.unmodifiableMap(map);
    }

    /** @return the value of {@code key}, or {@code null} when absent or {@code null}. */
    Object get(final String key)
    {
        final int index = Arrays.binarySearch(keys, key);
        return index < 0 ? null : values[index];
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof BindingArguments))
        {
            return false;
        }
        final BindingArguments that = (BindingArguments) o;
        if (hash != that.hash || !Arrays.equals(keys, that.keys))
        {
            return false;
        }
        for (int i = 0; i < values.length; i++)
        {
            if (!ArgumentValues.deepEquals(values[i], that.values[i]))
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++)
        {
            if (i > 0)
            {
                sb.append(", ");
            }
            sb.append(keys[i]).append('=').append(ArgumentValues.render(values[i]));
        }
        return sb.append('}').toString();
    }
}
