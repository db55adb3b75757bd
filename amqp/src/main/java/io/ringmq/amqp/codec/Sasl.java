package io.ringmq.amqp.codec;

import io.netty.buffer.Unpooled;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;

import java.util.Map;

/**
 * Reads the SASL response of connection.start-ok into credentials, for the two mechanisms RabbitMQ offers by
 * default. A malformed response raises {@link AmqpProtocolException} with 502 SYNTAX_ERROR, as RabbitMQ
 * answers; the explanation never repeats the response, which holds a password.
 */
public final class Sasl
{
    public static final String PLAIN = "PLAIN";
    public static final String AMQPLAIN = "AMQPLAIN";

    private static final int CLASS_CONNECTION = AmqpProtocol.CLASS_CONNECTION;
    private static final int START_OK = AmqpProtocol.Method.CONNECTION_START_OK.methodId();

    private Sasl()
    {
    }

    /**
     * What a client authenticates with.
     *
     * @param authorizationId PLAIN's authorization identity ("" when absent, as every RabbitMQ client sends it)
     * @param username        the authentication identity
     * @param password        the password
     */
    public record Credentials(String authorizationId, String username, String password)
    {
        @Override
        public String toString()
        {
            return "Credentials{authorizationId=" + authorizationId + ", username=" + username + ", password=***}";
        }
    }

    /**
     * @param mechanism the mechanism named in connection.start-ok
     * @return the credentials in {@code response}
     * @throws AmqpProtocolException 503 COMMAND_INVALID for another mechanism (RabbitMQ's answer to one it
     *     does not offer), 502 SYNTAX_ERROR for a malformed response
     */
    public static Credentials parse(final String mechanism, final byte[] response)
    {
        if (PLAIN.equals(mechanism))
        {
            return plain(response);
        }
        if (AMQPLAIN.equals(mechanism))
        {
            return amqplain(response);
        }
        throw new AmqpProtocolException(ReplyCode.COMMAND_INVALID, CLASS_CONNECTION, START_OK,
            "unknown authentication mechanism '" + mechanism + "'");
    }

    /**
     * SASL PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL password}. Every RabbitMQ client (Java, Go, pika)
     * sends an empty authzid. The password may not contain NUL, as RabbitMQ's parser has it.
     */
    public static Credentials plain(final byte[] response)
    {
        final int first = indexOfNul(response, 0);
        final int second = first < 0 ? -1 : indexOfNul(response, first + 1);
        if (second < 0 || indexOfNul(response, second + 1) >= 0)
        {
            throw invalid("PLAIN response is not [authzid] NUL username NUL password");
        }
        return new Credentials(utf8(response, 0, first), utf8(response, first + 1, second),
            utf8(response, second + 1, response.length));
    }

    /**
     * RabbitMQ's AMQPLAIN: a field table's entries (without the table's length, as py-amqp and the Go clients
     * write it) holding LOGIN and PASSWORD as long strings.
     */
    public static Credentials amqplain(final byte[] response)
    {
        final WireReader in = new WireReader(new ShortStringCache(1))
            .begin(Unpooled.wrappedBuffer(response), CLASS_CONNECTION, START_OK);
        final Map<String, Object> table;
        try
        {
            table = FieldTables.entries(in, 0);
        }
        catch (final AmqpProtocolException ex)
        {
            throw invalid("AMQPLAIN response is not a field table: " + ex.explanation());
        }
        final Object login = table.get("LOGIN");
        final Object password = table.get("PASSWORD");
        if (login == null || password == null)
        {
            throw invalid("AMQPLAIN response is missing the LOGIN or PASSWORD field");
        }
        if (!(login instanceof String) || !(password instanceof String))
        {
            throw invalid("AMQPLAIN response has a LOGIN or PASSWORD that is not a UTF-8 long string");
        }
        return new Credentials("", (String)login, (String)password);
    }

    private static int indexOfNul(final byte[] bytes, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (bytes[i] == 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(final byte[] bytes, final int from, final int to)
    {
        final byte[] part = new byte[to - from];
        System.arraycopy(bytes, from, part, 0, part.length);
        final String text = Utf8.decode(part);
        if (text == null)
        {
            throw invalid("PLAIN response is not UTF-8");
        }
        return text;
    }

    private static AmqpProtocolException invalid(final String explanation)
    {
        return new AmqpProtocolException(ReplyCode.SYNTAX_ERROR, CLASS_CONNECTION, START_OK, explanation);
    }
}
