package io.ringmq;

import io.ringmq.routing.ExchangeSpec;

import java.util.ArrayList;
import java.util.Comparator;
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
 * <p>
 * Counts are cumulative and never decrease, from one call to the next: a cancelled consumer's counts
 * stay in its queue's, a deleted queue's stay in the broker's ({@link #overview()}). Each is exact once
 * the broker is quiet. Thread-safe; one instance per broker ({@link Broker#inspector()}).
 */
public final class Inspector
{
    private static final Comparator<BindingInfo> BINDING_ORDER = Comparator.comparing(BindingInfo::source)
        .thenComparing(BindingInfo::destination).thenComparing(BindingInfo::destinationType)
        .thenComparing(BindingInfo::routingKey).thenComparing(binding -> binding.arguments().toString());
    private static final Comparator<ConsumerInfo> CONSUMER_ORDER = Comparator.comparing(ConsumerInfo::queue)
        .thenComparing(ConsumerInfo::consumerTag).thenComparingInt(ConsumerInfo::channelNumber);

    private final Broker broker;

    Inspector(final Broker broker)
    {
        this.broker = broker;
    }

    /** @return the broker's totals. */
    public BrokerOverview overview()
    {
        final long[] held = new long[3]; // ready, unacknowledged, consumers
        final QueueStatistics.Totals totals = broker.statistics().read(broker.queues(), (queue, counts) ->
        {
            held[0] += queue.messageCount();
            held[1] += counts.unacked;
            held[2] += queue.consumerCount();
        });
        final List<Connection> connections = broker.connections();
        int channels = 0;
        for (final Connection connection : connections)
        {
            channels += connection.channelCount();
        }
        final QueueStatistics.Rates rates = broker.statistics().rates();
        final EnvelopePool pool = broker.pool();
        return new BrokerOverview(broker.queues().size(), broker.routing().exchangeCount(), broker.routing().bindingCount(),
            connections.size(), channels, (int)held[2], held[0], held[1], totals.published, totals.delivered,
            totals.acknowledged, totals.redelivered, rates.publish, rates.deliver, rates.ack, rates.redeliver,
            pool.capacity(), pool.allocated());
    }

    /** @return every exchange, the default ({@code ""}) and {@code amq.*} ones included. */
    public List<ExchangeSpec> exchanges()
    {
        final List<ExchangeSpec> exchanges = broker.routing().exchanges();
        exchanges.sort(Comparator.comparing(ExchangeSpec::name));
        return List.copyOf(exchanges);
    }

    /** @return every queue with its counts and rates. */
    public List<QueueInfo> queues()
    {
        final List<QueueInfo> queues = new ArrayList<>(broker.queues().size());
        for (final MessageQueue queue : broker.queues())
        {
            queues.add(queue.info());
        }
        queues.sort(Comparator.comparing(QueueInfo::name));
        return List.copyOf(queues);
    }

    /**
     * @param name a queue's name.
     * @return the queue named {@code name}, or empty if there is none.
     */
    public Optional<QueueInfo> queue(final String name)
    {
        final MessageQueue queue = name == null ? null : broker.queueNamed(name);
        return queue == null ? Optional.empty() : Optional.of(queue.info());
    }

    /** @return every binding, the default exchange's implicit ones included. */
    public List<BindingInfo> bindings()
    {
        final List<BindingInfo> bindings = new ArrayList<>();
        broker.routing().forEachBinding((source, destination, toQueue, key, arguments) -> bindings.add(new BindingInfo(
            source, destination, toQueue ? BindingInfo.DestinationType.QUEUE : BindingInfo.DestinationType.EXCHANGE, key,
            arguments)));
        bindings.sort(BINDING_ORDER);
        return List.copyOf(bindings);
    }

    /** @return every push consumer that is not cancelled, by queue, then consumer tag. */
    public List<ConsumerInfo> consumers()
    {
        final List<ConsumerInfo> consumers = new ArrayList<>();
        for (final Connection connection : broker.connections())
        {
            for (final Channel channel : connection.channels())
            {
                for (final DeliveryAgent agent : channel.consumers())
                {
                    if (agent.isRunning())
                    {
                        consumers.add(info(agent, connection, channel));
                    }
                }
            }
        }
        consumers.sort(CONSUMER_ORDER);
        return List.copyOf(consumers);
    }

    /** @return every open channel. */
    public List<ChannelInfo> channels()
    {
        final List<ChannelInfo> channels = new ArrayList<>();
        for (final Connection connection : broker.connections())
        {
            for (final Channel channel : connection.channels())
            {
                channels.add(channel.info());
            }
        }
        channels.sort(Comparator.comparingInt(ChannelInfo::number));
        return List.copyOf(channels);
    }

    /** @return every open connection, the implicit ones of {@link Broker#openChannel()} included. */
    public List<ConnectionInfo> connections()
    {
        final List<ConnectionInfo> connections = new ArrayList<>();
        for (final Connection connection : broker.connections())
        {
            connections.add(new ConnectionInfo(connection.name(), connection.channelCount()));
        }
        connections.sort(Comparator.comparing(ConnectionInfo::name));
        return List.copyOf(connections);
    }

    private static ConsumerInfo info(final DeliveryAgent agent, final Connection connection, final Channel channel)
    {
        final ConsumeOptions options = agent.options();
        final SingleActiveConsumer election = agent.queue().singleActiveConsumer();
        final boolean active = agent.isRunning() && (election == null || election.isTurnOf(agent));
        return new ConsumerInfo(agent.consumerTag(), agent.queue().name(), connection.name(), channel.number(),
            agent.isAutoAck(), options.exclusive(), agent.isAutoAck() ? 0 : options.prefetch(), agent.unackedCount(),
            agent.priority(), options.threading(), active);
    }
}
