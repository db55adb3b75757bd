package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One line of a {@link Suite}'s table: a benchmark method with one set of parameters, its primary score
 * and what it allocated.
 *
 * @param benchmark  the method (for a benchmark declared in a nested class, {@code Nested.method})
 * @param params     {@code name=value, ...} in JMH's order, or empty
 * @param allocNorm  JMH's {@code gc.alloc.rate.norm}, bytes per benchmark invocation (all threads of the JVM)
 * @param counters   the other secondary metrics (a {@code @Group}'s per-method rates and
 *                   {@code @AuxCounters}), {@code name value} joined, or empty
 */
record SuiteRow(Suite suite, String benchmark, String params, String mode, double score, double error, String unit,
                double allocNorm, String counters)
{
    static final String ALLOC_NORM = "gc.alloc.rate.norm";

    /** The row for a result of this suite's class (or a class nested in it), in the results' order. */
    static List<SuiteRow> of(final Suite suite, final List<JmhResult> results)
    {
        final List<SuiteRow> rows = new ArrayList<>();
        for (final JmhResult r : results)
        {
            if (suite.owns(r))
            {
                final JmhResult.Metric norm = r.secondary(ALLOC_NORM);
                rows.add(new SuiteRow(suite, suite.method(r), params(r.params()), r.mode(), r.primary().score(),
                    r.primary().error(), r.primary().unit(), norm == null ? Double.NaN : norm.score(), counters(r)));
            }
        }
        return rows;
    }

    private static String params(final Map<String, String> params)
    {
        final List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    private static String counters(final JmhResult r)
    {
        final List<String> parts = new ArrayList<>();
        r.secondary().forEach((name, metric) ->
        {
            if (!name.startsWith("gc."))
            {
                parts.add(name + " " + number(metric.score()));
            }
        });
        return parts.isEmpty() ? "" : String.join(", ", parts) + " " + r.primary().unit();
    }

    /** Three or more significant digits, thousands separated: these tables span 1 ns to 10^8 ops/s. */
    static String number(final double value)
    {
        if (Double.isNaN(value))
        {
            return "n/a";
        }
        final double abs = Math.abs(value);
        final String format = abs >= 1000 ? "%,.0f" : abs >= 100 ? "%.1f" : abs >= 10 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, format, value);
    }
}
