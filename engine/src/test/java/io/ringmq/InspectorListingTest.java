package io.ringmq;

import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link Inspector} lists after declares, binds, consumes and closes. */
class InspectorListingTest extends BrokerTestBase
{
    private static final BindingInfo.DestinationType QUEUE = BindingInfo.DestinationType.QUEUE;
    private static final BindingInfo.DestinationType EXCHANGE = BindingInfo.DestinationType.EXCHANGE;

    @Test
    void oneInspectorPerBroker()
    {
        assertSame(broker.inspector(), broker.inspector());
    }

    @Test
    void exchangesAreListedByNameWithTheirFlagsAndArguments()
    {
        channel.exchangeDeclare(ExchangeSpec.builder("orders", ExchangeType.TOPIC).durable(true).autoDelete(true)
            .internal(true).argument("alternate-exchange", "unrouted").build());
        final List<ExchangeSpec> exchanges = broker.inspector().exchanges();
        assertEquals(List.of("", "amq.direct", "amq.fanout", "amq.headers", "amq.match", "amq.topic", "orders"),
            exchanges.stream().map(ExchangeSpec::name).collect(Collectors.toList()));
        final ExchangeSpec orders = exchanges.get(6);
        assertEquals(ExchangeType.TOPIC, orders.type());
        assertTrue(orders.durable() && orders.autoDelete() && orders.internal());
        assertEquals(Map.of("alternate-exchange", "unrouted"), orders.arguments());
        assertThrows(UnsupportedOperationException.class, () -> exchanges.add(orders));
    }

    @Test
    void queuesAreListedByNameWithTheirDeclarations()
    {
        channel.queueDeclare(QueueSpec.builder("b-ttl").messageTtl(Duration.ofSeconds(30)).build());
        channel.queueDeclare(QueueSpec.builder("a-private").exclusive(true).autoDelete(true).build());
        final List<QueueInfo> queues = broker.inspector().queues();
        assertEquals(List.of("a-private", "b-ttl"), queues.stream().map(QueueInfo::name).collect(Collectors.toList()));
        final QueueSpec privateSpec = queues.get(0).spec();
        assertTrue(privateSpec.exclusive() && privateSpec.autoDelete() && !privateSpec.durable());
        assertEquals(Map.of("x-message-ttl", 30_000L), queues.get(1).spec().arguments());
        assertEquals("b-ttl", broker.inspector().queue("b-ttl").orElseThrow().name());
        assertTrue(broker.inspector().queue("absent").isEmpty());
    }

    @Test
    void declareReturnsTheSameFieldsTheInspectorLists()
    {
        final QueueInfo declared = channel.queueDeclare(QueueSpec.builder("q").maxLength(10).build());
        assertEquals(QueueSpec.builder("q").maxLength(10).build(), declared.spec());
        assertEquals(0, declared.publishedCount());
        channel.publish("", "q", new byte[7]);
        final QueueInfo redeclared = channel.queueDeclare(QueueSpec.builder("q").maxLength(10).build());
        assertEquals(1, redeclared.publishedCount());
        assertEquals(7, redeclared.bytesReady());
        assertEquals(7, channel.queueDeclarePassive("q").bytesReady());
    }

    @Test
    void bindingsIncludeTheDefaultExchangesExchangeToExchangeOnesAndArguments()
    {
        channel.queueDeclare("q1");
        channel.queueDeclare("q2");
        channel.exchangeDeclare("logs", ExchangeType.FANOUT);
        channel.exchangeDeclare("hdr", ExchangeType.HEADERS);
        channel.queueBind("q1", "logs", "");
        channel.queueBind("q2", "hdr", "", Map.of("x-match", "any", "kind", "audit"));
        channel.exchangeBind("logs", "amq.topic", "log.#");
        final List<BindingInfo> expected = List.of(
            new BindingInfo("", "q1", QUEUE, "q1", Map.of()),
            new BindingInfo("", "q2", QUEUE, "q2", Map.of()),
            new BindingInfo("amq.topic", "logs", EXCHANGE, "log.#", Map.of()),
            new BindingInfo("hdr", "q2", QUEUE, "", Map.of("kind", "audit", "x-match", "any")),
            new BindingInfo("logs", "q1", QUEUE, "", Map.of()));
        assertEquals(expected, broker.inspector().bindings());
        assertEquals(expected.size(), broker.inspector().overview().bindings());

        channel.queueUnbind("q2", "hdr", "", Map.of("x-match", "any", "kind", "audit"));
        channel.queueDelete("q1");
        assertEquals(List.of(new BindingInfo("", "q2", QUEUE, "q2", Map.of()),
            new BindingInfo("amq.topic", "logs", EXCHANGE, "log.#", Map.of())), broker.inspector().bindings());
    }

