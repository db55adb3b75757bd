/**
 * RingMQ routing: exchanges, bindings and the lock-free lookup of a publish's destination queues.
 *
 * <p>An application sees only what it declares with ({@code io.ringmq.routing}: {@code ExchangeSpec},
 * {@code ExchangeType}) and the errors it may catch ({@code io.ringmq.error}). The routing table
 * itself ({@code io.ringmq.routing.table}) is plumbing for the engine, which alone may read it.
 */
module io.ringmq.routing {
    exports io.ringmq.routing;
    exports io.ringmq.routing.table to io.ringmq.engine;
    exports io.ringmq.error;
}
