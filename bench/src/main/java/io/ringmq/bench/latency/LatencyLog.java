package io.ringmq.bench.latency;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Appends one trial's latency histogram to a JSON-lines file: percentiles for people, the compressed
 * histogram (base64) so that the report can merge forks exactly rather than average percentiles.
 */
public final class LatencyLog
{
    /** The system property naming the output file. */
    public static final String OUT_PROPERTY = "ringmq.bench.latency.out";
    /** The environment variable naming the output file, when the property is not set. */
    public static final String OUT_ENV = "RINGMQ_BENCH_LATENCY_OUT";

    private LatencyLog()
    {
    }

    /** The system property naming {@link PipelineLatency}'s output file: its lines are a view of their own. */
    public static final String PIPELINE_OUT_PROPERTY = "ringmq.bench.latency.pipeline.out";
    /** The environment variable naming {@link PipelineLatency}'s output file, when the property is not set. */
    public static final String PIPELINE_OUT_ENV = "RINGMQ_BENCH_LATENCY_PIPELINE_OUT";

    /** Where latency lines go: the property, else the environment variable, else the working directory. */
    public static Path outputFile()
    {
        return outputFile(OUT_PROPERTY, OUT_ENV, "latency-histograms.jsonl");
    }

    /** Where {@link PipelineLatency}'s lines go, named as {@link #outputFile()}'s are, by their own property. */
    public static Path pipelineOutputFile()
    {
        return outputFile(PIPELINE_OUT_PROPERTY, PIPELINE_OUT_ENV, "latency-pipeline-histograms.jsonl");
    }

    private static Path outputFile(final String property, final String env, final String fallback)
    {
        String name = System.getProperty(property);
        if (name == null || name.isBlank())
        {
            name = System.getenv(env);
        }
        return Path.of(name == null || name.isBlank() ? fallback : name);
    }

    /** One JSON line (no trailing newline). */
    public static String toJsonLine(final String contender, final long rate, final Histogram histogram)
    {
        final ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        final String encoded = Base64.getEncoder().encodeToString(
            java.util.Arrays.copyOf(buffer.array(), length));
        return String.format(Locale.ROOT,
            "{\"contender\":\"%s\",\"rate\":%d,\"count\":%d,\"unit\":\"us\","
                + "\"p50\":%.3f,\"p99\":%.3f,\"p999\":%.3f,\"max\":%.3f,"
                + "\"written\":\"%s\",\"histogram\":\"%s\"}",
            contender, rate, histogram.getTotalCount(),
            micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(99)),
            micros(histogram.getValueAtPercentile(99.9)), micros(histogram.getMaxValue()),
            Instant.now(), encoded);
    }

    /** Appends the line for one trial; the file is created when missing. */
    public static void append(final Path file, final String contender, final long rate, final Histogram histogram)
        throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJsonLine(contender, rate, histogram) + "\n", StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Decodes the histogram of a line written by {@link #toJsonLine}. */
    public static Histogram decode(final String base64)
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        }
        catch (final java.util.zip.DataFormatException e)
        {
            throw new IllegalArgumentException("not a compressed HdrHistogram", e);
        }
    }

    private static double micros(final long nanos)
    {
        return nanos / 1_000.0;
    }
}
