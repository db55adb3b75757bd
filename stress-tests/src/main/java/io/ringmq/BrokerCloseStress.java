package io.ringmq;


import io.ringmq.routing.ExchangeType;
import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: closing the broker while channels work. Work racing the close ends in
 * {@link BrokerClosedException} or completes and is accounted for (a message the close discards
 * is counted in {@code MessageQueue.discardedCount()}); no envelope is released twice.
 */
public final class BrokerCloseStress
{
    /** An actor's call ended with BrokerClosedException. */
    static final int CLOSED = -1;
    /** An actor's call threw IllegalStateException: an envelope was released more often than held. */
    static final int OVER_RELEASED = -2;
    /** An actor's call threw something else. */
    static final int OTHER_ERROR = -3;

    private BrokerCloseStress()
    {
    }

    /**
     * One thread publishes X to q while another closes the broker. r1: acceptedQueues
     * (-1 BrokerClosedException), r2: q's discardedCount afterwards.
     */
    @JCStressTest
    @Outcome(id = "-1, 0", expect = ACCEPTABLE, desc = "The close came first: the publish was refused with BrokerClosedException.")
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "X was accepted, then discarded and counted by the close.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "The publish passed the open check, then found q deleted: refused.")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "X was accepted but neither delivered nor counted as discarded: it vanished in the close.")
    @Outcome(expect = FORBIDDEN, desc = "X was counted twice, or the publish failed with an unexpected error.")
    @State
    public static class PublishRacingCloseIsRefusedOrCounted
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final MessageQueue queue;

        public PublishRacingCloseIsRefusedOrCounted()
        {
            Probe.declare(publisher, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            queue = Internals.queue(broker, "q");
        }

        @Actor
        public void publish(final II_Result r)
        {
            try
            {
                r.r1 = publisher.publish("", "q", Probe.body(1)).acceptedQueues();
            }
            catch (final BrokerClosedException ex)
            {
                r.r1 = CLOSED;
            }
            catch (final RuntimeException ex)
            {
                r.r1 = OTHER_ERROR;
            }
        }

        @Actor
        public void close()
        {
            broker.close();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = (int)queue.discardedCount();
        }
    }

    /**
     * Messages 1..16 went through fanout f to q1 and q2. The channel's thread takes q1's copies one
     * by one with auto-ack (each get releases the copy the previous get left pending) while another
     * thread closes the broker, which closes the channel and with it releases the pending copy too.
     * r1: how the get loop ended (0 queue empty, -1 BrokerClosedException, -2 IllegalStateException:
     * an envelope released more often than held), r2: how close() ended (0 or -2),
     * r3: q2's discardedCount (its sixteen copies, discarded by the close).
     */
    @JCStressTest
    @Outcome(id = {"0, 0, 16", "-1, 0, 16"}, expect = ACCEPTABLE, desc = "Each pending auto-ack copy was released at most once: by the next get, or not at all when the close came first (the closing thread leaves it to the garbage collector).")
    @Outcome(id = {"-2, .*, .*", ".*, -2, .*"}, expect = FORBIDDEN, desc = "An envelope was released twice: the get and the channel's close (from Broker.close) both released the same pending auto-ack delivery, recycling it while q2 still held its copy.")
    @Outcome(expect = FORBIDDEN, desc = "q2's copies were not each discarded once, or a call failed unexpectedly.")
    @State
    public static class AutoAckGetRacingCloseReleasesOnce
    {
        private static final int MESSAGES = 16;

        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final MessageQueue q2;

        public AutoAckGetRacingCloseReleasesOnce()
        {
            channel.exchangeDeclare("f", ExchangeType.FANOUT);
            Probe.declare(channel, "q1", 16, OverflowPolicy.REJECT_PUBLISH);
            Probe.declare(channel, "q2", 16, OverflowPolicy.REJECT_PUBLISH);
            channel.queueBind("q1", "f", "");
            channel.queueBind("q2", "f", "");
            for (int id = 1; id <= MESSAGES; id++)
            {
                channel.publish("f", "", Probe.body(id));
            }
            channel.get("q1", true);
            q2 = Internals.queue(broker, "q2");
        }

        @Actor
        public void getUntilEmpty(final III_Result r)
        {
            try
            {
                while (channel.get("q1", true) != null)
                {
                    // each get releases the copy the previous one left pending
                }
                r.r1 = 0;
            }
            catch (final BrokerClosedException ex)
            {
                r.r1 = CLOSED;
            }
            catch (final IllegalStateException ex)
            {
                r.r1 = OVER_RELEASED;
            }
            catch (final RuntimeException ex)
            {
                r.r1 = OTHER_ERROR;
            }
        }

        @Actor
        public void close(final III_Result r)
        {
            try
            {
                broker.close();
                r.r2 = 0;
            }
            catch (final IllegalStateException ex)
            {
                r.r2 = OVER_RELEASED;
            }
            catch (final RuntimeException ex)
            {
                r.r2 = OTHER_ERROR;
            }
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r3 = (int)q2.discardedCount();
        }
    }
}
