package io.ringmq;

import io.ringmq.routing.table.DestinationSet;

/**
 * White-box access for the stress tests that must count what the public API does not report
 * (what a deleted queue discarded, what a queue dead-lettered) or reach what it does not expose (a
 * queue's storage, the broker's sweeper). It lives in package {@code io.ringmq} of the
 * stress-tests module, which shares the package with the engine on the class path.
 */
final class Internals
{
    private Internals()
    {
    }

    /** @return the live queue object named {@code name}, found as the default exchange routes to it. */
    static MessageQueue queue(final Broker broker, final String name)
    {
        final DestinationSet<MessageQueue> routed = new DestinationSet<>();
        broker.routing().route("", name, null, routed);
        if (routed.size() != 1)
        {
            throw new IllegalStateException("no queue '" + name + "'");
        }
        return routed.get(0);
    }

    /** @return the storage of {@code name}'s live queue. */
    static QueueStorage storage(final Broker broker, final String name)
    {
        return queue(broker, name).storage();
    }

    /**
     * Stops the broker's housekeeping thread (the TTL sweeper) and waits for a sweep in progress to end,
     * as {@link Broker#close()} would, but leaves the broker open: once every other thread has stopped,
     * nothing moves any more, so the queues' counts can be read as one consistent snapshot. Called before
     * the first queue with policies, it keeps the thread from ever starting. Call it only while no other
     * thread declares queues (the housekeeper's fields are guarded by the broker's topology lock, which
     * this cannot take); {@link Broker#close()} later finds nothing to stop.
     */
    static void stopHousekeeping(final Broker broker)
    {
        final Housekeeper housekeeper = broker.housekeeper();
        housekeeper.shutDown(housekeeper.detach());
    }
}
