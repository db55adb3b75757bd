package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.ringmq.routing.table.RandomCases.between;
import static io.ringmq.routing.table.RandomCases.listOf;
import static io.ringmq.routing.table.RandomCases.oneOf;
import static io.ringmq.routing.table.RandomCases.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random sequences of bind, unbind, queue re-creation and exchange re-creation, applied both to a
 * {@link RoutingTable} and to a reference model that is a plain list of bindings routed by
 * {@link ReferenceRouting} with RabbitMQ's walk ({@code rabbit_exchange:route}: worklist, seen set,
 * alternate exchange when an exchange's own match is empty). After each sequence every exchange is
 * routed with every key and headers of a small set, and both must agree.
 */
class RoutingModelPropertyTest
{
    private static final Map<String, ExchangeType> EXCHANGES = new LinkedHashMap<>();
    private static final Map<String, String> ALTERNATES = Map.of("d", "alt", "t", "d");
    private static final Set<String> INTERNAL = Set.of("alt");
    private static final List<String> QUEUES = List.of("q0", "q1", "q2", "q3");
    private static final List<String> KEYS = List.of("", "a", "b", "a.b", "a.b.c", ".", "a.", "a..b", "b.b");
    private static final List<String> PATTERNS = List.of("", "a", "b", "a.b", "*", "#", "a.*", "#.b", "*.#", "a..b", ".", "#.#");
    private static final List<Map<String, Object>> ARGUMENTS = List.of(
        Map.of(),
        Map.of("a", 1),
        Map.of("x-match", "any", "a", 1, "b", "x"),
        Map.of("x-match", "all", "a", 1L, "b", "x"),
        Map.of("x-match", "any-with-x", "x-k", 1),
        Map.of("x-match", "all", "x-k", 1));

    static
    {
        EXCHANGES.put("d", ExchangeType.DIRECT);
        EXCHANGES.put("f", ExchangeType.FANOUT);
        EXCHANGES.put("t", ExchangeType.TOPIC);
        EXCHANGES.put("h", ExchangeType.HEADERS);
        EXCHANGES.put("alt", ExchangeType.FANOUT);
    }

    /** One binding, as the model stores it; equality is RabbitMQ's binding identity. */
    record Bind(String source, boolean toQueue, String destination, String key, Map<String, Object> arguments)
    {
        /** Arguments rendered by type, so that a failure tells {@code 1} from {@code 1L}. */
        @Override
        public String toString()
        {
            return source + (toQueue ? " -> queue " : " -> exchange ") + destination + " key " + render(key) + " " + render(arguments);
        }
    }

    sealed interface Action permits Add, Remove, RemoveExisting, RecreateQueue, RecreateExchange
    {
    }

    record Add(Bind binding) implements Action
    {
    }

    record Remove(Bind binding) implements Action
    {
    }

    /** Removes the model's binding at {@code index % size}, so that removals hit real bindings often. */
    record RemoveExisting(int index) implements Action
    {
    }

    record RecreateQueue(String queue) implements Action
    {
    }

    record RecreateExchange(String exchange) implements Action
    {
    }

    @Test
    void tableRoutesLikeTheReferenceModelAfterRandomBindUnbindAndRecreateSequences()
    {
        RandomCases.check(300, RoutingModelPropertyTest::actions, RoutingModelPropertyTest::describe, RoutingModelPropertyTest::routesLikeTheModel);
    }

    private static void routesLikeTheModel(final List<Action> actions)
    {
        final RoutingTable<String> table = newTable();
        final List<Bind> model = new ArrayList<>();
        for (final Action action : actions)
        {
            apply(table, model, action);
        }
        final DestinationSet<String> out = new DestinationSet<>();
        for (final String exchange : EXCHANGES.keySet())
        {
            if (INTERNAL.contains(exchange))
            {
                continue;
            }
            for (final String key : KEYS)
            {
                for (final Map<String, Object> headers : headerSamples())
                {
                    final int n = table.route(exchange, key, headers, out);
                    assertEquals(referenceRoute(model, exchange, key, headers), Tables.contents(out, n),
                        () -> "route " + exchange + " " + render(key) + " " + render(headers));
                }
            }
            assertEquals(model.stream().filter(b -> b.source().equals(exchange)).count(), table.bindingCount(exchange),
                () -> "binding count of " + exchange);
        }
    }

    private static RoutingTable<String> newTable()
    {
        final RoutingTable<String> table = new RoutingTable<>();
        for (final String name : EXCHANGES.keySet())
        {
            table.declareExchange(spec(name));
        }
        for (final String queue : QUEUES)
        {
            table.declareQueue(queue, queue);
        }
        return table;
    }

    private static ExchangeSpec spec(final String name)
    {
        final ExchangeSpec.Builder builder = ExchangeSpec.builder(name, EXCHANGES.get(name)).internal(INTERNAL.contains(name));
        if (ALTERNATES.containsKey(name))
        {
            builder.alternateExchange(ALTERNATES.get(name));
        }
        return builder.build();
    }

