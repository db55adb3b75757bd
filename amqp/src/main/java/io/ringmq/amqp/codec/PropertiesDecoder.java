package io.ringmq.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.MessageProperties;
import io.ringmq.amqp.codec.AmqpProtocol.BasicProperty;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;

import java.util.Map;

/**
 * Decodes the properties of a content header (the view {@link FrameListener#onContentHeader} hands over,
 * from the property flags on) into {@link MessageProperties}. It remembers the last properties it decoded and
 * their bytes: when the channel's next header carries byte-identical properties — as PerfTest's and most
 * publishers' do — it returns the same instance, so steady state allocates nothing for properties.
 * <p>
 * It refuses what RabbitMQ refuses at basic.publish, with 406 PRECONDITION_FAILED (a channel error, class
 * 60 method 40):
 * <ul>
 *   <li>an expiration that is not a decimal integer from 0 to 4294967295 (an optional sign is allowed, as
 *       Erlang's {@code string:to_integer} reads it), with RabbitMQ's text:
 *       {@code invalid expiration '<value>': no_integer | {leftover_string,"..."} | {value_negative,N} |
 *       {value_too_big,N}};</li>
 *   <li>a delivery mode other than 1 or 2 ({@code invalid delivery mode N}); 0, which some clients mean as
 *       "not set", is read as not set.</li>
 * </ul>
 * Properties that do not decode raise 501 FRAME_ERROR, a table RabbitMQ cannot read 502 SYNTAX_ERROR.
 * <p>
 * What {@link MessageProperties} cannot hold is read as not set: a timestamp of 0 and an empty headers
 * table. Timestamps are AMQP seconds, kept as milliseconds (multiplied by 1000, saturating).
 * <p>
 * One per channel (the reuse follows one publisher's stream), used on the connection's event loop thread.
 */
public final class PropertiesDecoder
{
    /** RabbitMQ's bound on a message TTL: the largest delay of Erlang's timers, in milliseconds. */
    static final long MAX_EXPIRATION = 4294967295L;

    private static final int CLASS_BASIC = AmqpProtocol.CLASS_BASIC;
    private static final int BASIC_PUBLISH = AmqpProtocol.Method.BASIC_PUBLISH.methodId();

    private final WireReader in;
    /** The property octets of {@link #last}: heap memory owned by this decoder, never released. */
    private final ByteBuf lastBytes = Unpooled.buffer(128);
    private MessageProperties last;

    /** @param names the connection's cache, shared with its {@link MethodReaders} */
    public PropertiesDecoder(final ShortStringCache names)
    {
        this.in = new WireReader(names);
    }

    /**
     * @param properties property flags and values, from the reader index to the writer index
     * @return the decoded properties; the same instance as last time when the octets are the same
     * @throws AmqpProtocolException when they do not decode or RabbitMQ would refuse them
     */
    public MessageProperties decode(final ByteBuf properties)
    {
        final int index = properties.readerIndex();
        final int length = properties.readableBytes();
        if (last != null && lastBytes.readableBytes() == length &&
            ByteBufUtil.equals(lastBytes, 0, properties, index, length))
        {
            return last;
        }
        final MessageProperties decoded = parse(in.begin(properties, CLASS_BASIC, BASIC_PUBLISH));
        lastBytes.clear().writeBytes(properties, index, length);
        last = decoded;
        return decoded;
    }

