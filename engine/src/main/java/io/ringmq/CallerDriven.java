package io.ringmq;

/**
 * A consumer that needs no thread at all ({@link ConsumerThreading#CALLER_DRIVEN}): the application
 * calls {@link Consumer#deliver(int)}, which hands out what is available under the consumer's credit on
 * the calling thread and returns without waiting. When it returned 0, the consumer stays armed, and the
 * application's ready listener is told (on the thread that made deliveries possible: a publisher, an
 * acker) once there may be something to deliver; it should only schedule the next {@code deliver} on its
 * own thread, as an I/O event loop does with a task.
 */
final class CallerDriven implements AgentRunner
{
    private final Runnable onReady;

    CallerDriven(final Runnable onReady)
    {
        this.onReady = onReady;
    }

    @Override
    public void start(final DeliveryAgent agent)
    {
        notifyReady(agent); // messages may already wait: the application learns so the same way as later
    }

    @Override
    public void wake(final DeliveryAgent agent)
    {
        notifyReady(agent);
    }

    @Override
    public void release(final DeliveryAgent agent)
    {
        // No thread to end.
    }

    /**
     * The application's thread: delivers up to {@code max} messages, arming the consumer when there was
     * nothing to deliver.
     *
     * @return the number delivered.
     */
    static int deliver(final DeliveryAgent agent, final int max)
    {
        agent.disarm(); // the caller runs it now, whether or not it was told to
        while (agent.isRunning())
        {
            final int work = agent.doWork(max);
            final int delivered = agent.lastDeliveries();
            if (delivered > 0)
            {
                return delivered;
            }
            if (work == 0 && agent.arm())
            {
                return 0; // armed: the ready listener is told when that changes
            }
            // Work without deliveries: it dispatched to the queue's other consumers; or work turned up while arming.
        }
        return 0;
    }

    private void notifyReady(final DeliveryAgent agent)
    {
        try
        {
            onReady.run();
        }
        catch (final RuntimeException ex)
        {
            System.getLogger("io.ringmq").log(System.Logger.Level.WARNING,
                "ready listener of " + agent + " threw", ex);
        }
    }
}
