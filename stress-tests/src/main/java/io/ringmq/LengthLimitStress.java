package io.ringmq;

import io.ringmq.stress.Probe;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIII_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

import java.util.List;
import java.util.Map;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@code x-max-length} under concurrency. A publisher reserves room in the queue's length
 * counter by CAS before its ring offer and every removal gives it back, so the limit holds exactly
 * with racing publishers; every message over it is refused (and, with reject-publish-dlx,
 * dead-lettered) or drops the head (dead-lettered with reason maxlen), and each of those is counted:
 * to the publisher ({@link PublishResult}) and by the queue ({@code removedCount}, {@code
 * refusedToDeadLetterCount}). Queues live on the {@link PolicyBroker}; dead letters go through the
 * default exchange to a queue of the state's own. (In package io.ringmq: the counts are package-private.)
 */
public final class LengthLimitStress
{
    private LengthLimitStress()
    {
    }

    /** A state's queue with a limit of two ready messages, its dead letters, and what the arbiter found. */
    abstract static class Limited
    {
        final String name = PolicyBroker.uniqueName("limit");
        final String dead = name + "-dead";
        final MessageQueue queue;
        final boolean[] accepted = new boolean[5];
        /** Per id: times it was found ready in the queue, taken by a consumer, or dead-lettered. */
        final int[] found = new int[5];
        /** Drops each publishing actor was told of: one field per actor, as each writes its own. */
        int dropsToldFirst;
        int dropsToldSecond;
        int deadLetters;
        /** Set by the arbiter: 0 when every dead letter says maxlen, from this queue. */
        int wrongDeath;

        Limited(final OverflowPolicy overflow)
        {
            PolicyBroker.declareDeadLetterQueue(dead);
            queue = PolicyBroker.declare(QueueSpec.builder(name).capacity(4).maxLength(2).overflow(overflow)
                .deadLetterExchange("").deadLetterRoutingKey(dead).build());
        }

        /** Publishes {@code id}: ids 1 and 2 by the first actor, 3 and 4 by the second (or all by one). */
        void publish(final Channel channel, final int id, final boolean first)
        {
            final PublishResult result = channel.publish("", name, Probe.body(id));
            accepted[id] = result.acceptedQueues() == 1;
            if (first)
            {
                dropsToldFirst += result.droppedMessages();
            }
            else
            {
                dropsToldSecond += result.droppedMessages();
            }
        }

        int dropsTold()
        {
            return dropsToldFirst + dropsToldSecond;
        }

        /** Arbiter: takes what is left in the queue. @return the ids in the order taken, as digits. */
        int takeReady()
        {
            final Channel channel = PolicyBroker.channel();
            int digits = 0;
            int id;
            while ((id = Probe.take(channel, name)) != Probe.EMPTY)
            {
                digits = digits * 10 + record(id);
            }
            return digits;
        }

        /** Arbiter: takes the dead letters, checking each one's x-death; then deletes both queues. */
        void takeDeadLettersAndDelete()
        {
            final Channel channel = PolicyBroker.channel();
            Delivery delivery;
            while ((delivery = channel.get(dead, true)) != null)
            {
                deadLetters++;
                record(Probe.id(delivery));
                final Object deaths = delivery.properties().headers().get(DeathHistory.X_DEATH);
                final Map<?, ?> death = deaths instanceof List && !((List<?>)deaths).isEmpty() ?
                    (Map<?, ?>)((List<?>)deaths).get(0) : Map.of();
                if (!name.equals(death.get(DeathHistory.QUEUE)) || !"maxlen".equals(death.get(DeathHistory.REASON)))
                {
                    wrongDeath = 1;
                }
            }
            PolicyBroker.delete(name, dead);
        }

        int record(final int id)
        {
            if (id >= 1 && id <= 4)
            {
                found[id]++;
                return id;
            }
            return 9;
        }

        int acceptedCount()
        {
            int n = 0;
            for (int id = 1; id <= 4; id++)
            {
                n += accepted[id] ? 1 : 0;
            }
            return n;
        }

