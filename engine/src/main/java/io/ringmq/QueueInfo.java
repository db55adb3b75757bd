package io.ringmq;

/**
 * A queue's name and counts at one moment, as AMQP {@code queue.declare-ok} reports them, plus how
 * many messages left it other than by acknowledgement, by cause, since it was declared (0 for causes
 * its policies rule out), its declaration, and what monitoring reads ({@link Inspector}): unacknowledged
 * deliveries, ready bytes, cumulative counts of messages in, delivered, acknowledged and redelivered,
 * and their rates. Cheap: a few counter reads. Counts are read one after another while the queue works
 * (each is exact once the queue is quiet) and never decrease from one {@code QueueInfo} to the next.
 * A push consumer publishes its delivery counts once per batch, so while it works they may lag its
 * deliveries by those of the batch in progress (a bounded round of work); an acknowledgement of a
 * delivery of the batch in progress may then be counted before the delivery itself is. A message a
 * consumer has taken in a batch and not yet handed over counts neither as ready nor as unacknowledged.
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
    private final QueueSpec spec;
    private final int unackedCount;
    private final long bytesReady;
    private final long publishedCount;
    private final long deliveredCount;
    private final long acknowledgedCount;
    private final long redeliveredCount;
    private final double publishRate;
    private final double deliverRate;
    private final double ackRate;
    private final double redeliverRate;

    QueueInfo(final QueueSpec spec, final int messageCount, final int consumerCount, final QueueCounters counters,
        final QueueStatistics.Totals totals, final QueueStatistics.Rates rates)
    {
        this.name = spec.name();
        this.spec = spec;
        this.messageCount = messageCount;
        this.consumerCount = consumerCount;
        this.expiredCount = counters.get(QueueCounters.Count.EXPIRED);
        this.droppedCount = counters.get(QueueCounters.Count.DROPPED_HEAD);
        this.rejectedCount = counters.get(QueueCounters.Count.REJECTED);
        this.deliveryLimitCount = counters.get(QueueCounters.Count.PAST_DELIVERY_LIMIT);
        this.deadLetteredCount = counters.get(QueueCounters.Count.DEAD_LETTERED);
        this.unackedCount = totals.unacked;
        this.bytesReady = totals.bytesReady;
        this.publishedCount = totals.published;
        this.deliveredCount = totals.delivered;
        this.acknowledgedCount = totals.acknowledged;
        this.redeliveredCount = totals.redelivered;
        this.publishRate = rates.publish;
        this.deliverRate = rates.deliver;
        this.ackRate = rates.ack;
        this.redeliverRate = rates.redeliver;
    }

    /** A queue that holds nothing and never did, such as direct reply-to's pseudo-queue. */
    static QueueInfo empty(final QueueSpec spec)
    {
        return new QueueInfo(spec, 0, 0, new QueueCounters(), new QueueStatistics.Totals(), QueueStatistics.Rates.NONE);
    }

    /** @return the queue's declaration: flags ({@code durable}, {@code exclusive}, {@code autoDelete}), type, arguments. */
    public QueueSpec spec()
    {
        return spec;
    }

    /** @return messages delivered (push or get, manual ack) and not settled yet. */
    public int unackedCount()
    {
        return unackedCount;
    }

    /** @return body bytes of the ready messages ({@code message_bytes_ready}). */
    public long bytesReady()
    {
        return bytesReady;
    }

    /** @return messages accepted into this queue since it was declared (publishes and dead letters routed to it). */
    public long publishedCount()
    {
        return publishedCount;
    }

    /** @return deliveries from this queue since it was declared, push and get, auto and manual ack. */
    public long deliveredCount()
    {
        return deliveredCount;
    }

    /** @return deliveries acknowledged by consumers (manual ack) since it was declared. */
    public long acknowledgedCount()
    {
        return acknowledgedCount;
    }

    /** @return deliveries flagged redelivered since it was declared. */
    public long redeliveredCount()
    {
        return redeliveredCount;
    }

    /** @return {@link #publishedCount()} per second over the last statistics interval. */
    public double publishRate()
    {
        return publishRate;
    }

    /** @return {@link #deliveredCount()} per second over the last statistics interval. */
    public double deliverRate()
    {
        return deliverRate;
    }

    /** @return {@link #acknowledgedCount()} per second over the last statistics interval. */
    public double ackRate()
    {
        return ackRate;
    }

    /** @return {@link #redeliveredCount()} per second over the last statistics interval. */
    public double redeliverRate()
    {
        return redeliverRate;
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
            ", unacked=" + unackedCount + ", bytesReady=" + bytesReady + ", published=" + publishedCount +
            ", delivered=" + deliveredCount + ", acknowledged=" + acknowledgedCount + ", redelivered=" + redeliveredCount +
            ", expired=" + expiredCount + ", dropped=" + droppedCount + ", rejected=" + rejectedCount +
            ", deliveryLimit=" + deliveryLimitCount + ", deadLettered=" + deadLetteredCount + '}';
    }
}
