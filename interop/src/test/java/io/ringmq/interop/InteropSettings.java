package io.ringmq.interop;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the run was told about the broker under test. Each setting is a system property
 * ({@code -Dringmq.amqp.uri=...}) or, when that is absent, the environment variable of the same
 * name in upper snake case ({@code RINGMQ_AMQP_URI}), so Maven runs and shell scripts say it alike.
 */
final class InteropSettings
{
    /** The broker to test; when absent, {@link RingMqServerProcess} starts bin/ringmq-server. */
    static final String AMQP_URI = "ringmq.amqp.uri";
    /** The broker's configured max_message_size in bytes; the test of that limit needs it. */
    static final String MAX_MESSAGE_SIZE = "ringmq.interop.max.message.size";
    /** A shell command that raises the broker's memory alarm; the connection.blocked test needs it. */
    static final String ALARM_RAISE = "ringmq.interop.alarm.raise";
    /** A shell command that clears the alarm raised by {@link #ALARM_RAISE}. */
    static final String ALARM_CLEAR = "ringmq.interop.alarm.clear";

    /** When set (to anything), every error the server answers is printed, so two brokers' answers can be compared. */
    static final String PRINT_ANSWERS = "ringmq.interop.print.answers";

    private InteropSettings()
    {
    }

    static Optional<String> get(String property)
    {
        String value = System.getProperty(property);
        if (value == null || value.isBlank())
        {
            value = System.getenv(property.toUpperCase().replace('.', '_'));
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** The broker's max_message_size: as told, or the one {@link RingMqServerProcess} configures when the run starts it. */
    static OptionalLong maxMessageSize()
    {
        OptionalLong told = getLong(MAX_MESSAGE_SIZE);
        if (told.isPresent() || get(AMQP_URI).isPresent())
        {
            return told;
        }
        return OptionalLong.of(RingMqServerProcess.MAX_MESSAGE_SIZE);
    }

    static OptionalLong getLong(String property)
    {
        return get(property).map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }
}
