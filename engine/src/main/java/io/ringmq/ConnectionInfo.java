package io.ringmq;

/**
 * One open connection of the broker at one moment. The wire listener names each connection as RabbitMQ
 * does ({@code "127.0.0.1:54321 -> 127.0.0.1:5672"}) and adds what only it knows (peer, user, client
 * properties); in-process connections carry the name they were opened with, or a generated one.
 *
 * @param name         its {@link Connection#name()}.
 * @param channelCount its open channels.
 */
public record ConnectionInfo(String name, int channelCount)
{
}
