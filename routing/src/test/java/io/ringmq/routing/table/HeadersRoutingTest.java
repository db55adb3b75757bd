package io.ringmq.routing.table;

import io.ringmq.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadersRoutingTest
{
    private final RoutingTable<String> table = Tables.withQueues("q");

    private void bind(final Map<String, ?> arguments)
    {
        table.bindQueue("amq.headers", "q", "", arguments);
    }

    private boolean reaches(final Map<String, ?> headers)
    {
        return route(table, "amq.headers", "ignored", headers).contains("q");
    }

    /** A map that allows null values (Map.of does not). */
    private static Map<String, Object> map(final Object... keysAndValues)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void allIsTheDefaultAndNeedsEveryCondition()
    {
        bind(map("format", "pdf", "type", "report"));
        assertTrue(reaches(map("format", "pdf", "type", "report")));
        assertTrue(reaches(map("format", "pdf", "type", "report", "extra", 1)));
        assertEquals(false, reaches(map("format", "pdf")));
        assertEquals(false, reaches(map("format", "pdf", "type", "log")));
        assertEquals(false, reaches(null));
    }

    @Test
    void anyNeedsOneCondition()
    {
        bind(map("x-match", "any", "format", "pdf", "type", "report"));
        assertTrue(reaches(map("format", "pdf")));
        assertTrue(reaches(map("type", "report", "format", "zip")));
        assertEquals(false, reaches(map("format", "zip")));
        assertEquals(false, reaches(map()));
        assertEquals(false, reaches(null));
    }

    @Test
    void allAndAnyIgnoreXPrefixedBindingArguments()
    {
        bind(map("x-match", "all", "x-trace", "on", "a", 1));
        assertTrue(reaches(map("a", 1)));
        final RoutingTable<String> other = Tables.withQueues("q");
        other.bindQueue("amq.headers", "q", "", map("x-match", "any", "x-trace", "on"));
        // The only condition is an x- one, ignored: "any" with no conditions matches nothing.
        assertEquals(set(), route(other, "amq.headers", "", map("x-trace", "on")));
    }

    @Test
    void allWithNoConditionsMatchesEveryMessageAndAnyWithNoneMatchesNone()
    {
        bind(map("x-match", "all", "x-ignored", 1));
        assertTrue(reaches(null));
        assertTrue(reaches(map("anything", "at all")));
        final RoutingTable<String> any = Tables.withQueues("q");
        any.bindQueue("amq.headers", "q", "", map("x-match", "any"));
        assertEquals(set(), route(any, "amq.headers", "", map("anything", "at all")));
        final RoutingTable<String> none = Tables.withQueues("q");
        none.bindQueue("amq.headers", "q", "", null);
        assertEquals(set("q"), route(none, "amq.headers", "", null));
    }

    @Test
    void withXVariantsTestXPrefixedArgumentsButNeverXMatchItself()
    {
        bind(map("x-match", "all-with-x", "x-tenant", "acme", "a", 1));
        assertTrue(reaches(map("x-tenant", "acme", "a", 1)));
        assertEquals(false, reaches(map("a", 1)));
        // x-match is not a condition: the message need not carry it.
        assertTrue(reaches(map("x-tenant", "acme", "a", 1, "x-match", "something else")));

        final RoutingTable<String> any = Tables.withQueues("q");
        any.bindQueue("amq.headers", "q", "", map("x-match", "any-with-x", "x-tenant", "acme", "a", 1));
        assertEquals(set("q"), route(any, "amq.headers", "", map("x-tenant", "acme")));
        assertEquals(set("q"), route(any, "amq.headers", "", map("a", 1)));
        assertEquals(set(), route(any, "amq.headers", "", map("x-tenant", "other")));
    }

    @Test
    void aNullBindingValueMatchesOnPresenceOnly()
    {
        bind(map("trace", null));
        assertTrue(reaches(map("trace", "anything")));
        assertTrue(reaches(map("trace", 42)));
        assertTrue(reaches(map("trace", null)));
        assertEquals(false, reaches(map("other", 1)));
    }

    @Test
    void aHeaderWithANullValueDoesNotMatchAValuedCondition()
    {
        bind(map("a", 1));
        assertEquals(false, reaches(map("a", null)));
    }

    @Test
    void integralTypesCompareAsNumbersAcrossWidths()
    {
        bind(map("n", 1));
        assertTrue(reaches(map("n", 1L)));
        assertTrue(reaches(map("n", (short) 1)));
        assertTrue(reaches(map("n", (byte) 1)));
        assertTrue(reaches(map("n", 1)));
        assertEquals(false, reaches(map("n", 2L)));
    }

    @Test
    void floatsCompareWithDoublesButNotWithIntegers()
    {
        bind(map("f", 1.5d));
        assertTrue(reaches(map("f", 1.5f)));
        assertTrue(reaches(map("f", 1.5d)));
        final RoutingTable<String> whole = Tables.withQueues("q");
        whole.bindQueue("amq.headers", "q", "", map("f", 1.0d));
        assertEquals(set(), route(whole, "amq.headers", "", map("f", 1)));
        assertEquals(set(), route(whole, "amq.headers", "", map("f", 1L)));
    }

    @Test
    void aStringNeverEqualsANumber()
    {
        bind(map("n", "1"));
        assertEquals(false, reaches(map("n", 1)));
        assertTrue(reaches(map("n", "1")));
        final RoutingTable<String> number = Tables.withQueues("q");
        number.bindQueue("amq.headers", "q", "", map("n", 1));
        assertEquals(set(), route(number, "amq.headers", "", map("n", "1")));
    }

    @Test
    void byteArraysCompareByContentAndBooleansByValue()
    {
        bind(map("b", new byte[] {1, 2, 3}, "flag", true));
        assertTrue(reaches(map("b", new byte[] {1, 2, 3}, "flag", true)));
        assertEquals(false, reaches(map("b", new byte[] {1, 2}, "flag", true)));
        assertEquals(false, reaches(map("b", new byte[] {1, 2, 3}, "flag", false)));
        assertEquals(false, reaches(map("b", "\u0001\u0002\u0003", "flag", true)));
    }

    @Test
    void theRoutingKeyIsIgnoredButTheBindingKeyIsPartOfIdentity()
    {
        table.bindQueue("amq.headers", "q", "k1", map("a", 1));
        table.bindQueue("amq.headers", "q", "k2", map("a", 1));
        assertEquals(2, table.bindingCount("amq.headers"));
        assertEquals(set("q"), route(table, "amq.headers", "whatever", map("a", 1)));
        table.unbindQueue("amq.headers", "q", "k1", map("a", 1));
        assertEquals(set("q"), route(table, "amq.headers", "", map("a", 1)));
    }

    @Test
    void anInvalidXMatchValueIsRefusedAtBindTimeNamingIt()
    {
        final Snapshot<String> before = table.lpSnapshot();
        final InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> bind(map("x-match", "some")));
        assertTrue(e.getMessage().contains("x-match") && e.getMessage().contains("'some'"), e.getMessage());
        final InvalidArgumentException t = assertThrows(InvalidArgumentException.class, () -> bind(map("x-match", 1)));
        assertTrue(t.getMessage().contains("x-match") && t.getMessage().contains("Integer"), t.getMessage());
        assertSame(before, table.lpSnapshot());
        assertEquals(0, table.bindingCount("amq.headers"));
    }

    @Test
    void unbindingWithAnInvalidXMatchIsANoOpBecauseNoSuchBindingExists()
    {
        final Snapshot<String> before = table.lpSnapshot();
        table.unbindQueue("amq.headers", "q", "", map("x-match", "bogus"));
        assertSame(before, table.lpSnapshot());
    }

    @Test
    void xMatchOnANonHeadersExchangeIsJustAnArgument()
    {
        table.bindQueue("amq.direct", "q", "k", map("x-match", "bogus"));
        assertEquals(set("q"), route(table, "amq.direct", "k"));
    }

    @Test
    void headersExchangeMatchingDoesNotDependOnTheMapImplementation()
    {
        bind(map("a", 1, "b", "x"));
        final Map<String, Object> hash = new HashMap<>(map("b", "x", "a", 1L));
        assertTrue(reaches(hash));
        assertTrue(reaches(Map.of("a", (short) 1, "b", "x")));
        assertTrue(reaches(new java.util.TreeMap<>(hash)));
    }
}
