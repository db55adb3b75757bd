/**
 * Exchanges, bindings and the lock-free lookup of the queues one publish reaches: the AMQP 0-9-1
 * routing model as RabbitMQ implements it.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li>{@link io.ringmq.routing.RoutingTable}: the public face. Writers (declare, bind, delete) are
 *       serialized by a lock that readers never take; {@code route} reads one immutable
 *       {@code Snapshot} and nothing else.</li>
 *   <li>{@code Snapshot}: the root of one immutable version of the table (exchanges by name, queues
 *       by name). A writer builds the next one by path copying and publishes it with one release
 *       store.</li>
 *   <li>{@code PersistentStringMap}: the hash array mapped trie every by-name index is made of. It
 *       also looks a key up by a char range of another string, so topic words need no substring.</li>
 *   <li>{@code ExchangeNode}: one exchange inside one snapshot; one subclass per exchange type
 *       ({@code DirectExchangeNode}, {@code FanoutExchangeNode}, {@code TopicExchangeNode},
 *       {@code HeadersExchangeNode}, {@code DefaultExchangeNode}).</li>
 *   <li>{@code TopicNode}: one node of the persistent word trie of a topic exchange.</li>
 *   <li>{@code HeadersMatcher}: the binding arguments of a headers binding, parsed once at bind time.</li>
 *   <li>{@code Binding}: one (source, destination, key, arguments) as RabbitMQ identifies it.</li>
 *   <li>{@link io.ringmq.routing.DestinationSet}: the caller-owned, reused result and scratch space of
 *       one route, so that routing allocates nothing.</li>
 *   <li>{@code WriterState}: the writer-only bookkeeping (reverse indexes, binding identity, id free
 *       lists) that readers never see.</li>
 * </ul>
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Accessors of the one shared field name their ordering in a prefix, as JCTools does:
 * <ul>
 *   <li>{@code lp}: load plain (only where a lock already orders the access),</li>
 *   <li>{@code la}: load acquire, paired with an {@code so} of the same field,</li>
 *   <li>{@code so}: store ordered, i.e. a release store, paired with an {@code la} of the same field.</li>
 * </ul>
 * Everything reachable from a snapshot is immutable (final fields, never mutated after the
 * release store), so the one acquire/release pair is all the ordering a route needs.
 */
package io.ringmq.routing;
