package io.ringmq.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;

import io.ringmq.bench.contenders.Contenders;
import io.ringmq.bench.contenders.Shape;
import io.ringmq.bench.latency.Pipeline;

/** The PNG charts of the report, drawn with XChart. Log-scale y: the contenders span four decades, routes seven. */
final class Charts
{
    static final String THROUGHPUT_PNG = "throughput.png";
    static final String PIPELINE_PNG = "pipeline.png";
    static final String ROUTING_PNG = "routing.png";
    static final String NETWORK_THROUGHPUT_PNG = "network-throughput.png";
    static final String NETWORK_LATENCY_PNG = "network-latency.png";

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 620;
    private static final String[] PERCENTILES = {"p50", "p99", "p99.9", "max"};

    private Charts()
    {
    }

    /** Grouped bars: x = shape, one series per contender, y = messages delivered per second. */
    static Path throughput(final List<ThroughputRow> rows, final Path dir) throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Throughput: messages delivered per second (log scale; higher is better)")
            .xAxisTitle("shape (fanout counts one delivery per consumer)")
            .yAxisTitle("messages delivered / s")
            .build();
        style(chart);
        final Set<Shape> shapes = new TreeSet<>();
        rows.forEach(r -> shapes.add(r.shape()));
        for (final String contender : inRegistryOrder(rows.stream().map(ThroughputRow::contender).toList()))
        {
            final List<String> xs = new ArrayList<>();
            final List<Number> ys = new ArrayList<>();
            for (final Shape shape : shapes)
            {
                xs.add(shape.label());
                // A contender not run on a shape gets a gap (null), which XChart skips.
                ys.add(rows.stream()
                    .filter(r -> r.shape() == shape && r.contender().equals(contender) && r.score() > 0)
                    .map(r -> (Number) r.score())
                    .findFirst().orElse(null));
            }
            chart.addSeries(contender, xs, ys);
        }
        decades(chart, rows.stream().mapToDouble(ThroughputRow::score).filter(v -> v > 0).toArray());
        return save(chart, dir.resolve(THROUGHPUT_PNG));
    }

    /**
     * The pipeline harness: x = shape, one series per peer family at its best configuration in that shape (the
     * table names which), y = messages delivered per second.
     */
    static Optional<Path> pipeline(final List<PipelineRow> rows, final Path dir) throws IOException
    {
        if (rows.isEmpty())
        {
            return Optional.empty();
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Pipeline: each peer's best configuration, messages delivered per second (log scale)")
            .xAxisTitle("shape (fanout counts one delivery per consumer)")
            .yAxisTitle("messages delivered / s")
            .build();
        style(chart);
        final Set<Shape> shapes = new TreeSet<>();
        rows.forEach(r -> shapes.add(r.shape()));
        final Set<String> families = new LinkedHashSet<>();
        for (final String name : io.ringmq.bench.pipeline.Peers.names())
        {
            families.add(io.ringmq.bench.pipeline.Peers.entry(name).family());
        }
        rows.forEach(r -> families.add(r.family()));
        for (final String family : families)
        {
            final List<String> xs = new ArrayList<>();
            final List<Number> ys = new ArrayList<>();
            boolean any = false;
            for (final Shape shape : shapes)
            {
                xs.add(shape.label());
                final Optional<PipelineRow> best = PipelineRow.best(rows, shape, r -> r.family().equals(family));
                any |= best.isPresent();
                ys.add(best.map(r -> (Number) r.score()).orElse(null));
            }
            if (any)
            {
                chart.addSeries(family, xs, ys);
            }
        }
        decades(chart, rows.stream().mapToDouble(PipelineRow::score).filter(v -> v > 0).toArray());
        return Optional.of(save(chart, dir.resolve(PIPELINE_PNG)));
    }

    /** One chart per offered rate: x = percentile, one series per contender, y = microseconds. */
    static List<Path> latency(final List<LatencyRow> rows, final Path dir) throws IOException
    {
        return latency(rows, dir, "latency-", "Publish-to-delivery latency");
    }

    /**
     * {@link #latency(List, Path)} for the pipeline view: {@code latency-pipeline-<rate>.png}, series in
     * {@link Pipeline#NAMES} order so that a peer keeps its colour from one chart to the next.
     */
    static List<Path> pipelineLatency(final List<PipelineLatencyRow> rows, final Path dir) throws IOException
    {
        final List<LatencyRow> ordered = rows.stream().map(PipelineLatencyRow::merged)
            .sorted(Comparator.comparingInt(r -> Pipeline.NAMES.contains(r.contender())
                ? Pipeline.NAMES.indexOf(r.contender()) : Pipeline.NAMES.size()))
            .toList();
        return latency(ordered, dir, "latency-pipeline-", "Latency, own consumer threads,");
    }

    private static List<Path> latency(final List<LatencyRow> rows, final Path dir, final String filePrefix,
                                      final String title) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        final Set<Long> rates = new TreeSet<>();
        rows.forEach(r -> rates.add(r.rate()));
        for (final long rate : rates)
        {
            final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(String.format("%s at %,d msgs/s offered, "
                    + "from intended send time (log scale; lower is better)", title, rate))
                .xAxisTitle("percentile")
                .yAxisTitle("microseconds")
                .build();
            style(chart);
            final List<Double> values = new ArrayList<>();
            final List<LatencyRow> atRate = rows.stream().filter(r -> r.rate() == rate).toList();
            for (final String contender : inRegistryOrder(atRate.stream().map(LatencyRow::contender).toList()))
            {
                final LatencyRow row = atRate.stream().filter(r -> r.contender().equals(contender)).findFirst().orElseThrow();
                if (row.count() > 0)
                {
                    values.addAll(List.of(floor(row.p50Micros()), floor(row.maxMicros())));
                    chart.addSeries(row.contender(), List.of(PERCENTILES), List.of(
                        floor(row.p50Micros()), floor(row.p99Micros()), floor(row.p999Micros()), floor(row.maxMicros())));
                }
            }
            if (!chart.getSeriesMap().isEmpty())
            {
                decades(chart, values.stream().mapToDouble(Double::doubleValue).toArray());
                files.add(save(chart, dir.resolve(filePrefix + rate + ".png")));
            }
        }
        return files;
    }

    /**
     * Route cost against the number of bindings, both axes log: one line per {@code RoutingBenchmark} method
     * that has a {@code bindings} parameter (RingMQ's routes and the naive baselines). Empty when the
     * results have none.
     */
    static Optional<Path> routing(final List<SuiteRow> rows, final Path dir) throws IOException
    {
        final List<SuiteRow> sized = rows.stream()
            .filter(r -> r.suite() == Suite.ROUTING && r.params().startsWith("bindings=") && r.score() > 0
                && r.unit().endsWith("/op"))   // time per route (avgt), not a throughput someone asked for by hand
            .toList();
        if (sized.isEmpty())
        {
            return Optional.empty();
        }
        final String unit = sized.get(0).unit();
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
            .title("Route cost per exchange type vs bindings (log-log; lower is better; baselines are naive "
                + "structures in the same run)")
            .xAxisTitle("bindings")
            .yAxisTitle(unit.replace("/op", "") + " per route")
            .build();
        final var styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setYAxisLogarithmic(true);
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        styler.setMarkerSize(8);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setXAxisDecimalPattern("#,###");
        styler.setYAxisDecimalPattern("#,###.#");
        final Set<String> methods = new LinkedHashSet<>();
        sized.forEach(r -> methods.add(r.benchmark()));
        for (final String method : methods)
        {
            final List<Double> xs = new ArrayList<>();
            final List<Double> ys = new ArrayList<>();
            sized.stream().filter(r -> r.benchmark().equals(method))
                .sorted(Comparator.comparingDouble(Charts::bindings))
                .forEach(r ->
                {
                    xs.add(bindings(r));
                    ys.add(r.score());
                });
            final XYSeries series = chart.addSeries(method, xs, ys);
            if (method.contains("Baseline"))
            {
                series.setLineStyle(SeriesLines.DASH_DASH);   // the naive structures, not RingMQ
            }
        }
        final Path file = dir.resolve(ROUTING_PNG);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return Optional.of(file);
    }

    /**
     * Grouped bars of the network stage: x = throughput workload, one series per broker that ran (PerfTest's
     * received rate; a run that did not stand is left out) and one for PerfTest's ceiling at that message size.
     */
    static Optional<Path> networkThroughput(final NetworkResults results, final Path dir) throws IOException
    {
        final List<NetworkWorkload> workloads = NetworkWorkload.ofKind(NetworkWorkload.Kind.THROUGHPUT);
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title("PerfTest, 1 producer → 1 consumer over loopback: messages received per second "
                + "(log scale; higher is better)")
            .xAxisTitle("workload")
            .yAxisTitle("messages received / s")
            .build();
        style(chart);
        final List<String> xs = workloads.stream().map(NetworkWorkload::label).toList();
        final List<Double> values = new ArrayList<>();
        for (final String broker : NetworkResults.BROKERS)
        {
            final List<Number> ys = new ArrayList<>();
            for (final NetworkWorkload w : workloads)
            {
                ys.add(results.run(broker, w).filter(NetworkResults.Run::stands)
                    .map(r -> (Number) r.output().receivedRate()).orElse(null));
            }
            if (ys.stream().anyMatch(y -> y != null))
            {
                ys.stream().filter(y -> y != null).forEach(y -> values.add(y.doubleValue()));
                chart.addSeries(NetworkResults.displayName(broker), xs, ys);
            }
        }
        if (values.isEmpty())
        {
            return Optional.empty();
        }
        final List<Number> ceiling = new ArrayList<>();
        for (final NetworkWorkload w : workloads)
        {
            final double rate = results.ceiling(w.size()).rate();
            ceiling.add(Double.isNaN(rate) ? null : rate);
            if (!Double.isNaN(rate))
            {
                values.add(rate);
            }
        }
        if (ceiling.stream().anyMatch(y -> y != null))
        {
            chart.addSeries("PerfTest's ceiling", xs, ceiling);
        }
        decades(chart, values.stream().mapToDouble(Double::doubleValue).toArray());
        return Optional.of(save(chart, dir.resolve(NETWORK_THROUGHPUT_PNG)));
    }

    /** Consumer latency percentiles of the fixed-rate runs: x = percentile, one series per broker and size. */
    static Optional<Path> networkLatency(final NetworkResults results, final Path dir) throws IOException
    {
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
            .title(String.format("PerfTest consumer latency at %,d msgs/s, manual ack (log scale; lower is better)",
                NetworkWorkload.LATENCY_RATE))
            .xAxisTitle("percentile")
            .yAxisTitle("microseconds")
            .build();
        style(chart);
        final List<Double> values = new ArrayList<>();
        for (final String broker : NetworkResults.BROKERS)
        {
            for (final NetworkWorkload w : NetworkWorkload.ofKind(NetworkWorkload.Kind.LATENCY))
            {
                final Optional<PerfTestOutput.Latency> latency = results.run(broker, w)
                    .filter(NetworkResults.Run::stands).map(r -> r.output().consumerLatency());
                if (latency.isPresent())
                {
                    final List<Number> ys = new ArrayList<>();
                    for (final double v : latency.get().values())
                    {
                        ys.add(floor(v));
                        values.add(floor(v));
                    }
                    chart.addSeries(NetworkResults.displayName(broker) + ", " + w.sizeLabel(),
                        List.of(PerfTestOutput.PERCENTILES), ys);
                }
            }
        }
        if (values.isEmpty())
        {
            return Optional.empty();
        }
        decades(chart, values.stream().mapToDouble(Double::doubleValue).toArray());
        return Optional.of(save(chart, dir.resolve(NETWORK_LATENCY_PNG)));
    }

    private static double bindings(final SuiteRow row)
    {
        final String value = row.params().substring("bindings=".length());
        final int comma = value.indexOf(',');
        return Double.parseDouble(comma < 0 ? value : value.substring(0, comma));
    }

    /**
     * Series in registration order, unknown names last: XChart colours series by position, so this keeps
     * one colour per contender across all charts.
     */
    static List<String> inRegistryOrder(final List<String> names)
    {
        final Set<String> ordered = new LinkedHashSet<>();
        for (final String registered : Contenders.names())
        {
            if (names.contains(registered))
            {
                ordered.add(registered);
            }
        }
        ordered.addAll(names);
        return List.copyOf(ordered);
    }

    /** Log axes cannot show 0; a sub-microsecond percentile is drawn at 0.01 us (the table has the value). */
    private static double floor(final double micros)
    {
        return Math.max(micros, 0.01);
    }

    /**
     * Bar charts anchor the y axis at 0, which a log axis cannot show: bound it to whole decades around
     * the data instead.
     */
    private static void decades(final CategoryChart chart, final double[] values)
    {
        if (values.length == 0)
        {
            return;
        }
        final double min = java.util.Arrays.stream(values).min().orElse(1);
        final double max = java.util.Arrays.stream(values).max().orElse(10);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 1.0001))));
    }

    private static void style(final CategoryChart chart)
    {
        final var styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(java.awt.Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setAvailableSpaceFill(0.8);
        styler.setOverlapped(false);
    }

    private static Path save(final CategoryChart chart, final Path file) throws IOException
    {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
