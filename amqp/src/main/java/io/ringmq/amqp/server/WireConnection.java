package io.ringmq.amqp.server;

import java.util.List;
import java.util.Map;

/**
 * What the AMQP listener knows of one client connection and the engine does not: the socket's two ends,
 * the user, the negotiated limits, the client's properties and the numbers its channels have on the wire.
 * The management API joins it to the engine's {@code ConnectionInfo} by {@link #name()}. A snapshot, taken
 * on the connection's own event loop.
 *
 * @param name             RabbitMQ's connection name, {@code "127.0.0.1:54321 -> 127.0.0.1:5672"}: the
 *                         engine connection's name too.
 * @param peerHost         the client's address.
 * @param peerPort         the client's port.
 * @param host             the listener's address.
 * @param port             the listener's port.
 * @param user             who logged in (null before connection.start-ok succeeded).
 * @param vhost            the virtual host opened (null before connection.open).
 * @param state            RabbitMQ's name for the connection's state: {@code starting}, {@code tuning},
 *                         {@code opening}, {@code running}, {@code blocked} (a full queue holds its publishes),
 *                         {@code closing}, {@code closed}.
 * @param tls              true on the TLS listener.
 * @param authMechanism    the SASL mechanism (null before start-ok).
 * @param clientProperties the client's connection.start-ok properties, unmodifiable.
 * @param frameMax         negotiated frame_max (0 before tune-ok).
 * @param channelMax       negotiated channel_max (0 before tune-ok).
 * @param heartbeat        negotiated heartbeat, seconds.
 * @param connectedAt      when the socket was accepted, epoch milliseconds.
 * @param channels         its open channels, by wire number.
 */
public record WireConnection(String name, String peerHost, int peerPort, String host, int port, String user,
    String vhost, String state, boolean tls, String authMechanism, Map<String, Object> clientProperties, int frameMax,
    int channelMax, int heartbeat, long connectedAt, List<WireChannel> channels)
{
    /**
     * One open channel as the client numbers it.
     *
     * @param number        the channel number on the wire.
     * @param engineNumber  the engine {@code Channel#number()} it maps to (what {@code ChannelInfo} and
     *                      {@code ConsumerInfo} carry).
     * @param confirm       true in publisher-confirm mode.
     * @param transactional true in tx mode.
     * @param prefetch      its {@code basic.qos} (per consumer) prefetch count.
     */
    public record WireChannel(int number, int engineNumber, boolean confirm, boolean transactional, int prefetch)
    {
    }
}
