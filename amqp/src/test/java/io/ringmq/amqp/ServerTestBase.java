package io.ringmq.amqp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * One {@link EmbeddedServer} for a whole test class, for tests that each break one connection on purpose:
 * after each test, {@link EmbeddedServer#assertUnaffected} proves that the bystander connection and a new one
 * still work, so an error is confined to the connection that caused it.
 */
abstract class ServerTestBase
{
    static EmbeddedServer server;

    @BeforeAll
    static void startServer()
    {
        server = EmbeddedServer.start();
    }

    @AfterAll
    static void stopServer()
    {
        server.close();
    }

    @AfterEach
    void otherConnectionsAreUnaffected()
    {
        server.assertUnaffected();
    }
}
