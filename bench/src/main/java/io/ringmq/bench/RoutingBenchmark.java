package io.ringmq.bench;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import io.ringmq.routing.table.DestinationSet;
import io.ringmq.routing.table.RoutingTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Cost of one {@link RoutingTable#route} per exchange type, against naive baselines in the same run,
 * and the cost of declaring 100,000 bindings one by one.
 *
 * <p>Claims this backs, and how to read them:
 * <ul>
 *   <li>Route cost does not grow with the number of bindings for direct and topic exchanges:
 *       compare {@code direct} and {@code topicStar}/{@code topicHash} across {@code bindings}.</li>
 *   <li>Routing allocates nothing: run with {@code -prof gc}; every {@code direct}/{@code
 *       topic*}/{@code headers*}/{@code fanout}/{@code exchangeChain} benchmark should show
 *       {@code gc.alloc.rate.norm} &asymp; 0 B/op. The baselines allocate (regex matchers, the
 *       {@code "."+key} string) and are there to show what the structure saves.</li>
 *   <li>Writers are {@code O(log n)} per binding: {@code declareBindings} (single shot) declares
 *       100,000 bindings into a fresh table; it should take well under two seconds.</li>
 * </ul>
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RoutingBenchmark -prof gc}. The 100,000-binding
 * regex baseline is slow by design (a linear scan of 100,000 patterns per route).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark
{
    /** Routing keys cycle through this many pre-built strings, so the benchmark itself allocates nothing. */
    private static final int KEY_COUNT = 1024;
    private static final int KEY_MASK = KEY_COUNT - 1;
    private static final int QUEUES = 1000;

    private static RoutingTable<String> tableWithQueues(final int queues)
    {
        final RoutingTable<String> table = new RoutingTable<>();
        for (int q = 0; q < queues; q++)
        {
            table.declareQueue("q" + q, "q" + q);
        }
        return table;
    }

    // ------------------------------------------------------------------------------------------
    // Direct
    // ------------------------------------------------------------------------------------------

    /**
     * {@code bindings} bindings of {@code exchange} with distinct exact keys {@code prefix + i} (no
     * wildcard), the same in a {@code HashMap<String, List<String>>}, and routing keys that each match
     * one binding. The keys are distinct String instances from the bound ones, as off the wire.
     */
    @State(Scope.Thread)
    public abstract static class ExactKeyState
    {
        @Param({"10", "1000", "100000"})
        public int bindings;

        RoutingTable<String> table;
        final DestinationSet<String> out = new DestinationSet<>();
        final Map<String, List<String>> naive = new HashMap<>();
        final String[] keys = new String[KEY_COUNT];
        int next;

        abstract String exchange();

        abstract String prefix();

        @Setup(Level.Trial)
        public void setUp()
        {
            table = tableWithQueues(Math.min(bindings, QUEUES));
            for (int i = 0; i < bindings; i++)
            {
                final String queue = "q" + (i % QUEUES);
                table.bindQueue(exchange(), queue, prefix() + i, null);
                naive.computeIfAbsent(prefix() + i, k -> new ArrayList<>()).add(queue);
            }
            final SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < KEY_COUNT; i++)
            {
                keys[i] = prefix() + random.nextInt(bindings);
            }
        }

        String nextKey()
        {
            return keys[next++ & KEY_MASK];
        }
    }

    /** Direct bindings {@code key.<i>} on {@code amq.direct}. */
    @State(Scope.Thread)
    public static class DirectState extends ExactKeyState
    {
        @Override
        String exchange()
        {
            return "amq.direct";
        }

        @Override
        String prefix()
        {
            return "key.";
        }
    }

    /** Wildcard-free topic bindings {@code a.b.<i>} on {@code amq.topic}: a topic exchange used as a direct one. */
    @State(Scope.Thread)
    public static class TopicExactState extends ExactKeyState
    {
        @Override
        String exchange()
        {
            return "amq.topic";
        }

        @Override
        String prefix()
        {
            return "a.b.";
        }
    }

    @Benchmark
    public int direct(final DirectState s)
    {
        return s.table.route("amq.direct", s.nextKey(), null, s.out);
    }

    /** Baseline: a plain map from key to queue names (no snapshot, no de-duplication, no e2e). */
    @Benchmark
    public List<String> directHashMapBaseline(final DirectState s)
    {
        return s.naive.get(s.nextKey());
    }

    /** A topic exchange whose patterns have no wildcard, routing a key that matches one of them. */
    @Benchmark
    public int topicExact(final TopicExactState s)
    {
        return s.table.route("amq.topic", s.nextKey(), null, s.out);
    }

    /** Baseline for {@link #topicExact}: the same keys in a plain map. */
    @Benchmark
    public List<String> topicExactHashMapBaseline(final TopicExactState s)
    {
        return s.naive.get(s.nextKey());
    }

    // ------------------------------------------------------------------------------------------
    // Topic
    // ------------------------------------------------------------------------------------------

    /**
     * {@code bindings} topic bindings, half {@code stock.<i>.*} and half {@code #.trade.<i>}, and the
     * same patterns precompiled to {@code java.util.regex} for the linear-scan baseline.
     */
    @State(Scope.Thread)
    public static class TopicState
    {
        @Param({"10", "1000", "100000"})
        public int bindings;

        RoutingTable<String> table;
        final DestinationSet<String> out = new DestinationSet<>();
        Pattern[] regexes;
        String[] regexQueues;
        /** Keys matching one {@code stock.<i>.*} binding. */
        final String[] starKeys = new String[KEY_COUNT];
        /** Keys matching one {@code #.trade.<i>} binding after three leading words. */
        final String[] hashKeys = new String[KEY_COUNT];
        int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            table = tableWithQueues(Math.min(bindings, QUEUES));
            regexes = new Pattern[bindings];
            regexQueues = new String[bindings];
            for (int i = 0; i < bindings; i++)
            {
                final String queue = "q" + (i % QUEUES);
                final String pattern = (i & 1) == 0 ? "stock." + i + ".*" : "#.trade." + i;
                table.bindQueue("amq.topic", queue, pattern, null);
                regexes[i] = Pattern.compile(topicToRegex(pattern));
                regexQueues[i] = queue;
            }
            final SplittableRandom random = new SplittableRandom(42);
            final int half = Math.max(1, bindings / 2);
            for (int i = 0; i < KEY_COUNT; i++)
            {
                starKeys[i] = "stock." + (2 * random.nextInt(half)) + ".nyse";
                hashKeys[i] = "eu.fx.desk.trade." + Math.min(bindings - 1, 2 * random.nextInt(half) + 1);
            }
        }
    }

    /**
     * A topic pattern as a regex over the key written as {@code "." + key} (the empty key as
     * {@code ""}), so that every word, empty ones included, is "a dot and what follows it":
     * a literal is {@code \.word}, {@code *} is {@code \.[^.]*} and {@code #} is {@code (?:\.[^.]*)*}.
     */
    static String topicToRegex(final String pattern)
    {
        if (pattern.isEmpty())
        {
            return "";
        }
        final StringBuilder regex = new StringBuilder();
        for (final String word : pattern.split("\\.", -1))
        {
            if (word.equals("*"))
            {
                regex.append("\\.[^.]*");
            }
            else if (word.equals("#"))
            {
                regex.append("(?:\\.[^.]*)*");
            }
            else
            {
                regex.append("\\.").append(Pattern.quote(word));
            }
        }
        return regex.toString();
    }

    @Benchmark
    public int topicStar(final TopicState s)
    {
        return s.table.route("amq.topic", s.starKeys[s.next++ & KEY_MASK], null, s.out);
    }

    @Benchmark
    public int topicHash(final TopicState s)
    {
        return s.table.route("amq.topic", s.hashKeys[s.next++ & KEY_MASK], null, s.out);
    }

    /** Baseline: every precompiled pattern tried in turn, as a naive broker would. */
    @Benchmark
    public void topicRegexScanBaseline(final TopicState s, final Blackhole bh)
    {
        final String key = s.starKeys[s.next++ & KEY_MASK];
        final String dotted = key.isEmpty() ? key : "." + key;
        final Pattern[] regexes = s.regexes;
        for (int i = 0; i < regexes.length; i++)
        {
            if (regexes[i].matcher(dotted).matches())
            {
                bh.consume(s.regexQueues[i]);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Fanout, headers, exchange-to-exchange
    // ------------------------------------------------------------------------------------------

    /** Fixed-size fanout, headers (all / any) and a three-exchange chain; these do not index by key. */
    @State(Scope.Thread)
    public static class FixedState
    {
        RoutingTable<String> table;
        final DestinationSet<String> out = new DestinationSet<>();
        final Map<String, Object> headers = new HashMap<>();
        /**
         * Equal keys in distinct String instances, taken in turn: the route memo (which reuses a route
         * for the very same String instances in the same snapshot) never hits, so these measure the
         * walk itself. {@link #repeatedRouteReused} measures the memo.
         */
        final String[] emptyKeys = new String[2];
        final String[] chainKeys = new String[2];
        int next;

        @Setup(Level.Trial)
        public void setUp()
        {
            for (int i = 0; i < 2; i++)
            {
                emptyKeys[i] = new String(new char[0]);
                chainKeys[i] = new String("order.created.eu".toCharArray());
            }
            table = tableWithQueues(64);
            for (int i = 0; i < 16; i++)
            {
                table.bindQueue("amq.fanout", "q" + i, "", null);
                table.bindQueue("amq.headers", "q" + i, "", Map.of("x-match", "all", "format", "pdf", "region", "r" + (i % 4)));
                table.bindQueue("amq.match", "q" + i, "", Map.of("x-match", "any", "format", "f" + i, "priority", i));
            }
            headers.put("format", "pdf");
            headers.put("region", "r2");
            headers.put("priority", 7L);

            table.declareExchange(ExchangeSpec.builder("chain.1", ExchangeType.TOPIC).build());
            table.declareExchange(ExchangeSpec.builder("chain.2", ExchangeType.DIRECT).internal(true).build());
            table.declareExchange(ExchangeSpec.builder("chain.3", ExchangeType.FANOUT).internal(true).build());
            table.bindExchange("chain.1", "chain.2", "order.#", null);
            table.bindExchange("chain.2", "chain.3", "order.created.eu", null);
            for (int i = 0; i < 4; i++)
            {
                table.bindQueue("chain.3", "q" + (32 + i), "", null);
            }
        }
    }

    @Benchmark
    public int fanout(final FixedState s)
    {
        return s.table.route("amq.fanout", s.emptyKeys[s.next++ & 1], null, s.out);
    }

    @Benchmark
    public int headersAll(final FixedState s)
    {
        return s.table.route("amq.headers", "", s.headers, s.out);
    }

    @Benchmark
    public int headersAny(final FixedState s)
    {
        return s.table.route("amq.match", "", s.headers, s.out);
    }

    /** topic {@code chain.1} -> direct {@code chain.2} -> fanout {@code chain.3} -> 4 queues, one snapshot. */
    @Benchmark
    public int exchangeChain(final FixedState s)
    {
        return s.table.route("chain.1", s.chainKeys[s.next++ & 1], null, s.out);
    }

    /**
     * The same publish again and again, as a publisher with constant exchange and key strings sends
     * it: the route memo answers without walking (compare with {@link #exchangeChain}).
     */
    @Benchmark
    public int repeatedRouteReused(final FixedState s)
    {
        return s.table.route("chain.1", "order.created.eu", null, s.out);
    }

    // ------------------------------------------------------------------------------------------
    // Writers
    // ------------------------------------------------------------------------------------------

    /** A fresh table with its queues, per invocation, so each shot declares into an empty table. */
    @State(Scope.Thread)
    public static class FreshTable
    {
        static final int BINDINGS = 100_000;

        RoutingTable<String> table;
        final String[] queues = new String[BINDINGS];
        final String[] keys = new String[BINDINGS];

        @Setup(Level.Trial)
        public void names()
        {
            for (int i = 0; i < BINDINGS; i++)
            {
                queues[i] = "q" + (i % QUEUES);
                keys[i] = "key." + i;
            }
        }

        @Setup(Level.Invocation)
        public void freshTable()
        {
            table = tableWithQueues(QUEUES);
        }
    }

    /** 100,000 direct bindings declared one by one, each publishing a snapshot. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public RoutingTable<String> declareBindings(final FreshTable s)
    {
        final RoutingTable<String> table = s.table;
        for (int i = 0; i < FreshTable.BINDINGS; i++)
        {
            table.bindQueue("amq.direct", s.queues[i], s.keys[i], null);
        }
        return table;
    }
}
