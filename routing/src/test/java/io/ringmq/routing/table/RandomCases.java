package io.ringmq.routing.table;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Seeded random cases for the property tests, on plain JUnit.
 *
 * <p>Each property runs a fixed number of cases. Case {@code i} gets its own {@link SplittableRandom},
 * seeded with the {@code i}-th value drawn from a generator seeded with the base seed, so that a case
 * can be replayed alone without regenerating the cases before it. The base seed is fixed, so that
 * every build checks the same cases and a red build stays red; {@code -Dproperty.seed=...} checks
 * another set of cases, and {@code -Dproperty.case=i} runs only case {@code i}. A failure names the
 * seed, the case and the generated input; there is no shrinking, which is why the generators keep
 * their alphabets and sizes small enough for a failing input to be read as is.
 */
final class RandomCases
{
    static final String SEED_PROPERTY = "property.seed";
    static final String CASE_PROPERTY = "property.case";

    /** "RINGMQ" in ASCII: any fixed value would do, it only has to be the same on every build. */
    private static final long DEFAULT_SEED = 0x52494E474D51L;

    private RandomCases()
    {
    }

    /** The base seed: {@code -Dproperty.seed}, decimal or {@code 0x} hexadecimal, else the fixed default. */
    static long baseSeed()
    {
        final String value = System.getProperty(SEED_PROPERTY);
        if (value == null || value.isBlank())
        {
            return DEFAULT_SEED;
        }
        final String trimmed = value.trim();
        // Unsigned for hex, so that every seed this class prints can be passed back as is.
        if (trimmed.startsWith("0x") || trimmed.startsWith("0X"))
        {
            return Long.parseUnsignedLong(trimmed.substring(2), 16);
        }
        return Long.parseLong(trimmed);
    }

    /** Runs {@code property} on {@code cases} inputs, described by their {@code toString} on failure. */
    static <T> void check(final int cases, final Function<SplittableRandom, T> generator, final Consumer<T> property)
    {
        check(cases, generator, String::valueOf, property);
    }

    /**
     * Runs {@code property} on {@code cases} generated inputs; the first failing case ends the run with
     * an {@link AssertionError} naming the seed, the case and {@code describe} of the input, and
     * carrying the original failure as its cause.
     */
    static <T> void check(final int cases, final Function<SplittableRandom, T> generator, final Function<T, String> describe,
        final Consumer<T> property)
    {
        final long base = baseSeed();
        final int only = Integer.getInteger(CASE_PROPERTY, -1);
        final SplittableRandom seeds = new SplittableRandom(base);
        for (int i = 0; i < cases; i++)
        {
            // Drawn for every case, skipped or not, so that case i has the same seed with or without -Dproperty.case.
            final long caseSeed = seeds.nextLong();
            if (only >= 0 && i != only)
            {
                continue;
            }
            final T input = generator.apply(new SplittableRandom(caseSeed));
            try
            {
                property.accept(input);
            }
            catch (final AssertionError | RuntimeException e)
            {
                throw new AssertionError(String.format(
                    "property failed on case %d of %d (base seed 0x%x, case seed 0x%x); replay it with -D%s=0x%x -D%s=%d%n"
                        + "  input: %s%n  failure: %s",
                    i, cases, base, caseSeed, SEED_PROPERTY, base, CASE_PROPERTY, i, describe.apply(input), e), e);
            }
        }
    }

    /** A uniform int in {@code [min, max]}. */
    static int between(final SplittableRandom random, final int min, final int max)
    {
        return random.nextInt(min, max + 1);
    }

    /** True with probability {@code p}. */
    static boolean chance(final SplittableRandom random, final double p)
    {
        return random.nextDouble() < p;
    }

    static <T> T oneOf(final SplittableRandom random, final List<T> choices)
    {
        return choices.get(random.nextInt(choices.size()));
    }

    /** A list whose size is uniform in {@code [minSize, maxSize]}, elements drawn independently. */
    static <T> List<T> listOf(final SplittableRandom random, final int minSize, final int maxSize, final Function<SplittableRandom, T> element)
    {
        final int size = between(random, minSize, maxSize);
        final List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
        {
            list.add(element.apply(random));
        }
        return list;
    }

    /**
     * A value as a Java literal, so that a failure message tells {@code 1} from {@code 1L},
     * {@code (short) 1}, {@code 1.0f} and {@code "1"}: the headers exchange compares by type class,
     * and {@code toString} would print all of them alike.
     */
    static String render(final Object value)
    {
        if (value instanceof String)
        {
            return '"' + (String) value + '"';
        }
        if (value instanceof Long)
        {
            return value + "L";
        }
        if (value instanceof Short)
        {
            return "(short) " + value;
        }
        if (value instanceof Byte)
        {
            return "(byte) " + value;
        }
        if (value instanceof Float)
        {
            return value + "f";
        }
        if (value instanceof Double)
        {
            return value + "d";
        }
        if (value instanceof byte[])
        {
            return "bytes" + Arrays.toString((byte[]) value);
        }
        if (value instanceof Map<?, ?> map)
        {
            final StringBuilder sb = new StringBuilder("{");
            for (final Map.Entry<?, ?> e : map.entrySet())
            {
                if (sb.length() > 1)
                {
                    sb.append(", ");
                }
                sb.append(e.getKey()).append('=').append(render(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (value instanceof List<?> list)
        {
            final StringBuilder sb = new StringBuilder("[");
            for (final Object element : list)
            {
                if (sb.length() > 1)
                {
                    sb.append(", ");
                }
                sb.append(render(element));
            }
            return sb.append(']').toString();
        }
        return String.valueOf(value);
    }
}
