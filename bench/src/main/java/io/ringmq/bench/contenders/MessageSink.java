package io.ringmq.bench.contenders;

/** Where a {@link Subscriber} hands each delivered message; called on the consuming thread. */
@FunctionalInterface
public interface MessageSink
{
    void onMessage(long sequence);
}
