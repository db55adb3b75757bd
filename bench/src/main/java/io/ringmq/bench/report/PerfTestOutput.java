package io.ringmq.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one PerfTest run printed (its default metrics format, as {@code com.rabbitmq.perf.PerfTest} 2.22 writes it),
 * read back: the once-a-second samples, the summary PerfTest prints when it stops, and why it stopped.
 *
 * <pre>
 * id: rabbitmq-confirm-12B, time 1.001 s, sent: 19261 msg/s, confirmed: 19100 msg/s, nacked: 0 msg/s, received: 6468 msg/s, min/median/75th/95th/99th consumer latency: 279/12971/395749/412299/423242 µs, confirm latency: 48/2719/4824/8505/13701 µs
 * test stopped (Reached time limit)
 * id: rabbitmq-confirm-12B, sending rate avg: 21138 msg/s
 * id: rabbitmq-confirm-12B, receiving rate avg: 21093 msg/s
 * id: rabbitmq-confirm-12B, consumer latency min/median/75th/95th/99th 464/103793/161161/392683/449917 µs
 * id: rabbitmq-confirm-12B, confirm latency min/median/75th/95th/99th 48/2719/4824/8505/13701 µs
 * </pre>
 *
 * The summary's rates are totals over the time since every producer and consumer had started. Its latency
 * percentiles come from PerfTest's Dropwizard histogram with an exponentially decaying reservoir (1,028 samples
 * biased towards the last five minutes, i.e. close to uniform over a run of a minute or less), so they are
 * estimates, not an exact histogram. Latencies are converted to microseconds ({@code --use-millis} prints ms).
 *
 * @param samples       the once-a-second lines, in order
 * @param sentRate      the summary's {@code sending rate avg}, msg/s; NaN if PerfTest printed no summary
 * @param receivedRate  the summary's {@code receiving rate avg}, msg/s; NaN if absent
 * @param consumerLatency the summary's consumer latency, or null
 * @param confirmLatency  the summary's confirm latency, or null (no {@code -c})
 * @param stopReason    what {@code test stopped (...)} said, or null
 * @param errors        lines that report an exception or error, at most {@link #MAX_ERRORS}
 */
record PerfTestOutput(List<Sample> samples, double sentRate, double receivedRate, Latency consumerLatency,
                      Latency confirmLatency, String stopReason, List<String> errors)
{
    static final int MAX_ERRORS = 5;

    /** One once-a-second line; a rate PerfTest did not print (no producer, no confirms) is NaN. */
    record Sample(double seconds, double sent, double confirmed, double nacked, double received)
    {
    }

    /** PerfTest's five latency figures, in microseconds. */
    record Latency(double min, double median, double p75, double p95, double p99)
    {
        double[] values()
        {
            return new double[] {min, median, p75, p95, p99};
        }
    }

    static final String[] PERCENTILES = {"min", "median", "p75", "p95", "p99"};

    private static final String NUMBER = "([0-9]+(?:[.,][0-9]+)?)";
    private static final String LATENCY = "([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+)/([0-9]+) (µs|us|ms)";
    private static final Pattern TIME = Pattern.compile(", time " + NUMBER + " s");
    private static final Pattern RATE = Pattern.compile(", (sent|confirmed|nacked|received|returned): " + NUMBER + " msg/s");
    private static final Pattern SENDING_AVG = Pattern.compile("sending rate avg: " + NUMBER + " msg/s");
    private static final Pattern RECEIVING_AVG = Pattern.compile("receiving rate avg: " + NUMBER + " msg/s");
    private static final Pattern CONSUMER_SUMMARY = Pattern.compile(", consumer latency min/median/75th/95th/99th " + LATENCY);
    private static final Pattern CONFIRM_SUMMARY = Pattern.compile(", confirm latency min/median/75th/95th/99th " + LATENCY);
    private static final Pattern STOPPED = Pattern.compile("^test stopped \\((.*)\\)\\s*$");
    private static final Pattern ERROR = Pattern.compile("(?i)exception|error|refused|failed");

    static PerfTestOutput parse(final String text)
    {
        final List<Sample> samples = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        double sent = Double.NaN;
        double received = Double.NaN;
        Latency consumer = null;
        Latency confirm = null;
        String stop = null;
        for (final String raw : text.split("\\R"))
        {
            final String line = raw.strip();
            Matcher m;
            if ((m = TIME.matcher(line)).find())
            {
                samples.add(sample(line, number(m.group(1))));
            }
            else if ((m = SENDING_AVG.matcher(line)).find())
            {
                sent = number(m.group(1));
            }
            else if ((m = RECEIVING_AVG.matcher(line)).find())
            {
                received = number(m.group(1));
            }
            else if ((m = CONSUMER_SUMMARY.matcher(line)).find())
            {
                consumer = latency(m, 1);
            }
            else if ((m = CONFIRM_SUMMARY.matcher(line)).find())
            {
                confirm = latency(m, 1);
            }
            else if ((m = STOPPED.matcher(line)).find())
            {
                stop = m.group(1);
            }
            else if (ERROR.matcher(line).find() && errors.size() < MAX_ERRORS)
            {
                errors.add(line);
            }
        }
        return new PerfTestOutput(List.copyOf(samples), sent, received, consumer, confirm, stop, List.copyOf(errors));
    }

    /** True when PerfTest printed its summary, i.e. ran to one of its limits rather than crashing. */
    boolean complete()
    {
        return !Double.isNaN(sentRate) && !Double.isNaN(receivedRate);
    }

    /**
     * The drain's rate: the mean of the once-a-second received rates while messages arrived (samples above
     * zero), leaving out the last of them when there are three or more, since the queue ran empty during that
     * second. Unlike the summary's average, it does not count the second or so {@code --exit-when empty} takes
     * to notice. NaN when no message arrived.
     */
    double receivedWhileFlowing()
    {
        final double[] flowing = samples.stream().mapToDouble(Sample::received).filter(r -> r > 0).toArray();
        final int n = flowing.length >= 3 ? flowing.length - 1 : flowing.length;
        if (n == 0)
        {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += flowing[i];
        }
        return sum / n;
    }

    private static Sample sample(final String line, final double seconds)
    {
        double sent = Double.NaN;
        double confirmed = Double.NaN;
        double nacked = Double.NaN;
        double received = Double.NaN;
        final Matcher m = RATE.matcher(line);
        while (m.find())
        {
            final double value = number(m.group(2));
            switch (m.group(1))
            {
                case "sent" -> sent = value;
                case "confirmed" -> confirmed = value;
                case "nacked" -> nacked = value;
                case "received" -> received = value;
                default ->
                {
                    // returned: only with the mandatory flag, which the workloads do not set
                }
            }
        }
        return new Sample(seconds, sent, confirmed, nacked, received);
    }

    private static Latency latency(final Matcher m, final int first)
    {
        final double scale = "ms".equals(m.group(first + 5)) ? 1_000 : 1;
        return new Latency(Long.parseLong(m.group(first)) * scale, Long.parseLong(m.group(first + 1)) * scale,
            Long.parseLong(m.group(first + 2)) * scale, Long.parseLong(m.group(first + 3)) * scale,
            Long.parseLong(m.group(first + 4)) * scale);
    }

    /** PerfTest formats with the JVM's locale: accept a decimal comma as well as a point. */
    private static double number(final String text)
    {
        return Double.parseDouble(text.replace(',', '.'));
    }
}
