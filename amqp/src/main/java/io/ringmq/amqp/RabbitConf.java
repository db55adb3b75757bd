package io.ringmq.amqp;

import io.ringmq.error.InvalidArgumentException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the keys of RabbitMQ's {@code rabbitmq.conf} (the "new style" sysctl-like format: one
 * {@code key = value} per line, {@code #} comments) that RingMQ's listener supports, so a RabbitMQ
 * user's habits carry over:
 * <ul>
 *   <li>{@code listeners.tcp.default = 5672} (all interfaces), {@code listeners.tcp.NAME = host:port},
 *       {@code listeners.tcp = none};</li>
 *   <li>{@code listeners.ssl.default = 5671} or {@code host:port}, with {@code ssl_options.certfile},
 *       {@code ssl_options.keyfile}, {@code ssl_options.password}, {@code ssl_options.cacertfile},
 *       {@code ssl_options.verify = verify_peer | verify_none}, {@code ssl_options.fail_if_no_peer_cert};</li>
 *   <li>{@code default_user}, {@code default_pass}, {@code loopback_users.NAME = true | false},
 *       {@code loopback_users = none};</li>
 *   <li>{@code heartbeat}, {@code frame_max}, {@code channel_max}, {@code max_message_size},
 *       {@code connection_max};</li>
 *   <li>and RingMQ's own {@code ringmq.queue_capacity}, the ring size of queues declared without
 *       {@code x-ringmq-capacity} ({@link AmqpServerOptions.Builder#queueCapacity}).</li>
 * </ul>
 * Other RabbitMQ keys (management, logging, clustering…) are reported by {@link #ignored()} and have
 * no effect; a line that is not {@code key = value}, or a value of the wrong form, is an error naming
 * the line.
 */
public final class RabbitConf
{
    private final Map<String, String> values;
    private final List<String> ignored = new ArrayList<>();

    private RabbitConf(final Map<String, String> values)
    {
        this.values = values;
    }

    /**
     * Reads a {@code rabbitmq.conf} file in RabbitMQ's new-style {@code key = value} format.
     *
     * @param file the file; {@code #} starts a comment.
     * @return its keys and values, to {@link #applyTo} a builder.
     * @throws InvalidArgumentException naming the file and line of a malformed entry.
     */
    public static RabbitConf read(final Path file)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new InvalidArgumentException("cannot read the configuration " + file + ": " + ex.getMessage());
        }
        final Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++)
        {
            final String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals <= 0)
            {
                throw new InvalidArgumentException(file + ":" + (i + 1) + ": expected 'key = value', got '" + line + "'");
            }
            values.put(line.substring(0, equals).strip(), stripComment(line.substring(equals + 1)).strip());
        }
        return new RabbitConf(values);
    }

    private static String stripComment(final String value)
    {
        final int hash = value.indexOf(" #");
        return hash < 0 ? value : value.substring(0, hash);
    }

    /** @return the keys of the file that RingMQ does not support (after {@link #applyTo}). */
    public List<String> ignored()
    {
        return List.copyOf(ignored);
    }

    /**
     * Applies the file's keys over {@code builder}'s settings.
     *
     * @param builder the settings so far; the file's keys replace them.
     * @return {@code builder}.
     * @throws InvalidArgumentException for a value of the wrong form.
     */
    public AmqpServerOptions.Builder applyTo(final AmqpServerOptions.Builder builder)
    {
        ignored.clear();
        String defaultUser = null;
        String defaultPass = null;
        String sslListener = null;
        boolean noLoopbackUsers = false;
        final Map<String, Boolean> loopback = new LinkedHashMap<>();
        final Map<String, String> ssl = new LinkedHashMap<>();
        for (final Map.Entry<String, String> entry : values.entrySet())
        {
            final String key = entry.getKey();
            final String value = entry.getValue();
            if (key.equals("listeners.tcp"))
            {
                if (!value.equalsIgnoreCase("none"))
                {
                    throw new InvalidArgumentException("listeners.tcp = " + value + ": only 'none' is valid here");
                }
                builder.noPlainListener();
            }
            else if (key.startsWith("listeners.tcp."))
            {
                final String[] hostPort = hostPort(key, value);
                builder.listen(hostPort[0], integer(key, hostPort[1]));
            }
            else if (key.startsWith("listeners.ssl."))
            {
                sslListener = value;
            }
            else if (key.startsWith("ssl_options."))
            {
                ssl.put(key.substring("ssl_options.".length()), value);
            }
            else if (key.equals("default_user"))
            {
                defaultUser = value;
            }
            else if (key.equals("default_pass"))
            {
                defaultPass = value;
            }
            else if (key.equals("loopback_users"))
            {
                if (!value.equalsIgnoreCase("none"))
                {
                    throw new InvalidArgumentException("loopback_users = " + value + ": only 'none' is valid here");
                }
                noLoopbackUsers = true;
            }
            else if (key.startsWith("loopback_users."))
            {
                loopback.put(key.substring("loopback_users.".length()), bool(key, value));
            }
            else if (key.equals("heartbeat"))
            {
                builder.heartbeat(integer(key, value));
            }
            else if (key.equals("frame_max"))
            {
                builder.frameMax(integer(key, value));
            }
            else if (key.equals("channel_max"))
            {
                builder.channelMax(integer(key, value));
            }
            else if (key.equals("max_message_size"))
            {
                builder.maxMessageSize(integer(key, value));
            }
            else if (key.equals("connection_max"))
            {
                builder.maxConnections(value.equalsIgnoreCase("infinity") ? Integer.MAX_VALUE : integer(key, value));
            }
            else if (key.equals("ringmq.queue_capacity"))
            {
                builder.queueCapacity(integer(key, value));
            }
            else
            {
                ignored.add(key);
            }
        }
        if (defaultUser != null || defaultPass != null)
        {
            // RabbitMQ creates the default user (guest unless named otherwise) in place of guest; only guest
            // is loopback-only by default.
            final String user = defaultUser != null ? defaultUser : "guest";
            builder.withoutUser("guest");
            builder.user(user, defaultPass != null ? defaultPass : "guest");
            builder.loopbackOnly(user, user.equals("guest"));
        }
        if (noLoopbackUsers)
        {
            builder.noLoopbackUsers();
        }
        loopback.forEach(builder::loopbackOnly);
        if (sslListener != null)
        {
            final String[] hostPort = hostPort("listeners.ssl", sslListener);
            builder.listenTls(hostPort[0], integer("listeners.ssl", hostPort[1]), tls(ssl));
        }
        else if (!ssl.isEmpty())
        {
            ignored.add("ssl_options.* (no listeners.ssl)");
        }
        return builder;
    }

    private static AmqpServerOptions.Tls tls(final Map<String, String> ssl)
    {
        final String certfile = ssl.get("certfile");
        final String keyfile = ssl.get("keyfile");
        if (certfile == null || keyfile == null)
        {
            throw new InvalidArgumentException("listeners.ssl needs ssl_options.certfile and ssl_options.keyfile");
        }
        AmqpServerOptions.Tls tls = AmqpServerOptions.Tls.pem(Path.of(certfile), Path.of(keyfile), ssl.get("password"));
        final String verify = ssl.getOrDefault("verify", "verify_none");
        if (!verify.equals("verify_none") && !verify.equals("verify_peer"))
        {
            throw new InvalidArgumentException("ssl_options.verify = " + verify + ": expected verify_peer or verify_none");
        }
        final String cacert = ssl.get("cacertfile");
        if (cacert != null || verify.equals("verify_peer"))
        {
            if (cacert == null)
            {
                throw new InvalidArgumentException("ssl_options.verify = verify_peer needs ssl_options.cacertfile");
            }
            tls = tls.withPeerVerification(Path.of(cacert), verify.equals("verify_peer"),
                bool("ssl_options.fail_if_no_peer_cert", ssl.getOrDefault("fail_if_no_peer_cert", "false")));
        }
        return tls;
    }

    /** {@code 5672} (all interfaces), {@code host:port}, {@code [ipv6]:port}. */
    private static String[] hostPort(final String key, final String value)
    {
        if (value.chars().allMatch(Character::isDigit))
        {
            return new String[] {"0.0.0.0", value};
        }
        final int colon = value.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new InvalidArgumentException(key + " = " + value + ": expected a port or host:port");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, value.substring(colon + 1)};
    }

    private static int integer(final String key, final String value)
    {
        try
        {
            return Integer.parseInt(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new InvalidArgumentException(key + " = " + value + ": expected an integer");
        }
    }

    private static boolean bool(final String key, final String value)
    {
        switch (value.toLowerCase(Locale.ROOT))
        {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new InvalidArgumentException(key + " = " + value + ": expected true or false");
        }
    }
}
