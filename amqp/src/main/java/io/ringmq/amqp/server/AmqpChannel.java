package io.ringmq.amqp.server;

import io.netty.buffer.ByteBuf;
import io.ringmq.Channel;
import io.ringmq.ConsumeOptions;
import io.ringmq.Consumer;
import io.ringmq.Delivery;
import io.ringmq.MessageProperties;
import io.ringmq.PublishResult;
import io.ringmq.QueueInfo;
import io.ringmq.QueueSpec;
import io.ringmq.amqp.codec.AmqpProtocol;
import io.ringmq.amqp.codec.AmqpProtocol.Method;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import io.ringmq.amqp.codec.AmqpProtocolException;
import io.ringmq.amqp.codec.BasicMethods;
import io.ringmq.amqp.codec.ExchangeMethods;
import io.ringmq.amqp.codec.MethodReaders;
import io.ringmq.amqp.codec.MethodWriter;
import io.ringmq.amqp.codec.PropertiesDecoder;
import io.ringmq.amqp.codec.QueueMethods;
import io.ringmq.error.InvalidArgumentException;
import io.ringmq.error.NotFoundException;
import io.ringmq.error.PreconditionFailedException;
import io.ringmq.routing.ExchangeSpec;
import io.ringmq.routing.ExchangeType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One AMQP channel of a connection, mapped onto one engine {@link Channel}: its methods, the assembly
 * of a published message from its method, header and body frames, publisher confirms, transactions and
 * its consumers. Event loop only.
 * <p>
 * <b>Publishing</b> never waits: {@link Channel#publishNonBlocking}. A message held for a full queue
 * makes the connection stop reading; its confirm, and those of every later publish (held behind it, in
 * order), are sent as the held publishes complete.
 * <p>
 * <b>Confirms</b> are coalesced: consecutive acks go out as one {@code basic.ack} with {@code multiple}
 * when the connection flushes; a nack (a {@code reject-publish} queue refused the message) first sends
 * the acks before it.
 */
final class AmqpChannel
{
    private static final int AWAITING_METHOD = 0;
    private static final int AWAITING_HEADER = 1;
    private static final int AWAITING_BODY = 2;

    /** RabbitMQ's words for content out of order (rabbit_command_assembler), one per assembly state. */
    static final String EXPECTED_METHOD_FRAME = "expected method frame, got non method frame instead";
    private static final String EXPECTED_CONTENT_HEADER =
        "expected content header for class 60, got non content header frame instead";
    private static final String EXPECTED_CONTENT_BODY = "expected content body, got non content body frame instead";

    private final AmqpConnection connection;
    private final int number;
    private final Channel engine;
    private final PropertiesDecoder propertiesDecoder;
    private final Map<String, ConsumerBinding> consumers = new HashMap<>();
    /** Sent channel.close after an error; waiting for close-ok, ignoring everything else. */
    private boolean closing;
    private boolean released;

    private int contentState = AWAITING_METHOD;
    private String exchange;
    private String routingKey;
    private boolean mandatory;
    private MessageProperties properties;
    private byte[] body;
    private int filled;

    /** basic.qos with global = false: the prefetch of consumers started from now on. */
    private int consumerPrefetch;
    /** AMQP's "current queue": what an empty queue name means (the last one declared on this channel). */
    private String lastQueue;

    private boolean confirmMode;
    /** The sequence number of the next publish, in confirm mode (the first is 1). */
    private long nextSeq = 1;
    /** Every publish up to this is confirmed (sent or to be sent with the next flush). */
    private long ackUpTo;
    private long sentUpTo;
    /** The sequence number of the first publish still held (0: none held). */
    private long firstHeldSeq;

    private boolean txMode;
    private final List<TxOperation> txOperations = new ArrayList<>();
    /** A tx.commit whose publishes are still held: commit-ok goes out when they complete. */
    private boolean commitOkPending;

    AmqpChannel(final AmqpConnection connection, final int number, final Channel engine)
    {
        this.connection = connection;
        this.number = number;
        this.engine = engine;
        this.propertiesDecoder = new PropertiesDecoder(connection.names());
        engine.setReturnListener((replyCode, replyText, message) ->
            connection.writeReturn(number, replyCode, replyText, message));
        engine.setRoomListener(connection::roomMayHaveFreed);
    }

    int number()
    {
        return number;
    }

    AmqpConnection connection()
    {
        return connection;
    }

    /** Event loop only. */
    WireConnection.WireChannel snapshot()
    {
        return new WireConnection.WireChannel(number, engine.number(), confirmMode, txMode, consumerPrefetch);
    }

    // ------------------------------------------------------------------ frames

    void onMethod(final Method method, final ByteBuf arguments)
    {
        if (closing)
        {
            if (method == Method.CHANNEL_CLOSE_OK)
            {
                connection.channelGone(number);
            }
            else if (method == Method.CHANNEL_CLOSE) // both sides closed at once
            {
                MethodWriter.channelCloseOk(connection.out(), number);
                connection.channelGone(number);
            }
            return; // RabbitMQ ignores everything else on a closing channel
        }
        if (contentState != AWAITING_METHOD)
        {
            throw outOfOrder(contentState == AWAITING_HEADER ? EXPECTED_CONTENT_HEADER : EXPECTED_CONTENT_BODY);
        }
        final MethodReaders readers = connection.readers();
        switch (method)
        {
            case CHANNEL_CLOSE:
                readers.channelClose(arguments);
                released();
                MethodWriter.channelCloseOk(connection.out(), number);
                connection.channelGone(number);
                break;
            case CHANNEL_CLOSE_OK:
                break; // a close-ok for a close we did not send: nothing to do
            case CHANNEL_FLOW:
                if (!readers.channelFlow(arguments).active())
                {
                    // As RabbitMQ 3.x: a client may not stop the server's deliveries this way (use basic.qos).
                    throw new AmqpProtocolException(ReplyCode.NOT_IMPLEMENTED, method.classId(), method.methodId(), "active=false");
                }
                MethodWriter.channelFlowOk(connection.out(), number, true);
                break;
            case CHANNEL_FLOW_OK:
                readers.channelFlowOk(arguments);
                break;
            case ACCESS_REQUEST:
                readers.accessRequest(arguments);
                MethodWriter.accessRequestOk(connection.out(), number, 1);
                break;
            case EXCHANGE_DECLARE:
                exchangeDeclare(readers.exchangeDeclare(arguments));
                break;
            case EXCHANGE_DELETE:
                final ExchangeMethods.Delete delete = readers.exchangeDelete(arguments);
                engine.exchangeDelete(delete.exchange(), delete.ifUnused());
                if (!delete.noWait())
                {
                    MethodWriter.exchangeDeleteOk(connection.out(), number);
                }
                break;
            case EXCHANGE_BIND:
                final ExchangeMethods.Bind bind = readers.exchangeBind(arguments);
                engine.exchangeBind(bind.destination(), bind.source(), bind.routingKey(), bind.arguments());
                if (!bind.noWait())
                {
                    MethodWriter.exchangeBindOk(connection.out(), number);
                }
                break;
            case EXCHANGE_UNBIND:
                final ExchangeMethods.Bind unbind = readers.exchangeUnbind(arguments);
                engine.exchangeUnbind(unbind.destination(), unbind.source(), unbind.routingKey(), unbind.arguments());
                if (!unbind.noWait())
                {
                    MethodWriter.exchangeUnbindOk(connection.out(), number);
                }
                break;
            case QUEUE_DECLARE:
                queueDeclare(readers.queueDeclare(arguments));
                break;
            case QUEUE_BIND:
                final QueueMethods.Bind queueBind = readers.queueBind(arguments);
                engine.queueBind(queue(queueBind.queue(), method), queueBind.exchange(), queueBind.routingKey(),
                    queueBind.arguments());
                if (!queueBind.noWait())
                {
                    MethodWriter.queueBindOk(connection.out(), number);
                }
                break;
            case QUEUE_UNBIND:
                final QueueMethods.Unbind queueUnbind = readers.queueUnbind(arguments);
                engine.queueUnbind(queue(queueUnbind.queue(), method), queueUnbind.exchange(), queueUnbind.routingKey(),
                    queueUnbind.arguments());
                MethodWriter.queueUnbindOk(connection.out(), number);
                break;
            case QUEUE_PURGE:
                final QueueMethods.Purge purge = readers.queuePurge(arguments);
                final int purged = engine.queuePurge(queue(purge.queue(), method));
                if (!purge.noWait())
                {
                    MethodWriter.queuePurgeOk(connection.out(), number, purged);
                }
                break;
            case QUEUE_DELETE:
                final QueueMethods.Delete queueDelete = readers.queueDelete(arguments);
                final int deleted = engine.queueDelete(queue(queueDelete.queue(), method), queueDelete.ifUnused(),
                    queueDelete.ifEmpty());
                if (!queueDelete.noWait())
                {
                    MethodWriter.queueDeleteOk(connection.out(), number, deleted);
                }
                break;
            case BASIC_QOS:
                qos(readers.basicQos(arguments), method);
                break;
            case BASIC_CONSUME:
                consume(readers.basicConsume(arguments), method);
                break;
            case BASIC_CANCEL:
                final BasicMethods.Cancel cancel = readers.basicCancel(arguments);
                final ConsumerBinding binding = consumers.remove(cancel.consumerTag());
                if (binding != null)
                {
                    binding.cancel();
                }
                if (!cancel.noWait())
                {
                    MethodWriter.basicCancelOk(connection.out(), number, cancel.consumerTag());
                }
                break;
            case BASIC_PUBLISH:
                final BasicMethods.Publish publish = readers.basicPublish(arguments);
                if (publish.immediate())
                {
                    throw new AmqpProtocolException(ReplyCode.NOT_IMPLEMENTED, method.classId(), method.methodId(),
                        "immediate=true");
                }
                exchange = publish.exchange();
                routingKey = publish.routingKey();
                mandatory = publish.mandatory();
                contentState = AWAITING_HEADER;
                break;
            case BASIC_GET:
                get(readers.basicGet(arguments), method);
                break;
            case BASIC_ACK:
                final BasicMethods.Acknowledgement ack = readers.basicAck(arguments);
                settle(TxOperation.ACK, ack.deliveryTag(), ack.multiple(), false);
                break;
            case BASIC_REJECT:
                final BasicMethods.Acknowledgement reject = readers.basicReject(arguments);
                settle(TxOperation.REJECT, reject.deliveryTag(), false, reject.requeue());
                break;
            case BASIC_NACK:
                final BasicMethods.Acknowledgement nack = readers.basicNack(arguments);
                settle(TxOperation.NACK, nack.deliveryTag(), nack.multiple(), nack.requeue());
                break;
            case BASIC_RECOVER_ASYNC:
                recover(readers.basicRecoverAsync(arguments), method, false);
                break;
            case BASIC_RECOVER:
                recover(readers.basicRecover(arguments), method, true);
                break;
            case CONFIRM_SELECT:
                final boolean confirmNoWait = readers.confirmSelect(arguments);
                if (txMode)
                {
                    throw new PreconditionFailedException("cannot switch from tx to confirm mode");
                }
                confirmMode = true;
                if (!confirmNoWait)
                {
                    MethodWriter.confirmSelectOk(connection.out(), number);
                }
                break;
            case TX_SELECT:
                readers.noArguments(method, arguments);
                if (confirmMode)
                {
                    throw new PreconditionFailedException("cannot switch from confirm to tx mode");
                }
                txMode = true;
                MethodWriter.txSelectOk(connection.out(), number);
                break;
            case TX_COMMIT:
                readers.noArguments(method, arguments);
                commit();
                break;
            case TX_ROLLBACK:
                readers.noArguments(method, arguments);
                if (!txMode)
                {
                    throw new PreconditionFailedException("channel is not transactional");
                }
                txOperations.clear();
                MethodWriter.txRollbackOk(connection.out(), number);
                break;
            default:
                // A connection method, or one only the server sends: rabbit_channel's last handle_method clause.
                throw new AmqpProtocolException(ReplyCode.COMMAND_INVALID, method.classId(), method.methodId(),
                    "unimplemented method");
        }
    }

    /**
     * A frame the content assembly does not expect now: 505, naming basic.publish when one is being assembled
     * (RabbitMQ's assembler names the method whose content it waits for, none before a method).
     */
    private AmqpProtocolException outOfOrder(final String explanation)
    {
        final boolean assembling = contentState != AWAITING_METHOD;
        return new AmqpProtocolException(ReplyCode.UNEXPECTED_FRAME, assembling ? AmqpProtocol.CLASS_BASIC : 0,
            assembling ? Method.BASIC_PUBLISH.methodId() : 0, explanation);
    }

    void onContentHeader(final int classId, final long bodySize, final ByteBuf header)
    {
        if (closing)
        {
            return;
        }
        if (contentState != AWAITING_HEADER)
        {
            throw outOfOrder(contentState == AWAITING_METHOD ? EXPECTED_METHOD_FRAME : EXPECTED_CONTENT_BODY);
        }
        if (classId != AmqpProtocol.CLASS_BASIC)
        {
            throw outOfOrder("expected content header for class 60, got one for class " + classId + " instead");
        }
        if (bodySize > connection.maxMessageSize())
        {
            contentState = AWAITING_METHOD;
            throw new PreconditionFailedException("message size " + bodySize + " is larger than configured max size " +
                connection.maxMessageSize());
        }
        properties = propertiesDecoder.decode(header); // 406 on a bad expiration, as RabbitMQ
        body = new byte[(int)bodySize]; // the message's one copy of its body
        filled = 0;
        contentState = AWAITING_BODY;
        if (bodySize == 0)
        {
            published();
        }
    }

    void onContentBody(final ByteBuf frame)
    {
        if (closing)
        {
            return;
        }
        if (contentState != AWAITING_BODY)
        {
            throw outOfOrder(contentState == AWAITING_METHOD ? EXPECTED_METHOD_FRAME : EXPECTED_CONTENT_HEADER);
        }
        final int length = frame.readableBytes();
        if (length > body.length - filled)
        {
            throw new AmqpProtocolException(ReplyCode.FRAME_ERROR, AmqpProtocol.CLASS_BASIC, 0,
                "content body of " + (filled + length) + " octets exceeds the " + body.length + " its header declared");
        }
        frame.getBytes(frame.readerIndex(), body, filled, length);
        filled += length;
        if (filled == body.length)
        {
            published();
        }
    }

    // ------------------------------------------------------------------ publishing

    private void published()
    {
        contentState = AWAITING_METHOD;
        final byte[] message = body;
        body = null;
        if (txMode)
        {
            txOperations.add(TxOperation.publish(exchange, routingKey, mandatory, properties, message));
            return;
        }
        publish(exchange, routingKey, mandatory, properties, message);
    }

    private void publish(final String exchange, final String routingKey, final boolean mandatory,
        final MessageProperties properties, final byte[] message)
    {
        final long seq = confirmMode ? nextSeq++ : 0;
        final PublishResult result = engine.publishNonBlocking(exchange, routingKey, mandatory, properties, message);
        if (result.isHeld())
        {
            if (confirmMode && firstHeldSeq == 0)
            {
                firstHeldSeq = seq;
            }
            connection.channelHolds(this);
            return;
        }
        if (!confirmMode)
        {
            return;
        }
        if (result.refusedQueues() > 0)
        {
            nack(seq); // a reject-publish queue refused it, as RabbitMQ nacks
        }
        else
        {
            confirmed(seq);
        }
    }

    private void confirmed(final long seq)
    {
        ackUpTo = seq;
        connection.confirmsPending(this);
    }

    private void nack(final long seq)
    {
        writeConfirms();
        MethodWriter.basicNack(connection.out(), number, seq, false, false);
        ackUpTo = seq;
        sentUpTo = seq;
    }

    /** Sends the acks not yet sent, as one with multiple. */
    void writeConfirms()
    {
        if (ackUpTo > sentUpTo && !closing)
        {
            MethodWriter.basicAck(connection.out(), number, ackUpTo, ackUpTo > sentUpTo + 1);
            sentUpTo = ackUpTo;
        }
    }

    /** The connection resumes held publishes. @return true while this channel still holds some. */
    boolean resumeHeld()
    {
        if (released)
        {
            return false;
        }
        final int completed = engine.resumeHeldPublishes();
        if (confirmMode && completed > 0)
        {
            confirmed(firstHeldSeq + completed - 1);
            firstHeldSeq += completed;
        }
        final boolean stillHolding = engine.heldPublishes() > 0;
        if (!stillHolding)
        {
            firstHeldSeq = 0;
            if (commitOkPending)
            {
                commitOkPending = false;
                MethodWriter.txCommitOk(connection.out(), number);
            }
        }
        return stillHolding;
    }

    private void commit()
    {
        if (!txMode)
        {
            throw new PreconditionFailedException("channel is not transactional");
        }
        final List<TxOperation> operations = new ArrayList<>(txOperations);
        txOperations.clear();
        for (final TxOperation operation : operations)
        {
            if (operation.kind == TxOperation.PUBLISH)
            {
                publish(operation.exchange, operation.routingKey, operation.mandatory, operation.properties, operation.body);
            }
            else
            {
                settleNow(operation.kind, operation.tag, operation.multiple, operation.requeue);
            }
        }
        if (engine.heldPublishes() > 0)
        {
            commitOkPending = true;
            return;
        }
        MethodWriter.txCommitOk(connection.out(), number);
    }

    // ------------------------------------------------------------------ consuming and acknowledging

    private void settle(final int kind, final long tag, final boolean multiple, final boolean requeue)
    {
        if (txMode)
        {
            txOperations.add(TxOperation.settle(kind, tag, multiple, requeue));
            return;
        }
        settleNow(kind, tag, multiple, requeue);
    }

    private void settleNow(final int kind, final long tag, final boolean multiple, final boolean requeue)
    {
        switch (kind)
        {
            case TxOperation.ACK:
                engine.ack(tag, multiple);
                break;
            case TxOperation.NACK:
                engine.nack(tag, multiple, requeue);
                break;
            default:
                engine.reject(tag, requeue);
                break;
        }
    }

    private void qos(final BasicMethods.Qos qos, final Method method)
    {
        if (qos.prefetchSize() != 0)
        {
            throw new AmqpProtocolException(ReplyCode.NOT_IMPLEMENTED, method.classId(), method.methodId(),
                "prefetch_size!=0 (" + qos.prefetchSize() + ")");
        }
        if (qos.global())
        {
            engine.setChannelPrefetch(qos.prefetchCount());
        }
        else
        {
            consumerPrefetch = qos.prefetchCount();
        }
        MethodWriter.basicQosOk(connection.out(), number);
    }

    private void consume(final BasicMethods.Consume consume, final Method method)
    {
        final String queue = queue(consume.queue(), method);
        final String requestedTag = consume.consumerTag();
        final ConsumerBinding binding = new ConsumerBinding(this);
        final ConsumeOptions.Builder options = ConsumeOptions.builder()
            .autoAck(consume.noAck())
            .prefetch(consume.noAck() ? 0 : consumerPrefetch)
            .exclusive(consume.exclusive())
            .arguments(consume.arguments())
            .callerDriven(binding)
            .handlerErrorLimit(Integer.MAX_VALUE) // the handler only writes frames; it does not fail on a message
            .cancelListener((tag, reason) -> connection.onEventLoop(() -> serverCancelled(tag)));
        if (!requestedTag.isEmpty())
        {
            if (consumers.containsKey(requestedTag))
            {
                throw new io.ringmq.NotAllowedException("attempt to reuse consumer tag '" + requestedTag + "'");
            }
            options.consumerTag(requestedTag);
        }
        final Consumer consumer = engine.consume(queue, options.build(), binding);
        binding.started(consumer);
        consumers.put(consumer.consumerTag(), binding);
        if (!consume.noWait())
        {
            MethodWriter.basicConsumeOk(connection.out(), number, consumer.consumerTag());
        }
    }

    /** The broker cancelled a consumer (its queue was deleted): basic.cancel to clients that asked for it. */
    private void serverCancelled(final String tag)
    {
        if (consumers.remove(tag) != null && !closing && !released && connection.cancelNotify())
        {
            MethodWriter.basicCancel(connection.out(), number, tag, true);
            connection.flush();
        }
    }

    private void get(final BasicMethods.Get get, final Method method)
    {
        final String queue = queue(get.queue(), method);
        final Delivery delivery = engine.get(queue, get.noAck());
        if (delivery == null)
        {
            MethodWriter.basicGetEmpty(connection.out(), number);
            return;
        }
        connection.writeGetOk(number, delivery, engine.messageCount(queue));
    }

    private void recover(final BasicMethods.Recover recover, final Method method, final boolean reply)
    {
        if (!recover.requeue())
        {
            throw new AmqpProtocolException(ReplyCode.NOT_IMPLEMENTED, method.classId(), method.methodId(), "requeue=false");
        }
        engine.recover();
        if (reply)
        {
            MethodWriter.basicRecoverOk(connection.out(), number);
        }
    }

    // ------------------------------------------------------------------ declarations

    private void exchangeDeclare(final ExchangeMethods.Declare declare)
    {
        if (declare.passive())
        {
            engine.exchangeDeclarePassive(declare.exchange());
        }
        else
        {
            final ExchangeType type;
            try
            {
                type = ExchangeType.fromAmqpName(declare.type());
            }
            catch (final InvalidArgumentException ex)
            {
                throw new AmqpProtocolException(ReplyCode.COMMAND_INVALID, AmqpProtocol.CLASS_EXCHANGE,
                    Method.EXCHANGE_DECLARE.methodId(), "unknown exchange type '" + declare.type() + "'");
            }
            engine.exchangeDeclare(ExchangeSpec.builder(declare.exchange(), type).durable(declare.durable())
                .autoDelete(declare.autoDelete()).internal(declare.internal()).arguments(declare.arguments()).build());
        }
        if (!declare.noWait())
        {
            MethodWriter.exchangeDeclareOk(connection.out(), number);
        }
    }

    private void queueDeclare(final QueueMethods.Declare declare)
    {
        final QueueInfo info;
        if (declare.passive())
        {
            info = engine.queueDeclarePassive(declare.queue());
        }
        else
        {
            // x-ringmq-capacity in the arguments, when the client gives it, wins over the server's default.
            info = engine.queueDeclare(QueueSpec.builder(declare.queue()).durable(declare.durable())
                .exclusive(declare.exclusive()).autoDelete(declare.autoDelete())
                .capacity(connection.queueCapacity()).arguments(declare.arguments()).build());
        }
        lastQueue = info.name();
        if (!declare.noWait())
        {
            MethodWriter.queueDeclareOk(connection.out(), number, info.name(), info.messageCount(), info.consumerCount());
        }
    }

    /** An empty queue name is the channel's last declared queue, as AMQP says. */
    private String queue(final String name, final Method method)
    {
        if (!name.isEmpty())
        {
            return name;
        }
        if (lastQueue == null)
        {
            throw new NotFoundException("no previously declared queue");
        }
        return lastQueue;
    }

    // ------------------------------------------------------------------ closing

    /** A channel-level error: channel.close with RabbitMQ's reply code; the channel's state is released at once. */
    void closeWithError(final int replyCode, final String replyText, final int classId, final int methodId)
    {
        if (closing)
        {
            return;
        }
        closing = true;
        released();
        MethodWriter.channelClose(connection.out(), number, replyCode, replyText, classId, methodId);
    }

    /** The engine channel closes: its consumers are cancelled and what it left unacknowledged is requeued. */
    void released()
    {
        if (released)
        {
            return;
        }
        released = true;
        for (final ConsumerBinding binding : consumers.values())
        {
            binding.detach();
        }
        consumers.clear();
        txOperations.clear();
        body = null;
        engine.close();
    }

    /** One buffered operation of a transaction. */
    private static final class TxOperation
    {
        static final int PUBLISH = 0;
        static final int ACK = 1;
        static final int NACK = 2;
        static final int REJECT = 3;

        final int kind;
        final String exchange;
        final String routingKey;
        final boolean mandatory;
        final MessageProperties properties;
        final byte[] body;
        final long tag;
        final boolean multiple;
        final boolean requeue;

        private TxOperation(final int kind, final String exchange, final String routingKey, final boolean mandatory,
            final MessageProperties properties, final byte[] body, final long tag, final boolean multiple,
            final boolean requeue)
        {
            this.kind = kind;
            this.exchange = exchange;
            this.routingKey = routingKey;
            this.mandatory = mandatory;
            this.properties = properties;
            this.body = body;
            this.tag = tag;
            this.multiple = multiple;
            this.requeue = requeue;
        }

        static TxOperation publish(final String exchange, final String routingKey, final boolean mandatory,
            final MessageProperties properties, final byte[] body)
        {
            return new TxOperation(PUBLISH, exchange, routingKey, mandatory, properties, body, 0, false, false);
        }

        static TxOperation settle(final int kind, final long tag, final boolean multiple, final boolean requeue)
        {
            return new TxOperation(kind, null, null, false, null, null, tag, multiple, requeue);
        }
    }
}
