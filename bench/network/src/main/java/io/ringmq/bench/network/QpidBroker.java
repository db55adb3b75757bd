package io.ringmq.bench.network;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;

/**
 * Apache Qpid Broker-J, embedded, in a JVM of its own: the broker the network stage
 * ({@code bench/scripts/perftest.sh}) compares with RabbitMQ and RingMQ through PerfTest.
 *
 * <pre>
 * java -Xmx2g -XX:MaxDirectMemorySize=2g -XX:+UseG1GC \
 *     -cp bench/network/target/classes:bench/network/target/lib/* io.ringmq.bench.network.QpidBroker \
 *     [--port 5675] [--bind 127.0.0.1] [--work-dir DIR]
 * </pre>
 *
 * <p>What runs is {@code qpid-broker-core} with only the plugins this workload needs: the AMQP 0-8/0-9/0-9-1
 * protocol and the memory store. The broker, its virtual host node and its virtual host are all of type
 * {@code Memory} (non-persistent, as PerfTest's messages are), with one plain TCP AMQP port on the given address
 * and a {@code Plain} authentication provider with the user guest/guest. {@code secureOnlyMechanisms} is
 * emptied because Qpid refuses PLAIN on a non-TLS port by default, and PerfTest logs in with PLAIN. There is no
 * HTTP management (the distribution's default config has one; PerfTest does not need it). Every other setting
 * (the AMQP port's 8 I/O threads, no queue limits) is Qpid's default. The initial configuration is the resource
 * {@code qpid-initial-config.json} beside this class.
 *
 * <p>Once the AMQP port accepts connections it prints {@value #READY} followed by the address and version, on one
 * line of standard output: the runner waits for that line. SIGTERM or SIGINT close the broker (Qpid's own
 * orderly close of connections, virtual host and port) and print {@value #STOPPED} before the JVM exits.
 */
public final class QpidBroker implements AutoCloseable
{
    /** The start of the line printed once the broker accepts AMQP connections. */
    public static final String READY = "qpid ready: ";
    /** The line printed once the broker has closed. */
    public static final String STOPPED = "qpid stopped";
    /** The port the network stage gives Qpid. */
    public static final int DEFAULT_PORT = 5675;

    private static final String INITIAL_CONFIG = "qpid-initial-config.json";

    private final SystemLauncher launcher;
    private final int port;
    private final String bind;
    private final String version;

    private QpidBroker(final SystemLauncher launcher, final int port, final String bind, final String version)
    {
        this.launcher = launcher;
        this.port = port;
        this.bind = bind;
        this.version = version;
    }

    /**
     * Starts a broker and returns once its AMQP port is bound.
     *
     * @param port    the AMQP port; 0 takes any free one (see {@link #port()})
     * @param bind    the address to listen on, e.g. {@code 127.0.0.1}
     * @param workDir Qpid's work directory (it writes nothing there with a memory store, but requires one)
     */
    public static QpidBroker start(final int port, final String bind, final Path workDir) throws Exception
    {
        Files.createDirectories(workDir);
        final URL initialConfig = QpidBroker.class.getResource(INITIAL_CONFIG);
        if (initialConfig == null)
        {
            throw new IllegalStateException(INITIAL_CONFIG + " is missing from the class path");
        }
        final Map<String, String> context = new HashMap<>();
        context.put("qpid.work_dir", workDir.toAbsolutePath().toString());
        context.put("ringmq.bench.qpid.port", Integer.toString(port));
        context.put("ringmq.bench.qpid.bind", bind);

        final Map<String, Object> attributes = new HashMap<>();
        attributes.put(ConfiguredObject.TYPE, "Memory");
        attributes.put(ConfiguredObject.CONTEXT, context);
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfig.toExternalForm());
        // Qpid's BRK-1xxx startup lines go to SLF4J like the rest; the runner waits for READY instead.
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);

        final StartupWatch watch = new StartupWatch();
        final SystemLauncher launcher = new SystemLauncher(watch);
        launcher.startup(attributes);   // Qpid reports a failed startup to the listener, not by throwing
        final RuntimeException failure = watch.failure.get();
        final SystemConfig<?> systemConfig = watch.systemConfig.get();
        if (failure != null || systemConfig == null)
        {
            throw new IllegalStateException("Qpid did not start", failure);
        }
        final Broker<?> broker = (Broker<?>) systemConfig.getContainer();
        final Port<?> amqp = broker.getChildren(Port.class).stream()
            .filter(p -> "AMQP".equals(p.getName()))
            .findFirst().orElse(null);
        if (broker.getState() != State.ACTIVE || amqp == null || amqp.getState() != State.ACTIVE)
        {
            launcher.shutdown(1);
            throw new IllegalStateException("Qpid started but is not active: broker " + broker.getState()
                + ", AMQP port " + (amqp == null ? "missing" : amqp.getState()));
        }
        return new QpidBroker(launcher, amqp.getBoundPort(), bind, broker.getProductVersion());
    }

    /** The AMQP port the broker is bound to. */
    public int port()
    {
        return port;
    }

    /** Qpid's product version, e.g. {@code 10.1.0}. */
    public String version()
    {
        return version;
    }

    /** Closes the broker: connections, virtual host, port, then Qpid's task executor. */
    @Override
    public void close()
    {
        launcher.shutdown();
    }

    public static void main(final String[] args) throws Exception
    {
        int port = DEFAULT_PORT;
        String bind = "127.0.0.1";
        Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "ringmq-bench-qpid");
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--bind" -> bind = value(args, ++i, "--bind");
                case "--work-dir" -> workDir = Path.of(value(args, ++i, "--work-dir"));
                default ->
                {
                    System.err.println("usage: QpidBroker [--port N] [--bind ADDRESS] [--work-dir DIR]");
                    System.exit(2);
                }
            }
        }
        final QpidBroker broker = start(port, bind, workDir);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            broker.close();
            System.out.println(STOPPED);
            System.out.flush();
        }, "qpid-stop"));
        System.out.println(READY + "amqp://guest:guest@" + broker.bind + ":" + broker.port()
            + " (Qpid Broker-J " + broker.version() + ", memory virtual host, max heap "
            + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB)");
        System.out.flush();
        // Qpid's own threads keep the JVM alive until a signal runs the hook above.
    }

    private static String value(final String[] args, final int i, final String option)
    {
        if (i >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    /** Catches what {@link SystemLauncher#startup} only reports to its listener. */
    private static final class StartupWatch extends SystemLauncherListener.DefaultSystemLauncherListener
    {
        final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        final AtomicReference<SystemConfig<?>> systemConfig = new AtomicReference<>();

        @Override
        public void errorOnStartup(final RuntimeException e)
        {
            failure.set(e);
        }

        @Override
        public void onContainerResolve(final SystemConfig<?> config)
        {
            systemConfig.set(config);
        }
    }
}
