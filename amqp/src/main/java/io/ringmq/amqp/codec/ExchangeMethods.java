package io.ringmq.amqp.codec;

import java.util.Map;

/**
 * Flyweights of the exchange-class methods a client sends, filled in place by {@link MethodReaders}. Names
 * come from the connection's {@link ShortStringCache}. Each instance is reused: its values are valid until
 * the next method of the same kind is read.
 */
public final class ExchangeMethods
{
    private ExchangeMethods()
    {
    }

    /** exchange.declare: ticket, exchange, type, passive, durable, auto-delete, internal, nowait, arguments. */
    public static final class Declare
    {
        private String exchange;
        private String type;
        private boolean passive;
        private boolean durable;
        private boolean autoDelete;
        private boolean internal;
        private boolean noWait;
        private Map<String, Object> arguments;

        Declare read(final WireReader in)
        {
            in.unsignedShort("ticket");
            exchange = in.name("exchange");
            type = in.name("type");
            final int bits = in.bits("passive");
            passive = WireReader.bit(bits, 0);
            durable = WireReader.bit(bits, 1);
            autoDelete = WireReader.bit(bits, 2);
            internal = WireReader.bit(bits, 3);
            noWait = WireReader.bit(bits, 4);
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        public String exchange()
        {
            return exchange;
        }

        public String type()
        {
            return type;
        }

        public boolean passive()
        {
            return passive;
        }

        public boolean durable()
        {
            return durable;
        }

        public boolean autoDelete()
        {
            return autoDelete;
        }

        public boolean internal()
        {
            return internal;
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

    /** exchange.delete: ticket, exchange, if-unused, nowait. */
    public static final class Delete
    {
        private String exchange;
        private boolean ifUnused;
        private boolean noWait;

        Delete read(final WireReader in)
        {
            in.unsignedShort("ticket");
            exchange = in.name("exchange");
            final int bits = in.bits("if-unused");
            ifUnused = WireReader.bit(bits, 0);
            noWait = WireReader.bit(bits, 1);
            in.end();
            return this;
        }

        public String exchange()
        {
            return exchange;
        }

        public boolean ifUnused()
        {
            return ifUnused;
        }

        public boolean noWait()
        {
            return noWait;
        }
    }

    /** exchange.bind and exchange.unbind, which share their fields: ticket, destination, source, routing-key, nowait, arguments. */
    public static final class Bind
    {
        private String destination;
        private String source;
        private String routingKey;
        private boolean noWait;
        private Map<String, Object> arguments;

        Bind read(final WireReader in)
        {
            in.unsignedShort("ticket");
            destination = in.name("destination");
            source = in.name("source");
            routingKey = in.name("routing-key");
            noWait = WireReader.bit(in.bits("nowait"), 0);
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        public String destination()
        {
            return destination;
        }

        public String source()
        {
            return source;
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
}
