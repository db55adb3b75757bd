package io.ringmq.bench.contenders;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ActiveMQServers;

/**
 * An embedded Apache ActiveMQ Artemis for one trial, configured once for every benchmark that runs it: a real
 * broker in this JVM behind an in-VM acceptor, persistence, security, JMX and the critical analyzer off, its
 * directories in a temporary folder deleted on {@link #close()}; the queues of a shape (one ANYCAST queue for
 * competing consumers, one MULTICAST queue per consumer for fanout) on address {@link #ADDRESS}; and sessions
 * that auto-commit sends and acks (no transactions), closed with it.
 */
public final class EmbeddedArtemis implements AutoCloseable
{
    /** The address every benchmark publishes to. */
    public static final String ADDRESS = "ringmq.bench";

    /** Each embedded server gets its own in-VM id, so a server still shutting down cannot be reached. */
    private static final AtomicInteger NEXT_SERVER_ID = new AtomicInteger(100);

    private final ActiveMQServer server;
    private final ServerLocator locator;
    private final ClientSessionFactory factory;
    private final Path dataDir;
    private final String[] queueNames;
    private final List<ClientSession> sessions = new ArrayList<>();

    private EmbeddedArtemis(final Shape shape) throws Exception
    {
        final int serverId = NEXT_SERVER_ID.getAndIncrement();
        dataDir = Files.createTempDirectory("ringmq-bench-artemis");
        final ConfigurationImpl config = new ConfigurationImpl();
        config.setName("ringmq-bench-" + serverId);
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        // Nothing is written with persistence off, but paging and bindings still want directories:
        // keep them out of the working tree.
        config.setBrokerInstance(dataDir.toFile());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large").toString());
        config.addAcceptorConfiguration("in-vm", "vm://" + serverId);
        config.setCriticalAnalyzer(false);
        server = ActiveMQServers.newActiveMQServer(config, false);
        server.start();

        locator = ActiveMQClient.createServerLocator("vm://" + serverId);
        factory = locator.createSessionFactory();

        final RoutingType routing = shape.fanout() ? RoutingType.MULTICAST : RoutingType.ANYCAST;
        queueNames = new String[shape.queues()];
        try (ClientSession admin = factory.createSession())
        {
            for (int i = 0; i < queueNames.length; i++)
            {
                queueNames[i] = ADDRESS + ".q" + i;
                admin.createQueue(QueueConfiguration.of(queueNames[i])
                    .setAddress(ADDRESS)
                    .setRoutingType(routing)
                    .setDurable(false));
            }
        }
    }

    /**
     * Starts a server with the shape's queues.
     *
     * @param shape which queues: one shared, or one per consumer under fanout
     * @return the running server
     * @throws Exception when Artemis does not start
     */
    public static EmbeddedArtemis start(final Shape shape) throws Exception
    {
        return new EmbeddedArtemis(shape);
    }

    /**
     * @param consumer the consumer's index
     * @return the queue that consumer reads: its own under fanout, else the shared one
     */
    public String queueFor(final int consumer)
    {
        return queueNames[queueNames.length == 1 ? 0 : consumer];
    }

    /**
     * A new non-transacted session (auto-commit sends and acks), closed with the server. Sessions are
     * single-threaded: one per publisher and per consumer.
     *
     * @return the session
     * @throws ActiveMQException when it cannot be created
     */
    public ClientSession newSession() throws ActiveMQException
    {
        final ClientSession session = factory.createSession(false, true, true);
        sessions.add(session);
        return session;
    }

    @Override
    public void close() throws Exception
    {
        for (final ClientSession session : sessions)
        {
            try
            {
                session.close();
            }
            catch (final ActiveMQException ignored)
            {
                // Closing anyway: the server below goes too.
            }
        }
        sessions.clear();
        factory.close();
        locator.close();
        server.stop();
        deleteRecursively(dataDir);
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
