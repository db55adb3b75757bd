package io.ringmq;

/**
 * Who runs a consumer's {@link DeliveryAgent}, and how it waits: a {@link DedicatedThread} (one
 * thread per consumer, the low-latency choice), the broker's {@link ConsumerPool} (a few threads for any
 * number of consumers), or {@link CallerDriven} (the application's own thread, such as an I/O event
 * loop, calls {@link Consumer#deliver}).
 */
interface AgentRunner
{
    /** The consumer is registered: begin running it. */
    void start(DeliveryAgent agent);

    /** The agent was armed and a waker disarmed it: run it again soon. Any thread; must not block. */
    void wake(DeliveryAgent agent);

    /** The agent is stopped and nothing delivers for it any more: let go of it (a dedicated thread ends). */
    void release(DeliveryAgent agent);
}
