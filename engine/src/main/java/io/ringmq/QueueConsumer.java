package io.ringmq;

/**
 * What a queue, its {@link RoundRobinDispatcher} and its {@link SingleActiveConsumer} election need of a
 * consumer, and nothing more: so the queue side depends on this, not on {@link DeliveryAgent} and the
 * consumer side it belongs to. Every method may be called from any thread.
 */
interface QueueConsumer
{
    boolean isRunning();

    /** @return its {@code x-priority}. */
    int priority();

    boolean isExclusive();

    /**
     * Dispatch role holder, once per turn: how many messages the rotation may hand it now (0: none). A
     * lower bound for the rest of the turn, as only the role holder adds to its mailbox.
     */
    int dispatchCredit();

    /** @return what the dispatcher has sent it and it has not yet delivered. */
    Mailbox mailbox();

    /** Credit freed, its mailbox filled, its election won: run again if it was idle. */
    void wake();

    /** A publisher: run again if it was idle waiting for messages. */
    void wakeForMessages();

    /** Its queue was deleted: stop, tell the listener and the owner; its unacknowledged deliveries stay with its channel. */
    void stopBecauseQueueWent(String reason);
}
