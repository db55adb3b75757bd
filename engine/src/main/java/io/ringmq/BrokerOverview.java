package io.ringmq;

/**
 * The broker as a whole at one moment: object counts, messages held, cumulative message counts (since the
 * broker started, deleted queues included: they only grow) with their rates over the last statistics
 * interval, and the envelope pool's use. What the management API's {@code /api/overview} reports.
 *
 * @param queues            declared queues.
 * @param exchanges         declared exchanges (the default and {@code amq.*} ones included).
 * @param bindings          bindings, as {@link Inspector#bindings()} lists them.
 * @param connections       open connections.
 * @param channels          open channels.
 * @param consumers         active push consumers.
 * @param messagesReady     messages ready in all queues.
 * @param messagesUnacked   delivered, unsettled messages of all queues.
 * @param publishedCount    messages accepted into queues (one per queue a publish reached).
 * @param deliveredCount    deliveries, push and get.
 * @param acknowledgedCount deliveries acknowledged (manual acks; auto-ack deliveries are not counted here).
 * @param redeliveredCount  deliveries flagged redelivered.
 * @param publishRate       {@code publishedCount} per second over the last statistics interval.
 * @param deliverRate       {@code deliveredCount} per second, likewise.
 * @param ackRate           {@code acknowledgedCount} per second, likewise.
 * @param redeliverRate     {@code redeliveredCount} per second, likewise.
 * @param poolCapacity      most idle envelopes the pool keeps for reuse.
 * @param poolAllocated     envelopes the pool has allocated since the broker started.
 */
public record BrokerOverview(int queues, int exchanges, int bindings, int connections, int channels, int consumers,
    long messagesReady, long messagesUnacked, long publishedCount, long deliveredCount, long acknowledgedCount,
    long redeliveredCount, double publishRate, double deliverRate, double ackRate, double redeliverRate,
    int poolCapacity, long poolAllocated)
{
}
