package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;

/**
 * A consumer's claim of a ring's heads, held open: the consumer index has moved past them, as
 * {@link MpmcRing#relaxedPollBatch} moves it, but their slots are handed over only when the test says so
 * ({@link #handOver}). The API has no way to stop a consumer between its claim and its hand-over, so this
 * reaches into the ring's arrays and repeats, step for step, what {@code relaxedPollBatch} does after its
 * CAS: take the element, clear the slot, release the next lap's sequence, in index order.
 *
 * @param <E> the ring's element type.
 */
final class HeldClaim<E>
{
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] sequences;
    private final Object[] elements;
    private final int mask;
    private long next;
    private final long end;

    private HeldClaim(final MpmcRing<E> ring, final long first, final long end)
    {
        this.sequences = (long[])field(ring, "sequences");
        this.elements = (Object[])field(ring, "elements");
        this.mask = ring.capacity() - 1;
        this.next = first;
        this.end = end;
    }

    /** Claims the ring's {@code count} heads, which must be published, as one consumer CAS. */
    static <E> HeldClaim<E> claimHeads(final MpmcRing<E> ring, final int count)
    {
        final long first = ring.lvConsumerIndex();
        if (ring.producerIndex() - first < count || !ring.casConsumerIndex(first, first + count))
        {
            throw new IllegalStateException("cannot claim " + count + " heads from " + first);
        }
        return new HeldClaim<>(ring, first, first + count);
    }

    /** Hands the next {@code count} claimed slots over to the next lap's producer, in index order. */
    void handOver(final int count)
    {
        for (int i = 0; i < count && next < end; i++, next++)
        {
            final int slot = (int)(next & mask);
            elements[slot] = null;
            SEQUENCE.setRelease(sequences, slot, next + mask + 1); // as relaxedPollBatch: pairs with laSequence in offers
        }
    }

    /** Hands every claimed slot not yet handed over. */
    void handOverAll()
    {
        handOver((int)(end - next));
    }

    private static Object field(final Object ring, final String name)
    {
        try
        {
            final Field field = MpmcRing.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(ring);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
