/**
 * RingMQ engine: the embedded broker. Only {@code io.ringmq} is API; {@code io.ringmq.internal}
 * holds lock-free building blocks that are not exported.
 */
module io.ringmq.engine {
    requires transitive io.ringmq.routing;
    requires org.jctools.core;
    requires org.agrona.core;
    // JCTools (an automatic module) reaches sun.misc.Unsafe; a modular application resolves that module
    // only if someone requires it, so the engine does, and applications need no --add-modules flag.
    requires jdk.unsupported;

    exports io.ringmq;
}
