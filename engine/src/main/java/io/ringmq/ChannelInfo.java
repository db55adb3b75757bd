package io.ringmq;

/**
 * One open channel at one moment, as the management API's {@code /api/channels} shows it.
 *
 * @param number          its {@link Channel#number()}, unique within the broker.
 * @param connectionName  its connection's name.
 * @param consumerCount   its active push consumers.
 * @param unacked         deliveries it handed out (push and get) that are not settled yet.
 * @param globalPrefetch  its {@code basic.qos global} prefetch (0: none).
 * @param heldPublishes   publishes held by a full {@code block} queue for a non-blocking publisher.
 */
public record ChannelInfo(int number, String connectionName, int consumerCount, int unacked, int globalPrefetch,
    int heldPublishes)
{
}
