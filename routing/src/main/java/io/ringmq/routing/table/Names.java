package io.ringmq.routing.table;

import io.ringmq.error.InvalidArgumentException;

/**
 * Validation of names and keys against the AMQP short-string rules: the one place RingMQ checks
 * them, shared by the routing table's writers, its route path and the engine. Counting UTF-8 bytes here never allocates, because {@code route} calls it for every
 * publish: {@code String.getBytes} would cost an array per message.
 */
public final class Names
{
    /** An AMQP 0-9-1 short string (exchange and queue names, routing and binding keys) holds at most 255 bytes. */
    static final int MAX_SHORT_STRING_BYTES = 255;

    /** The name of the default exchange. */
    static final String DEFAULT_EXCHANGE = "";

    /** Prefix reserved for the exchanges the broker declares itself. */
    static final String RESERVED_PREFIX = "amq.";

    private static final int SHOWN_CHARS = 40;

    private Names()
    {
    }

    /**
     * Counts the bytes of {@code s} in UTF-8 exactly as {@code s.getBytes(UTF_8).length} would (a lone
     * surrogate becomes one {@code '?'} byte), but stops as soon as the count exceeds {@code limit}.
     *
     * @return the byte count, or some value above {@code limit} when the string is longer than that.
     */
    static int utf8Length(final String s, final int limit)
    {
        final int length = s.length();
        if (length > limit)
        {
            // Every char costs at least one byte, so this is over the limit without looking further.
            return limit + 1;
        }
        int bytes = 0;
        for (int i = 0; i < length; i++)
        {
            final char c = s.charAt(i);
            if (c < 0x80)
            {
                bytes += 1;
            }
            else if (c < 0x800)
            {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1)))
            {
                bytes += 4;
                i++;
            }
            else if (Character.isSurrogate(c))
            {
                bytes += 1;
            }
            else
            {
                bytes += 3;
            }
            if (bytes > limit)
            {
                return bytes;
            }
        }
        return bytes;
    }

    /** @return whether {@code s} fits an AMQP short string; never allocates. */
    static boolean fitsShortString(final String s)
    {
        // No char takes more than three UTF-8 bytes (a surrogate pair takes four for two chars), so
        // short strings, every routing key in practice, fit without counting: the route path's check.
        return s.length() <= MAX_SHORT_STRING_BYTES / 3 || utf8Length(s, MAX_SHORT_STRING_BYTES) <= MAX_SHORT_STRING_BYTES;
    }

    /** @throws InvalidArgumentException when {@code name} is null or over 255 UTF-8 bytes. */
    public static void checkExchangeName(final String name)
    {
        if (name == null)
        {
            throw new InvalidArgumentException("exchange name must not be null");
        }
        checkLength("exchange name", name);
    }

    /** @throws InvalidArgumentException when {@code name} is null, blank or over 255 UTF-8 bytes. */
    public static void checkQueueName(final String name)
    {
        if (name == null)
        {
            throw new InvalidArgumentException("queue name must not be null");
        }
        if (name.isBlank())
        {
            throw new InvalidArgumentException("queue name must not be blank (the engine names server-named queues before registering them)");
        }
        checkLength("queue name", name);
    }

    static void checkBindingKey(final String key)
    {
        if (key == null)
        {
            throw new InvalidArgumentException("binding key must not be null (use \"\" for none)");
        }
        checkLength("binding key", key);
    }

    /** The route path's check: allocation-free unless it throws. */
    /** @throws InvalidArgumentException when {@code key} is null or over 255 UTF-8 bytes; allocates nothing when it is valid. */
    public static void checkRoutingKey(final String key)
    {
        if (key == null)
        {
            throw new InvalidArgumentException("routing key must not be null (use \"\" for none)");
        }
        if (!fitsShortString(key))
        {
            throw tooLong("routing key", key);
        }
    }

    /** Quotes a name for a message, shortened so that a 64 KiB bogus name does not make a 64 KiB message. */
    public static String quote(final String name)
    {
        if (name.length() <= SHOWN_CHARS)
        {
            return "'" + name + "'";
        }
        return "'" + name.substring(0, SHOWN_CHARS) + "...' (" + name.length() + " chars)";
    }

    /**
     * @param what names the value in the error, e.g. "consumer tag".
     * @throws InvalidArgumentException when {@code value} is null or over 255 UTF-8 bytes.
     */
    public static void checkShortString(final String what, final String value)
    {
        if (value == null)
        {
            throw new InvalidArgumentException(what + " must not be null");
        }
        checkLength(what, value);
    }

    private static void checkLength(final String what, final String value)
    {
        if (!fitsShortString(value))
        {
            throw tooLong(what, value);
        }
    }

    private static InvalidArgumentException tooLong(final String what, final String value)
    {
        final int bytes = utf8Length(value, Integer.MAX_VALUE);
        return new InvalidArgumentException(what + " " + quote(value) + " is " + bytes
            + " UTF-8 bytes; an AMQP short string holds at most " + MAX_SHORT_STRING_BYTES);
    }
}
