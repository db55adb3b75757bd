/**
 * RingMQ's HTTP side, as RabbitMQ's management and Prometheus plugins serve it: the management API (a subset
 * of RabbitMQ's {@code /api} paths with RabbitMQ's JSON field names, so scripts and dashboards written for
 * RabbitMQ work unchanged), the live page at {@code /}, and {@code /metrics}. Started and closed with the
 * {@link io.ringmq.amqp.AmqpServer}; internal, never exported.
 * <p>
 * Both listeners ask for HTTP basic auth against the AMQP listener's users, with the AMQP rules
 * ({@code guest} only from loopback). Requests are answered on the listeners' own event loop, never on an
 * AMQP connection's: what they read comes from the engine's {@code Inspector} (weakly consistent snapshots
 * that nothing on the publish path waits for) and from each AMQP connection's own snapshot.
 */
package io.ringmq.amqp.management;
