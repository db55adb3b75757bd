/**
 * The routing table: exchanges, bindings and the lock-free lookup of the queues one publish
 * reaches. Exported only to the engine; applications declare through {@link io.ringmq.routing}.
 *
 * <h2>Glossary</h2>
 * Public, for the engine:
 * <ul>
 *   <li>{@link io.ringmq.routing.table.RoutingTable}: the engine's face. Writers (declare, bind,
 *       delete) are serialized by a lock that readers never take; {@code route} reads one
 *       {@code Snapshot} and what it references, never a later version (see {@code ExactKeyIndex}
 *       for the one part writers update in place).</li>
 *   <li>{@link io.ringmq.routing.table.DestinationSet}: the caller-owned, reused result and scratch
 *       space of one route, so that routing allocates nothing.</li>
 *   <li>{@link io.ringmq.routing.table.Names}: the AMQP short-string checks of names and keys, shared
 *       with the engine; never allocates on the route path.</li>
 *   <li>{@link io.ringmq.routing.table.ArgumentValues}: equality, hashing, copying and rendering of
 *       AMQP field values as Java objects; public because {@code ExchangeSpec} uses the same rules.</li>
 *   <li>{@link io.ringmq.routing.table.ExchangeEquivalence}: when redeclaring an exchange is a no-op,
 *       and RabbitMQ's wording when it is not; public only for its {@code alternate-exchange} name.</li>
 * </ul>
 * Package-private:
 * <ul>
 *   <li>{@code Snapshot}: the root of one immutable version of the table (exchanges by name, queues
 *       by name). A writer builds the next one by path copying and publishes it with one release
 *       store.</li>
 *   <li>{@code PersistentStringMap}: the hash array mapped trie every by-name index is made of. It
 *       also looks a key up by a char range of another string, so topic words need no substring.</li>
 *   <li>{@code ExchangeNode}: one exchange inside one snapshot; one subclass per exchange type
 *       ({@code DirectExchangeNode}, {@code FanoutExchangeNode}, {@code TopicExchangeNode},
 *       {@code HeadersExchangeNode}, {@code DefaultExchangeNode}).</li>
 *   <li>{@code QueueNode}: one registered queue inside the table, with the dense id a route
 *       de-duplicates by.</li>
 *   <li>{@code TopicNode}: one node of the persistent word trie of a topic exchange's wildcard
 *       patterns; {@code TopicWords} splits binding keys into its words.</li>
 *   <li>{@code ExactBindings}: the bindings an exchange matches by exact key (all of a direct
 *       exchange's, a topic exchange's wildcard-free ones), as one snapshot sees them: a persistent
 *       map, the truth, beside {@code ExactKeyIndex}, the exchange's open-addressing hash table that
 *       the writer updates in place and routes probe in one step. Index entries carry the version of
 *       the first snapshot holding them; a route trusts only entries no newer than its snapshot.</li>
 *   <li>{@code HeadersMatcher}: the binding arguments of a headers binding, parsed once at bind time.</li>
 *   <li>{@code Binding}: one (source, destination, key, arguments) as RabbitMQ identifies it;
 *       {@code BindingArguments} is its arguments in canonical form.</li>
 *   <li>{@code WriterState}: the writer-only bookkeeping (reverse indexes, binding identity, id free
 *       lists) that readers never see; {@code IdAllocator} hands out and recycles the dense ids.</li>
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
 * release store), so the one acquire/release pair is all the ordering a route needs, except the
 * slots of an {@code ExactKeyIndex} array: the writer may store into them with {@code so} after a
 * snapshot referencing the array was published, and routes load them with {@code la}.
 */
package io.ringmq.routing.table;
