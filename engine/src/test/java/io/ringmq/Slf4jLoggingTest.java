package io.ringmq;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's logging route: the engine logs through System.Logger, and an application that puts
 * SLF4J's provider ({@code slf4j-jdk-platform-logging}) and a binding on its class path gets those logs
 * in SLF4J, with no code and no configuration. This module's tests have both, with slf4j-simple, which
 * writes to whatever {@code System.err} is when it logs, so the test reads what SLF4J printed.
 */
class Slf4jLoggingTest
{
    @Test
    void aPoisonMessagesHandlerErrorAndTheConsumerGivingUpReachSlf4j() throws Exception
    {
        assertEquals("org.slf4j.jdk.platform.logging.SLF4JPlatformLogger", System.getLogger("io.ringmq").getClass().getName(),
            "the JDK found SLF4J's System.LoggerFinder by ServiceLoader");
        final ByteArrayOutputStream printed = new ByteArrayOutputStream();
        final PrintStream stderr = System.err;
        System.setErr(new PrintStream(printed, true, UTF_8));
        try (Broker broker = Broker.create(); Channel channel = broker.openChannel())
        {
            channel.queueDeclare("poison");
            channel.consume("poison", ConsumeOptions.builder().handlerErrorLimit(0).build(), d ->
            {
                throw new IllegalStateException("cannot handle " + d.bodyAsString());
            });
            channel.publish("", "poison", "order 42".getBytes(UTF_8));
            Await.until("SLF4J printed the consumer giving up", () -> printed.toString(UTF_8).contains(" gave up on "));
        }
        finally
        {
            System.setErr(stderr);
        }
        final String log = printed.toString(UTF_8);
        assertTrue(log.contains("WARN io.ringmq - handler of consumer "), log);
        assertTrue(log.contains("java.lang.IllegalStateException: cannot handle order 42"), "with its stack trace: " + log);
        assertTrue(log.contains("WARN io.ringmq - consumer ") && log.contains("after 1 handler failures"), log);
    }
}
