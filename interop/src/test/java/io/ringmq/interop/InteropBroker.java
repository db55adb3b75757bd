package io.ringmq.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Finds the broker under test once per test run and hands each test a fresh {@link Amqp}.
 *
 * <p>The broker is the one named by {@value InteropSettings#AMQP_URI} (or {@code RINGMQ_AMQP_URI});
 * without it, {@code bin/ringmq-server} is started from the repository root and stopped when the
 * run ends (JUnit closes the root store's {@link AutoCloseable} values then). A failed test prints
 * what that server said.
 */
final class InteropBroker implements ParameterResolver, TestWatcher
{
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InteropBroker.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context)
    {
        return parameter.getParameter().getType() == Amqp.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context)
    {
        URI uri = endpoint(context).uri();
        // Stored per test method, so JUnit closes it (connections, declared names) when the test ends.
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(Amqp.class, k -> new Amqp(uri), Amqp.class);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause)
    {
        Endpoint endpoint = context.getRoot().getStore(NAMESPACE).get(Endpoint.class, Endpoint.class);
        if (endpoint != null && endpoint.server != null)
        {
            endpoint.server.dumpOutput(context.getDisplayName() + " failed (alive: " + endpoint.server.isAlive() + ")");
        }
    }

    private static Endpoint endpoint(ExtensionContext context)
    {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(Endpoint.class, k -> Endpoint.resolve(), Endpoint.class);
    }

    /**
     * The broker of this run, and the server process when this run started it. A server that
     * failed to start is remembered as that failure, so the run tries once, not once per test.
     */
    static final class Endpoint implements AutoCloseable
    {
        private final URI uri;
        private final RingMqServerProcess server;
        private final RuntimeException startFailure;

        private Endpoint(URI uri, RingMqServerProcess server, RuntimeException startFailure)
        {
            this.uri = uri;
            this.server = server;
            this.startFailure = startFailure;
        }

        static Endpoint resolve()
        {
            var configured = InteropSettings.get(InteropSettings.AMQP_URI);
            if (configured.isPresent())
            {
                return new Endpoint(URI.create(configured.get()), null, null);
            }
            try
            {
                RingMqServerProcess server = RingMqServerProcess.start(repositoryRoot());
                return new Endpoint(server.amqpUri(), server, null);
            }
            catch (IOException e)
            {
                return new Endpoint(null, null, new UncheckedIOException("could not start bin/ringmq-server", e));
            }
            catch (RuntimeException e)
            {
                return new Endpoint(null, null, e);
            }
        }

        URI uri()
        {
            if (startFailure != null)
            {
                throw startFailure;
            }
            return uri;
        }

        @Override
        public void close()
        {
            if (server != null)
            {
                server.close();
            }
        }

        /** Surefire runs in interop/; the repository root is the first parent holding interop/pom.xml. */
        private static Path repositoryRoot()
        {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent())
            {
                if (Files.isRegularFile(dir.resolve("interop/pom.xml")) && Files.isRegularFile(dir.resolve("pom.xml")))
                {
                    return dir;
                }
            }
            throw new IllegalStateException("no RingMQ repository root above " + Path.of("").toAbsolutePath());
        }
    }
}
