/**
 * RingMQ's broker counts as Micrometer meters: {@link io.ringmq.micrometer.RingMqMetrics} is the one API
 * type. {@code MeterCatalog} lists every meter once (name, meaning, value); {@code ObjectMeters} holds one
 * queue's, exchange's or the broker's meters and the snapshot they read; {@code MeterDefinition} registers
 * one meter.
 */
package io.ringmq.micrometer;
