package io.ringmq.amqp;

import io.ringmq.Broker;
import io.ringmq.error.InvalidArgumentException;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/ringmq-server [--port N] [--bind HOST] [--config rabbitmq.conf]}: a broker and its AMQP
 * listener in the foreground. Prints {@code listening on HOST:PORT} (the real port, also for
 * {@code --port 0}) once connections are accepted; SIGTERM or Ctrl-C closes every connection with 320
 * CONNECTION_FORCED, as RabbitMQ does, then the broker.
 */
public final class Main
{
    private Main()
    {
    }

    /**
     * Starts the broker and its listeners, then waits until the JVM is told to stop.
     *
     * @param args {@code --port N}, {@code --bind HOST}, {@code --config FILE} (a {@code rabbitmq.conf}).
     * @throws InterruptedException when the main thread is interrupted while it waits.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        final AmqpServerOptions options;
        try
        {
            options = options(args);
        }
        catch (final InvalidArgumentException ex)
        {
            System.err.println("ringmq-server: " + ex.getMessage());
            System.err.println("usage: ringmq-server [--port N] [--bind HOST] [--config rabbitmq.conf]");
            System.exit(2);
            return;
        }
        final Broker broker = Broker.create();
        final AmqpServer server;
        try
        {
            server = AmqpServer.start(broker, options);
        }
        catch (final RuntimeException ex)
        {
            broker.close();
            System.err.println("ringmq-server: " + ex.getMessage());
            System.exit(1);
            return;
        }
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            broker.close();
            stopped.countDown();
        }, "ringmq-shutdown"));
        print("listening on", server.address());
        print("listening for TLS on", server.tlsAddress());
        stopped.await();
    }

    private static void print(final String what, final InetSocketAddress address)
    {
        if (address != null)
        {
            System.out.println(what + " " + address.getAddress().getHostAddress() + ":" + address.getPort());
            System.out.flush();
        }
    }

    static AmqpServerOptions options(final String[] args)
    {
        final AmqpServerOptions.Builder builder = AmqpServerOptions.builder();
        String bind = null;
        Integer port = null;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            switch (arg)
            {
                case "--port":
                    port = parsePort(value(args, ++i, arg));
                    break;
                case "--bind":
                    bind = value(args, ++i, arg);
                    break;
                case "--config":
                    final RabbitConf conf = RabbitConf.read(Path.of(value(args, ++i, arg)));
                    conf.applyTo(builder);
                    for (final String key : conf.ignored())
                    {
                        System.err.println("ringmq-server: " + key + " is not supported by RingMQ and has no effect");
                    }
                    break;
                default:
                    throw new InvalidArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (bind != null || port != null)
        {
            final AmqpServerOptions defaults = builder.build();
            builder.listen(bind != null ? bind : defaults.bindAddress() != null ? defaults.bindAddress() : "127.0.0.1",
                port != null ? port : defaults.port());
        }
        return builder.build();
    }

    private static String value(final String[] args, final int index, final String option)
    {
        if (index >= args.length)
        {
            throw new InvalidArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int parsePort(final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidArgumentException("--port " + value + ": expected a number");
        }
    }
}
