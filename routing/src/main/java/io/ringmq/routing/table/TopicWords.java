package io.ringmq.routing.table;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Splitting of topic binding keys into words, at bind time (routing keys are split without
 * allocation by {@link DestinationSet#splitWords}).
 *
 * <p>The rule is RabbitMQ's {@code split_topic_key}: the empty key has zero words; any other key is
 * split on every {@code '.'}, so {@code "a."} is {@code ["a", ""]}, {@code ".a"} is {@code ["", "a"]}
 * and {@code "."} is {@code ["", ""]}.
 */
final class TopicWords
{
    static final String STAR = "*";
    static final String HASH = "#";
    static final String[] NONE = new String[0];

    private TopicWords()
    {
    }

    /** @return the words of {@code key} by the rule above. */
    static String[] split(final String key)
    {
        if (key.isEmpty())
        {
            return NONE;
        }
        final ArrayList<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < key.length(); i++)
        {
            if (key.charAt(i) == '.')
            {
                words.add(key.substring(start, i));
                start = i + 1;
            }
        }
        words.add(key.substring(start));
        return words.toArray(NONE);
    }

    /**
     * @return whether any word of {@code pattern} is {@code *} or {@code #}; without one, the pattern
     *         matches only the routing key equal to the binding key.
     */
    static boolean hasWildcard(final String[] pattern)
    {
        for (final String word : pattern)
        {
            if (STAR.equals(word) || HASH.equals(word))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Splits a binding key and collapses runs of {@code #} words into one.
     *
     * <p>Why: {@code "#.#"} means exactly what {@code "#"} means (zero or more words, twice, is zero or
     * more words), but each {@code #} level multiplies the positions the matcher tries. Collapsing keeps
     * the work bounded by the pattern's meaning; the binding keeps its original key for identity.
     */
    static String[] patternOf(final String bindingKey)
    {
        final String[] words = split(bindingKey);
        int n = 0;
        for (int i = 0; i < words.length; i++)
        {
            if (HASH.equals(words[i]) && n > 0 && HASH.equals(words[n - 1]))
            {
                continue;
            }
            words[n++] = words[i];
        }
        return n == words.length ? words : Arrays.copyOf(words, n);
    }
}