        /** @return true when each of the four ids was found exactly once (ready, taken or dead-lettered). */
        boolean eachFoundOnce()
        {
            for (int id = 1; id <= 4; id++)
            {
                if (found[id] != 1)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * reject-publish-dlx, limit 2, two publishers of two messages each and no consumer: exactly two are
     * accepted, two refused and dead-lettered. r1: ready in the queue, r2: accepted, r3: the queue's
     * refusedToDeadLetterCount, r4: dead letters received, r5: verdict (0: every id found once, the
     * accepted ones in the queue and the refused ones dead-lettered with reason maxlen).
     */
    @JCStressTest
    @Outcome(id = "2, 2, 2, 2, 0", expect = ACCEPTABLE, desc = "Two accepted, two refused, each refusal counted and dead-lettered once.")
    @Outcome(id = "[3-4], [3-4], .*", expect = FORBIDDEN, desc = "The queue passed its x-max-length of 2: two publishers reserved the last room at once.")
    @Outcome(id = "2, 2, [0-1], .*", expect = FORBIDDEN, desc = "A refused publish was not counted by the queue.")
    @Outcome(id = "2, 2, 2, [0-1], .*", expect = FORBIDDEN, desc = "A refused publish was counted but its dead letter was lost.")
    @Outcome(expect = FORBIDDEN, desc = "A refusal was counted twice, a refused message reached the queue, an accepted one was dead-lettered, or a dead letter's x-death was wrong.")
    @State
    public static class TwoPublishersNeverPassTheLimit extends Limited
    {
        public TwoPublishersNeverPassTheLimit()
        {
            super(OverflowPolicy.REJECT_PUBLISH_DLX);
        }

        @Actor
        public void first()
        {
            final Channel channel = PolicyBroker.channel();
            publish(channel, 1, true);
            publish(channel, 2, true);
        }

        @Actor
        public void second()
        {
            final Channel channel = PolicyBroker.channel();
            publish(channel, 3, false);
            publish(channel, 4, false);
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            r.r1 = queue.messageCount();
            r.r2 = acceptedCount();
            r.r3 = (int)queue.refusedToDeadLetterCount();
            final int ready = takeReady();
            takeDeadLettersAndDelete();
            r.r4 = deadLetters;
            boolean consistent = eachFoundOnce() && wrongDeath == 0;
            for (final char c : Integer.toString(ready).toCharArray())
            {
                consistent &= c >= '1' && c <= '4' && accepted[c - '0'];
            }
            r.r5 = consistent ? 0 : 1;
        }
    }

    /**
     * drop-head, limit 2, two publishers of two messages each and no consumer: all four are accepted,
     * the two oldest dropped and dead-lettered. r1: ready in the queue, r2: drops the publishers were
     * told of, r3: the queue's removedCount(maxlen), r4: dead letters received, r5: verdict (0 every id
     * found once and every dead letter says maxlen; 1 otherwise; 2 a publisher's second message was
     * dropped while its first survived: drop-head did not drop the head).
     */
    @JCStressTest
    @Outcome(id = "2, 2, 2, 2, 0", expect = ACCEPTABLE, desc = "The two oldest were dropped, each counted once, told once and dead-lettered once.")
    @Outcome(id = "[3-4], .*", expect = FORBIDDEN, desc = "The queue passed its x-max-length of 2.")
    @Outcome(id = "2, [0-1], .*", expect = FORBIDDEN, desc = "A drop was not reported to the publisher that caused it.")
    @Outcome(id = "2, 2, [0-1], .*", expect = FORBIDDEN, desc = "A drop was not counted by the queue (removedCount(maxlen)).")
    @Outcome(id = "2, 2, 2, [0-1], .*", expect = FORBIDDEN, desc = "A dropped head was counted but its dead letter was lost.")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "A younger message was dropped while an older one of the same publisher survived: not the head.")
    @Outcome(expect = FORBIDDEN, desc = "A drop was counted twice, a message was both kept and dead-lettered, or a dead letter's x-death was wrong.")
    @State
    public static class DropHeadUnderTwoPublishersCountsEveryDrop extends Limited
    {
        public DropHeadUnderTwoPublishersCountsEveryDrop()
        {
            super(OverflowPolicy.DROP_HEAD);
        }

        @Actor
        public void first()
        {
            final Channel channel = PolicyBroker.channel();
            publish(channel, 1, true);
            publish(channel, 2, true);
        }

        @Actor
        public void second()
        {
            final Channel channel = PolicyBroker.channel();
            publish(channel, 3, false);
            publish(channel, 4, false);
        }

        @Arbiter
        public void arbiter(final IIIII_Result r)
        {
            r.r1 = queue.messageCount();
            r.r2 = dropsTold();
            r.r3 = (int)queue.removedCount(DeathReason.MAXLEN);
            takeReady();
            final int[] ready = found.clone();
            takeDeadLettersAndDelete();
            r.r4 = deadLetters;
            // found[] now also counts dead letters; ready[] only what was left in the queue.
            final boolean youngerDropped = ready[1] == 1 && ready[2] == 0 || ready[3] == 1 && ready[4] == 0;
            r.r5 = youngerDropped ? 2 : eachFoundOnce() && wrongDeath == 0 && acceptedCount() == 4 ? 0 : 1;
        }
    }

    /**
     * drop-head, limit 2: a publisher publishes 1..4 while a consumer takes twice; a drop and a take
     * race for the same head. r1: verdict (0 each id taken, left or dead-lettered exactly once, taken
     * in order, and drops told = counted = dead-lettered; 1 an id lost or found twice; 2 taken out of
     * order; 3 the drop counts disagree), r2: drops, r3: taken by the consumer, r4: left in the queue.
     */
    @JCStressTest
    @Outcome(id = "0, [0-2], [0-2], [0-2]", expect = ACCEPTABLE, desc = "Each message was taken, kept or dropped (and dead-lettered) exactly once.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "A message was both taken and dropped, or neither: the drop and the take claimed one head twice, or lost it.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "The consumer took messages out of publish order.")
    @Outcome(id = "3, .*", expect = FORBIDDEN, desc = "Drops told to the publisher, counted by the queue and dead-lettered disagree.")
    @Outcome(expect = FORBIDDEN, desc = "More than two messages were ready at once in a queue limited to two.")
    @State
    public static class DropHeadRacingATakeDropsOrDeliversEachOnce extends Limited
    {
        private int taken;
        private int takenDigits;

        public DropHeadRacingATakeDropsOrDeliversEachOnce()
        {
            super(OverflowPolicy.DROP_HEAD);
        }

        @Actor
        public void publisher()
        {
            final Channel channel = PolicyBroker.channel();
            for (int id = 1; id <= 4; id++)
            {
                publish(channel, id, true);
            }
        }

        @Actor
        public void consumer()
        {
            final Channel channel = PolicyBroker.channel();
            for (int i = 0; i < 2; i++)
            {
                final int id = Probe.take(channel, name);
                if (id != Probe.EMPTY)
                {
                    taken++;
                    takenDigits = takenDigits * 10 + id;
                }
            }
        }

        @Arbiter
        public void arbiter(final IIII_Result r)
        {
            final int left = queue.messageCount();
            final int counted = (int)queue.removedCount(DeathReason.MAXLEN);
            for (final char c : Integer.toString(takenDigits).toCharArray())
            {
                if (c != '0')
                {
                    record(c - '0');
                }
            }
            takeReady();
            takeDeadLettersAndDelete();
            final boolean inOrder = takenDigits < 10 || takenDigits / 10 < takenDigits % 10;
            r.r1 = !eachFoundOnce() || wrongDeath != 0 ? 1 : !inOrder ? 2 :
                dropsTold() != counted || counted != deadLetters ? 3 : left > 2 ? 4 : 0;
            r.r2 = dropsTold();
            r.r3 = taken;
            r.r4 = left;
        }
    }
}
