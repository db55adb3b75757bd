package io.ringmq.bench.contenders;

import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.client.impl.ClientConsumerInternal;

/**
 * Apache ActiveMQ Artemis, embedded: a real broker in this JVM, reached through its in-VM acceptor with the
 * core API ({@code ClientSession}), persistence and security off. Messages are non-durable; consumers
 * acknowledge every message ({@code ClientMessage.acknowledge()}), and the client sends those acks in
 * batches of its default {@code ackBatchSize} (1 MiB of messages), as an application using defaults would.
 *
 * <p>Topology: 1→1, 2→1 and 1→2 use one ANYCAST address with one queue (competing consumers); fanout uses
 * one MULTICAST address with one queue per consumer. Every publisher and consumer has its own session,
 * since sessions are single-threaded.
 *
 * <p>Consumers poll: they take what the broker has already pushed into the client's consumer buffer
 * (window: the default 1 MiB) and return 0 when it is empty, so they wait with the same {@link YieldingIdle}
 * as the in-JVM contenders. {@code ClientConsumer.receive(timeout)} is not used because when it times out
 * it also makes a forced-delivery round trip to the server; {@code ClientConsumerInternal.getBufferSize()}
 * tells us, without that round trip, that {@code receiveImmediate()} will return at once.
 *
 * <p>Artemis runs its own delivery threads on top of the benchmark's: on 2 cores that is part of its cost.
 */
public final class ArtemisContender implements Contender
{
    private EmbeddedArtemis artemis;
    private Publisher[] publishers;
    private Subscriber[] subscribers;

    @Override
    public void open(final Shape shape, final int capacity) throws Exception
    {
        artemis = EmbeddedArtemis.start(shape);
        final InFlightLimit limit = new InFlightLimit(shape, capacity);
        publishers = new Publisher[shape.publishers()];
        for (int i = 0; i < publishers.length; i++)
        {
            final ClientSession session = artemis.newSession();
            publishers[i] = new CorePublisher(session, session.createProducer(EmbeddedArtemis.ADDRESS), limit);
        }
        subscribers = new Subscriber[shape.consumers()];
        for (int i = 0; i < subscribers.length; i++)
        {
            final ClientSession session = artemis.newSession();
            final ClientConsumer consumer = session.createConsumer(artemis.queueFor(i));
            session.start();
            subscribers[i] = new CoreSubscriber((ClientConsumerInternal) consumer, limit);
        }
    }

    @Override
    public Publisher publisher(final int index)
    {
        return publishers[index];
    }

    @Override
    public Subscriber subscriber(final int index)
    {
        return subscribers[index];
    }

    @Override
    public void close()
    {
        if (artemis == null)
        {
            return;
        }
        try
        {
            artemis.close();
        }
        catch (final Exception e)
        {
            throw new IllegalStateException("closing the embedded Artemis failed", e);
        }
        finally
        {
            artemis = null;
        }
    }

    private static final class CorePublisher implements Publisher
    {
        private final ClientSession session;
        private final ClientProducer producer;
        private final InFlightLimit limit;
        private final byte[] body = Payload.newBody();

        CorePublisher(final ClientSession session, final ClientProducer producer, final InFlightLimit limit)
        {
            this.session = session;
            this.producer = producer;
            this.limit = limit;
        }

        @Override
        public boolean offer(final long sequence)
        {
            if (!limit.tryAcquire())
            {
                return false;
            }
            Payload.encode(body, sequence);
            // One ClientMessage per send: the core API has no way to reuse one.
            final ClientMessage message = session.createMessage(false);
            message.getBodyBuffer().writeBytes(body);
            try
            {
                // Non-durable and blockOnNonDurableSend=false (the default): asynchronous, bounded by
                // the producer window, which our in-flight limit keeps well below.
                producer.send(message);
            }
            catch (final ActiveMQException e)
            {
                limit.cancel();
                throw new IllegalStateException("Artemis send failed", e);
            }
            return true;
        }
    }

    private static final class CoreSubscriber implements Subscriber
    {
        private final ClientConsumerInternal consumer;
        private final InFlightLimit limit;

        CoreSubscriber(final ClientConsumerInternal consumer, final InFlightLimit limit)
        {
            this.consumer = consumer;
            this.limit = limit;
        }

        @Override
        public int poll(final MessageSink sink, final int limit)
        {
            int n = 0;
            try
            {
                // Only this thread takes from the buffer, so a non-empty buffer stays non-empty until
                // receiveImmediate() takes from it: no forced-delivery round trip.
                while (n < limit && consumer.getBufferSize() > 0)
                {
                    final ClientMessage message = consumer.receiveImmediate();
                    if (message == null)
                    {
                        break;
                    }
                    final ActiveMQBuffer body = message.getBodyBuffer();
                    sink.onMessage(body.readLong());
                    message.acknowledge();
                    n++;
                }
            }
            catch (final ActiveMQException e)
            {
                throw new IllegalStateException("Artemis receive/ack failed", e);
            }
            if (n > 0)
            {
                this.limit.release(n);
            }
            return n;
        }
    }
}
