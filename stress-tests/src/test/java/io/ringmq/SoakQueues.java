package io.ringmq;

import java.time.Duration;

/**
 * The soak test's queues, by their index in {@link SoakLedger}'s books, and what each one's policies
 * allow: which queues a message can die in, and for which reasons.
 * <pre>
 *   index name  declared as                                         reached through
 *   0     q0    plain, block, ring 1024                             every exchange (the binder moves them)
 *   1     q1    plain, reject-publish, ring 64                      every exchange
 *   2     q2    plain, drop-head, ring 64                           every exchange
 *   3     q3    plain, block, ring 256; deleted and redeclared      every exchange
 *   4     q4    x-max-length 16 (drop-head), DLX "dlx"              the default exchange only
 *   5     q5    x-message-ttl 1..20 ms (per round), DLX "" with     the default exchange only
 *               key "dlq", single active consumer
 *   6     q6    x-max-length-bytes 256 (32 bodies), reject-publish  the default exchange only
 *               -dlx, x-delivery-limit 2, DLX "dlx"
 *   7     dlq   plain, block, ring 512; deleted and redeclared      dead-lettering only ("dlx" fanout, or
 *                                                                   the default exchange from q5)
 * </pre>
 * q4..q6 and dlq are reached by one route each, so the books know exactly what each of them accepted
 * (a publisher's {@code acceptedQueues}, or the dead-lettering queues' {@code deadLetterAcceptedCopies})
 * and can balance every one of them on its own. Dead letters never leave dlq, so a message dies at most
 * once: its {@code x-death} history has one entry.
 */
final class SoakQueues
{
    static final String[] NAMES = {"q0", "q1", "q2", "q3", "q4", "q5", "q6", "dlq"};
    static final int COUNT = NAMES.length;
    /** q0..q3: bound and unbound at random, so only their sum is known, not each one's share. */
    static final int ROUTED = 4;
    static final int Q3 = 3;
    static final int MAXLEN = 4;
    static final int TTL = 5;
    static final int LIMIT = 6;
    static final int DLQ = 7;

    static final String DLX = "dlx";
    static final int MAX_LENGTH = 16;
    static final int MAX_LENGTH_BYTES = 256;
    static final int DELIVERY_LIMIT = 2;
    static final int DLQ_CAPACITY = 512;
    /** Per-message TTLs publishers attach, 1..this many ms; q5's queue TTL is drawn from the same range. */
    static final int MAX_TTL_MILLIS = 20;

    private SoakQueues()
    {
    }

    static QueueSpec spec(final int q, final long queueTtlMillis)
    {
        final QueueSpec.Builder b = QueueSpec.builder(NAMES[q]);
        switch (q)
        {
            case 0:
                return b.capacity(1024).overflow(OverflowPolicy.BLOCK).build();
            case 1:
                return b.capacity(64).overflow(OverflowPolicy.REJECT_PUBLISH).build();
            case 2:
                return b.capacity(64).overflow(OverflowPolicy.DROP_HEAD).build();
            case Q3:
                return b.capacity(256).overflow(OverflowPolicy.BLOCK).build();
            case MAXLEN:
                return b.capacity(64).maxLength(MAX_LENGTH).overflow(OverflowPolicy.DROP_HEAD).deadLetterExchange(DLX).build();
            case TTL:
                return b.capacity(256).messageTtl(Duration.ofMillis(queueTtlMillis)).deadLetterExchange("")
                    .deadLetterRoutingKey(NAMES[DLQ]).singleActiveConsumer(true).build();
            case LIMIT:
                return b.capacity(64).maxLengthBytes(MAX_LENGTH_BYTES).overflow(OverflowPolicy.REJECT_PUBLISH_DLX)
                    .deliveryLimit(DELIVERY_LIMIT).deadLetterExchange(DLX).build();
            case DLQ:
                return b.capacity(DLQ_CAPACITY).overflow(OverflowPolicy.BLOCK).build();
            default:
                throw new IllegalArgumentException("no soak queue " + q);
        }
    }

    static int index(final String name)
    {
        for (int q = 0; q < COUNT; q++)
        {
            if (NAMES[q].equals(name))
            {
                return q;
            }
        }
        return -1;
    }

    /** @return true for the queues with a dead-letter exchange (q4..q6). */
    static boolean deadLetters(final int q)
    {
        return q >= MAXLEN && q <= LIMIT;
    }

    /** @return true for the queues the admin thread deletes and redeclares. */
    static boolean deletable(final int q)
    {
        return q == Q3 || q == DLQ;
    }

    /**
     * @return true when a message of queue {@code q} may die there for {@code reason}: what its policies
     * can produce. {@code hadExpiration}: the message carried a per-message TTL.
     */
    static boolean mayDie(final int q, final DeathReason reason, final boolean hadExpiration)
    {
        switch (reason)
        {
            case REJECTED:
                return deadLetters(q);
            case EXPIRED:
                return q == TTL || (deadLetters(q) && hadExpiration);
            case MAXLEN:
                return q == MAXLEN || q == LIMIT; // drop-head in q4, a refused publish in q6
            case DELIVERY_LIMIT:
            default:
                return q == LIMIT;
        }
    }

    static String describe()
    {
        return "q0 block/1024, q1 reject-publish/64, q2 drop-head/64, q3 block/256 (deleted and redeclared), " +
            "q4 max-length " + MAX_LENGTH + " drop-head -> dlx, q5 ttl 1.." + MAX_TTL_MILLIS + " ms (per round) single-active -> '' " +
            "key dlq, q6 max-length-bytes " + MAX_LENGTH_BYTES + " reject-publish-dlx delivery-limit " + DELIVERY_LIMIT +
            " -> dlx, dlq block/" + DLQ_CAPACITY + " (deleted and redeclared); exchanges fan (fanout), dir (direct), " +
            "top (topic), dlx (fanout to dlq); 1 in 10 publishes with an expiration of 1.." + MAX_TTL_MILLIS + " ms";
    }
}
