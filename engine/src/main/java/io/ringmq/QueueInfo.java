package io.ringmq;

/**
 * A queue's name and counts at one moment, as AMQP {@code queue.declare-ok} reports them.
 */
public final class QueueInfo
{
    private final String name;
    private final int messageCount;
    private final int consumerCount;

    QueueInfo(final String name, final int messageCount, final int consumerCount)
    {
        this.name = name;
        this.messageCount = messageCount;
        this.consumerCount = consumerCount;
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

    @Override
    public String toString()
    {
        return "QueueInfo{name='" + name + "', messageCount=" + messageCount + ", consumerCount=" + consumerCount + '}';
    }
}
