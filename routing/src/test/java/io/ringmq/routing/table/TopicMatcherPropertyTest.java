package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.TreeSet;

import static io.ringmq.routing.table.RandomCases.listOf;
import static io.ringmq.routing.table.RandomCases.oneOf;
import static io.ringmq.routing.table.RandomCases.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The trie matcher against {@link ReferenceRouting#topicMatches} on patterns and keys over a tiny
 * alphabet, so that empty words, {@code *}, {@code #} and their combinations collide often.
 */
class TopicMatcherPropertyTest
{
    private static final List<String> PATTERN_WORDS = List.of("a", "b", "", "*", "#");
    private static final List<String> KEY_WORDS = List.of("a", "b", "");

    /** One generated case: the patterns bound, queue {@code q<i>} to pattern {@code i}, and the keys routed. */
    record Case(List<String> patterns, List<String> keys)
    {
        @Override
        public String toString()
        {
            return "patterns " + render(patterns) + " keys " + render(keys);
        }
    }

    @Test
    void topicTrieAgreesWithTheReferenceMatcherOnRandomPatternsAndKeys()
    {
        RandomCases.check(1000, random -> randomCase(random, 1, 8, 8), c ->
        {
            final RoutingTable<String> table = new RoutingTable<>();
            for (int i = 0; i < c.patterns().size(); i++)
            {
                table.declareQueue("q" + i, "q" + i);
                table.bindQueue("amq.topic", "q" + i, c.patterns().get(i), null);
            }
            final DestinationSet<String> out = new DestinationSet<>();
            for (final String key : c.keys())
            {
                final Set<String> expected = new TreeSet<>();
                for (int i = 0; i < c.patterns().size(); i++)
                {
                    if (ReferenceRouting.topicMatches(c.patterns().get(i), key))
                    {
                        expected.add("q" + i);
                    }
                }
                // The same DestinationSet for every key: reuse must not leak results between routes.
                final int n = table.route("amq.topic", key, null, out);
                assertEquals(expected, Tables.contents(out, n), () -> "key " + render(key));
            }
        });
    }

    @Test
    void unbindingEveryOtherPatternLeavesExactlyTheRemainingPatternsMatching()
    {
        RandomCases.check(500, random -> randomCase(random, 2, 10, 5), c ->
        {
            final RoutingTable<String> table = new RoutingTable<>();
            for (int i = 0; i < c.patterns().size(); i++)
            {
                table.declareQueue("q" + i, "q" + i);
                table.bindQueue("amq.topic", "q" + i, c.patterns().get(i), null);
            }
            for (int i = 0; i < c.patterns().size(); i += 2)
            {
                table.unbindQueue("amq.topic", "q" + i, c.patterns().get(i), null);
            }
            for (final String key : c.keys())
            {
                final Set<String> expected = new TreeSet<>();
                for (int i = 1; i < c.patterns().size(); i += 2)
                {
                    if (ReferenceRouting.topicMatches(c.patterns().get(i), key))
                    {
                        expected.add("q" + i);
                    }
                }
                assertEquals(expected, Tables.route(table, "amq.topic", key), () -> "key " + render(key) + " after unbinding q0, q2, ...");
            }
        });
    }

    private static Case randomCase(final SplittableRandom random, final int minPatterns, final int maxPatterns, final int maxKeys)
    {
        return new Case(listOf(random, minPatterns, maxPatterns, TopicMatcherPropertyTest::pattern), listOf(random, 1, maxKeys, TopicMatcherPropertyTest::key));
    }

    /** Up to 6 words: several {@code #} and {@code *} in one pattern are common. */
    private static String pattern(final SplittableRandom random)
    {
        return String.join(".", listOf(random, 0, 6, r -> oneOf(r, PATTERN_WORDS)));
    }

    /** Up to 7 words, literals and empty words only: keys never contain wildcards. */
    private static String key(final SplittableRandom random)
    {
        return String.join(".", listOf(random, 0, 7, r -> oneOf(r, KEY_WORDS)));
    }
}
