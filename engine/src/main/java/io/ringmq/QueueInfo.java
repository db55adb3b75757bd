package io.ringmq;

/**
 * A queue's name and counts at one moment, as AMQP {@code queue.declare-ok} reports them, plus how
 * many messages left it other than by acknowledgement, by cause, since it was declared (0 for causes
 * its policies rule out). Cheap: a few counter reads.
 */
public final class QueueInfo
{
    private final String name;
    private final int messageCount;
    private final int consumerCount;
    private final long expiredCount;
    private final long droppedCount;
    private final long rejectedCount;
    private final long deliveryLimitCount;
    private final long deadLetteredCount;

    QueueInfo(final String name, final int messageCount, final int consumerCount, final long expiredCount,
        final long droppedCount, final long rejectedCount, final long deliveryLimitCount, final long deadLetteredCount)
    {
        this.name = name;
        this.messageCount = messageCount;
        this.consumerCount = consumerCount;
        this.expiredCount = expiredCount;
        this.droppedCount = droppedCount;
        this.rejectedCount = rejectedCount;
        this.deliveryLimitCount = deliveryLimitCount;
        this.deadLetteredCount = deadLetteredCount;
    }

    /** @return the queue's name (the generated one for a server-named queue). */
    public String name()
    {
        return name;
    }

    /** @return messages ready for delivery (not counting delivered, unacknowledged ones). */
    public int messageCount()
    {
        return messageCount;
    }

    /** @return active consumers. */
    public int consumerCount()
    {
        return consumerCount;
    }

    /** @return messages removed because their TTL passed (dead-letter reason {@code expired}). */
    public long expiredCount()
    {
        return expiredCount;
    }

    /** @return messages removed by {@code drop-head} overflow, whichever limit was reached (reason {@code maxlen}). */
    public long droppedCount()
    {
        return droppedCount;
    }

    /** @return messages rejected or nacked without requeue (reason {@code rejected}). */
    public long rejectedCount()
    {
        return rejectedCount;
    }

    /** @return messages removed for passing {@code x-delivery-limit} (reason {@code delivery_limit}). */
    public long deliveryLimitCount()
    {
        return deliveryLimitCount;
    }

    /** @return messages this queue dead-lettered that at least one queue accepted. */
    public long deadLetteredCount()
    {
        return deadLetteredCount;
    }

    @Override
    public String toString()
    {
        return "QueueInfo{name='" + name + "', messageCount=" + messageCount + ", consumerCount=" + consumerCount +
            ", expired=" + expiredCount + ", dropped=" + droppedCount + ", rejected=" + rejectedCount +
            ", deliveryLimit=" + deliveryLimitCount + ", deadLettered=" + deadLetteredCount + '}';
    }
}
