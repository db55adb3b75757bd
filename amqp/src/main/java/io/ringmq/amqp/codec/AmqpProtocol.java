package io.ringmq.amqp.codec;

import java.util.List;

import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.BIT;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.LONG;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.LONGLONG;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.LONGSTR;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.OCTET;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.SHORT;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.SHORTSTR;
import static io.ringmq.amqp.codec.AmqpProtocol.FieldType.TABLE;
import static io.ringmq.amqp.codec.AmqpProtocol.Sender.BOTH;
import static io.ringmq.amqp.codec.AmqpProtocol.Sender.CLIENT;
import static io.ringmq.amqp.codec.AmqpProtocol.Sender.SERVER;

/**
 * AMQP 0-9-1 as RabbitMQ speaks it, in one table that the codec and its tests both read: frame layout,
 * constants, every class and method with its fields in wire order, the basic properties and every reply code.
 * The facts come from RabbitMQ's protocol description ({@code amqp-rabbitmq-0.9.1.json} in rabbitmq-codegen),
 * including RabbitMQ's extensions: exchange.bind/unbind, basic.nack, confirm.*, connection.blocked/unblocked
 * and connection.update-secret.
 *
 * <h2>Frame</h2>
 * Every frame after the protocol header has this layout, all integers big-endian:
 * <pre>
 *   0        1           3               7                   7+size     8+size
 *   +--------+-----------+---------------+-------------------+----------+
 *   |  type  |  channel  |     size      |      payload      |   end    |
 *   |   u8   |    u16    |      u32      |   size octets     | u8 0xCE  |
 *   +--------+-----------+---------------+-------------------+----------+
 * </pre>
 * The payload of each frame type:
 * <pre>
 *   method (1)          0           2            4
 *                       +-----------+------------+-----------------------------+
 *                       | class-id  | method-id  | arguments, in field order   |
 *                       |   u16     |    u16     |                             |
 *                       +-----------+------------+-----------------------------+
 *
 *   content header (2)  0           2            4                12               14
 *                       +-----------+------------+----------------+----------------+-------------------+
 *                       | class-id  | weight = 0 |   body-size    | property-flags | property values,  |
 *                       |   u16     |    u16     |      u64       |      u16       | present ones only |
 *                       +-----------+------------+----------------+----------------+-------------------+
 *                       (bit 15 of the flags is the first property; bit 0 set means another flag word follows)
 *
 *   content body (3)    the next octets of the message body, at most frame_max - 8 per frame
 *
 *   heartbeat (8)       empty, on channel 0
 * </pre>
 * Bits that follow each other in a method's field list share one octet, the first field in the lowest bit.
 * A connection opens with the 8-octet protocol header {@code 'A' 'M' 'Q' 'P' 0 0 9 1} from the client.
 */
public final class AmqpProtocol
{
    /** The protocol header a 0-9-1 client sends first; also the answer to a header the server does not support. */
    private static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    /** Length of the protocol header. */
    public static final int PROTOCOL_HEADER_LENGTH = 8;

    public static final int FRAME_METHOD = 1;
    public static final int FRAME_HEADER = 2;
    public static final int FRAME_BODY = 3;
    public static final int FRAME_HEARTBEAT = 8;
    /** The octet that ends every frame. */
    public static final int FRAME_END = 0xCE;
    /** The smallest frame_max a peer may negotiate, and the limit in force before connection.tune-ok. */
    public static final int FRAME_MIN_SIZE = 4096;

    /** Offset of the frame type octet in a frame. */
    public static final int FRAME_TYPE_OFFSET = 0;
    /** Offset of the channel number (u16) in a frame. */
    public static final int FRAME_CHANNEL_OFFSET = 1;
    /** Offset of the payload size (u32) in a frame. */
    public static final int FRAME_SIZE_OFFSET = 3;
    /** Offset of the payload in a frame: the length of the frame header. */
    public static final int FRAME_PAYLOAD_OFFSET = 7;
    /** Octets a frame adds to its payload: the 7-octet header and the end octet. */
    public static final int FRAME_OVERHEAD = FRAME_PAYLOAD_OFFSET + 1;

