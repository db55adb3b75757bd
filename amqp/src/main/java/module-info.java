/**
 * RingMQ's AMQP 0-9-1 listener. Only {@code io.ringmq.amqp} is to be API; the wire codec in
 * {@code io.ringmq.amqp.codec}, the connection handling in {@code io.ringmq.amqp.server} and the HTTP
 * listeners in {@code io.ringmq.amqp.management} are internal and never exported.
 */
module io.ringmq.amqp {
    requires io.ringmq.engine;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    // Netty 4.2 ships this module (ByteToMessageDecoder) in the artifact netty-codec-base.
    requires io.netty.codec;
    requires io.netty.handler;
    // The management and Prometheus listeners (io.ringmq.amqp.management, not exported).
    requires io.netty.codec.http;
    requires tools.jackson.core;
    // /metrics: RingMQ's binder (it brings micrometer.core) and Micrometer's Prometheus registry (automatic module).
    requires io.ringmq.micrometer;
    requires micrometer.registry.prometheus;

    requires org.jctools.core;

    exports io.ringmq.amqp;
}
