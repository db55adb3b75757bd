package io.ringmq.amqp.server;

import io.ringmq.amqp.AmqpServerOptions;
import io.ringmq.amqp.codec.Sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks a client's credentials against the configured users, as RabbitMQ's internal backend does,
 * including {@code loopback_users}: by default {@code guest} may connect only from a loopback address.
 */
final class Authentication
{
    private Authentication()
    {
    }

    /** @return null when the login is accepted, else the reason (for the log, never for the client). */
    static String check(final AmqpServerOptions options, final Sasl.Credentials credentials, final boolean fromLoopback)
    {
        final String expected = options.users().get(credentials.username());
        if (expected == null)
        {
            return "user '" + credentials.username() + "' - invalid credentials";
        }
        // Constant time, so that the comparison does not tell how much of a password was right.
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
            credentials.password().getBytes(StandardCharsets.UTF_8)))
        {
            return "user '" + credentials.username() + "' - invalid credentials";
        }
        if (!fromLoopback && options.loopbackUsers().contains(credentials.username()))
        {
            return "user '" + credentials.username() + "' can only connect via localhost";
        }
        return null;
    }
}
