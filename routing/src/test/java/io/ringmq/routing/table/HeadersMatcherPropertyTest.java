package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.ringmq.routing.table.RandomCases.between;
import static io.ringmq.routing.table.RandomCases.chance;
import static io.ringmq.routing.table.RandomCases.listOf;
import static io.ringmq.routing.table.RandomCases.oneOf;
import static io.ringmq.routing.table.RandomCases.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The parsed {@link HeadersMatcher}, and a headers exchange holding it, against
 * {@link ReferenceRouting#headersMatch}, over a small universe of names and values where type classes
 * collide ({@code 1}, {@code 1L}, {@code 1.0}, {@code "1"}, {@code byte[]}, presence-only).
 */
class HeadersMatcherPropertyTest
{
    private static final List<String> CONDITION_NAMES = List.of("a", "b", "x-a");
    /** Headers may also carry {@code x-match}, which a binding must never treat as a condition. */
    private static final List<String> HEADER_NAMES = List.of("a", "b", "x-a", "x-match");
    private static final List<String> MODES = List.of("all", "any", "all-with-x", "any-with-x");
    private static final List<Object> SCALARS = List.of(1, 1L, (short) 1, 2, 1.0d, 1.0f, 1.5d, "1", "a", true, false);

    /** One binding's arguments and one message's headers. */
    record Match(Map<String, Object> arguments, Map<String, Object> headers)
    {
        @Override
        public String toString()
        {
            return "binding " + render(arguments) + " headers " + render(headers);
        }
    }

    /** The arguments of several bindings, queue {@code q<i>} bound with {@code bindings[i]}, and one message's headers. */
    record Route(List<Map<String, Object>> bindings, Map<String, Object> headers)
    {
        @Override
        public String toString()
        {
            return "bindings " + render(bindings) + " headers " + render(headers);
        }
    }

    @Test
    void parsedMatcherAgreesWithTheReferenceOnRandomArgumentsAndHeaders()
    {
        RandomCases.check(2000, random -> new Match(bindingArguments(random), headers(random)), m ->
        {
            final boolean expected = ReferenceRouting.headersMatch(m.arguments(), m.headers());
            assertEquals(expected, HeadersMatcher.parse(BindingArguments.of(m.arguments())).matches(m.headers()));
        });
    }

    @Test
    void headersExchangeRoutesExactlyToTheBindingsTheReferenceMatches()
    {
        RandomCases.check(300, random -> new Route(listOf(random, 0, 6, HeadersMatcherPropertyTest::bindingArguments), headers(random)), r ->
        {
            final RoutingTable<String> table = new RoutingTable<>();
            final Set<String> expected = new TreeSet<>();
            for (int i = 0; i < r.bindings().size(); i++)
            {
                table.declareQueue("q" + i, "q" + i);
                table.bindQueue("amq.headers", "q" + i, "", r.bindings().get(i));
                if (ReferenceRouting.headersMatch(r.bindings().get(i), r.headers()))
                {
                    expected.add("q" + i);
                }
            }
            assertEquals(expected, Tables.route(table, "amq.headers", "", r.headers()));
        });
    }

    /** Conditions, plus an {@code x-match} mode in 80% of bindings (absent means {@code all}). */
    private static Map<String, Object> bindingArguments(final SplittableRandom random)
    {
        final Map<String, Object> arguments = table(random, CONDITION_NAMES);
        if (!chance(random, 0.2))
        {
            arguments.put("x-match", oneOf(random, MODES));
        }
        return arguments;
    }

    /** 5% of messages have no headers at all ({@code null}), the rest a possibly empty table. */
    private static Map<String, Object> headers(final SplittableRandom random)
    {
        return chance(random, 0.05) ? null : table(random, HEADER_NAMES);
    }

    /** Up to 4 entries; a name drawn twice keeps its last value, so tables of fewer entries are common too. */
    private static Map<String, Object> table(final SplittableRandom random, final List<String> names)
    {
        final int entries = between(random, 0, 4);
        final Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < entries; i++)
        {
            // HashMap, not Map.of: a null value (presence-only condition, void header) is the point.
            map.put(oneOf(random, names), value(random));
        }
        return map;
    }

    /** A scalar, a byte array or null, a third each: nulls and arrays must come up as often as numbers. */
    private static Object value(final SplittableRandom random)
    {
        switch (random.nextInt(3))
        {
            case 0:
                return oneOf(random, SCALARS);
            case 1:
                // A fresh array each time: equal contents must match, not only the same instance.
                return random.nextBoolean() ? new byte[] {1} : new byte[] {2};
            default:
                return null;
        }
    }
}