    @Test
    void consumersChannelsAndConnectionsAreListedUntilTheyEnd()
    {
        channel.queueDeclare("work");
        final Connection connection = broker.openConnection("app-1");
        final Channel ch = connection.openChannel();
        ch.setChannelPrefetch(50);
        final Consumer manual = ch.consume("work", ConsumeOptions.builder().prefetch(7).priority(3).consumerTag("m")
            .dedicatedThread().build(), d -> { });
        final Consumer auto = ch.consume("work", ConsumeOptions.builder().autoAck(true).consumerTag("a").build(), d -> { });

        assertEquals(List.of(
            new ConsumerInfo("a", "work", "app-1", ch.number(), true, false, 0, 0, 0, ConsumerThreading.SHARED_POOL, true),
            new ConsumerInfo("m", "work", "app-1", ch.number(), false, false, 7, 0, 3, ConsumerThreading.DEDICATED_THREAD,
                true)), broker.inspector().consumers());
        final List<ChannelInfo> channels = broker.inspector().channels();
        assertEquals(2, channels.size());
        assertEquals(new ChannelInfo(ch.number(), "app-1", 2, 0, 50, 0), channels.get(1));
        assertEquals(channel.connection().name(), channels.get(0).connectionName());
        assertEquals(List.of(new ConnectionInfo("app-1", 1), new ConnectionInfo(channel.connection().name(), 1)),
            broker.inspector().connections());
        final BrokerOverview overview = broker.inspector().overview();
        assertEquals(2, overview.connections());
        assertEquals(2, overview.channels());
        assertEquals(2, overview.consumers());
        assertEquals(1, overview.queues());
        assertEquals(6, overview.exchanges());

        manual.cancel();
        assertEquals(List.of("a"), broker.inspector().consumers().stream().map(ConsumerInfo::consumerTag)
            .collect(Collectors.toList()));
        auto.cancel();
        assertTrue(broker.inspector().consumers().isEmpty());
        ch.close();
        assertEquals(List.of(new ConnectionInfo("app-1", 0), new ConnectionInfo(channel.connection().name(), 1)),
            broker.inspector().connections());
        connection.close();
        assertEquals(1, broker.inspector().connections().size());
        assertEquals(1, broker.inspector().channels().size());
    }

    @Test
    void aSingleActiveConsumerQueueListsOnlyOneConsumerAsActive()
    {
        channel.queueDeclare(QueueSpec.builder("sac").singleActiveConsumer(true).build());
        final Consumer first = channel.consume("sac", ConsumeOptions.builder().consumerTag("1").build(), d -> { });
        channel.consume("sac", ConsumeOptions.builder().consumerTag("2").build(), d -> { });
        assertEquals(List.of(true, false), broker.inspector().consumers().stream().map(ConsumerInfo::active)
            .collect(Collectors.toList()));
        first.cancel();
        Await.until("the second takes over", () -> broker.inspector().consumers().stream().allMatch(ConsumerInfo::active));
        assertEquals(List.of("2"), broker.inspector().consumers().stream().map(ConsumerInfo::consumerTag)
            .collect(Collectors.toList()));
    }

    @Test
    void exclusiveAndAutoDeleteQueuesLeaveTheListingWithTheirOwners()
    {
        final Connection owner = broker.openConnection("owner");
        final Channel ch = owner.openChannel();
        ch.queueDeclare(QueueSpec.builder("mine").exclusive(true).build());
        channel.queueDeclare(QueueSpec.builder("temp").autoDelete(true).build());
        final Consumer consumer = channel.consume("temp", true, d -> { });
        assertEquals(List.of("mine", "temp"), broker.inspector().queues().stream().map(QueueInfo::name)
            .collect(Collectors.toList()));
        consumer.cancel();
        owner.close();
        assertTrue(broker.inspector().queues().isEmpty());
        assertEquals(0, broker.inspector().overview().queues());
    }

    @Test
    void theStatisticsIntervalMustBePositive()
    {
        assertThrows(io.ringmq.error.InvalidArgumentException.class,
            () -> Broker.builder().statisticsInterval(Duration.ZERO));
        assertThrows(io.ringmq.error.InvalidArgumentException.class, () -> Broker.builder().statisticsInterval(null));
    }
}
