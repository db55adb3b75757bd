package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class QueuesByIdTest
{
    @Test
    void aNewVersionLeavesTheOlderOneAsItWasAcrossChunks()
    {
        final int ids = 3 * QueuesById.CHUNK + 7;
        QueuesById<String> byId = QueuesById.empty();
        for (int id = 0; id < ids; id++)
        {
            byId = byId.with(id, "q" + id);
        }
        final QueuesById<String> before = byId;
        final int recycled = QueuesById.CHUNK + 3;
        final QueuesById<String> deleted = before.with(recycled, null);
        final QueuesById<String> reused = deleted.with(recycled, "other");
        for (int id = 0; id < ids; id++)
        {
            assertEquals("q" + id, before.get(id));
        }
        assertNull(deleted.get(recycled));
        assertEquals("other", reused.get(recycled));
        assertEquals("q" + (recycled - 1), reused.get(recycled - 1));
        assertEquals("q" + (ids - 1), reused.get(ids - 1));
    }
}
