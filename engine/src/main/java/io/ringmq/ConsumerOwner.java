package io.ringmq;

/**
 * What a consumer's {@link DeliveryAgent} needs of its channel: the channel's acknowledgements (its
 * delivery tags) and a word when the consumer has ended. {@link Channel} implements it; the agent knows
 * nothing else of the channel or the broker.
 */
interface ConsumerOwner
{
    Acknowledgements acknowledgements();

    /** The consumer stopped (cancelled, its queue deleted, the broker closing); its deliveries stay with the channel. */
    void consumerEnded(DeliveryAgent consumer);
}
