package io.ringmq;

/**
 * What a queue's storage and its returned messages need of their queue, and nothing more: so that
 * {@link QueueStorage}, {@link Returned} and {@link Taken} depend on this, not on {@link MessageQueue}
 * and everything it knows (consumers, dead-lettering, the broker).
 */
interface StoredQueue extends DeliveryOrigin
{
    boolean isDeleted();

    /** @return true when the message's TTL has passed: it was dropped or dead-lettered; the caller's hold is taken over. */
    boolean dropIfExpired(Envelope envelope);

    /** A ready message leaves the queue for {@code reason}: counted, dead-lettered or released. */
    void dropDead(Envelope envelope, DeathReason reason);

    /** A ready message is removed without dying (purge, deletion): its bytes stop counting as ready. Before its release. */
    void leftReady(Envelope envelope);

    /** {@code reject-publish-dlx} refused {@code envelope}: a copy is dead-lettered with reason maxlen. */
    void deadLetterRefused(Envelope envelope);

    /** A return took a drop-head queue past its limit: its head goes, counted apart. */
    void dropHeadAfterReturn(Envelope head);

    /** Puts a returned message back (or past the delivery limit dead-letters it). */
    void requeue(Returned returned);
}
