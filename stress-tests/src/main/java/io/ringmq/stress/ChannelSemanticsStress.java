package io.ringmq.stress;

import io.ringmq.Broker;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.OverflowPolicy;
import io.ringmq.PublishResult;
import io.ringmq.error.PreconditionFailedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: the channel's protocols that the wire listener stands on, raced on the production classes:
 * channel-scoped delivery tags ({@code ack(multiple)} against a delivery on another consumer of the
 * channel), a cancel racing an ack of the cancelled consumer's delivery, caller-driven delivery racing a
 * publish (no lost wake-up), and a non-blocking publish racing the take that frees room (no lost signal).
 * <p>
 * Consumers here are caller-driven: each actor's {@code deliver} runs the handler on the actor's own
 * thread, so the races are exactly the ones named, with no consumer thread in between.
 */
public final class ChannelSemanticsStress
{
    private ChannelSemanticsStress()
    {
    }

    /**
     * One channel, two consumers: A on queue a, B on queue b, one message waiting in each. Actor 1 has A
     * deliver (tag x) and acks {@code x} with multiple; actor 2 has B deliver (tag y) at the same time.
     * r1: 1 when y > x; r2: 1 when B's delivery is still outstanding after both; r3: 1 when A's was acked.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 1", expect = ACCEPTABLE, desc = "B drew the later tag: the multiple ack stopped at A's.")
    @Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "B drew the earlier tag and had handed it out before the ack: covered.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE_INTERESTING, desc = "B drew the earlier tag but was still handing it out (no handler had seen it) when the ack passed: not outstanding yet, so not covered.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "The multiple ack settled a tag above the one named.")
    @Outcome(id = ".*, .*, 0", expect = FORBIDDEN, desc = "The tag named in the multiple ack was not settled.")
    @Outcome(expect = FORBIDDEN, desc = "A delivery went missing.")
    @State
    public static class AckMultipleRacingADeliveryOnAnotherConsumer
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Consumer a;
        private final Consumer b;
        private long tagA;
        private long tagB;

        public AckMultipleRacingADeliveryOnAnotherConsumer()
        {
            Probe.oneMessageInEachOfTwoQueues(channel);
            a = channel.consume("a", Probe.callerDriven(() -> { }), d -> tagA = d.deliveryTag());
            b = channel.consume("b", Probe.callerDriven(() -> { }), d -> tagB = d.deliveryTag());
        }

        @Actor
        public void deliverAndAckMultiple()
        {
            a.deliver(1);
            channel.ack(tagA, true);
        }

        @Actor
        public void deliverOnTheOtherConsumer()
        {
            b.deliver(1);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = tagB > tagA ? 1 : 0;
            r.r2 = b.unackedCount();
            r.r3 = a.unackedCount() == 0 && tagA > 0 ? 1 : 0;
            broker.close();
        }
    }

    /**
     * A consumer holds one delivery unacked; actor 1 cancels the consumer while actor 2 acks the delivery
     * through the channel. r1: 1 when the ack succeeded; r2: the queue's message count at the end; r3:
     * the channel's outstanding deliveries at the end.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The ack settled the delivery, before or after the cancel: a cancelled consumer's deliveries stay settleable.")
    @Outcome(id = "0, .*, .*", expect = FORBIDDEN, desc = "The cancel took the delivery away from the channel: the ack was refused as an unknown tag.")
    @Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "The cancel requeued the delivery: acked and back in the queue, a duplicate.")
    @Outcome(expect = FORBIDDEN, desc = "The delivery is still outstanding, or was lost.")
    @State
    public static class CancelThenAckSettlesTheDeliveryOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Consumer consumer;
        private long tag;

        public CancelThenAckSettlesTheDeliveryOnce()
        {
            Probe.declare(channel, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            channel.publish("", "q", Probe.body(1));
            consumer = channel.consume("q", Probe.callerDriven(() -> { }), d -> tag = d.deliveryTag());
            consumer.deliver(1);
        }

        @Actor
        public void cancel()
        {
            consumer.cancel();
        }

        @Actor
        public void ack(final III_Result r)
        {
            try
            {
                channel.ack(tag, false);
                r.r1 = 1;
            }
            catch (final PreconditionFailedException ex)
            {
                r.r1 = 0;
            }
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = channel.queueDeclarePassive("q").messageCount();
            r.r3 = channel.unackedCount();
            broker.close();
        }
    }

    /**
     * A caller-driven consumer found its queue empty and is armed. Actor 1 publishes a message; actor 2
     * calls {@code deliver} at the same time. r1: what actor 2's deliver delivered; r2: 1 when the ready
     * listener was told during the race; r3: the messages still in the queue at the end.
     */
    @JCStressTest
    @Outcome(id = "1, [01], 0", expect = ACCEPTABLE, desc = "The racing deliver found the message and delivered it.")
    @Outcome(id = "0, 1, 1", expect = ACCEPTABLE, desc = "The deliver came too early; the publish told the listener, so the message is not forgotten.")
    @Outcome(id = "0, 0, 1", expect = FORBIDDEN, desc = "Lost wake-up: the deliver missed the message and nobody told the listener; it would wait in the queue forever.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost or delivered twice.")
    @State
    public static class CallerDrivenDeliverNeverMissesAPublish
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel consuming = broker.openChannel();
        private final AtomicInteger signals = new AtomicInteger();
        private final Consumer consumer;
        private int delivered;

