package io.ringmq.amqp.codec;

import java.util.Map;

/**
 * Flyweights of the queue-class methods a client sends, filled in place by {@link MethodReaders}. Names come
 * from the connection's {@link ShortStringCache}. Each instance is reused: its values are valid until the
 * next method of the same kind is read.
 */
public final class QueueMethods
{
    private QueueMethods()
    {
    }

    /** queue.declare: ticket, queue, passive, durable, exclusive, auto-delete, nowait, arguments. */
    public static final class Declare
    {
        private String queue;
        private boolean passive;
        private boolean durable;
        private boolean exclusive;
        private boolean autoDelete;
        private boolean noWait;
        private Map<String, Object> arguments;

        Declare read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            final int bits = in.bits("passive");
            passive = WireReader.bit(bits, 0);
            durable = WireReader.bit(bits, 1);
            exclusive = WireReader.bit(bits, 2);
            autoDelete = WireReader.bit(bits, 3);
            noWait = WireReader.bit(bits, 4);
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        /** @return the queue name; empty asks the server to name the queue. */
        public String queue()
        {
            return queue;
        }

        public boolean passive()
        {
            return passive;
        }

        public boolean durable()
        {
            return durable;
        }

        public boolean exclusive()
        {
            return exclusive;
        }

        public boolean autoDelete()
        {
            return autoDelete;
        }

        public boolean noWait()
        {
            return noWait;
        }

        public Map<String, Object> arguments()
        {
            return arguments;
        }
    }

    /** queue.bind: ticket, queue, exchange, routing-key, nowait, arguments. */
    public static final class Bind
    {
        private String queue;
        private String exchange;
        private String routingKey;
        private boolean noWait;
        private Map<String, Object> arguments;

        Bind read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            exchange = in.name("exchange");
            routingKey = in.name("routing-key");
            noWait = WireReader.bit(in.bits("nowait"), 0);
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        /** @return the queue name; empty means the channel's last declared queue. */
        public String queue()
        {
            return queue;
        }

        public String exchange()
        {
            return exchange;
        }

        public String routingKey()
        {
            return routingKey;
        }

        public boolean noWait()
        {
            return noWait;
        }

        public Map<String, Object> arguments()
        {
            return arguments;
        }
    }

    /** queue.unbind: ticket, queue, exchange, routing-key, arguments (it has no nowait). */
    public static final class Unbind
    {
        private String queue;
        private String exchange;
        private String routingKey;
        private Map<String, Object> arguments;

        Unbind read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            exchange = in.name("exchange");
            routingKey = in.name("routing-key");
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        public String queue()
        {
            return queue;
        }

        public String exchange()
        {
            return exchange;
        }

        public String routingKey()
        {
            return routingKey;
        }

        public Map<String, Object> arguments()
        {
            return arguments;
        }
    }

    /** queue.purge: ticket, queue, nowait. */
    public static final class Purge
    {
        private String queue;
        private boolean noWait;

        Purge read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            noWait = WireReader.bit(in.bits("nowait"), 0);
            in.end();
            return this;
        }

        public String queue()
        {
            return queue;
        }

        public boolean noWait()
        {
            return noWait;
        }
    }

    /** queue.delete: ticket, queue, if-unused, if-empty, nowait. */
    public static final class Delete
    {
        private String queue;
        private boolean ifUnused;
        private boolean ifEmpty;
        private boolean noWait;

        Delete read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            final int bits = in.bits("if-unused");
            ifUnused = WireReader.bit(bits, 0);
            ifEmpty = WireReader.bit(bits, 1);
            noWait = WireReader.bit(bits, 2);
            in.end();
            return this;
        }

        public String queue()
        {
            return queue;
        }

        public boolean ifUnused()
        {
            return ifUnused;
        }

        public boolean ifEmpty()
        {
            return ifEmpty;
        }

        public boolean noWait()
        {
            return noWait;
        }
    }
}
