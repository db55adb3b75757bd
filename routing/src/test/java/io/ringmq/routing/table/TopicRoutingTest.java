package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.ringmq.routing.table.Tables.route;
import static io.ringmq.routing.table.Tables.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicRoutingTest
{
    /** (binding pattern, routing key, matches?), RabbitMQ's answers including the empty-word cases. */
    static Stream<Arguments> patternCases()
    {
        return Stream.of(
            // "#" is zero or more words: it matches the empty key (zero words) and anything else.
            Arguments.of("#", "", true),
            Arguments.of("#", "a", true),
            Arguments.of("#", "a.b", true),
            Arguments.of("#", ".", true),
            Arguments.of("#", "a.", true),
            // "*" is exactly one word, possibly empty.
            Arguments.of("*", "", false),
            Arguments.of("*", "a", true),
            Arguments.of("*", ".", false),
            Arguments.of("*", "a.b", false),
            Arguments.of("*.*", ".", true),
            Arguments.of("*.*", "a.", true),
            Arguments.of("*.*", ".a", true),
            Arguments.of("*.*", "a.b", true),
            Arguments.of("*.*", "a", false),
            Arguments.of("*.*", "a.b.c", false),
            Arguments.of("*.*", "", false),
            // The empty key has zero words; "." has two empty words.
            Arguments.of("", "", true),
            Arguments.of("", ".", false),
            Arguments.of("", "a", false),
            Arguments.of(".", ".", true),
            Arguments.of(".", "", false),
            // Trailing, leading and doubled dots make empty words that must match literally.
            Arguments.of("a", "a.", false),
            Arguments.of("a.", "a.", true),
            Arguments.of("a.", "a", false),
            Arguments.of(".a", ".a", true),
            Arguments.of(".a", "a", false),
            Arguments.of("a..b", "a..b", true),
            Arguments.of("a..b", "a.b", false),
            Arguments.of("a.*.b", "a..b", true),
            Arguments.of("a.#.b", "a..b", true),
            Arguments.of("a.*.b", "a.b", false),
            // "a.#": the # may take zero words, an empty word, or several.
            Arguments.of("a.#", "a", true),
            Arguments.of("a.#", "a.", true),
            Arguments.of("a.#", "a.b", true),
            Arguments.of("a.#", "a.b.c", true),
            Arguments.of("a.#", "b", false),
            Arguments.of("a.#", "", false),
            Arguments.of("a.#", "ab", false),
            Arguments.of("#.a", "a", true),
            Arguments.of("#.a", "x.y.a", true),
            Arguments.of("#.a", "a.x", false),
            // "#.a.#": an "a" word anywhere.
            Arguments.of("#.a.#", "a", true),
            Arguments.of("#.a.#", "x.a", true),
            Arguments.of("#.a.#", "a.x", true),
            Arguments.of("#.a.#", "x.y.a.z", true),
            Arguments.of("#.a.#", "x.y", false),
            Arguments.of("#.a.#", "", false),
            Arguments.of("#.a.#", "xa.ax", false),
            // Repeated # collapse without changing meaning.
            Arguments.of("#.#", "", true),
            Arguments.of("#.#", "a.b.c", true),
            Arguments.of("a.#.#.b", "a.b", true),
            Arguments.of("a.#.#.b", "a.x.b", true),
            Arguments.of("a.#.#.b", "a.x.y.b", true),
            Arguments.of("a.#.#.b", "a", false),
            Arguments.of("a.#.#.b", "a.x", false),
            Arguments.of("a.#.#.b", "b", false),
            // * and # together.
            Arguments.of("*.#", "", false),
            Arguments.of("*.#", "a", true),
            Arguments.of("*.#", ".", true),
            Arguments.of("#.*", "", false),
            Arguments.of("#.*", "a.b.c", true),
            Arguments.of("#.*.#", "a", true),
            Arguments.of("*.a.*", "x.a.y", true),
            Arguments.of("*.a.*", "a.y", false),
            Arguments.of("#.*.b.#", "a.b", true),
            Arguments.of("#.*.b.#", "b", false),
            // Wildcards are special only as whole words.
            Arguments.of("a*.b", "a*.b", true),
            Arguments.of("a*.b", "ax.b", false),
            Arguments.of("#a", "#a", true),
            Arguments.of("#a", "xa", false),
            Arguments.of("a.b#", "a.bc", false),
            // Literal words are case-sensitive and may be any UTF-16.
            Arguments.of("stock.usd.nyse", "stock.usd.nyse", true),
            Arguments.of("stock.usd.nyse", "stock.USD.nyse", false),
            Arguments.of("caf\u00e9.*", "caf\u00e9.\ud83d\ude00", true));
    }

    @ParameterizedTest(name = "pattern \"{0}\" vs key \"{1}\" -> {2}")
    @MethodSource("patternCases")
    void topicPatternsMatchAsRabbitMq(final String pattern, final String key, final boolean matches)
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.bindQueue("amq.topic", "q", pattern, null);
        assertEquals(matches ? set("q") : set(), route(table, "amq.topic", key));
    }

    @Test
    void aQueueMatchedByManyPatternsIsDeliveredOnce()
    {
        final RoutingTable<String> table = Tables.withQueues("q", "r");
        for (final String pattern : new String[] {"#", "a.#", "*.b", "a.b", "#.b", "#.#"})
        {
            table.bindQueue("amq.topic", "q", pattern, null);
        }
        table.bindQueue("amq.topic", "r", "a.*", null);
        assertEquals(set("q", "r"), route(table, "amq.topic", "a.b"));
    }

    @Test
    void collapsedPatternsKeepTheirOriginalKeyForIdentity()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        table.bindQueue("amq.topic", "q", "a.#.#.b", null);
        table.bindQueue("amq.topic", "q", "a.#.b", null);
        assertEquals(2, table.bindingCount("amq.topic"));

        table.unbindQueue("amq.topic", "q", "a.#.b", null);
        assertEquals(1, table.bindingCount("amq.topic"));
        assertEquals(set("q"), route(table, "amq.topic", "a.x.b"));

        table.unbindQueue("amq.topic", "q", "a.#.#.b", null);
        assertEquals(0, table.bindingCount("amq.topic"));
        assertEquals(set(), route(table, "amq.topic", "a.x.b"));
    }

    @Test
    void unbindingPrunesTheTrieSoOtherPatternsStillMatch()
    {
        final RoutingTable<String> table = Tables.withQueues("q1", "q2", "q3");
        table.bindQueue("amq.topic", "q1", "a.b.c", null);
        table.bindQueue("amq.topic", "q2", "a.b", null);
        table.bindQueue("amq.topic", "q3", "a.*.c", null);
        table.unbindQueue("amq.topic", "q1", "a.b.c", null);
        assertEquals(set("q3"), route(table, "amq.topic", "a.b.c"));
        assertEquals(set("q2"), route(table, "amq.topic", "a.b"));
        table.unbindQueue("amq.topic", "q2", "a.b", null);
        table.unbindQueue("amq.topic", "q3", "a.*.c", null);
        assertEquals(set(), route(table, "amq.topic", "a.b.c"));
        assertEquals(0, table.bindingCount("amq.topic"));
    }

    @Test
    void theLongestPossibleKeysRouteWithBoundedRecursion()
    {
        final RoutingTable<String> table = Tables.withQueues("dots", "hash", "stars");
        table.bindQueue("amq.topic", "hash", "#.#", null);
        // 255 dots are 256 empty words: the most a 255-byte key can have.
        final String dots = ".".repeat(255);
        table.bindQueue("amq.topic", "dots", dots, null);
        table.bindQueue("amq.topic", "stars", String.join(".", Collections.nCopies(128, "*")), null);
        assertEquals(set("dots", "hash"), route(table, "amq.topic", dots));
        final String words = String.join(".", Collections.nCopies(128, "a"));
        assertTrue(words.length() <= 255);
        assertEquals(set("hash", "stars"), route(table, "amq.topic", words));
    }

    @Test
    void manyWildcardPatternsOnOneKeyAllMatch()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        for (int i = 0; i < 200; i++)
        {
            table.declareQueue("q" + i, "q" + i);
            table.bindQueue("amq.topic", "q" + i, "#.k" + i + ".#", null);
        }
        assertEquals(set("q7"), route(table, "amq.topic", "x.k7.y"));
        assertEquals(set("q1", "q2"), route(table, "amq.topic", "k1.k2"));
    }

    @Test
    void patternsWithManyHashesMatchInPolynomialNotExponentialTime()
    {
        // 40 '#'s against 127 words: without the #-loop memo this tries ~C(127, 40) word splits.
        final StringBuilder pattern = new StringBuilder("#");
        for (int i = 0; i < 40; i++)
        {
            pattern.append(".a.#");
        }
        final RoutingTable<String> table = Tables.withQueues("ends-in-b", "ends-in-a");
        table.bindQueue("amq.topic", "ends-in-b", pattern + ".b", null);
        table.bindQueue("amq.topic", "ends-in-a", pattern + ".a", null);
        final String as = String.join(".", Collections.nCopies(127, "a"));
        final String fewAs = String.join(".", Collections.nCopies(40, "a"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
        {
            assertEquals(set("ends-in-a"), route(table, "amq.topic", as));
            assertEquals(set("ends-in-b"), route(table, "amq.topic", as.substring(2) + ".b"));
            // 40 a's then b: too few a's for the 41-'a' pattern, enough for the 40-'a' one.
            assertEquals(set("ends-in-b"), route(table, "amq.topic", fewAs + ".b"));
            assertEquals(set(), route(table, "amq.topic", fewAs));
        });
    }

    @Test
    void hashNodeIdsAreRecycledAsTheTrieIsPruned()
    {
        final RoutingTable<String> table = Tables.withQueues("q");
        for (int i = 0; i < 100; i++)
        {
            table.bindQueue("amq.topic", "q", "#.x" + i + ".#", null);
            table.unbindQueue("amq.topic", "q", "#.x" + i + ".#", null);
        }
        // The root's # node and the one below "x<i>" at most, reused every round.
        assertEquals(2, table.writerState().topicHashIdHighWaterMark("amq.topic"));
    }

    @Test
    void wildcardFreePatternsAreMatchedBesideWildcardOnesForTheSameKey()
    {
        // Wildcard-free patterns live in the exchange's exact-key index, the rest in its trie: a
        // route must take both, and only whole words "*" and "#" are wildcards.
        final RoutingTable<String> table = Tables.withQueues("exact", "exact2", "star", "hash", "literal");
        table.bindQueue("amq.topic", "exact", "a.b", null);
        table.bindQueue("amq.topic", "exact2", "a.b", null);
        table.bindQueue("amq.topic", "star", "a.*", null);
        table.bindQueue("amq.topic", "hash", "#.b", null);
        table.bindQueue("amq.topic", "literal", "a*.b#", null);
        assertEquals(set("exact", "exact2", "star", "hash"), route(table, "amq.topic", "a.b"));
        assertEquals(set("star"), route(table, "amq.topic", "a.c"));
        assertEquals(set("literal"), route(table, "amq.topic", "a*.b#"));
        assertEquals(set("hash"), route(table, "amq.topic", "ax.b"));
        table.unbindQueue("amq.topic", "exact", "a.b", null);
        assertEquals(set("exact2", "star", "hash"), route(table, "amq.topic", "a.b"));
        table.unbindQueue("amq.topic", "star", "a.*", null);
        table.unbindQueue("amq.topic", "hash", "#.b", null);
        assertEquals(set("exact2"), route(table, "amq.topic", "a.b"), "exact bindings alone, no trie left");
        assertEquals(2, table.bindingCount("amq.topic"));
    }
}
