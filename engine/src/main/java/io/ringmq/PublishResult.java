package io.ringmq;

/**
 * The synchronous outcome of one publish (or one batch): how many queues the message was routed
 * to, how many took it, how many refused it, and what was dropped to make room.
 * <p>
 * <b>Lifetime:</b> each {@link Channel} owns one instance and reuses it for its every publish, so
 * publishing allocates nothing. Read it before the channel's next publish, or {@link #copy()} it.
 */
public final class PublishResult
{
    private int routed;
    private int accepted;
    private int refused;
    private int dropped;
    private int held;
    private boolean returned;

    PublishResult()
    {
    }

    void reset()
    {
        routed = 0;
        accepted = 0;
        refused = 0;
        dropped = 0;
        held = 0;
        returned = false;
    }

    void addRouted(final int queues)
    {
        routed += queues;
    }

    void addAccepted()
    {
        accepted++;
    }

    void addAccepted(final int queues)
    {
        accepted += queues;
    }

    void addRefused()
    {
        refused++;
    }

    void addDropped(final int messages)
    {
        dropped += messages;
    }

    void addHeld(final int queues)
    {
        held += queues;
    }

    void markReturned()
    {
        returned = true;
    }

    /** @return queue deliveries the routing produced (per message, summed over a batch). */
    public int routedQueues()
    {
        return routed;
    }

    /** @return queue deliveries that were accepted: the message is now in those queues. */
    public int acceptedQueues()
    {
        return accepted;
    }

    /**
     * @return queue deliveries refused: the queue was full with {@code reject-publish}, a blocked
     * publish timed out, or the queue had been deleted when the publish reached it. (A queue deleted
     * just after taking the message counts it as accepted: the message then goes with the queue, like
     * every other message it held, and is counted as discarded there, never silently lost.)
     */
    public int refusedQueues()
    {
        return refused;
    }

    /**
     * @return queue deliveries still pending ({@link Channel#publishNonBlocking} only): full {@code block}
     * queues the message waits for, held by the channel in publish order; they are neither accepted nor
     * refused yet. See {@link Channel#resumeHeldPublishes()}.
     */
    public int heldQueues()
    {
        return held;
    }

    /** @return true when part of the publish is held by the channel, waiting for room. */
    public boolean isHeld()
    {
        return held > 0;
    }

    /** @return older messages that {@code drop-head} queues removed to take this one. */
    public int droppedMessages()
    {
        return dropped;
    }

    /** @return true when no queue was routed to. */
    public boolean isUnroutable()
    {
        return routed == 0;
    }

    /** @return true when the message was unroutable, mandatory, and handed to the return listener. */
    public boolean isReturned()
    {
        return returned;
    }

    /** @return true when it was routed and every routed queue took it. */
    public boolean isFullyAccepted()
    {
        return routed > 0 && accepted == routed;
    }

    /** @return a detached copy that later publishes do not change. */
    public PublishResult copy()
    {
        final PublishResult copy = new PublishResult();
        copy.routed = routed;
        copy.accepted = accepted;
        copy.refused = refused;
        copy.dropped = dropped;
        copy.held = held;
        copy.returned = returned;
        return copy;
    }

    @Override
    public String toString()
    {
        return "PublishResult{routed=" + routed + ", accepted=" + accepted + ", refused=" + refused +
            ", dropped=" + dropped + ", held=" + held + ", returned=" + returned + '}';
    }
}
