package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.amqp.codec.AmqpProtocol.Method;

import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_BASIC;
import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_CHANNEL;
import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_CONFIRM;
import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_CONNECTION;
import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_EXCHANGE;
import static io.ringmq.amqp.codec.AmqpProtocol.CLASS_QUEUE;

/**
 * Reads the arguments of every method a client sends, in place, from the view that
 * {@link FrameListener#onMethod} hands over. Each reader fills and returns a flyweight that this object
 * reuses, valid until the next method of the same kind is read — read it within the call, or copy it.
 * <p>
 * Malformed arguments raise one exception, {@link AmqpProtocolException}, naming the method: 501 FRAME_ERROR
 * for arguments that do not decode (too short, a length past the end, octets left over, a short string that
 * is not UTF-8), 502 SYNTAX_ERROR for a field table RabbitMQ's codec cannot read (unknown type tag, nesting
 * past {@link FieldTables#MAX_DEPTH}). Short strings are checked for UTF-8 in every method, basic.publish
 * included (RabbitMQ skips the check there for speed; here strings are compared as Strings, and two
 * malformed names must not decode to one).
 * <p>
 * Names (exchanges, queues, routing keys, consumer tags) come from the connection's
 * {@link ShortStringCache}: reading basic.publish, ack, reject and nack allocates nothing in steady state.
 * <p>
 * One per connection, used on its event loop thread; not thread-safe.
 */
public final class MethodReaders
{
    private final WireReader in;

    private final ConnectionMethods.StartOk startOk = new ConnectionMethods.StartOk();
    private final ConnectionMethods.SecureOk secureOk = new ConnectionMethods.SecureOk();
    private final ConnectionMethods.TuneOk tuneOk = new ConnectionMethods.TuneOk();
    private final ConnectionMethods.Open connectionOpen = new ConnectionMethods.Open();
    private final ConnectionMethods.Close close = new ConnectionMethods.Close();
    private final ConnectionMethods.UpdateSecret updateSecret = new ConnectionMethods.UpdateSecret();
    private final ChannelMethods.Flow flow = new ChannelMethods.Flow();
    private final ExchangeMethods.Declare exchangeDeclare = new ExchangeMethods.Declare();
    private final ExchangeMethods.Delete exchangeDelete = new ExchangeMethods.Delete();
    private final ExchangeMethods.Bind exchangeBind = new ExchangeMethods.Bind();
    private final QueueMethods.Declare queueDeclare = new QueueMethods.Declare();
    private final QueueMethods.Bind queueBind = new QueueMethods.Bind();
    private final QueueMethods.Unbind queueUnbind = new QueueMethods.Unbind();
    private final QueueMethods.Purge queuePurge = new QueueMethods.Purge();
    private final QueueMethods.Delete queueDelete = new QueueMethods.Delete();
    private final BasicMethods.Qos qos = new BasicMethods.Qos();
    private final BasicMethods.Consume consume = new BasicMethods.Consume();
    private final BasicMethods.Cancel cancel = new BasicMethods.Cancel();
    private final BasicMethods.Publish publish = new BasicMethods.Publish();
    private final BasicMethods.Get get = new BasicMethods.Get();
    private final BasicMethods.Acknowledgement acknowledgement = new BasicMethods.Acknowledgement();
    private final BasicMethods.Recover recover = new BasicMethods.Recover();

    /** @param names the connection's cache of names; the same one its {@link PropertiesDecoder}s use */
    public MethodReaders(final ShortStringCache names)
    {
        this.in = new WireReader(names);
    }

    /** connection.start-ok */
    public ConnectionMethods.StartOk connectionStartOk(final ByteBuf arguments)
    {
        return startOk.read(in.begin(arguments, CLASS_CONNECTION, 11));
    }

    /** connection.secure-ok */
    public ConnectionMethods.SecureOk connectionSecureOk(final ByteBuf arguments)
    {
        return secureOk.read(in.begin(arguments, CLASS_CONNECTION, 21));
    }

    /** connection.tune-ok */
    public ConnectionMethods.TuneOk connectionTuneOk(final ByteBuf arguments)
    {
        return tuneOk.read(in.begin(arguments, CLASS_CONNECTION, 31));
    }

    /** connection.open */
    public ConnectionMethods.Open connectionOpen(final ByteBuf arguments)
    {
        return connectionOpen.read(in.begin(arguments, CLASS_CONNECTION, 40));
    }

    /** connection.close */
    public ConnectionMethods.Close connectionClose(final ByteBuf arguments)
    {
        return close.read(in.begin(arguments, CLASS_CONNECTION, 50));
    }

    /** connection.update-secret */
    public ConnectionMethods.UpdateSecret connectionUpdateSecret(final ByteBuf arguments)
    {
        return updateSecret.read(in.begin(arguments, CLASS_CONNECTION, 70));
    }

    /** channel.open: its one field, out-of-band, is reserved; this only checks that it is well formed. */
    public void channelOpen(final ByteBuf arguments)
    {
        in.begin(arguments, CLASS_CHANNEL, 10).skipShortString("out-of-band");
        in.end();
    }

    /** channel.flow */
    public ChannelMethods.Flow channelFlow(final ByteBuf arguments)
    {
        return flow.read(in.begin(arguments, CLASS_CHANNEL, 20));
    }

    /** channel.flow-ok */
    public ChannelMethods.Flow channelFlowOk(final ByteBuf arguments)
    {
        return flow.read(in.begin(arguments, CLASS_CHANNEL, 21));
    }

