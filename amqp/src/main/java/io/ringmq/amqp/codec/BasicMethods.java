package io.ringmq.amqp.codec;

import java.util.Map;

/**
 * Flyweights of the basic-class methods a client sends, filled in place by {@link MethodReaders}. Names come
 * from the connection's {@link ShortStringCache}, so reading basic.publish, ack and nack allocates nothing in
 * steady state. Each instance is reused: its values are valid until the next method of the same kind is read.
 */
public final class BasicMethods
{
    private BasicMethods()
    {
    }

    /** basic.qos: prefetch-size, prefetch-count, global. */
    public static final class Qos
    {
        private long prefetchSize;
        private int prefetchCount;
        private boolean global;

        Qos read(final WireReader in)
        {
            prefetchSize = in.unsignedInt("prefetch-size");
            prefetchCount = in.unsignedShort("prefetch-count");
            global = WireReader.bit(in.bits("global"), 0);
            in.end();
            return this;
        }

        /** @return the prefetch window in octets (a u32); RabbitMQ refuses anything but 0 (540 NOT_IMPLEMENTED). */
        public long prefetchSize()
        {
            return prefetchSize;
        }

        public int prefetchCount()
        {
            return prefetchCount;
        }

        /** @return RabbitMQ's meaning: true applies to the channel, false to each new consumer. */
        public boolean global()
        {
            return global;
        }
    }

    /** basic.consume: ticket, queue, consumer-tag, no-local, no-ack, exclusive, nowait, arguments. */
    public static final class Consume
    {
        private String queue;
        private String consumerTag;
        private boolean noLocal;
        private boolean noAck;
        private boolean exclusive;
        private boolean noWait;
        private Map<String, Object> arguments;

        Consume read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            consumerTag = in.name("consumer-tag");
            final int bits = in.bits("no-local");
            noLocal = WireReader.bit(bits, 0);
            noAck = WireReader.bit(bits, 1);
            exclusive = WireReader.bit(bits, 2);
            noWait = WireReader.bit(bits, 3);
            arguments = in.table("arguments");
            in.end();
            return this;
        }

        public String queue()
        {
            return queue;
        }

        /** @return the consumer tag; empty asks the server to make one. */
        public String consumerTag()
        {
            return consumerTag;
        }

        public boolean noLocal()
        {
            return noLocal;
        }

        public boolean noAck()
        {
            return noAck;
        }

        public boolean exclusive()
        {
            return exclusive;
        }

        public boolean noWait()
        {
            return noWait;
        }

        /** @return e.g. x-priority, x-cancel-on-ha-failover. */
        public Map<String, Object> arguments()
        {
            return arguments;
        }
    }

    /** basic.cancel: consumer-tag, nowait. */
    public static final class Cancel
    {
        private String consumerTag;
        private boolean noWait;

        Cancel read(final WireReader in)
        {
            consumerTag = in.name("consumer-tag");
            noWait = WireReader.bit(in.bits("nowait"), 0);
            in.end();
            return this;
        }

        public String consumerTag()
        {
            return consumerTag;
        }

        public boolean noWait()
        {
            return noWait;
        }
    }

    /** basic.publish: ticket, exchange, routing-key, mandatory, immediate. Hot path: reads allocate nothing. */
    public static final class Publish
    {
        private String exchange;
        private String routingKey;
        private boolean mandatory;
        private boolean immediate;

        Publish read(final WireReader in)
        {
            in.unsignedShort("ticket");
            exchange = in.name("exchange");
            routingKey = in.name("routing-key");
            final int bits = in.bits("mandatory");
            mandatory = WireReader.bit(bits, 0);
            immediate = WireReader.bit(bits, 1);
            in.end();
            return this;
        }

        /** @return the exchange name; empty is the default exchange. */
        public String exchange()
        {
            return exchange;
        }

        public String routingKey()
        {
            return routingKey;
        }

        public boolean mandatory()
        {
            return mandatory;
        }

        /** @return RabbitMQ refuses immediate = true with 540 NOT_IMPLEMENTED. */
        public boolean immediate()
        {
            return immediate;
        }
    }

    /** basic.get: ticket, queue, no-ack. */
    public static final class Get
    {
        private String queue;
        private boolean noAck;

        Get read(final WireReader in)
        {
            in.unsignedShort("ticket");
            queue = in.name("queue");
            noAck = WireReader.bit(in.bits("no-ack"), 0);
            in.end();
            return this;
        }

        public String queue()
        {
            return queue;
        }

        public boolean noAck()
        {
            return noAck;
        }
    }

    /**
     * basic.ack, basic.reject and basic.nack, read into one shape: delivery-tag, then multiple (ack, nack) and
     * requeue (reject, nack). A field the method does not have reads as false.
     */
    public static final class Acknowledgement
    {
        private long deliveryTag;
        private boolean multiple;
        private boolean requeue;

        Acknowledgement readAck(final WireReader in)
        {
            deliveryTag = in.longlong("delivery-tag");
            multiple = WireReader.bit(in.bits("multiple"), 0);
            requeue = false;
            in.end();
            return this;
        }

        Acknowledgement readReject(final WireReader in)
        {
            deliveryTag = in.longlong("delivery-tag");
            multiple = false;
            requeue = WireReader.bit(in.bits("requeue"), 0);
            in.end();
            return this;
        }

        Acknowledgement readNack(final WireReader in)
        {
            deliveryTag = in.longlong("delivery-tag");
            final int bits = in.bits("multiple");
            multiple = WireReader.bit(bits, 0);
            requeue = WireReader.bit(bits, 1);
            in.end();
            return this;
        }

        /** @return the tag (a u64 on the wire; tags past 2^63 come out negative); 0 with multiple means all. */
        public long deliveryTag()
        {
            return deliveryTag;
        }

        public boolean multiple()
        {
            return multiple;
        }

        public boolean requeue()
        {
            return requeue;
        }
    }

    /** basic.recover and basic.recover-async, which share their one field: requeue. */
    public static final class Recover
    {
        private boolean requeue;

        Recover read(final WireReader in)
        {
            requeue = WireReader.bit(in.bits("requeue"), 0);
            in.end();
            return this;
        }

        public boolean requeue()
        {
            return requeue;
        }
    }
}
