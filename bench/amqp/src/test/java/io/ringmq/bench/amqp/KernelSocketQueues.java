package io.ringmq.bench.amqp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What Linux holds in its socket buffers for one loopback TCP connection, read from {@code /proc/net/tcp}
 * and {@code /proc/net/tcp6} (a dual-stack JVM's sockets are IPv6 ones, listed in the second with
 * IPv4-mapped addresses). Each line names a socket by {@code local_address} and {@code rem_address}
 * ({@code HEXADDR:HEXPORT}) and gives {@code tx_queue:rx_queue} in hex: octets written and not yet
 * acknowledged by the peer, and octets received and not yet read by the process.
 * <p>
 * So for a server port S and a client port C, the server socket's tx_queue plus the client socket's
 * rx_queue is what the server has handed to the kernel and the client has not read (on loopback, a
 * segment the receiver acknowledged is in its rx_queue; one it did not is in the sender's tx_queue).
 */
final class KernelSocketQueues
{
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private KernelSocketQueues()
    {
    }

    /** @return true where the kernel's socket tables can be read (Linux). */
    static boolean available()
    {
        return Files.isReadable(TABLES.get(0));
    }

    /**
     * @return octets in flight in the kernel from the server ({@code serverPort}) to the client
     *         ({@code clientPort}): the server socket's send queue plus the client socket's receive queue
     * @throws IllegalStateException when either socket is not in the tables
     */
    static long serverToClient(final int serverPort, final int clientPort) throws IOException
    {
        long sent = -1;
        long received = -1;
        for (final Path table : TABLES)
        {
            if (!Files.isReadable(table))
            {
                continue;
            }
            final List<String> lines = Files.readAllLines(table);
            for (final String line : lines.subList(1, lines.size()))
            {
                // sl local_address rem_address st tx_queue:rx_queue ...
                final String[] fields = line.trim().split("\\s+");
                final int local = port(fields[1]);
                final int remote = port(fields[2]);
                final String[] queues = fields[4].split(":");
                if (local == serverPort && remote == clientPort)
                {
                    sent = Long.parseLong(queues[0], 16);
                }
                else if (local == clientPort && remote == serverPort)
                {
                    received = Long.parseLong(queues[1], 16);
                }
            }
        }
        if (sent < 0 || received < 0)
        {
            throw new IllegalStateException("no socket pair " + serverPort + " <-> " + clientPort + " in " + TABLES +
                " (server side found: " + (sent >= 0) + ", client side found: " + (received >= 0) + ")");
        }
        return sent + received;
    }

    private static int port(final String address)
    {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
