package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.amqp.codec.AmqpProtocol.Method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Calls the reader of any method a client sends and returns what it read in the table's field order, so
 * tests can compare it with the values that were encoded. Fields a reader does not expose (the reserved
 * ticket, out-of-band, realm...) come back as {@link #UNREAD}.
 */
final class ReaderDispatch
{
    static final Object UNREAD = new Object()
    {
        @Override
        public String toString()
        {
            return "<unread>";
        }
    };

    private ReaderDispatch()
    {
    }

    static List<Object> read(final MethodReaders r, final Method method, final ByteBuf a)
    {
        final Object u = UNREAD;
        return switch (method)
        {
            case CONNECTION_START_OK ->
            {
                final ConnectionMethods.StartOk m = r.connectionStartOk(a);
                yield list(m.clientProperties(), m.mechanism(), m.response(), m.locale());
            }
            case CONNECTION_SECURE_OK -> list(r.connectionSecureOk(a).response());
            case CONNECTION_TUNE_OK ->
            {
                final ConnectionMethods.TuneOk m = r.connectionTuneOk(a);
                yield list(m.channelMax(), m.frameMax(), m.heartbeat());
            }
            case CONNECTION_OPEN ->
            {
                final ConnectionMethods.Open m = r.connectionOpen(a);
                yield list(m.virtualHost(), m.capabilities(), m.insist());
            }
            case CONNECTION_CLOSE -> close(r.connectionClose(a));
            case CHANNEL_CLOSE -> close(r.channelClose(a));
            case CONNECTION_UPDATE_SECRET ->
            {
                final ConnectionMethods.UpdateSecret m = r.connectionUpdateSecret(a);
                yield list(m.newSecret(), m.reason());
            }
            case CHANNEL_OPEN ->
            {
                r.channelOpen(a);
                yield list(u);
            }
            case CHANNEL_FLOW -> list(r.channelFlow(a).active());
            case CHANNEL_FLOW_OK -> list(r.channelFlowOk(a).active());
            case ACCESS_REQUEST ->
            {
                r.accessRequest(a);
                yield list(u, u, u, u, u, u);
            }
            case EXCHANGE_DECLARE ->
            {
                final ExchangeMethods.Declare m = r.exchangeDeclare(a);
                yield list(u, m.exchange(), m.type(), m.passive(), m.durable(), m.autoDelete(), m.internal(),
                    m.noWait(), m.arguments());
            }
            case EXCHANGE_DELETE ->
            {
                final ExchangeMethods.Delete m = r.exchangeDelete(a);
                yield list(u, m.exchange(), m.ifUnused(), m.noWait());
            }
            case EXCHANGE_BIND -> bind(r.exchangeBind(a));
            case EXCHANGE_UNBIND -> bind(r.exchangeUnbind(a));
            case QUEUE_DECLARE ->
            {
                final QueueMethods.Declare m = r.queueDeclare(a);
                yield list(u, m.queue(), m.passive(), m.durable(), m.exclusive(), m.autoDelete(), m.noWait(),
                    m.arguments());
            }
            case QUEUE_BIND ->
            {
                final QueueMethods.Bind m = r.queueBind(a);
                yield list(u, m.queue(), m.exchange(), m.routingKey(), m.noWait(), m.arguments());
            }
            case QUEUE_PURGE ->
            {
                final QueueMethods.Purge m = r.queuePurge(a);
                yield list(u, m.queue(), m.noWait());
            }
            case QUEUE_DELETE ->
            {
                final QueueMethods.Delete m = r.queueDelete(a);
                yield list(u, m.queue(), m.ifUnused(), m.ifEmpty(), m.noWait());
            }
            case QUEUE_UNBIND ->
            {
                final QueueMethods.Unbind m = r.queueUnbind(a);
                yield list(u, m.queue(), m.exchange(), m.routingKey(), m.arguments());
            }
            case BASIC_QOS ->
            {
                final BasicMethods.Qos m = r.basicQos(a);
                yield list(m.prefetchSize(), m.prefetchCount(), m.global());
            }
            case BASIC_CONSUME ->
            {
                final BasicMethods.Consume m = r.basicConsume(a);
                yield list(u, m.queue(), m.consumerTag(), m.noLocal(), m.noAck(), m.exclusive(), m.noWait(),
                    m.arguments());
            }
            case BASIC_CANCEL ->
            {
                final BasicMethods.Cancel m = r.basicCancel(a);
                yield list(m.consumerTag(), m.noWait());
            }
            case BASIC_PUBLISH ->
            {
                final BasicMethods.Publish m = r.basicPublish(a);
                yield list(u, m.exchange(), m.routingKey(), m.mandatory(), m.immediate());
            }
            case BASIC_GET ->
            {
                final BasicMethods.Get m = r.basicGet(a);
                yield list(u, m.queue(), m.noAck());
            }
            case BASIC_ACK ->
            {
                final BasicMethods.Acknowledgement m = r.basicAck(a);
                yield list(m.deliveryTag(), m.multiple());
            }
            case BASIC_REJECT ->
            {
                final BasicMethods.Acknowledgement m = r.basicReject(a);
                yield list(m.deliveryTag(), m.requeue());
            }
            case BASIC_NACK ->
            {
                final BasicMethods.Acknowledgement m = r.basicNack(a);
                yield list(m.deliveryTag(), m.multiple(), m.requeue());
            }
            case BASIC_RECOVER_ASYNC -> list(r.basicRecoverAsync(a).requeue());
            case BASIC_RECOVER -> list(r.basicRecover(a).requeue());
            case CONFIRM_SELECT -> list(r.confirmSelect(a));
            case CONNECTION_CLOSE_OK, CHANNEL_CLOSE_OK, TX_SELECT, TX_COMMIT, TX_ROLLBACK ->
            {
                r.noArguments(method, a);
                yield list();
            }
            default -> throw new IllegalArgumentException("no reader: " + method.amqpName() + " is not sent by clients");
        };
    }

    private static List<Object> close(final ConnectionMethods.Close m)
    {
        return list(m.replyCode(), m.replyText(), m.failingClassId(), m.failingMethodId());
    }

    private static List<Object> bind(final ExchangeMethods.Bind m)
    {
        return list(UNREAD, m.destination(), m.source(), m.routingKey(), m.noWait(), m.arguments());
    }

    private static List<Object> list(final Object... values)
    {
        return new ArrayList<>(Arrays.asList(values));
    }
}
