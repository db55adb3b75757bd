package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.ringmq.amqp.codec.AmqpProtocol.Method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_END;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_HEARTBEAT;
import static io.ringmq.amqp.codec.AmqpProtocol.FRAME_METHOD;

/**
 * Writes every method the server sends as a whole frame, straight into a {@link ByteBuf}: the frame's size
 * field is written as a placeholder and back-patched once the arguments are in, so nothing is measured or
 * encoded twice, and strings are encoded in place. basic.deliver, basic.return and basic.get-ok are followed
 * by content: {@link ContentWriter} writes the three together.
 * <p>
 * A writer given a string longer than a short string allows (255 octets of UTF-8) or a table value AMQP
 * cannot carry throws {@link IllegalArgumentException} and leaves {@code out} as it was. Writers allocate
 * nothing beyond what {@code out} needs to grow.
 */
public final class MethodWriter
{
    /** The capabilities RabbitMQ announces in connection.start, all true in RabbitMQ 3.x and 4.x. */
    public static final List<String> RABBITMQ_CAPABILITIES = List.of(
        "publisher_confirms", "exchange_exchange_bindings", "basic.nack", "consumer_cancel_notify",
        "connection.blocked", "consumer_priorities", "authentication_failure_close", "per_consumer_qos",
        "direct_reply_to");

    private static final byte[] HEARTBEAT = {FRAME_HEARTBEAT, 0, 0, 0, 0, 0, 0, (byte)FRAME_END};

    private MethodWriter()
    {
    }

    /** Writes the frame header and method ids; returns the index of the size field to back-patch. */
    static int beginMethod(final ByteBuf out, final int channel, final Method method)
    {
        out.writeByte(FRAME_METHOD).writeShort(channel);
        final int sizeIndex = out.writerIndex();
        out.writeInt(0).writeShort(method.classId()).writeShort(method.methodId());
        return sizeIndex;
    }

    /** Back-patches the payload size of the frame whose size field is at {@code sizeIndex} and ends it. */
    static void endFrame(final ByteBuf out, final int sizeIndex)
    {
        out.setInt(sizeIndex, out.writerIndex() - sizeIndex - Integer.BYTES);
        out.writeByte(FRAME_END);
    }

    /** Leaves {@code out} as it was before a frame that could not be written, and rethrows. */
    private static IllegalArgumentException undo(final ByteBuf out, final int sizeIndex,
        final IllegalArgumentException ex)
    {
        out.writerIndex(sizeIndex - 3);
        return ex;
    }

    /** The 8 octets {@code AMQP 0 0 9 1}: RabbitMQ's answer to a protocol header it does not support. */
    public static void protocolHeader(final ByteBuf out)
    {
        out.writeBytes(AmqpProtocol.protocolHeader());
    }

    /** A heartbeat frame (channel 0, no payload). */
    public static void heartbeat(final ByteBuf out)
    {
        out.writeBytes(HEARTBEAT);
    }

    /** A method that has no fields, e.g. exchange.declare-ok or tx.commit-ok. */
    public static void emptyMethod(final ByteBuf out, final int channel, final Method method)
    {
        if (!method.fields().isEmpty())
        {
            throw new IllegalArgumentException(method.amqpName() + " has fields");
        }
        endFrame(out, beginMethod(out, channel, method));
    }

    // ---- connection (always channel 0) -------------------------------------------------------------------

    /**
     * A server-properties table as RabbitMQ builds it: the {@code capabilities} table first, then product,
     * version and platform (RabbitMQ adds copyright, information and cluster_name; add them to the map).
     */
    public static Map<String, Object> serverProperties(final String product, final String version,
        final String platform, final Map<String, Boolean> capabilities)
    {
        final Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("capabilities", new LinkedHashMap<>(capabilities));
        properties.put("product", product);
        properties.put("version", version);
        properties.put("platform", platform);
        return properties;
    }

