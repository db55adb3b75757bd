package io.ringmq.routing.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Obviously-correct (and slow) matchers, written from the RabbitMQ rules without looking at the
 * optimized ones, for the property tests to compare against.
 */
final class ReferenceRouting
{
    private ReferenceRouting()
    {
    }

    /** RabbitMQ's split_topic_key: "" has no words, anything else splits on every dot. */
    static List<String> words(final String key)
    {
        return key.isEmpty() ? List.of() : Arrays.asList(key.split("\\.", -1));
    }

    static boolean topicMatches(final String pattern, final String key)
    {
        return topicMatches(words(pattern), words(key));
    }

    /** Recursive definition: "#" eats zero words or one more, "*" exactly one, a literal itself. */
    static boolean topicMatches(final List<String> pattern, final List<String> key)
    {
        if (pattern.isEmpty())
        {
            return key.isEmpty();
        }
        final String head = pattern.get(0);
        final List<String> rest = pattern.subList(1, pattern.size());
        if (head.equals("#"))
        {
            return topicMatches(rest, key) || (!key.isEmpty() && topicMatches(pattern, key.subList(1, key.size())));
        }
        if (key.isEmpty())
        {
            return false;
        }
        return (head.equals("*") || head.equals(key.get(0))) && topicMatches(rest, key.subList(1, key.size()));
    }

    /** The headers exchange, condition by condition. */
    static boolean headersMatch(final Map<String, ?> bindingArguments, final Map<String, ?> headers)
    {
        final Map<String, ?> args = bindingArguments == null ? Map.of() : bindingArguments;
        final Map<String, ?> data = headers == null ? Map.of() : headers;
        final Object mode = args.containsKey("x-match") ? args.get("x-match") : "all";
        final boolean withX = mode.equals("all-with-x") || mode.equals("any-with-x");
        final boolean all = mode.equals("all") || mode.equals("all-with-x");
        final List<Boolean> outcomes = new ArrayList<>();
        for (final Map.Entry<String, ?> condition : args.entrySet())
        {
            final String name = condition.getKey();
            if (name.equals("x-match") || (!withX && name.startsWith("x-")))
            {
                continue;
            }
            if (condition.getValue() == null)
            {
                outcomes.add(data.containsKey(name));
            }
            else
            {
                outcomes.add(data.get(name) != null && sameTypeClassAndValue(condition.getValue(), data.get(name)));
            }
        }
        return all ? !outcomes.contains(false) : outcomes.contains(true);
    }

    private static String typeClass(final Object v)
    {
        if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)
        {
            return "int";
        }
        if (v instanceof Float || v instanceof Double)
        {
            return "float";
        }
        return v.getClass().getName();
    }

    private static boolean sameTypeClassAndValue(final Object expected, final Object actual)
    {
        if (!typeClass(expected).equals(typeClass(actual)))
        {
            return false;
        }
        switch (typeClass(expected))
        {
            case "int":
                return ((Number) expected).longValue() == ((Number) actual).longValue();
            case "float":
                return ((Number) expected).doubleValue() == ((Number) actual).doubleValue();
            default:
                return expected instanceof byte[] ? Arrays.equals((byte[]) expected, (byte[]) actual) : expected.equals(actual);
        }
    }
}