    /** channel.close (shares connection.close's fields) */
    public ConnectionMethods.Close channelClose(final ByteBuf arguments)
    {
        return close.read(in.begin(arguments, CLASS_CHANNEL, 40));
    }

    /**
     * access.request, deprecated and answered with access.request-ok by RabbitMQ: its fields (realm,
     * exclusive, passive, active, write, read) carry nothing the server uses; this only checks them.
     */
    public void accessRequest(final ByteBuf arguments)
    {
        in.begin(arguments, AmqpProtocol.CLASS_ACCESS, 10).skipShortString("realm");
        in.bits("exclusive");
        in.end();
    }

    /** exchange.declare */
    public ExchangeMethods.Declare exchangeDeclare(final ByteBuf arguments)
    {
        return exchangeDeclare.read(in.begin(arguments, CLASS_EXCHANGE, 10));
    }

    /** exchange.delete */
    public ExchangeMethods.Delete exchangeDelete(final ByteBuf arguments)
    {
        return exchangeDelete.read(in.begin(arguments, CLASS_EXCHANGE, 20));
    }

    /** exchange.bind */
    public ExchangeMethods.Bind exchangeBind(final ByteBuf arguments)
    {
        return exchangeBind.read(in.begin(arguments, CLASS_EXCHANGE, 30));
    }

    /** exchange.unbind (shares exchange.bind's fields) */
    public ExchangeMethods.Bind exchangeUnbind(final ByteBuf arguments)
    {
        return exchangeBind.read(in.begin(arguments, CLASS_EXCHANGE, 40));
    }

    /** queue.declare */
    public QueueMethods.Declare queueDeclare(final ByteBuf arguments)
    {
        return queueDeclare.read(in.begin(arguments, CLASS_QUEUE, 10));
    }

    /** queue.bind */
    public QueueMethods.Bind queueBind(final ByteBuf arguments)
    {
        return queueBind.read(in.begin(arguments, CLASS_QUEUE, 20));
    }

    /** queue.purge */
    public QueueMethods.Purge queuePurge(final ByteBuf arguments)
    {
        return queuePurge.read(in.begin(arguments, CLASS_QUEUE, 30));
    }

    /** queue.delete */
    public QueueMethods.Delete queueDelete(final ByteBuf arguments)
    {
        return queueDelete.read(in.begin(arguments, CLASS_QUEUE, 40));
    }

    /** queue.unbind */
    public QueueMethods.Unbind queueUnbind(final ByteBuf arguments)
    {
        return queueUnbind.read(in.begin(arguments, CLASS_QUEUE, 50));
    }

    /** basic.qos */
    public BasicMethods.Qos basicQos(final ByteBuf arguments)
    {
        return qos.read(in.begin(arguments, CLASS_BASIC, 10));
    }

    /** basic.consume */
    public BasicMethods.Consume basicConsume(final ByteBuf arguments)
    {
        return consume.read(in.begin(arguments, CLASS_BASIC, 20));
    }

    /** basic.cancel */
    public BasicMethods.Cancel basicCancel(final ByteBuf arguments)
    {
        return cancel.read(in.begin(arguments, CLASS_BASIC, 30));
    }

    /** basic.publish; allocates nothing once its names are cached. */
    public BasicMethods.Publish basicPublish(final ByteBuf arguments)
    {
        return publish.read(in.begin(arguments, CLASS_BASIC, 40));
    }

    /** basic.get */
    public BasicMethods.Get basicGet(final ByteBuf arguments)
    {
        return get.read(in.begin(arguments, CLASS_BASIC, 70));
    }

    /** basic.ack, a client acknowledging deliveries; allocates nothing. */
    public BasicMethods.Acknowledgement basicAck(final ByteBuf arguments)
    {
        return acknowledgement.readAck(in.begin(arguments, CLASS_BASIC, 80));
    }

    /** basic.reject; allocates nothing. */
    public BasicMethods.Acknowledgement basicReject(final ByteBuf arguments)
    {
        return acknowledgement.readReject(in.begin(arguments, CLASS_BASIC, 90));
    }

    /** basic.recover-async */
    public BasicMethods.Recover basicRecoverAsync(final ByteBuf arguments)
    {
        return recover.read(in.begin(arguments, CLASS_BASIC, 100));
    }

    /** basic.recover */
    public BasicMethods.Recover basicRecover(final ByteBuf arguments)
    {
        return recover.read(in.begin(arguments, CLASS_BASIC, 110));
    }

    /** basic.nack; allocates nothing. */
    public BasicMethods.Acknowledgement basicNack(final ByteBuf arguments)
    {
        return acknowledgement.readNack(in.begin(arguments, CLASS_BASIC, 120));
    }

    /** @return the nowait field of confirm.select. */
    public boolean confirmSelect(final ByteBuf arguments)
    {
        final boolean noWait = WireReader.bit(in.begin(arguments, CLASS_CONFIRM, 10).bits("nowait"), 0);
        in.end();
        return noWait;
    }

    /**
     * Checks a method that has no fields — connection.close-ok, channel.close-ok, tx.select, tx.commit,
     * tx.rollback, basic.recover-ok... — carries no arguments either.
     */
    public void noArguments(final Method method, final ByteBuf arguments)
    {
        if (!method.fields().isEmpty())
        {
            throw new IllegalArgumentException(method.amqpName() + " has fields");
        }
        in.begin(arguments, method.classId(), method.methodId()).end();
    }
}
