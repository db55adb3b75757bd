package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DestinationSetTest
{
    private static final Snapshot<String> EMPTY = snapshotOf();

    @SafeVarargs
    private static Snapshot<String> snapshotOf(final QueueNode<String>... queues)
    {
        QueuesById<String> byId = QueuesById.empty();
        for (final QueueNode<String> queue : queues)
        {
            byId = byId.with(queue.id, queue.queue);
        }
        return new Snapshot<>(PersistentStringMap.empty(), PersistentStringMap.empty(), byId, 1);
    }

    @Test
    void addKeepsEachQueueOncePerRoute()
    {
        final DestinationSet<String> set = new DestinationSet<>();
        final QueueNode<String> a = new QueueNode<>("a", 0, "A");
        final QueueNode<String> b = new QueueNode<>("b", 1, "B");
        final Snapshot<String> snapshot = snapshotOf(a, b);
        set.clear(snapshot);
        assertTrue(set.add(a));
        assertTrue(set.add(b));
        assertFalse(set.add(a));
        assertEquals(2, set.size());
        assertEquals("A", set.get(0));
        assertEquals("B", set.get(1));
        set.clear(snapshot);
        assertTrue(set.isEmpty());
        assertTrue(set.add(a), "a new route starts a new epoch");
    }

    @Test
    void stampArraysGrowWhenAHigherIdIsFirstSeen()
    {
        final DestinationSet<String> set = new DestinationSet<>();
        set.clear(EMPTY);
        assertTrue(set.add(new QueueNode<>("far", 100_000, "far")));
        assertFalse(set.add(new QueueNode<>("far", 100_000, "far")));
        for (int i = 0; i < 100; i++)
        {
            assertTrue(set.add(new QueueNode<>("q" + i, i, "q" + i)));
        }
        assertEquals(101, set.size());
        assertTrue(set.markVisited(5_000));
        assertFalse(set.markVisited(5_000));
    }

    @Test
    void epochWrapAroundClearsStaleStamps()
    {
        final DestinationSet<String> set = new DestinationSet<>();
        final QueueNode<String> a = new QueueNode<>("a", 3, "A");
        set.clear(EMPTY);
        set.setEpochForTest(1);
        set.add(a);
        set.markVisited(2);
        // 2^32 routes later the epoch comes back round to 1: the old stamps must not count.
        set.setEpochForTest(-1);
        set.clear(EMPTY);
        assertTrue(set.add(a));
        assertTrue(set.markVisited(2));
    }

    @Test
    void getOutsideTheResultIsAnError()
    {
        final DestinationSet<String> set = new DestinationSet<>();
        assertThrows(IndexOutOfBoundsException.class, () -> set.get(0));
        set.clear(EMPTY);
        set.add(new QueueNode<>("a", 0, "A"));
        assertThrows(IndexOutOfBoundsException.class, () -> set.get(1));
        assertThrows(IndexOutOfBoundsException.class, () -> set.get(-1));
    }

    @Test
    void wordsSplitLikeRabbitMqWithoutSubstrings()
    {
        final DestinationSet<String> set = new DestinationSet<>();
        set.clear(EMPTY);
        assertEquals(0, set.splitWords(""));
        set.clear(EMPTY);
        assertEquals(3, set.splitWords("a..bc"));
        assertEquals(0, set.wordStart(0));
        assertEquals(1, set.wordEnd(0));
        assertEquals(2, set.wordStart(1));
        assertEquals(2, set.wordEnd(1));
        assertEquals("".hashCode(), set.wordHash(1));
        assertEquals("bc".hashCode(), set.wordHash(2));
        set.clear(EMPTY);
        assertEquals(256, set.splitWords(".".repeat(255)));
    }

    @Test
    void aRouteDropsItsReferencesToThePreviousResult()
    {
        final RoutingTable<Object> table = new RoutingTable<>();
        table.declareQueue("q", new Object());
        final DestinationSet<Object> out = new DestinationSet<>();
        table.route("", "q", null, out);
        table.route("", "missing", null, out);
        assertEquals(0, out.size());
        assertTrue(out.toString().equals("DestinationSet[]"), out.toString());
    }

    @Test
    void getAnswersFromTheSnapshotTheRouteReadEvenAfterItsQueueIdIsRecycled()
    {
        final RoutingTable<String> table = Tables.withQueues("old");
        table.bindQueue("amq.direct", "old", "k", null);
        final DestinationSet<String> out = new DestinationSet<>();
        assertEquals(1, table.route("amq.direct", "k", null, out));
        table.deleteQueue("old");
        table.declareQueue("new", "new");
        table.bindQueue("amq.direct", "new", "k", null);
        // "new" has taken the id of "old"; the result still describes the route's own snapshot.
        assertEquals("old", out.get(0));
        assertEquals(1, table.route("amq.direct", "k", null, out));
        assertEquals("new", out.get(0));
    }

    @Test
    void aPublisherCyclingThroughKeysGetsEachRouteAfreshAndARepeatedKeyIsMemoizedOnItsThirdRoute()
    {
        final RoutingTable<String> table = Tables.withQueues("a", "b");
        table.bindQueue("amq.direct", "a", "ka", null);
        table.bindQueue("amq.direct", "b", "kb", null);
        final DestinationSet<String> out = new DestinationSet<>();
        final String ka = "ka";
        final String kb = "kb";
        for (int i = 0; i < 3; i++)
        {
            table.route("amq.direct", ka, null, out);
            assertEquals("a", out.get(0));
            assertFalse(out.isMemoOf(table.lpSnapshot(), "amq.direct", ka, false), "a key seen once is not remembered");
            table.route("amq.direct", kb, null, out);
            assertEquals("b", out.get(0));
        }
        table.route("amq.direct", ka, null, out);
        table.route("amq.direct", ka, null, out);
        assertTrue(out.isMemoOf(table.lpSnapshot(), "amq.direct", ka, false));
        assertEquals("a", out.get(0));
    }
}