    /** Offset of the class id (u16) in a method payload. */
    public static final int METHOD_CLASS_ID_OFFSET = 0;
    /** Offset of the method id (u16) in a method payload. */
    public static final int METHOD_METHOD_ID_OFFSET = 2;
    /** Offset of the arguments in a method payload: the shortest method payload. */
    public static final int METHOD_ARGUMENTS_OFFSET = 4;

    /** Offset of the class id (u16) in a content header payload. */
    public static final int HEADER_CLASS_ID_OFFSET = 0;
    /** Offset of the weight (u16, always 0) in a content header payload. */
    public static final int HEADER_WEIGHT_OFFSET = 2;
    /** Offset of the body size (u64) in a content header payload. */
    public static final int HEADER_BODY_SIZE_OFFSET = 4;
    /** Offset of the first property-flags word (u16) in a content header payload. */
    public static final int HEADER_PROPERTY_FLAGS_OFFSET = 12;
    /** The shortest content header payload: no property set. */
    public static final int HEADER_MIN_SIZE = HEADER_PROPERTY_FLAGS_OFFSET + 2;
    /** Bit 0 of a property-flags word: another flags word follows. */
    public static final int PROPERTY_FLAGS_CONTINUE = 0x0001;

    /** Longest short string (shortstr) in octets: its length is one octet. */
    public static final int SHORT_STRING_MAX = 255;

    public static final int CLASS_CONNECTION = 10;
    public static final int CLASS_CHANNEL = 20;
    public static final int CLASS_ACCESS = 30;
    public static final int CLASS_EXCHANGE = 40;
    public static final int CLASS_QUEUE = 50;
    public static final int CLASS_BASIC = 60;
    public static final int CLASS_CONFIRM = 85;
    public static final int CLASS_TX = 90;

    private AmqpProtocol()
    {
    }

    /** @return a copy of the 8-octet protocol header {@code AMQP 0 0 9 1}. */
    public static byte[] protocolHeader()
    {
        return PROTOCOL_HEADER.clone();
    }

    /** The primitive types of method fields and properties (the codegen's domains resolve to these). */
    public enum FieldType
    {
        /** One bit; consecutive bits share an octet, the first in the lowest bit. */
        BIT,
        /** u8. */
        OCTET,
        /** u16. */
        SHORT,
        /** u32. */
        LONG,
        /** u64 (delivery tags, body sizes). */
        LONGLONG,
        /** u8 length, then at most 255 octets of UTF-8. */
        SHORTSTR,
        /** u32 length, then that many octets. */
        LONGSTR,
        /** u64 seconds since the epoch. */
        TIMESTAMP,
        /** u32 length, then the entries of a field table (see {@link FieldTables}). */
        TABLE
    }

    /**
     * One field of a method or one basic property.
     *
     * @param name the name as the specification spells it ({@code routing-key})
     * @param type its primitive type
     */
    public record Field(String name, FieldType type)
    {
    }

    private static Field field(final String name, final FieldType type)
    {
        return new Field(name, type);
    }

    /** Which peer may send a method. */
    public enum Sender
    {
        CLIENT, SERVER, BOTH
    }

    private static final boolean SYNC = true;
    private static final boolean ASYNC = false;
    private static final boolean CONTENT = true;
    private static final boolean NO_CONTENT = false;

