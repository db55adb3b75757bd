package io.ringmq;

import java.util.Map;

/**
 * One binding as {@code rabbitmqctl list_bindings} and the management API's {@code /api/bindings}
 * show it: from a source exchange to a queue or an exchange, under a routing key and arguments.
 * The default exchange's implicit binding to every queue (key = the queue's name) is listed too, as
 * RabbitMQ lists it.
 *
 * @param source          the source exchange's name ({@code ""} for the default exchange).
 * @param destination     the queue's or exchange's name.
 * @param destinationType {@link DestinationType#QUEUE} or {@link DestinationType#EXCHANGE}.
 * @param routingKey      the binding key.
 * @param arguments       the binding's arguments (headers-exchange matching), unmodifiable, never null.
 */
public record BindingInfo(String source, String destination, DestinationType destinationType, String routingKey,
    Map<String, Object> arguments)
{
    /** What a binding leads to. */
    public enum DestinationType
    {
        /** A queue: {@code queue.bind}. */
        QUEUE,
        /** An exchange: {@code exchange.bind} (RabbitMQ's exchange-to-exchange bindings). */
        EXCHANGE
    }
}
