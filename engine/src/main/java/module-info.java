/**
 * RingMQ engine: the embedded broker. Only {@code io.ringmq} is API; {@code io.ringmq.internal}
 * holds lock-free building blocks that are not exported.
 */
module io.ringmq.engine {
    requires transitive io.ringmq.routing;
    requires org.jctools.core;
    requires org.agrona.core;

    exports io.ringmq;
}