    /**
     * Every method of AMQP 0-9-1 with RabbitMQ's extensions, its ids, who sends it, whether it expects a
     * reply ({@code synchronous}), whether content (header and body frames) follows it, and its fields in
     * wire order. {@link #byId} finds one from the ids of a method frame without allocating.
     * <p>
     * basic.cancel-ok is listed as sent by the server only: when RabbitMQ cancels a consumer itself it sends
     * basic.cancel with nowait set, so clients never answer it.
     */
    public enum Method
    {
        CONNECTION_START(CLASS_CONNECTION, 10, "connection.start", SERVER, SYNC, NO_CONTENT,
            field("version-major", OCTET), field("version-minor", OCTET), field("server-properties", TABLE),
            field("mechanisms", LONGSTR), field("locales", LONGSTR)),
        CONNECTION_START_OK(CLASS_CONNECTION, 11, "connection.start-ok", CLIENT, ASYNC, NO_CONTENT,
            field("client-properties", TABLE), field("mechanism", SHORTSTR), field("response", LONGSTR),
            field("locale", SHORTSTR)),
        CONNECTION_SECURE(CLASS_CONNECTION, 20, "connection.secure", SERVER, SYNC, NO_CONTENT,
            field("challenge", LONGSTR)),
        CONNECTION_SECURE_OK(CLASS_CONNECTION, 21, "connection.secure-ok", CLIENT, ASYNC, NO_CONTENT,
            field("response", LONGSTR)),
        CONNECTION_TUNE(CLASS_CONNECTION, 30, "connection.tune", SERVER, SYNC, NO_CONTENT,
            field("channel-max", SHORT), field("frame-max", LONG), field("heartbeat", SHORT)),
        CONNECTION_TUNE_OK(CLASS_CONNECTION, 31, "connection.tune-ok", CLIENT, ASYNC, NO_CONTENT,
            field("channel-max", SHORT), field("frame-max", LONG), field("heartbeat", SHORT)),
        CONNECTION_OPEN(CLASS_CONNECTION, 40, "connection.open", CLIENT, SYNC, NO_CONTENT,
            field("virtual-host", SHORTSTR), field("capabilities", SHORTSTR), field("insist", BIT)),
        CONNECTION_OPEN_OK(CLASS_CONNECTION, 41, "connection.open-ok", SERVER, ASYNC, NO_CONTENT,
            field("known-hosts", SHORTSTR)),
        CONNECTION_CLOSE(CLASS_CONNECTION, 50, "connection.close", BOTH, SYNC, NO_CONTENT,
            field("reply-code", SHORT), field("reply-text", SHORTSTR), field("class-id", SHORT),
            field("method-id", SHORT)),
        CONNECTION_CLOSE_OK(CLASS_CONNECTION, 51, "connection.close-ok", BOTH, ASYNC, NO_CONTENT),
        CONNECTION_BLOCKED(CLASS_CONNECTION, 60, "connection.blocked", SERVER, ASYNC, NO_CONTENT,
            field("reason", SHORTSTR)),
        CONNECTION_UNBLOCKED(CLASS_CONNECTION, 61, "connection.unblocked", SERVER, ASYNC, NO_CONTENT),
        CONNECTION_UPDATE_SECRET(CLASS_CONNECTION, 70, "connection.update-secret", CLIENT, SYNC, NO_CONTENT,
            field("new-secret", LONGSTR), field("reason", SHORTSTR)),
        CONNECTION_UPDATE_SECRET_OK(CLASS_CONNECTION, 71, "connection.update-secret-ok", SERVER, ASYNC, NO_CONTENT),
        CHANNEL_OPEN(CLASS_CHANNEL, 10, "channel.open", CLIENT, SYNC, NO_CONTENT,
            field("out-of-band", SHORTSTR)),
        CHANNEL_OPEN_OK(CLASS_CHANNEL, 11, "channel.open-ok", SERVER, ASYNC, NO_CONTENT,
            field("channel-id", LONGSTR)),
        CHANNEL_FLOW(CLASS_CHANNEL, 20, "channel.flow", BOTH, SYNC, NO_CONTENT,
            field("active", BIT)),
        CHANNEL_FLOW_OK(CLASS_CHANNEL, 21, "channel.flow-ok", BOTH, ASYNC, NO_CONTENT,
            field("active", BIT)),
        CHANNEL_CLOSE(CLASS_CHANNEL, 40, "channel.close", BOTH, SYNC, NO_CONTENT,
            field("reply-code", SHORT), field("reply-text", SHORTSTR), field("class-id", SHORT),
            field("method-id", SHORT)),
        CHANNEL_CLOSE_OK(CLASS_CHANNEL, 41, "channel.close-ok", BOTH, ASYNC, NO_CONTENT),
        ACCESS_REQUEST(CLASS_ACCESS, 10, "access.request", CLIENT, SYNC, NO_CONTENT,
            field("realm", SHORTSTR), field("exclusive", BIT), field("passive", BIT), field("active", BIT),
            field("write", BIT), field("read", BIT)),
        ACCESS_REQUEST_OK(CLASS_ACCESS, 11, "access.request-ok", SERVER, ASYNC, NO_CONTENT,
            field("ticket", SHORT)),
        EXCHANGE_DECLARE(CLASS_EXCHANGE, 10, "exchange.declare", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("exchange", SHORTSTR), field("type", SHORTSTR), field("passive", BIT),
            field("durable", BIT), field("auto-delete", BIT), field("internal", BIT), field("nowait", BIT),
            field("arguments", TABLE)),
        EXCHANGE_DECLARE_OK(CLASS_EXCHANGE, 11, "exchange.declare-ok", SERVER, ASYNC, NO_CONTENT),
        EXCHANGE_DELETE(CLASS_EXCHANGE, 20, "exchange.delete", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("exchange", SHORTSTR), field("if-unused", BIT), field("nowait", BIT)),
        EXCHANGE_DELETE_OK(CLASS_EXCHANGE, 21, "exchange.delete-ok", SERVER, ASYNC, NO_CONTENT),
        EXCHANGE_BIND(CLASS_EXCHANGE, 30, "exchange.bind", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("destination", SHORTSTR), field("source", SHORTSTR),
            field("routing-key", SHORTSTR), field("nowait", BIT), field("arguments", TABLE)),
        EXCHANGE_BIND_OK(CLASS_EXCHANGE, 31, "exchange.bind-ok", SERVER, ASYNC, NO_CONTENT),
        EXCHANGE_UNBIND(CLASS_EXCHANGE, 40, "exchange.unbind", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("destination", SHORTSTR), field("source", SHORTSTR),
            field("routing-key", SHORTSTR), field("nowait", BIT), field("arguments", TABLE)),
        EXCHANGE_UNBIND_OK(CLASS_EXCHANGE, 51, "exchange.unbind-ok", SERVER, ASYNC, NO_CONTENT),
        QUEUE_DECLARE(CLASS_QUEUE, 10, "queue.declare", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("passive", BIT), field("durable", BIT),
            field("exclusive", BIT), field("auto-delete", BIT), field("nowait", BIT), field("arguments", TABLE)),
        QUEUE_DECLARE_OK(CLASS_QUEUE, 11, "queue.declare-ok", SERVER, ASYNC, NO_CONTENT,
            field("queue", SHORTSTR), field("message-count", LONG), field("consumer-count", LONG)),
        QUEUE_BIND(CLASS_QUEUE, 20, "queue.bind", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("exchange", SHORTSTR),
            field("routing-key", SHORTSTR), field("nowait", BIT), field("arguments", TABLE)),
        QUEUE_BIND_OK(CLASS_QUEUE, 21, "queue.bind-ok", SERVER, ASYNC, NO_CONTENT),
        QUEUE_PURGE(CLASS_QUEUE, 30, "queue.purge", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("nowait", BIT)),
        QUEUE_PURGE_OK(CLASS_QUEUE, 31, "queue.purge-ok", SERVER, ASYNC, NO_CONTENT,
            field("message-count", LONG)),
        QUEUE_DELETE(CLASS_QUEUE, 40, "queue.delete", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("if-unused", BIT), field("if-empty", BIT),
            field("nowait", BIT)),
        QUEUE_DELETE_OK(CLASS_QUEUE, 41, "queue.delete-ok", SERVER, ASYNC, NO_CONTENT,
            field("message-count", LONG)),
        QUEUE_UNBIND(CLASS_QUEUE, 50, "queue.unbind", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("exchange", SHORTSTR),
            field("routing-key", SHORTSTR), field("arguments", TABLE)),
        QUEUE_UNBIND_OK(CLASS_QUEUE, 51, "queue.unbind-ok", SERVER, ASYNC, NO_CONTENT),
        BASIC_QOS(CLASS_BASIC, 10, "basic.qos", CLIENT, SYNC, NO_CONTENT,
            field("prefetch-size", LONG), field("prefetch-count", SHORT), field("global", BIT)),
        BASIC_QOS_OK(CLASS_BASIC, 11, "basic.qos-ok", SERVER, ASYNC, NO_CONTENT),
        BASIC_CONSUME(CLASS_BASIC, 20, "basic.consume", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("consumer-tag", SHORTSTR), field("no-local", BIT),
            field("no-ack", BIT), field("exclusive", BIT), field("nowait", BIT), field("arguments", TABLE)),
        BASIC_CONSUME_OK(CLASS_BASIC, 21, "basic.consume-ok", SERVER, ASYNC, NO_CONTENT,
            field("consumer-tag", SHORTSTR)),
        BASIC_CANCEL(CLASS_BASIC, 30, "basic.cancel", BOTH, SYNC, NO_CONTENT,
            field("consumer-tag", SHORTSTR), field("nowait", BIT)),
        BASIC_CANCEL_OK(CLASS_BASIC, 31, "basic.cancel-ok", SERVER, ASYNC, NO_CONTENT,
            field("consumer-tag", SHORTSTR)),
        BASIC_PUBLISH(CLASS_BASIC, 40, "basic.publish", CLIENT, ASYNC, CONTENT,
            field("ticket", SHORT), field("exchange", SHORTSTR), field("routing-key", SHORTSTR),
            field("mandatory", BIT), field("immediate", BIT)),
        BASIC_RETURN(CLASS_BASIC, 50, "basic.return", SERVER, ASYNC, CONTENT,
            field("reply-code", SHORT), field("reply-text", SHORTSTR), field("exchange", SHORTSTR),
            field("routing-key", SHORTSTR)),
        BASIC_DELIVER(CLASS_BASIC, 60, "basic.deliver", SERVER, ASYNC, CONTENT,
            field("consumer-tag", SHORTSTR), field("delivery-tag", LONGLONG), field("redelivered", BIT),
            field("exchange", SHORTSTR), field("routing-key", SHORTSTR)),
        BASIC_GET(CLASS_BASIC, 70, "basic.get", CLIENT, SYNC, NO_CONTENT,
            field("ticket", SHORT), field("queue", SHORTSTR), field("no-ack", BIT)),
        BASIC_GET_OK(CLASS_BASIC, 71, "basic.get-ok", SERVER, ASYNC, CONTENT,
            field("delivery-tag", LONGLONG), field("redelivered", BIT), field("exchange", SHORTSTR),
            field("routing-key", SHORTSTR), field("message-count", LONG)),
        BASIC_GET_EMPTY(CLASS_BASIC, 72, "basic.get-empty", SERVER, ASYNC, NO_CONTENT,
            field("cluster-id", SHORTSTR)),
        BASIC_ACK(CLASS_BASIC, 80, "basic.ack", BOTH, ASYNC, NO_CONTENT,
            field("delivery-tag", LONGLONG), field("multiple", BIT)),
        BASIC_REJECT(CLASS_BASIC, 90, "basic.reject", CLIENT, ASYNC, NO_CONTENT,
            field("delivery-tag", LONGLONG), field("requeue", BIT)),
        BASIC_RECOVER_ASYNC(CLASS_BASIC, 100, "basic.recover-async", CLIENT, ASYNC, NO_CONTENT,
            field("requeue", BIT)),
        BASIC_RECOVER(CLASS_BASIC, 110, "basic.recover", CLIENT, SYNC, NO_CONTENT,
            field("requeue", BIT)),
        BASIC_RECOVER_OK(CLASS_BASIC, 111, "basic.recover-ok", SERVER, ASYNC, NO_CONTENT),
        BASIC_NACK(CLASS_BASIC, 120, "basic.nack", BOTH, ASYNC, NO_CONTENT,
            field("delivery-tag", LONGLONG), field("multiple", BIT), field("requeue", BIT)),
        TX_SELECT(CLASS_TX, 10, "tx.select", CLIENT, SYNC, NO_CONTENT),
        TX_SELECT_OK(CLASS_TX, 11, "tx.select-ok", SERVER, ASYNC, NO_CONTENT),
        TX_COMMIT(CLASS_TX, 20, "tx.commit", CLIENT, SYNC, NO_CONTENT),
        TX_COMMIT_OK(CLASS_TX, 21, "tx.commit-ok", SERVER, ASYNC, NO_CONTENT),
        TX_ROLLBACK(CLASS_TX, 30, "tx.rollback", CLIENT, SYNC, NO_CONTENT),
        TX_ROLLBACK_OK(CLASS_TX, 31, "tx.rollback-ok", SERVER, ASYNC, NO_CONTENT),
        CONFIRM_SELECT(CLASS_CONFIRM, 10, "confirm.select", CLIENT, SYNC, NO_CONTENT,
            field("nowait", BIT)),
        CONFIRM_SELECT_OK(CLASS_CONFIRM, 11, "confirm.select-ok", SERVER, ASYNC, NO_CONTENT);

