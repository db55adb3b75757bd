package io.ringmq;

import io.ringmq.error.RingMqException;
import io.ringmq.routing.table.DestinationSet;
import io.ringmq.routing.table.RoutingTable;

import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * Republishes dead letters — messages a queue rejects, expires, drops for a length limit or past its
 * delivery limit — to the queue's dead-letter exchange, as RabbitMQ does: with the routing key
 * {@code x-dead-letter-routing-key} or the message's own, the {@link DeathHistory} in its headers,
 * no {@code expiration}, and the same body (not copied). One per broker.
 *
 * <h2>Threads</h2>
 * Dead-lettering runs on whichever thread removed the message: a publisher (drop-head,
 * reject-publish-dlx), a consumer or getter (an expired head), an acker (reject), the broker's
 * sweeper (expiry). It is not the steady-state path, so it allocates (the new headers, a job).
 * <ul>
 *   <li><b>Scratch per thread:</b> routing needs a {@link DestinationSet}, which is not thread-safe,
 *       and the publishing thread's own is busy; each thread has its own here (a ThreadLocal).</li>
 *   <li><b>No recursion:</b> republishing can make a target queue dead-letter in turn (its drop-head,
 *       say). Each thread keeps a list of pending dead letters and the outermost call drains it, so
 *       nested ones wait for the scratch instead of overwriting it.</li>
 *   <li><b>Never blocks:</b> a target queue that is full refuses the copy at once whatever its
 *       overflow policy ({@code block} included, with a zero timeout), and the refusal is counted on the
 *       dead-lettering queue. So dead-lettering cannot deadlock on a full queue whose consumer is the
 *       very thread dead-lettering.</li>
 *   <li><b>Cycles:</b> targets that would close a fully automatic cycle are skipped
 *       ({@link DeathHistory#isCycle}); a message with no target left is dropped, as RabbitMQ drops it.</li>
 * </ul>
 * A dead-letter exchange that does not exist drops the message, as RabbitMQ drops it when its DLX
 * is missing; an internal one is fine ({@link RoutingTable#routeFromBroker}). Every outcome is counted on the
 * dead-lettering queue ({@link MessageQueue#countDeadLetter}).
 */
final class DeadLetters
{
    private final RoutingTable<MessageQueue> routing;
    private final EnvelopePool pool;
    private final ThreadLocal<Worker> workers = ThreadLocal.withInitial(Worker::new);

    DeadLetters(final RoutingTable<MessageQueue> routing, final EnvelopePool pool)
    {
        this.routing = routing;
        this.pool = pool;
    }

    /**
     * Republishes {@code envelope}'s message, which died in {@code from} for {@code reason}, to {@code from}'s
     * dead-letter exchange. Takes over the caller's hold on {@code envelope}. Any thread.
     */
    void deadLetter(final MessageQueue from, final Envelope envelope, final DeathReason reason)
    {
        final Worker worker = workers.get();
        worker.pending.addLast(new Job(from, envelope, reason));
        if (worker.draining)
        {
            return; // an outer call on this thread is draining: it will get to this one
        }
        worker.draining = true;
        try
        {
            Job job;
            while ((job = worker.pending.pollFirst()) != null)
            {
                publish(worker, job);
            }
        }
        finally
        {
            worker.draining = false;
            Job left;
            while ((left = worker.pending.pollFirst()) != null)
            {
                left.envelope.release(); // only after an Error escaped: do not leak the holds
            }
        }
    }

    private void publish(final Worker worker, final Job job)
    {
        final MessageQueue from = job.from;
        final Envelope original = job.envelope;
        int accepted = 0;
        int refused = 0;
        try
        {
            final QueuePolicies policies = from.policies();
            final String exchange = policies.deadLetterExchange();
            final String routingKey = policies.deadLetterRoutingKey() != null ?
                policies.deadLetterRoutingKey() : original.routingKey;
            final MessageProperties properties = DeathHistory.record(original, from.name(), job.reason);
            final DestinationSet<MessageQueue> destinations = worker.destinations;
            final int routed;
            try
            {
                routed = routing.routeFromBroker(exchange, routingKey, properties.headers(), destinations);
            }
            catch (final RingMqException missing)
            {
                return; // counted as unroutable below
            }
            final List<?> deaths = (List<?>)properties.headers().get(DeathHistory.X_DEATH);
            final MessageQueue[] targets = worker.targets(routed);
            int count = 0;
            for (int i = 0; i < routed; i++)
            {
                final MessageQueue target = destinations.get(i);
                if (job.reason == DeathReason.REJECTED || !DeathHistory.isCycle(target.name(), deaths))
                {
                    targets[count++] = target;
                }
            }
            if (count == 0)
            {
                return;
            }
            final Envelope copy = pool.acquire();
            copy.fill(exchange, routingKey, properties, original.body, original.payload, count);
            worker.result.reset();
            for (int i = 0; i < count; i++)
            {
                // Timeout 0: a full target refuses at once, whatever its policy (see the class comment).
                if (targets[i].offer(copy, 0, worker.result) == QueueStorage.ACCEPTED)
                {
                    accepted++;
                }
                else
                {
                    refused++;
                    copy.release();
                }
            }
            // As Channel.finishPublish: orders the offers before the deletion and sleeper checks.
            VarHandle.fullFence();
            for (int i = 0; i < count; i++)
            {
                targets[i].afterPublish();
                targets[i] = null;
            }
        }
        finally
        {
            from.countDeadLetter(accepted, refused);
            original.release();
        }
    }

    /** One dead letter waiting for its thread's scratch. */
    private static final class Job
    {
        final MessageQueue from;
        final Envelope envelope;
        final DeathReason reason;

        Job(final MessageQueue from, final Envelope envelope, final DeathReason reason)
        {
            this.from = from;
            this.envelope = envelope;
            this.reason = reason;
        }
    }

    /** One thread's dead-lettering scratch. */
    private static final class Worker
    {
        final DestinationSet<MessageQueue> destinations = new DestinationSet<>();
        final PublishResult result = new PublishResult();
        final ArrayDeque<Job> pending = new ArrayDeque<>();
        MessageQueue[] targets = new MessageQueue[8];
        boolean draining;

        MessageQueue[] targets(final int size)
        {
            if (targets.length < size)
            {
                targets = Arrays.copyOf(targets, Math.max(size, 2 * targets.length));
            }
            return targets;
        }
    }
}
