/**
 * RingMQ's AMQP 0-9-1 network listener: RabbitMQ's own clients (the Java amqp-client, Spring AMQP,
 * Go, pika, PerfTest) connect to an in-process engine over TCP, unchanged.
 * <p>
 * The wire codec lives in {@code io.ringmq.amqp.codec}, which this module does not export.
 */
package io.ringmq.amqp;