        private final int classId;
        private final int methodId;
        private final String amqpName;
        private final Sender sender;
        private final boolean synchronous;
        private final boolean hasContent;
        private final List<Field> fields;

        Method(final int classId, final int methodId, final String amqpName, final Sender sender,
            final boolean synchronous, final boolean hasContent, final Field... fields)
        {
            this.classId = classId;
            this.methodId = methodId;
            this.amqpName = amqpName;
            this.sender = sender;
            this.synchronous = synchronous;
            this.hasContent = hasContent;
            this.fields = List.of(fields);
        }

        public int classId()
        {
            return classId;
        }

        public int methodId()
        {
            return methodId;
        }

        /** @return the name as RabbitMQ writes it in errors, e.g. {@code basic.publish}. */
        public String amqpName()
        {
            return amqpName;
        }

        public Sender sender()
        {
            return sender;
        }

        /** @return whether the sender waits for a reply (for methods with {@code nowait}: when it is false). */
        public boolean synchronous()
        {
            return synchronous;
        }

        /** @return whether a content header and body frames follow this method. */
        public boolean hasContent()
        {
            return hasContent;
        }

        /** @return the fields in wire order (unmodifiable). */
        public List<Field> fields()
        {
            return fields;
        }

        /** @return whether a client may send this method. */
        public boolean sentByClient()
        {
            return sender != Sender.SERVER;
        }

