package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeType;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A route that loaded its snapshot before later writer calls ran must still answer as that snapshot
 * says, though the exact-key indexes it probes ({@link ExactKeyIndex}) are shared with, and updated
 * in place for, every later snapshot: binds, unbinds (tombstones), queue deletions (many keys in one
 * call) and the index growing, all after the snapshot. Deterministic: every snapshot is kept and
 * routed after all the writes, against the model's state at that snapshot.
 */
class LaggingRouteTest
{
    private static final int QUEUES = 6;
    private static final int KEYS = 96;
    private static final int STEPS = 800;

    /** One kept snapshot with what each key of each exchange reached in it. */
    private record Kept(Snapshot<String> snapshot, Map<String, Set<String>> direct, Map<String, Set<String>> topic)
    {
    }

    private static Map<String, Set<String>> copy(final Map<String, Set<String>> model)
    {
        final Map<String, Set<String>> copy = new HashMap<>();
        model.forEach((key, queues) ->
        {
            if (!queues.isEmpty())
            {
                copy.put(key, new TreeSet<>(queues));
            }
        });
        return copy;
    }

    @Test
    void everyOlderSnapshotStillRoutesAsItWasPublished()
    {
        final String[] queues = new String[QUEUES];
        for (int q = 0; q < QUEUES; q++)
        {
            queues[q] = "q" + q;
        }
        final RoutingTable<String> table = Tables.withQueues(queues);
        Tables.declare(table, "d", ExchangeType.DIRECT);
        Tables.declare(table, "t", ExchangeType.TOPIC);
        // A wildcard binding beside the exact ones: its matches must come on top of theirs.
        table.declareQueue("star", "star");
        table.bindQueue("t", "star", "k.*", null);

        final Map<String, Set<String>> direct = new HashMap<>();
        final Map<String, Set<String>> topic = new HashMap<>();
        final List<Kept> kept = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(2026);
        for (int step = 0; step < STEPS; step++)
        {
            final int op = random.nextInt(20);
            final String queue = queues[random.nextInt(QUEUES)];
            if (op == 0)
            {
                // Removes the queue from every key of both exchanges in one writer call, then brings it back unbound.
                table.deleteQueue(queue);
                direct.values().forEach(set -> set.remove(queue));
                topic.values().forEach(set -> set.remove(queue));
                kept.add(new Kept(table.lpSnapshot(), copy(direct), copy(topic)));
                table.declareQueue(queue, queue);
            }
            else
            {
                final boolean toTopic = (op & 1) == 0;
                final String exchange = toTopic ? "t" : "d";
                final Map<String, Set<String>> model = toTopic ? topic : direct;
                final String key = "k." + random.nextInt(KEYS);
                final Set<String> reached = model.computeIfAbsent(key, k -> new TreeSet<>());
                if (reached.contains(queue) && random.nextBoolean())
                {
                    table.unbindQueue(exchange, queue, key, null);
                    reached.remove(queue);
                }
                else
                {
                    table.bindQueue(exchange, queue, key, null);
                    reached.add(queue);
                }
            }
            kept.add(new Kept(table.lpSnapshot(), copy(direct), copy(topic)));
        }

        final DestinationSet<String> out = new DestinationSet<>();
        for (int s = 0; s < kept.size(); s++)
        {
            final Kept k = kept.get(s);
            for (int key = 0; key < KEYS; key++)
            {
                // A fresh String each time: the route memo must not answer for another snapshot.
                final String routingKey = new String(("k." + key).toCharArray());
                final Set<String> expectedDirect = k.direct().getOrDefault(routingKey, Set.of());
                final int directSize = table.route(k.snapshot(), "d", routingKey, null, out, false);
                assertEquals(expectedDirect, Tables.contents(out, directSize), "snapshot " + s + ", direct key " + routingKey);

                final Set<String> expectedTopic = new TreeSet<>(k.topic().getOrDefault(routingKey, Set.of()));
                expectedTopic.add("star");
                final int topicSize = table.route(k.snapshot(), "t", routingKey, null, out, false);
                assertEquals(expectedTopic, Tables.contents(out, topicSize), "snapshot " + s + ", topic key " + routingKey);
            }
        }
    }
}
