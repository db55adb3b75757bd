package io.ringmq.bench.pipeline;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

import io.ringmq.bench.contenders.EmbeddedArtemis;
import io.ringmq.bench.contenders.Payload;
import io.ringmq.bench.contenders.Shape;

/**
 * Apache ActiveMQ Artemis embedded, configured as the side-by-side harness's contender
 * ({@link EmbeddedArtemis}: in-VM acceptor, core API, persistence and security off, one ANYCAST queue or a
 * MULTICAST queue per fanout consumer, a session per producer and per consumer). Producers send non-durable
 * messages with the 64-byte payload, asynchronously (the default {@code blockOnNonDurableSend=false}, bounded
 * by the producer window). Consumers are Artemis' own: a {@code MessageHandler} per consumer, run by the
 * client's delivery executor, acknowledging every message ({@code acknowledge()}, which the client batches as
 * its default {@code ackBatchSize} says) and counting it.
 */
final class ArtemisPeer implements Peer
{
    private EmbeddedArtemis artemis;
    private ClientSession[] producerSessions;
    private ClientProducer[] producers;
    private final byte[] body = Payload.bytes();

    @Override
    public void start(final Shape shape, final Tally[] tallies, final PeerSettings settings) throws Exception
    {
        artemis = EmbeddedArtemis.start(shape);
        producerSessions = new ClientSession[shape.publishers()];
        producers = new ClientProducer[shape.publishers()];
        for (int p = 0; p < producers.length; p++)
        {
            producerSessions[p] = artemis.newSession();
            producers[p] = producerSessions[p].createProducer(EmbeddedArtemis.ADDRESS);
        }
        for (int c = 0; c < tallies.length; c++)
        {
            final ClientSession session = artemis.newSession();
            final ClientConsumer consumer = session.createConsumer(artemis.queueFor(c));
            final Tally tally = tallies[c];
            consumer.setMessageHandler(message ->
            {
                try
                {
                    message.acknowledge();
                }
                catch (final ActiveMQException e)
                {
                    // Not counted: the batch then never completes and the harness fails it as lost.
                    throw new IllegalStateException("Artemis acknowledge failed", e);
                }
                tally.arrived(1);
            });
            session.start();
        }
    }

    @Override
    public void publish(final int producer, final int count) throws ActiveMQException
    {
        final ClientSession session = producerSessions[producer];
        final ClientProducer sender = producers[producer];
        for (int i = 0; i < count; i++)
        {
            // One ClientMessage per send: the core API has no way to reuse one.
            final ClientMessage message = session.createMessage(false);
            message.getBodyBuffer().writeBytes(body);
            sender.send(message);
        }
    }

    @Override
    public void close() throws Exception
    {
        if (artemis != null)
        {
            artemis.close();
            artemis = null;
        }
    }
}