        /** @return whether the server may send this method. */
        public boolean sentByServer()
        {
            return sender != Sender.CLIENT;
        }

        /** Methods by class id, then method id: both are small, so two array lookups find one. */
        private static final Method[][] BY_ID = index();

        private static Method[][] index()
        {
            int maxClass = 0;
            for (final Method m : values())
            {
                maxClass = Math.max(maxClass, m.classId);
            }
            final Method[][] byId = new Method[maxClass + 1][];
            for (final Method m : values())
            {
                final Method[] row = byId[m.classId];
                if (row == null || row.length <= m.methodId)
                {
                    final Method[] grown = new Method[m.methodId + 1];
                    if (row != null)
                    {
                        System.arraycopy(row, 0, grown, 0, row.length);
                    }
                    byId[m.classId] = grown;
                }
                byId[m.classId][m.methodId] = m;
            }
            return byId;
        }

        /** @return the method with these ids, or null when AMQP 0-9-1 has none. */
        public static Method byId(final int classId, final int methodId)
        {
            if (classId < 0 || classId >= BY_ID.length)
            {
                return null;
            }
            final Method[] row = BY_ID[classId];
            return row == null || methodId < 0 || methodId >= row.length ? null : row[methodId];
        }
    }

    /**
     * The 14 properties of class basic, in wire order, each with its bit in the first property-flags word.
     * {@code cluster-id} is deprecated by the specification but RabbitMQ still carries it.
     */
    public enum BasicProperty
    {
        CONTENT_TYPE("content-type", FieldType.SHORTSTR),
        CONTENT_ENCODING("content-encoding", FieldType.SHORTSTR),
        HEADERS("headers", FieldType.TABLE),
        DELIVERY_MODE("delivery-mode", FieldType.OCTET),
        PRIORITY("priority", FieldType.OCTET),
        CORRELATION_ID("correlation-id", FieldType.SHORTSTR),
        REPLY_TO("reply-to", FieldType.SHORTSTR),
        EXPIRATION("expiration", FieldType.SHORTSTR),
        MESSAGE_ID("message-id", FieldType.SHORTSTR),
        TIMESTAMP("timestamp", FieldType.TIMESTAMP),
        TYPE("type", FieldType.SHORTSTR),
        USER_ID("user-id", FieldType.SHORTSTR),
        APP_ID("app-id", FieldType.SHORTSTR),
        CLUSTER_ID("cluster-id", FieldType.SHORTSTR);

