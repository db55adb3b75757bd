package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test fixtures: tables whose queue objects are the queue names, so results read as sets of names.
 */
final class Tables
{
    private Tables()
    {
    }

    static RoutingTable<String> withQueues(final String... queues)
    {
        final RoutingTable<String> table = new RoutingTable<>();
        for (final String queue : queues)
        {
            table.declareQueue(queue, queue);
        }
        return table;
    }

    static void declare(final RoutingTable<String> table, final String name, final ExchangeType type)
    {
        table.declareExchange(ExchangeSpec.builder(name, type).build());
    }

    static Set<String> route(final RoutingTable<String> table, final String exchange, final String key)
    {
        return route(table, exchange, key, null);
    }

    static Set<String> route(final RoutingTable<String> table, final String exchange, final String key, final Map<String, ?> headers)
    {
        final DestinationSet<String> out = new DestinationSet<>();
        final int n = table.route(exchange, key, headers, out);
        return contents(out, n);
    }

    static Set<String> contents(final DestinationSet<String> out, final int reportedSize)
    {
        if (reportedSize != out.size())
        {
            throw new AssertionError("route returned " + reportedSize + " but the set holds " + out.size());
        }
        final List<String> list = new ArrayList<>();
        for (int i = 0; i < out.size(); i++)
        {
            list.add(out.get(i));
        }
        final Set<String> set = new TreeSet<>(list);
        if (set.size() != list.size())
        {
            throw new AssertionError("duplicate destinations in " + list);
        }
        return set;
    }

    static Set<String> set(final String... names)
    {
        return new TreeSet<>(List.of(names));
    }
}
