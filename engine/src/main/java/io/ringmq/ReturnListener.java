package io.ringmq;

/**
 * Receives, synchronously on the publishing thread, each {@code mandatory} message that no queue
 * took (AMQP {@code basic.return}, reply code 312 NO_ROUTE).
 */
@FunctionalInterface
public interface ReturnListener
{
    /** AMQP reply code for an unroutable mandatory message. */
    int NO_ROUTE = 312;

    /**
     * One unroutable mandatory message, before its publish returns.
     *
     * @param replyCode {@link #NO_ROUTE}.
     * @param replyText {@code "NO_ROUTE"}, as RabbitMQ words it.
     * @param message   the message as published (its body not copied).
     */
    void handleReturn(int replyCode, String replyText, Message message);
}
