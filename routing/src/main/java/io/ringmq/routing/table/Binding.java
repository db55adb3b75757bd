package io.ringmq.routing.table;

import io.ringmq.routing.ExchangeType;

import java.util.Objects;

/**
 * One binding: source exchange, destination (a queue or an exchange), binding key and arguments.
 *
 * <p>Identity ({@link #equals}) is RabbitMQ's: the tuple (source, destination kind, destination
 * name, key, arguments). The parsed forms ({@link #topicPattern}, {@link #headers}) and the queue
 * node ride along for routing but are not part of it, so a <em>probe</em> built from the caller's
 * arguments finds the stored binding for unbind without parsing anything.
 *
 * <p>An exchange destination is held by <em>name</em>, never by node: exchange nodes are replaced by
 * every bind, so a route resolves the name in the snapshot it is reading. A queue destination is held
 * by node, which is stable for the queue's life (see {@link QueueNode}). Immutable.
 */
final class Binding<Q>
{
    final String source;
    final boolean toQueue;
    final String destination;
    /** The destination queue; {@code null} for an exchange destination and in probes. */
    final QueueNode<Q> queue;
    final String key;
    final BindingArguments arguments;
    /** Topic sources only: the key split into words with runs of {@code #} collapsed. */
    final String[] topicPattern;
    /** Headers sources only: the parsed {@code x-match} conditions. */
    final HeadersMatcher headers;
    private final int hash;

    private Binding(
        final String source,
        final boolean toQueue,
        final String destination,
        final QueueNode<Q> queue,
        final String key,
        final BindingArguments arguments,
        final String[] topicPattern,
        final HeadersMatcher headers)
    {
        this.source = source;
        this.toQueue = toQueue;
        this.destination = destination;
        this.queue = queue;
        this.key = key;
        this.arguments = arguments;
        this.topicPattern = topicPattern;
        this.headers = headers;
        int h = source.hashCode();
        h = 31 * h + Boolean.hashCode(toQueue);
        h = 31 * h + destination.hashCode();
        h = 31 * h + key.hashCode();
        this.hash = 31 * h + arguments.hashCode();
    }

    /** A binding carrying only its identity, to look up the stored one. */
    static <Q> Binding<Q> probe(
        final String source, final boolean toQueue, final String destination, final String key, final BindingArguments arguments)
    {
        return new Binding<>(source, toQueue, destination, null, key, arguments, null, null);
    }

    /**
     * A binding ready for routing from an exchange of {@code sourceType}.
     *
     * @param queue the destination queue, or {@code null} when {@code destination} names an exchange.
     * @throws io.ringmq.error.InvalidArgumentException when a headers binding has an invalid {@code x-match}.
     */
    static <Q> Binding<Q> create(
        final String source,
        final ExchangeType sourceType,
        final String destination,
        final QueueNode<Q> queue,
        final String key,
        final BindingArguments arguments)
    {
        final String[] topicPattern = sourceType == ExchangeType.TOPIC ? TopicWords.patternOf(key) : null;
        final HeadersMatcher headers = sourceType == ExchangeType.HEADERS ? HeadersMatcher.parse(arguments) : null;
        return new Binding<>(source, queue != null, destination, queue, key, arguments, topicPattern, headers);
    }

    @Override
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Binding))
        {
            return false;
        }
        final Binding<?> that = (Binding<?>) o;
        return hash == that.hash
            && toQueue == that.toQueue
            && source.equals(that.source)
            && destination.equals(that.destination)
            && key.equals(that.key)
            && Objects.equals(arguments, that.arguments);
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public String toString()
    {
        return "binding " + Names.quote(source) + " -> " + (toQueue ? "queue " : "exchange ") + Names.quote(destination)
            + " key " + Names.quote(key) + " args " + arguments;
    }
}
