package io.ringmq;

import io.ringmq.routing.DestinationSet;

/**
 * White-box access for the stress tests that must count what the public API does not report
 * (what a deleted queue discarded). It lives in package {@code io.ringmq} of the stress-tests
 * module, which shares the package with the engine on the class path.
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
}
