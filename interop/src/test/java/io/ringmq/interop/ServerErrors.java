package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;

/**
 * How a test provokes a server error and reads what the server answered. A synchronous method
 * fails at once; an asynchronous one (publish, ack) closes the channel or connection a moment
 * later, which a shutdown listener registered beforehand sees either way.
 */
final class ServerErrors
{
    @FunctionalInterface
    interface Operation
    {
        void run() throws Exception;
    }

    private static final boolean PRINT_ANSWERS = InteropSettings.get(InteropSettings.PRINT_ANSWERS).isPresent();

    private ServerErrors()
    {
    }

    /** With {@value InteropSettings#PRINT_ANSWERS} set, prints each error the server answered, to compare brokers. */
    static void printAnswer(ShutdownSignalException signal)
    {
        if (PRINT_ANSWERS)
        {
            System.out.println("server answered: " + signal.getReason());
        }
    }

    /** Runs {@code op} and returns the channel.close the server answered with; the connection must stay open. */
    static AMQP.Channel.Close channelClose(Channel channel, Operation op) throws Exception
    {
        ShutdownSignalException signal = awaitShutdown(channel, op, "channel.close");
        assertFalse(signal.isHardError(), () -> "expected a channel error, got a connection error: " + signal.getReason());
        assertTrue(channel.getConnection().isOpen(), "a channel error must leave the connection open");
        return assertInstanceOf(AMQP.Channel.Close.class, signal.getReason());
    }

    /** Runs {@code op} on a channel of {@code connection}; returns the connection.close the server answered with. */
    static AMQP.Connection.Close connectionClose(Channel channel, Operation op) throws Exception
    {
        ShutdownSignalException signal = awaitShutdown(channel, op, "connection.close");
        assertTrue(signal.isHardError(), () -> "expected a connection error, got a channel error: " + signal.getReason());
        Connection connection = channel.getConnection();
        Await.until(() -> !connection.isOpen(), "the connection to close");
        return assertInstanceOf(AMQP.Connection.Close.class, signal.getReason());
    }

    /** The connection still does a synchronous round trip on a new channel. */
    static void assertUsable(Connection connection) throws IOException, TimeoutException
    {
        assertTrue(connection.isOpen(), "connection open");
        Channel fresh = connection.createChannel();
        AMQP.Queue.DeclareOk ok = fresh.queueDeclare();
        assertEquals(0, ok.getMessageCount());
        fresh.queueDelete(ok.getQueue());
        fresh.close();
    }

    /** After closing {@code channel} normally, the connection still works (used where no channel number is free). */
    static void assertUsableAfterClosing(Channel channel, Connection connection) throws IOException, TimeoutException
    {
        channel.close();
        assertUsable(connection);
    }

    private static ShutdownSignalException awaitShutdown(Channel channel, Operation op, String expected) throws Exception
    {
        CompletableFuture<ShutdownSignalException> closed = new CompletableFuture<>();
        channel.addShutdownListener(closed::complete);
        try
        {
            op.run();
        }
        catch (IOException e)
        {
            if (!(e.getCause() instanceof ShutdownSignalException))
            {
                throw e;
            }
        }
        catch (ShutdownSignalException e)
        {
            // AlreadyClosedException: the close overtook a later call of op; the listener has it.
        }
        try
        {
            ShutdownSignalException signal = closed.get(Await.SECONDS, TimeUnit.SECONDS);
            printAnswer(signal);
            return signal;
        }
        catch (TimeoutException e)
        {
            return fail("the server answered no " + expected + " within " + Await.SECONDS + " s");
        }
        catch (ExecutionException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
