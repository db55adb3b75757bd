package io.ringmq.routing.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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

    @Test
    void aNeverUsedIdIsWrittenInPlaceUntilItNeedsANewChunk()
    {
        final QueuesById<String> first = QueuesById.<String>empty().withNew(0, "q0");
        QueuesById<String> byId = first;
        for (int id = 1; id < QueuesById.CHUNK; id++)
        {
            byId = byId.withNew(id, "q" + id);
        }
        assertSame(first, byId, "one chunk: no copy");
        final QueuesById<String> grown = byId.withNew(QueuesById.CHUNK, "next");
        assertNotSame(byId, grown);
        assertEquals("next", grown.get(QueuesById.CHUNK));
        assertEquals("q" + (QueuesById.CHUNK - 1), grown.get(QueuesById.CHUNK - 1));
    }
}
