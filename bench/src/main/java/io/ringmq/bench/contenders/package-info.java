/**
 * The systems RingMQ is compared with, each behind one small contract.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li>{@link io.ringmq.bench.contenders.Shape}: how many publishers and consumers, and whether each message
 *       goes to one consumer (a shared queue, competing consumers) or to every consumer (fanout).</li>
 *   <li>{@link io.ringmq.bench.contenders.Contender}: one messaging system set up for one shape, for one JMH trial.</li>
 *   <li>{@link io.ringmq.bench.contenders.Publisher}: the send side; owned by one publishing thread.</li>
 *   <li>{@link io.ringmq.bench.contenders.Subscriber}: the receive (and acknowledge) side; owned by one consuming thread.</li>
 *   <li>{@link io.ringmq.bench.contenders.Contenders}: the registry that maps a JMH {@code @Param("contender")}
 *       name to a contender; the one place a new contender is registered.</li>
 * </ul>
 *
 * <h2>The workload, the same for every contender</h2>
 * A message is identified by a {@code long} sequence chosen by its publisher (per-publisher increasing) and
 * carries the shared, pre-allocated 64-byte {@link io.ringmq.bench.contenders.Payload}. In-JVM contenders
 * pass a <em>reference</em> to a pre-allocated, reused envelope (a Disruptor slot, or a pooled
 * {@link io.ringmq.bench.contenders.PooledMessage}), so they allocate nothing per message. Brokers cannot
 * pass references: they copy the 64 bytes, with the sequence in the first 8, into their own message.
 *
 * <h2>Boundedness, so JMH iterations always end</h2>
 * {@code Publisher.offer} and {@code Subscriber.poll} never block for long: a full contender refuses the
 * offer and an empty one returns 0; the calling harness decides how to wait. Brokers, whose queues are
 * unbounded, get the same bound as the rings through an {@link io.ringmq.bench.contenders.InFlightLimit}:
 * at most {@code capacity} unconsumed messages per queue.
 */
package io.ringmq.bench.contenders;
