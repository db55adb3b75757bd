package io.ringmq;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker that the jcstress tests of queues with policies share, one per JVM, with fresh queues
 * per test state.
 * <p>
 * <b>Why shared:</b> a broker starts its housekeeping thread (the TTL sweeper) with its first queue
 * with policies, and joins it on close. A broker per jcstress state would start and join a thread per
 * iteration, which costs far more than the race under test and would leave few iterations to test it.
 * So the states declare uniquely named queues here and their arbiters delete them (a declare and a
 * delete cost a few microseconds, and free everything).
 * <p>
 * <b>No housekeeping:</b> the shared broker's sweeper is stopped before it ever starts, so that the
 * parties to each race are exactly the test's actors: a sweeper that expires a message behind the
 * arbiter's back would make a correct outcome look like a lost dead letter. A test of the sweeper calls
 * {@link QueueStorage#sweepExpired} from an actor.
 * <p>
 * <b>Small queues:</b> jcstress keeps thousands of states alive at once, so a state's queues must be
 * small: dead letters go to a queue with policies ({@link #declareDeadLetterQueue}), whose rings are
 * sized by its capacity, not to a plain queue, whose requeue list allocates a JCTools chunk of 256.
 * <p>
 * A channel is not thread-safe for publishing, so each thread uses its own ({@link #channel()}), opened
 * on first use and kept: jcstress runs each actor on one thread for a whole run. Channels are never
 * closed: there is one per thread, not per state.
 */
final class PolicyBroker
{
    private static final Broker BROKER = Broker.builder().envelopePool(256, 64).build();
    private static final AtomicLong NEXT = new AtomicLong();
    private static final ThreadLocal<Channel> CHANNELS = ThreadLocal.withInitial(BROKER::openChannel);

    static
    {
        Internals.stopHousekeeping(BROKER); // before any queue with policies: the thread never starts
    }

    private PolicyBroker()
    {
    }

    /** @return this thread's channel on the shared broker. */
    static Channel channel()
    {
        return CHANNELS.get();
    }

    /** @return a new channel on the shared broker, for a state that closes it itself. */
    static Channel openChannel()
    {
        return BROKER.openChannel();
    }

    /** @return a queue name no other state uses. */
    static String uniqueName(final String prefix)
    {
        return prefix + "-" + NEXT.incrementAndGet();
    }

    /** Declares {@code spec} and @return its live queue object, for the counts only the engine keeps. */
    static MessageQueue declare(final QueueSpec spec)
    {
        channel().queueDeclare(spec);
        return Internals.queue(BROKER, spec.name());
    }

    /** Declares a queue to receive dead letters: a ring of 8, refusing when full (a queue with policies: small). */
    static MessageQueue declareDeadLetterQueue(final String name)
    {
        return declare(QueueSpec.builder(name).capacity(8).maxLength(8).overflow(OverflowPolicy.REJECT_PUBLISH).build());
    }

    /** Arbiter: deletes the state's queues. */
    static void delete(final String... names)
    {
        final Channel channel = channel();
        for (final String name : names)
        {
            channel.queueDelete(name);
        }
    }
}
