/**
 * RingMQ's Micrometer binder: the broker's inspection counters as meters named as RabbitMQ's Prometheus
 * plugin names them. Only {@code io.ringmq.micrometer} is API.
 */
module io.ringmq.micrometer {
    // Both appear in the API: RingMqMetrics takes a Broker and is a MeterBinder.
    requires transitive io.ringmq.engine;
    // micrometer-core is an automatic module (its manifest's Automatic-Module-Name).
    requires transitive micrometer.core;

    exports io.ringmq.micrometer;
}
