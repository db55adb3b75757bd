package io.ringmq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dead-letter history a message carries in its headers, laid out as RabbitMQ records it, and
 * RabbitMQ's rule for dead-letter cycles.
 * <pre>
 * headers:
 *   x-death: [                              a List, most recent death first
 *     { queue: String, reason: String,      one Map per (queue, reason): dying again in the same queue
 *       count: Long,                        for the same reason increments its count and moves it first
 *       time: java.util.Date (seconds),     when it first died there for that reason
 *       exchange: String,                   the exchange it had been published to
 *       routing-keys: [String],             the routing key it had been published with
 *       original-expiration: String }       only if it had a per-message TTL (removed from the message)
 *     , ... ]
 *   x-first-death-queue / -reason / -exchange   set at the first death, never changed
 *   x-last-death-queue / -reason / -exchange    the latest death (as RabbitMQ 3.13+ adds)
 * </pre>
 * Values use the Java types the RabbitMQ Java client uses for AMQP tables (String for longstr, Long,
 * Date for timestamps, List for arrays, Map for tables).
 */
final class DeathHistory
{
    static final String X_DEATH = "x-death";
    static final String FIRST_DEATH_QUEUE = "x-first-death-queue";
    static final String FIRST_DEATH_REASON = "x-first-death-reason";
    static final String FIRST_DEATH_EXCHANGE = "x-first-death-exchange";
    static final String LAST_DEATH_QUEUE = "x-last-death-queue";
    static final String LAST_DEATH_REASON = "x-last-death-reason";
    static final String LAST_DEATH_EXCHANGE = "x-last-death-exchange";

    static final String QUEUE = "queue";
    static final String REASON = "reason";
    static final String COUNT = "count";
    static final String TIME = "time";
    static final String EXCHANGE = "exchange";
    static final String ROUTING_KEYS = "routing-keys";
    static final String ORIGINAL_EXPIRATION = "original-expiration";

    private DeathHistory()
    {
    }

    /**
     * @return the properties of {@code envelope}'s message dying in {@code queue} for {@code reason}: its
     * own, with the history above updated and without {@code expiration}.
     */
    static MessageProperties record(final Envelope envelope, final String queue, final DeathReason reason)
    {
        final MessageProperties original = envelope.properties;
        final Map<String, Object> headers = new LinkedHashMap<>(original.headers());
        final List<Object> deaths = new ArrayList<>();
        Map<?, ?> previous = null;
        final Object existing = headers.get(X_DEATH);
        if (existing instanceof List)
        {
            for (final Object death : (List<?>)existing)
            {
                if (previous == null && death instanceof Map && queue.equals(((Map<?, ?>)death).get(QUEUE)) &&
                    reason.value().equals(((Map<?, ?>)death).get(REASON)))
                {
                    previous = (Map<?, ?>)death;
                }
                else
                {
                    deaths.add(death);
                }
            }
        }
        final Map<String, Object> entry = new LinkedHashMap<>();
        if (previous != null)
        {
            for (final Map.Entry<?, ?> field : previous.entrySet())
            {
                entry.put(String.valueOf(field.getKey()), field.getValue());
            }
            final Object count = previous.get(COUNT);
            entry.put(COUNT, (count instanceof Number ? ((Number)count).longValue() : 0L) + 1);
        }
        else
        {
            entry.put(QUEUE, queue);
            entry.put(REASON, reason.value());
            entry.put(COUNT, 1L);
            entry.put(TIME, new Date(System.currentTimeMillis() / 1000 * 1000)); // AMQP timestamps are seconds
            entry.put(EXCHANGE, envelope.exchange);
            entry.put(ROUTING_KEYS, List.of(envelope.routingKey));
            if (original.expiration() != null)
            {
                entry.put(ORIGINAL_EXPIRATION, original.expiration());
            }
        }
        deaths.add(0, Collections.unmodifiableMap(entry));
        headers.put(X_DEATH, Collections.unmodifiableList(deaths));
        if (!headers.containsKey(FIRST_DEATH_REASON))
        {
            headers.put(FIRST_DEATH_QUEUE, queue);
            headers.put(FIRST_DEATH_REASON, reason.value());
            headers.put(FIRST_DEATH_EXCHANGE, envelope.exchange);
        }
        headers.put(LAST_DEATH_QUEUE, queue);
        headers.put(LAST_DEATH_REASON, reason.value());
        headers.put(LAST_DEATH_EXCHANGE, envelope.exchange);
        // Without its expiration, so that it does not expire again wherever it goes (RabbitMQ does the same).
        return original.toBuilder().headers(headers).expiration(null).build();
    }

    /**
     * RabbitMQ's cycle rule ({@code rabbit_dead_letter:detect_cycles}, {@code mc:is_death_cycle}): a
     * dead letter is not delivered to {@code target} when it already died in {@code target} and the
     * cycle since — every death from the latest back to and including that one — is "fully automatic":
     * none of them was a rejection (a consumer's rejection makes each lap a deliberate act). The
     * caller skips this check altogether when the current death is a rejection, as RabbitMQ does.
     *
     * @param deaths the {@code x-death} list after recording the current death.
     */
    static boolean isCycle(final String target, final List<?> deaths)
    {
        boolean automatic = true;
        for (final Object death : deaths)
        {
            if (!(death instanceof Map))
            {
                automatic = false; // something a client put there: not an automatic cycle
                continue;
            }
            final Map<?, ?> entry = (Map<?, ?>)death;
            automatic &= !DeathReason.REJECTED.value().equals(entry.get(REASON));
            if (target.equals(entry.get(QUEUE)))
            {
                return automatic;
            }
        }
        return false;
    }
}