        private final Field field;
        private final int flag;

        BasicProperty(final String name, final FieldType type)
        {
            this.field = new Field(name, type);
            this.flag = 0x8000 >>> ordinal();
        }

        public Field field()
        {
            return field;
        }

        /** @return this property's bit in the first property-flags word (content-type is 0x8000). */
        public int flag()
        {
            return flag;
        }
    }

    /**
     * Every AMQP 0-9-1 reply code with RabbitMQ's name for it. A hard error closes the connection
     * (connection.close); a soft one closes only the channel (channel.close).
     */
    public enum ReplyCode
    {
        REPLY_SUCCESS(200, false),
        CONTENT_TOO_LARGE(311, false),
        NO_ROUTE(312, false),
        NO_CONSUMERS(313, false),
        CONNECTION_FORCED(320, true),
        INVALID_PATH(402, true),
        ACCESS_REFUSED(403, false),
        NOT_FOUND(404, false),
        RESOURCE_LOCKED(405, false),
        PRECONDITION_FAILED(406, false),
        FRAME_ERROR(501, true),
        SYNTAX_ERROR(502, true),
        COMMAND_INVALID(503, true),
        CHANNEL_ERROR(504, true),
        UNEXPECTED_FRAME(505, true),
        RESOURCE_ERROR(506, true),
        NOT_ALLOWED(530, true),
        NOT_IMPLEMENTED(540, true),
        INTERNAL_ERROR(541, true);

        private static final ReplyCode[] BY_CODE = new ReplyCode[600];

        static
        {
            for (final ReplyCode r : values())
            {
                BY_CODE[r.code] = r;
            }
        }

        private final int code;
        private final boolean hardError;

        ReplyCode(final int code, final boolean hardError)
        {
            this.code = code;
            this.hardError = hardError;
        }

        /** @return the numeric code sent in connection.close / channel.close. */
        public int code()
        {
            return code;
        }

        /** @return true when this code closes the connection, false when it closes only the channel. */
        public boolean hardError()
        {
            return hardError;
        }

        /** @return the reply-text RabbitMQ would send: the code's name, " - ", then the explanation. */
        public String replyText(final String explanation)
        {
            return name() + " - " + explanation;
        }

        /** @return the reply code with this number, or null when AMQP 0-9-1 defines none. */
        public static ReplyCode of(final int code)
        {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }
}
