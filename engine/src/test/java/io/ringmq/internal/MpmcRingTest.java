package io.ringmq.internal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MpmcRing#relaxedPollBatch}: a run of heads with one claim, in order, across the wrap, each slot handed back. */
class MpmcRingTest
{
    @Test
    void aBatchTakesTheRunOfHeadsInOrderAcrossTheWrapAndHandsEverySlotBack()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(4);
        for (int i = 0; i < 3; i++) // move the indexes to 3, so the run below wraps
        {
            assertTrue(ring.offer(-1));
            assertEquals(-1, ring.poll());
        }
        for (int i = 0; i < 4; i++)
        {
            assertTrue(ring.offer(i));
        }
        assertFalse(ring.offer(4), "full");
        final Integer[] out = new Integer[6];
        assertEquals(4, ring.relaxedPollBatch(out, 1, 10), "bounded by what is published, not by max");
        assertArrayEquals(new Integer[] {null, 0, 1, 2, 3, null}, out);
        assertEquals(7, ring.consumerIndex(), "one claim moved the index by the whole run");
        assertTrue(ring.isEmpty());
        for (int i = 10; i < 14; i++)
        {
            assertTrue(ring.offer(i), "every slot of the run was handed to the next lap");
        }
        assertEquals(0, ring.relaxedPollBatch(out, 0, 0), "max 0 takes none");
        assertEquals(2, ring.relaxedPollBatch(out, 0, 2), "bounded by max");
        assertEquals(10, out[0]);
        assertEquals(11, out[1]);
        assertEquals(12, ring.poll(), "single polls go on behind a batch");
        assertEquals(1, ring.relaxedPollBatch(out, 0, 4));
        assertEquals(13, out[0]);
        assertEquals(0, ring.relaxedPollBatch(out, 0, 4), "empty");
        assertNull(ring.relaxedPoll());
    }

    @Test
    void aBatchNeverTakesMoreThanTheCapacity()
    {
        final MpmcRing<Integer> ring = new MpmcRing<>(2);
        ring.offer(1);
        ring.offer(2);
        final Integer[] out = new Integer[8];
        assertEquals(2, ring.relaxedPollBatch(out, 0, 8));
        assertEquals(0, ring.relaxedPollBatch(out, 0, 8), "the slots after the run are last lap's, never taken again");
    }
}
