/**
 * RingMQ routing: exchanges, bindings and the lock-free lookup of a publish's destination queues.
 */
module io.ringmq.routing {
    exports io.ringmq.routing;
    exports io.ringmq.error;
}
