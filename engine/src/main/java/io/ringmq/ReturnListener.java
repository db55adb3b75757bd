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

    void handleReturn(int replyCode, String replyText, Message message);
}