    private static MessageProperties parse(final WireReader in)
    {
        final int flags = in.unsignedShort("property flags");
        int word = flags;
        while ((word & AmqpProtocol.PROPERTY_FLAGS_CONTINUE) != 0)
        {
            word = in.unsignedShort("property flags");
            if ((word & ~AmqpProtocol.PROPERTY_FLAGS_CONTINUE) != 0)
            {
                throw in.malformed("property flags name properties class basic does not have");
            }
        }
        // Bit 1 would be a 15th property; RabbitMQ ignores it, and so does this decoder.
        final MessageProperties.Builder b = MessageProperties.builder();
        if (has(flags, BasicProperty.CONTENT_TYPE))
        {
            b.contentType(in.name("content-type"));
        }
        if (has(flags, BasicProperty.CONTENT_ENCODING))
        {
            b.contentEncoding(in.name("content-encoding"));
        }
        if (has(flags, BasicProperty.HEADERS))
        {
            final Map<String, Object> headers = in.table("headers");
            if (!headers.isEmpty())
            {
                b.headers(headers);
            }
        }
        if (has(flags, BasicProperty.DELIVERY_MODE))
        {
            final int mode = in.octet("delivery-mode");
            if (mode == MessageProperties.NON_PERSISTENT || mode == MessageProperties.PERSISTENT)
            {
                b.deliveryMode(mode);
            }
            else if (mode != 0)
            {
                throw refused("invalid delivery mode " + mode);
            }
        }
        if (has(flags, BasicProperty.PRIORITY))
        {
            b.priority(in.octet("priority"));
        }
        if (has(flags, BasicProperty.CORRELATION_ID))
        {
            b.correlationId(in.shortString("correlation-id"));
        }
        if (has(flags, BasicProperty.REPLY_TO))
        {
            b.replyTo(in.name("reply-to"));
        }
        if (has(flags, BasicProperty.EXPIRATION))
        {
            final String expiration = in.name("expiration");
            checkExpiration(expiration);
            b.expiration(expiration);
        }
        if (has(flags, BasicProperty.MESSAGE_ID))
        {
            b.messageId(in.shortString("message-id"));
        }
        if (has(flags, BasicProperty.TIMESTAMP))
        {
            b.timestamp(secondsToMillis(in.longlong("timestamp")));
        }
        if (has(flags, BasicProperty.TYPE))
        {
            b.type(in.name("type"));
        }
        if (has(flags, BasicProperty.USER_ID))
        {
            b.userId(in.name("user-id"));
        }
        if (has(flags, BasicProperty.APP_ID))
        {
            b.appId(in.name("app-id"));
        }
        if (has(flags, BasicProperty.CLUSTER_ID))
        {
            b.clusterId(in.name("cluster-id"));
        }
        in.end();
        return b.build();
    }

    private static boolean has(final int flags, final BasicProperty property)
    {
        return (flags & property.flag()) != 0;
    }

    private static long secondsToMillis(final long seconds)
    {
        if (seconds > Long.MAX_VALUE / 1000)
        {
            return Long.MAX_VALUE;
        }
        if (seconds < Long.MIN_VALUE / 1000)
        {
            return Long.MIN_VALUE;
        }
        return seconds * 1000;
    }

    /**
     * RabbitMQ's check (rabbit_basic:parse_expiration): Erlang's {@code string:to_integer} must read the
     * whole value — an optional sign, then digits — and the number must be from 0 to 4294967295.
     */
    static void checkExpiration(final String expiration)
    {
        final int n = expiration.length();
        int i = 0;
        final boolean negative = n > 0 && expiration.charAt(0) == '-';
        if (n > 0 && (expiration.charAt(0) == '-' || expiration.charAt(0) == '+'))
        {
            i = 1;
        }
        final int digitsStart = i;
        long value = 0;
        boolean tooBig = false;
        while (i < n && expiration.charAt(i) >= '0' && expiration.charAt(i) <= '9')
        {
            if (!tooBig)
            {
                value = value * 10 + (expiration.charAt(i) - '0');
                tooBig = value > MAX_EXPIRATION;
            }
            i++;
        }
        if (i == digitsStart)
        {
            throw invalidExpiration(expiration, "no_integer");
        }
        final String digits = expiration.substring(digitsStart, i);
        if (i < n)
        {
            throw invalidExpiration(expiration, "{leftover_string,\"" + expiration.substring(i) + "\"}");
        }
        if (negative && value != 0)
        {
            throw invalidExpiration(expiration, "{value_negative,-" + stripZeros(digits) + "}");
        }
        if (tooBig && !negative)
        {
            throw invalidExpiration(expiration, "{value_too_big," + stripZeros(digits) + "}");
        }
    }

    private static String stripZeros(final String digits)
    {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0')
        {
            i++;
        }
        return digits.substring(i);
    }

    private static AmqpProtocolException invalidExpiration(final String expiration, final String reason)
    {
        return refused("invalid expiration '" + expiration + "': " + reason);
    }

    private static AmqpProtocolException refused(final String explanation)
    {
        return new AmqpProtocolException(ReplyCode.PRECONDITION_FAILED, CLASS_BASIC, BASIC_PUBLISH, explanation);
    }
}