        public CallerDrivenDeliverNeverMissesAPublish()
        {
            Probe.declare(publisher, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            consumer = consuming.consume("q", ConsumeOptions.builder().autoAck(true).callerDriven(signals::incrementAndGet).build(),
                d -> delivered++);
            consumer.deliver(1); // nothing: armed
            signals.set(0); // forget the start-up signal
        }

        @Actor
        public void publish()
        {
            publisher.publish("", "q", Probe.body(1));
        }

        @Actor
        public void deliver(final III_Result r)
        {
            r.r1 = consumer.deliver(1);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = signals.get() > 0 ? 1 : 0;
            r.r3 = publisher.queueDeclarePassive("q").messageCount();
            if (delivered > 1)
            {
                r.r3 = -1;
            }
            broker.close();
        }
    }

    /**
     * A {@code block} queue of two is full. Actor 1 publishes without waiting; actor 2 takes a message at
     * the same time, freeing room. r1: 1 when the publish was held; r2: 1 when the room listener was told;
     * r3: the messages the queue ends with after the arbiter resumed what was held.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 2", expect = ACCEPTABLE, desc = "The take came first: the publish found room at once.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE_INTERESTING, desc = "The publish registered for room, then found it on its second offer; the signal came anyway (spurious, allowed).")
    @Outcome(id = "1, 1, 2", expect = ACCEPTABLE, desc = "The publish was held; the take told the listener, and the resume put it in.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "Lost signal: the publish is held and nobody told the listener, though the take freed room.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost or duplicated.")
    @State
    public static class HeldPublishNeverMissesTheRoomSignal
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel publisher = broker.openChannel();
        private final Channel taker = broker.openChannel();
        private final AtomicInteger signals = new AtomicInteger();

        public HeldPublishNeverMissesTheRoomSignal()
        {
            Probe.declare(publisher, "q", 2, OverflowPolicy.BLOCK);
            publisher.setRoomListener(signals::incrementAndGet);
            publisher.publishNonBlocking("", "q", false, null, Probe.body(1));
            publisher.publishNonBlocking("", "q", false, null, Probe.body(2));
        }

        @Actor
        public void publish(final III_Result r)
        {
            final PublishResult result = publisher.publishNonBlocking("", "q", false, null, Probe.body(3));
            r.r1 = result.isHeld() ? 1 : 0;
        }

        @Actor
        public void take()
        {
            Probe.take(taker, "q");
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r2 = signals.get() > 0 ? 1 : 0;
            if (r.r1 == 1 && r.r2 == 1)
            {
                publisher.resumeHeldPublishes();
            }
            r.r3 = publisher.heldPublishes() > 0 ? -1 : publisher.queueDeclarePassive("q").messageCount();
            broker.close();
        }
    }

    /**
     * A consumer holds one delivery; actor 1 nacks it with requeue through the channel while actor 2
     * closes the channel (which requeues what is outstanding). r1: 1 when the nack succeeded; r2: the
     * queue's message count at the end.
     */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 1"}, expect = ACCEPTABLE, desc = "The delivery went back exactly once: by the nack, or by the close (then the nack found it settled).")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "Requeued twice: by the nack and by the close.")
    @Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "Lost: neither the nack nor the close requeued it.")
    @Outcome(expect = FORBIDDEN, desc = "Something else.")
    @State
    public static class NackRacingChannelCloseRequeuesOnce
    {
        private final Broker broker = Probe.smallBroker();
        private final Channel channel = broker.openChannel();
        private final Channel observer = broker.openChannel();
        private long tag;

        public NackRacingChannelCloseRequeuesOnce()
        {
            Probe.declare(observer, "q", 4, OverflowPolicy.REJECT_PUBLISH);
            observer.publish("", "q", Probe.body(1));
            channel.consume("q", Probe.callerDriven(() -> { }), d -> tag = d.deliveryTag()).deliver(1);
        }

        @Actor
        public void nack(final II_Result r)
        {
            try
            {
                channel.nack(tag, false, true);
                r.r1 = 1;
            }
            catch (final RuntimeException ex) // unknown tag, or the channel is closed
            {
                r.r1 = 0;
            }
        }

        @Actor
        public void close()
        {
            channel.close();
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            r.r2 = observer.queueDeclarePassive("q").messageCount();
            broker.close();
        }
    }
}