    private static void apply(final RoutingTable<String> table, final List<Bind> model, final Action action)
    {
        if (action instanceof Add add)
        {
            final Bind b = add.binding();
            if (b.toQueue())
            {
                table.bindQueue(b.source(), b.destination(), b.key(), b.arguments());
            }
            else
            {
                table.bindExchange(b.source(), b.destination(), b.key(), b.arguments());
            }
            if (!model.contains(b))
            {
                model.add(b);
            }
        }
        else if (action instanceof Remove remove)
        {
            final Bind b = remove.binding();
            if (b.toQueue())
            {
                table.unbindQueue(b.source(), b.destination(), b.key(), b.arguments());
            }
            else
            {
                table.unbindExchange(b.source(), b.destination(), b.key(), b.arguments());
            }
            model.remove(b);
        }
        else if (action instanceof RemoveExisting remove)
        {
            if (!model.isEmpty())
            {
                apply(table, model, new Remove(model.get(remove.index() % model.size())));
            }
        }
        else if (action instanceof RecreateQueue recreate)
        {
            table.deleteQueue(recreate.queue());
            table.declareQueue(recreate.queue(), recreate.queue());
            model.removeIf(b -> b.toQueue() && b.destination().equals(recreate.queue()));
        }
        else if (action instanceof RecreateExchange recreate)
        {
            final String x = recreate.exchange();
            table.deleteExchange(x, false);
            table.declareExchange(spec(x));
            model.removeIf(b -> b.source().equals(x) || (!b.toQueue() && b.destination().equals(x)));
        }
    }

    /** rabbit_exchange:route, literally: a worklist, a seen set, alternates on an empty own match. */
    private static Set<String> referenceRoute(final List<Bind> model, final String start, final String key, final Map<String, Object> headers)
    {
        final Set<String> queues = new TreeSet<>();
        final Set<String> seen = new HashSet<>(Set.of(start));
        final Deque<String> work = new ArrayDeque<>(List.of(start));
        while (!work.isEmpty())
        {
            final String x = work.pop();
            final List<Bind> matched = new ArrayList<>();
            for (final Bind b : model)
            {
                if (b.source().equals(x) && matches(EXCHANGES.get(x), b, key, headers))
                {
                    matched.add(b);
                }
            }
            final List<String> nextExchanges = new ArrayList<>();
            for (final Bind b : matched)
            {
                if (b.toQueue())
                {
                    queues.add(b.destination());
                }
                else
                {
                    nextExchanges.add(b.destination());
                }
            }
            if (matched.isEmpty() && ALTERNATES.containsKey(x))
            {
                nextExchanges.add(ALTERNATES.get(x));
            }
            for (final String next : nextExchanges)
            {
                if (seen.add(next))
                {
                    work.push(next);
                }
            }
        }
        return queues;
    }

    private static boolean matches(final ExchangeType type, final Bind b, final String key, final Map<String, Object> headers)
    {
        switch (type)
        {
            case DIRECT:
                return b.key().equals(key);
            case FANOUT:
                return true;
            case TOPIC:
                return ReferenceRouting.topicMatches(b.key(), key);
            case HEADERS:
                return ReferenceRouting.headersMatch(b.arguments(), headers);
            default:
                throw new AssertionError(type);
        }
    }

    private static List<Map<String, Object>> headerSamples()
    {
        final List<Map<String, Object>> samples = new ArrayList<>();
        samples.add(null);
        samples.add(Map.of("a", 1));
        samples.add(Map.of("a", 1L, "b", "x"));
        samples.add(Map.of("b", "x", "x-k", 1));
        return samples;
    }

    /** One action a line, so that a failing sequence of up to 40 reads as a script. */
    private static String describe(final List<Action> actions)
    {
        final StringBuilder sb = new StringBuilder(actions.size() + " actions");
        for (final Action action : actions)
        {
            sb.append(System.lineSeparator()).append("    ").append(action);
        }
        return sb.toString();
    }

    /** Up to 40 actions, weighted add 6, remove 1, remove-existing 3, recreate queue 1, recreate exchange 1. */
    private static List<Action> actions(final SplittableRandom random)
    {
        return listOf(random, 0, 40, RoutingModelPropertyTest::action);
    }

    private static Action action(final SplittableRandom random)
    {
        final int pick = random.nextInt(12);
        if (pick < 6)
        {
            return new Add(binding(random));
        }
        if (pick < 7)
        {
            return new Remove(binding(random));
        }
        if (pick < 10)
        {
            return new RemoveExisting(between(random, 0, 1000));
        }
        if (pick < 11)
        {
            return new RecreateQueue(oneOf(random, QUEUES));
        }
        return new RecreateExchange(oneOf(random, List.of("f", "t", "h")));
    }

    /** Three in four bindings go to a queue; the key is a topic pattern, which is also a plain key for the others. */
    private static Bind binding(final SplittableRandom random)
    {
        final String source = oneOf(random, new ArrayList<>(EXCHANGES.keySet()));
        final boolean toQueue = random.nextInt(4) != 0;
        final String queue = oneOf(random, QUEUES);
        final String exchange = oneOf(random, new ArrayList<>(EXCHANGES.keySet()));
        final String key = oneOf(random, PATTERNS);
        final Map<String, Object> arguments = oneOf(random, ARGUMENTS);
        return new Bind(source, toQueue, toQueue ? queue : exchange, key, arguments);
    }
}
