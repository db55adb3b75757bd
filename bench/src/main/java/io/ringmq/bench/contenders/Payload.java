package io.ringmq.bench.contenders;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The message body every contender carries: 64 bytes, allocated once.
 *
 * <p>In-JVM contenders pass a reference to {@link #BYTES}. Brokers must copy a body into their own
 * message; they use {@link #encode} to put the sequence in the first 8 bytes (big-endian) of a copy
 * and {@link #sequenceOf} to read it back, so both sides see the same 64 bytes.
 */
public final class Payload
{
    /** Bytes per message body. */
    public static final int SIZE = 64;

    private static final byte[] TEMPLATE = new byte[SIZE];

    static
    {
        Arrays.fill(TEMPLATE, (byte) 'r');
    }

    private static final VarHandle LONG_BE =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Payload()
    {
    }

    /** The shared 64-byte body that in-JVM contenders reference; never written after class init. */
    public static byte[] bytes()
    {
        return TEMPLATE;
    }

    /** A new, reusable 64-byte body buffer for one broker publisher. */
    public static byte[] newBody()
    {
        return TEMPLATE.clone();
    }

    /** Writes the sequence into the first 8 bytes of a body made by {@link #newBody()}. */
    public static void encode(final byte[] body, final long sequence)
    {
        LONG_BE.set(body, 0, sequence);
    }

    /** Reads the sequence from the first 8 bytes of a received body. */
    public static long sequenceOf(final byte[] body)
    {
        return (long) LONG_BE.get(body, 0);
    }
}
