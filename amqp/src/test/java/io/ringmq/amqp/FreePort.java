package io.ringmq.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;

/**
 * Ports for tests that need a live HTTP listener, whose port 0 means "off" rather than "any free port": the
 * kernel picks one on 127.0.0.1, the socket is closed, and the server binds it a moment later. Another process
 * can take it in between, so {@link #retryOnClash} starts once more, on fresh ports, when the first start
 * lost that race.
 */
public final class FreePort
{
    private FreePort()
    {
    }

    /** @return a port on 127.0.0.1 that nothing listened on a moment ago. */
    public static int pick()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("no free port on 127.0.0.1", ex);
        }
    }

    /**
     * @param start a start that {@link #pick()}s its ports each time it runs.
     * @return what {@code start} returned, the first time or, after a port clash, the second.
     */
    public static <T> T retryOnClash(final Supplier<T> start)
    {
        try
        {
            return start.get();
        }
        catch (final IllegalStateException ex)
        {
            if (!(ex.getCause() instanceof BindException))
            {
                throw ex;
            }
            return start.get();
        }
    }
}
