package io.ringmq.routing.table;

import io.ringmq.error.InvalidArgumentException;

import java.util.Map;

/**
 * The arguments of one headers-exchange binding, parsed once at bind time into flat arrays so that
 * matching a message is a loop over them with one {@code headers.get} each: no iterator, no boxing,
 * no allocation.
 *
 * <p>Semantics are RabbitMQ's {@code rabbit_exchange_type_headers}:
 * <ul>
 *   <li>{@code x-match} is {@code all} (the default when absent), {@code any}, {@code all-with-x} or
 *       {@code any-with-x}; any other value, or a non-{@code String} one, is refused at bind time.</li>
 *   <li>{@code all} and {@code any} ignore binding arguments whose name starts with {@code "x-"};
 *       the {@code -with-x} variants consider them. {@code x-match} itself is never a condition.</li>
 *   <li>A binding argument whose value is {@code null} (AMQP's {@code void}) matches on the presence
 *       of the header alone, whatever its value (even {@code null}).</li>
 *   <li>Any other value matches a header of the same type class
 *       ({@link ArgumentValues#typeClassEquals}).</li>
 *   <li>{@code all} with no conditions matches every message; {@code any} with none matches none.</li>
 * </ul>
 * Immutable.
 */
final class HeadersMatcher
{
    static final String X_MATCH = "x-match";

    private final boolean all;
    private final String[] keys;
    /** The value to compare with, or {@code null} for a presence-only condition. */
    private final Object[] values;

    private HeadersMatcher(final boolean all, final String[] keys, final Object[] values)
    {
        this.all = all;
        this.keys = keys;
        this.values = values;
    }

    /**
     * @throws InvalidArgumentException when {@code x-match} is not one of the four modes.
     */
    static HeadersMatcher parse(final BindingArguments arguments)
    {
        final boolean all;
        final boolean withX;
        final Object mode = arguments.get(X_MATCH);
        if (mode == null)
        {
            all = true;
            withX = false;
        }
        else if (!(mode instanceof String))
        {
            throw new InvalidArgumentException("invalid x-match field type " + mode.getClass().getSimpleName()
                + " (value " + ArgumentValues.render(mode) + "); expected a String: all, any, all-with-x or any-with-x");
        }
        else
        {
            switch ((String) mode)
            {
                case "all":
                    all = true;
                    withX = false;
                    break;
                case "any":
                    all = false;
                    withX = false;
                    break;
                case "all-with-x":
                    all = true;
                    withX = true;
                    break;
                case "any-with-x":
                    all = false;
                    withX = true;
                    break;
                default:
                    throw new InvalidArgumentException("invalid x-match field value " + ArgumentValues.render(mode)
                        + "; expected all, any, all-with-x or any-with-x");
            }
        }
        int n = 0;
        for (int i = 0; i < arguments.size(); i++)
        {
            if (isCondition(arguments.key(i), withX))
            {
                n++;
            }
        }
        final String[] keys = new String[n];
        final Object[] values = new Object[n];
        n = 0;
        for (int i = 0; i < arguments.size(); i++)
        {
            if (isCondition(arguments.key(i), withX))
            {
                keys[n] = arguments.key(i);
                values[n] = arguments.value(i);
                n++;
            }
        }
        return new HeadersMatcher(all, keys, values);
    }

    private static boolean isCondition(final String key, final boolean withX)
    {
        return !X_MATCH.equals(key) && (withX || !key.startsWith("x-"));
    }

    /**
     * @param headers the message headers; {@code null} means none.
     * @return whether the message matches this binding; never allocates.
     */
    boolean matches(final Map<String, ?> headers)
    {
        final String[] keys = this.keys;
        final Object[] values = this.values;
        if (headers == null || headers.isEmpty())
        {
            return all && keys.length == 0;
        }
        if (all)
        {
            for (int i = 0; i < keys.length; i++)
            {
                if (!conditionHolds(keys[i], values[i], headers))
                {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < keys.length; i++)
        {
            if (conditionHolds(keys[i], values[i], headers))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionHolds(final String key, final Object expected, final Map<String, ?> headers)
    {
        final Object actual = headers.get(key);
        if (expected == null)
        {
            return actual != null || headers.containsKey(key);
        }
        return actual != null && ArgumentValues.typeClassEquals(expected, actual);
    }
}