    /**
     * connection.start, version 0-9 as RabbitMQ sends it (connection.start has no revision field).
     *
     * @param mechanisms space-separated SASL mechanisms, e.g. "PLAIN AMQPLAIN"
     * @param locales    space-separated locales, e.g. "en_US"
     */
    public static void connectionStart(final ByteBuf out, final Map<String, ?> serverProperties,
        final String mechanisms, final String locales)
    {
        final int size = beginMethod(out, 0, Method.CONNECTION_START);
        try
        {
            out.writeByte(0).writeByte(9);
            FieldTables.write(out, serverProperties);
            WireWriter.longString(out, mechanisms);
            WireWriter.longString(out, locales);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        endFrame(out, size);
    }

    /** connection.secure */
    public static void connectionSecure(final ByteBuf out, final byte[] challenge)
    {
        final int size = beginMethod(out, 0, Method.CONNECTION_SECURE);
        WireWriter.longString(out, challenge);
        endFrame(out, size);
    }

    /**
     * connection.tune
     *
     * @param channelMax u16, 0 for no limit
     * @param frameMax   u32, 0 for no limit (RabbitMQ's default is 131072)
     * @param heartbeat  u16 seconds, 0 for none
     */
    public static void connectionTune(final ByteBuf out, final int channelMax, final int frameMax,
        final int heartbeat)
    {
        final int size = beginMethod(out, 0, Method.CONNECTION_TUNE);
        out.writeShort(channelMax).writeInt(frameMax).writeShort(heartbeat);
        endFrame(out, size);
    }

    /** connection.open-ok (its one field, known-hosts, is reserved and written empty). */
    public static void connectionOpenOk(final ByteBuf out)
    {
        final int size = beginMethod(out, 0, Method.CONNECTION_OPEN_OK);
        out.writeByte(0);
        endFrame(out, size);
    }

    /**
     * connection.close
     *
     * @param replyText       e.g. {@code ReplyCode.FRAME_ERROR.replyText("...")}
     * @param failingClassId  class of the method that caused the close, or 0
     * @param failingMethodId that method, or 0
     */
    public static void connectionClose(final ByteBuf out, final int replyCode, final String replyText,
        final int failingClassId, final int failingMethodId)
    {
        close(out, 0, Method.CONNECTION_CLOSE, replyCode, replyText, failingClassId, failingMethodId);
    }

    /** connection.close-ok */
    public static void connectionCloseOk(final ByteBuf out)
    {
        emptyMethod(out, 0, Method.CONNECTION_CLOSE_OK);
    }

    /** connection.blocked, e.g. reason "low on memory" (only to clients announcing the capability). */
    public static void connectionBlocked(final ByteBuf out, final String reason)
    {
        final int size = beginMethod(out, 0, Method.CONNECTION_BLOCKED);
        try
        {
            WireWriter.shortString(out, reason);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        endFrame(out, size);
    }

    /** connection.unblocked */
    public static void connectionUnblocked(final ByteBuf out)
    {
        emptyMethod(out, 0, Method.CONNECTION_UNBLOCKED);
    }

    /** connection.update-secret-ok */
    public static void connectionUpdateSecretOk(final ByteBuf out)
    {
        emptyMethod(out, 0, Method.CONNECTION_UPDATE_SECRET_OK);
    }

    // ---- channel -------------------------------------------------------------------------------------------

    /** channel.open-ok (its one field, channel-id, is reserved and written empty). */
    public static void channelOpenOk(final ByteBuf out, final int channel)
    {
        final int size = beginMethod(out, channel, Method.CHANNEL_OPEN_OK);
        out.writeInt(0);
        endFrame(out, size);
    }

    /** channel.flow, which RabbitMQ no longer sends but clients still understand. */
    public static void channelFlow(final ByteBuf out, final int channel, final boolean active)
    {
        final int size = beginMethod(out, channel, Method.CHANNEL_FLOW);
        out.writeByte(active ? 1 : 0);
        endFrame(out, size);
    }

    /** channel.flow-ok, the answer to a client's channel.flow. */
    public static void channelFlowOk(final ByteBuf out, final int channel, final boolean active)
    {
        final int size = beginMethod(out, channel, Method.CHANNEL_FLOW_OK);
        out.writeByte(active ? 1 : 0);
        endFrame(out, size);
    }

    /** channel.close, a soft error: see {@link #connectionClose} for the fields. */
    public static void channelClose(final ByteBuf out, final int channel, final int replyCode,
        final String replyText, final int failingClassId, final int failingMethodId)
    {
        close(out, channel, Method.CHANNEL_CLOSE, replyCode, replyText, failingClassId, failingMethodId);
    }

    /** channel.close-ok */
    public static void channelCloseOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.CHANNEL_CLOSE_OK);
    }

