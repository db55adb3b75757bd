/**
 * What an application declares exchanges with: the AMQP 0-9-1 routing model as RabbitMQ
 * implements it, seen from the caller's side.
 *
 * <h2>Glossary</h2>
 * <ul>
 *   <li>{@link io.ringmq.routing.ExchangeSpec}: the immutable declaration of one exchange (name,
 *       type, durable, auto-delete, internal, arguments), built with its {@code Builder}; a plain
 *       value that the broker accepts or refuses when it is declared.</li>
 *   <li>{@link io.ringmq.routing.ExchangeType}: direct, fanout, topic or headers, with the name a
 *       client sends on the wire.</li>
 * </ul>
 *
 * The errors a declaration may raise, each carrying its AMQP reply code, are in
 * {@code io.ringmq.error}. The routing table that holds exchanges and bindings and routes publishes
 * lock-free is the engine's plumbing ({@code io.ringmq.routing.table}), not exported to applications.
 */
package io.ringmq.routing;
