package io.ringmq;

import io.ringmq.routing.ExchangeSpec;

import java.util.List;
import java.util.Optional;

/**
 * What the broker holds, for monitoring: listings of exchanges, queues, bindings, consumers, channels
 * and connections, each queue's counts and rates, and the broker's totals. Every call takes a fresh,
 * weakly consistent snapshot (each object is read once, while publishing and delivery go on); nothing
 * here touches the publish → deliver → ack path, and nothing is ever locked that a publisher or a
 * consumer waits for. Lists are sorted by name (bindings by source, destination, key), unmodifiable.
 * <p>
 * Rates are per second over the last statistics interval ({@link Broker.Builder#statisticsInterval},
 * 5 s by default, as RabbitMQ's {@code collect_statistics_interval}); 0 until two samples exist.
 */
public final class Inspector
{
    private final Broker broker;

    Inspector(final Broker broker)
    {
        this.broker = broker;
    }

    /** @return the broker's totals. */
    public BrokerOverview overview()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every exchange, the default ({@code ""}) and {@code amq.*} ones included. */
    public List<ExchangeSpec> exchanges()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every queue with its counts and rates. */
    public List<QueueInfo> queues()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return the queue named {@code name}, or empty if there is none. */
    public Optional<QueueInfo> queue(final String name)
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every binding, the default exchange's implicit ones included. */
    public List<BindingInfo> bindings()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every push consumer that is not cancelled. */
    public List<ConsumerInfo> consumers()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every open channel. */
    public List<ChannelInfo> channels()
    {
        throw new UnsupportedOperationException("skeleton");
    }

    /** @return every open connection, the implicit ones of {@link Broker#openChannel()} included. */
    public List<ConnectionInfo> connections()
    {
        throw new UnsupportedOperationException("skeleton");
    }
}