    private static void close(final ByteBuf out, final int channel, final Method method, final int replyCode,
        final String replyText, final int failingClassId, final int failingMethodId)
    {
        final int size = beginMethod(out, channel, method);
        out.writeShort(replyCode);
        try
        {
            WireWriter.shortString(out, fitShortString(replyText));
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        out.writeShort(failingClassId).writeShort(failingMethodId);
        endFrame(out, size);
    }

    /**
     * A reply text cut to what a short string holds (255 octets of UTF-8, at a character boundary): an
     * error naming a long queue must still close the channel, not fail to be written.
     */
    static String fitShortString(final String text)
    {
        if (io.netty.buffer.ByteBufUtil.utf8Bytes(text) <= AmqpProtocol.SHORT_STRING_MAX)
        {
            return text;
        }
        int end = Math.min(text.length(), AmqpProtocol.SHORT_STRING_MAX);
        while (end > 0 && io.netty.buffer.ByteBufUtil.utf8Bytes(text.substring(0, end) + "...") > AmqpProtocol.SHORT_STRING_MAX)
        {
            end--;
            if (end > 0 && Character.isLowSurrogate(text.charAt(end)))
            {
                end--;
            }
        }
        return text.substring(0, end) + "...";
    }

    /** access.request-ok, RabbitMQ's answer to the deprecated access.request (ticket 1). */
    public static void accessRequestOk(final ByteBuf out, final int channel, final int ticket)
    {
        final int size = beginMethod(out, channel, Method.ACCESS_REQUEST_OK);
        out.writeShort(ticket);
        endFrame(out, size);
    }

    // ---- exchange ------------------------------------------------------------------------------------------

    public static void exchangeDeclareOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.EXCHANGE_DECLARE_OK);
    }

    public static void exchangeDeleteOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.EXCHANGE_DELETE_OK);
    }

    public static void exchangeBindOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.EXCHANGE_BIND_OK);
    }

    /** exchange.unbind-ok, whose method id is 51 (not 41) in RabbitMQ's protocol. */
    public static void exchangeUnbindOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.EXCHANGE_UNBIND_OK);
    }

    // ---- queue ---------------------------------------------------------------------------------------------

    /** queue.declare-ok; the counts are u32 on the wire. */
    public static void queueDeclareOk(final ByteBuf out, final int channel, final String queue,
        final long messageCount, final long consumerCount)
    {
        final int size = beginMethod(out, channel, Method.QUEUE_DECLARE_OK);
        try
        {
            WireWriter.shortString(out, queue);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        out.writeInt((int)messageCount).writeInt((int)consumerCount);
        endFrame(out, size);
    }

    public static void queueBindOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.QUEUE_BIND_OK);
    }

    public static void queueUnbindOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.QUEUE_UNBIND_OK);
    }

    /** queue.purge-ok with the number of messages purged (u32). */
    public static void queuePurgeOk(final ByteBuf out, final int channel, final long messageCount)
    {
        final int size = beginMethod(out, channel, Method.QUEUE_PURGE_OK);
        out.writeInt((int)messageCount);
        endFrame(out, size);
    }

    /** queue.delete-ok with the number of messages deleted (u32). */
    public static void queueDeleteOk(final ByteBuf out, final int channel, final long messageCount)
    {
        final int size = beginMethod(out, channel, Method.QUEUE_DELETE_OK);
        out.writeInt((int)messageCount);
        endFrame(out, size);
    }

    // ---- basic ---------------------------------------------------------------------------------------------

    public static void basicQosOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.BASIC_QOS_OK);
    }

    public static void basicConsumeOk(final ByteBuf out, final int channel, final String consumerTag)
    {
        consumerTagMethod(out, channel, Method.BASIC_CONSUME_OK, consumerTag);
    }

    /**
     * basic.cancel sent by the server: the consumer's queue went away (consumer_cancel_notify). RabbitMQ sends
     * it with nowait = true, so clients do not answer.
     */
    public static void basicCancel(final ByteBuf out, final int channel, final String consumerTag,
        final boolean noWait)
    {
        final int size = beginMethod(out, channel, Method.BASIC_CANCEL);
        try
        {
            WireWriter.shortString(out, consumerTag);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        out.writeByte(noWait ? 1 : 0);
        endFrame(out, size);
    }

    public static void basicCancelOk(final ByteBuf out, final int channel, final String consumerTag)
    {
        consumerTagMethod(out, channel, Method.BASIC_CANCEL_OK, consumerTag);
    }

    private static void consumerTagMethod(final ByteBuf out, final int channel, final Method method,
        final String consumerTag)
    {
        final int size = beginMethod(out, channel, method);
        try
        {
            WireWriter.shortString(out, consumerTag);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        endFrame(out, size);
    }

    /** The basic.return method frame alone; {@link ContentWriter#writeReturn} adds its content. */
    public static void basicReturn(final ByteBuf out, final int channel, final int replyCode,
        final String replyText, final String exchange, final String routingKey)
    {
        final int size = beginMethod(out, channel, Method.BASIC_RETURN);
        out.writeShort(replyCode);
        try
        {
            WireWriter.shortString(out, replyText);
            WireWriter.shortString(out, exchange);
            WireWriter.shortString(out, routingKey);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        endFrame(out, size);
    }

    /** The basic.deliver method frame alone; {@link ContentWriter#writeDeliver} adds its content. */
    public static void basicDeliver(final ByteBuf out, final int channel, final String consumerTag,
        final long deliveryTag, final boolean redelivered, final String exchange, final String routingKey)
    {
        final int size = beginMethod(out, channel, Method.BASIC_DELIVER);
        try
        {
            WireWriter.shortString(out, consumerTag);
            out.writeLong(deliveryTag).writeByte(redelivered ? 1 : 0);
            WireWriter.shortString(out, exchange);
            WireWriter.shortString(out, routingKey);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        endFrame(out, size);
    }

    /** The basic.get-ok method frame alone; {@link ContentWriter#writeGetOk} adds its content. */
    public static void basicGetOk(final ByteBuf out, final int channel, final long deliveryTag,
        final boolean redelivered, final String exchange, final String routingKey, final long messageCount)
    {
        final int size = beginMethod(out, channel, Method.BASIC_GET_OK);
        out.writeLong(deliveryTag).writeByte(redelivered ? 1 : 0);
        try
        {
            WireWriter.shortString(out, exchange);
            WireWriter.shortString(out, routingKey);
        }
        catch (final IllegalArgumentException ex)
        {
            throw undo(out, size, ex);
        }
        out.writeInt((int)messageCount);
        endFrame(out, size);
    }

    /** basic.get-empty (its one field, cluster-id, is reserved and written empty). */
    public static void basicGetEmpty(final ByteBuf out, final int channel)
    {
        final int size = beginMethod(out, channel, Method.BASIC_GET_EMPTY);
        out.writeByte(0);
        endFrame(out, size);
    }

    /** basic.ack sent by the server: a publisher confirm. */
    public static void basicAck(final ByteBuf out, final int channel, final long deliveryTag,
        final boolean multiple)
    {
        final int size = beginMethod(out, channel, Method.BASIC_ACK);
        out.writeLong(deliveryTag).writeByte(multiple ? 1 : 0);
        endFrame(out, size);
    }

    /** basic.nack sent by the server: a negative publisher confirm (requeue is meaningless there: false). */
    public static void basicNack(final ByteBuf out, final int channel, final long deliveryTag,
        final boolean multiple, final boolean requeue)
    {
        final int size = beginMethod(out, channel, Method.BASIC_NACK);
        out.writeLong(deliveryTag).writeByte(WireWriter.bits(multiple, requeue, false, false, false));
        endFrame(out, size);
    }

    public static void basicRecoverOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.BASIC_RECOVER_OK);
    }

    // ---- tx and confirm ------------------------------------------------------------------------------------

    public static void txSelectOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.TX_SELECT_OK);
    }

    public static void txCommitOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.TX_COMMIT_OK);
    }

    public static void txRollbackOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.TX_ROLLBACK_OK);
    }

    public static void confirmSelectOk(final ByteBuf out, final int channel)
    {
        emptyMethod(out, channel, Method.CONFIRM_SELECT_OK);
    }
}
