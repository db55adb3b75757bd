package io.ringmq.amqp.codec;

import com.rabbitmq.client.impl.PlainMechanism;
import com.rabbitmq.client.impl.ValueWriter;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SaslTest
{
    private static byte[] bytes(final String s)
    {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsPlainAsTheJavaClientAndPikaSendIt()
    {
        final byte[] response = new PlainMechanism().handleChallenge(null, "guest", "s3cr\u00e9t").getBytes();
        assertEquals(new Sasl.Credentials("", "guest", "s3cr\u00e9t"), Sasl.parse("PLAIN", response));
        assertEquals(new Sasl.Credentials("", "", ""), Sasl.plain(bytes("\0\0")));
    }

    @Test
    void readsPlainWithAnAuthorizationIdentity()
    {
        assertEquals(new Sasl.Credentials("admin", "guest", "pw"), Sasl.plain(bytes("admin\0guest\0pw")));
    }

    @Test
    void malformedPlainIsASyntaxErrorThatDoesNotRepeatThePassword()
    {
        for (final String bad : new String[] {"", "guest", "\0guest", "\0guest\0pw\0", "a\0b\0c\0d"})
        {
            final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> Sasl.plain(bytes(bad)));
            assertEquals(ReplyCode.SYNTAX_ERROR, ex.replyCode());
            assertEquals(10, ex.classId());
            assertEquals(11, ex.methodId());
        }
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
            () -> Sasl.plain(new byte[] {0, 'u', 0, (byte)0xC0, (byte)0x80}));
        assertFalse(ex.getMessage().contains("\u0000"), ex.getMessage());
    }

    /** AMQPLAIN as py-amqp and amqp091-go write it: a table's entries without the table's length. */
    private static byte[] amqplain(final Map<String, Object> entries) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ValueWriter(new DataOutputStream(bytes)).writeTable(entries);
        final byte[] table = bytes.toByteArray();
        return Arrays.copyOfRange(table, 4, table.length);
    }

    @Test
    void readsAmqplainAsPythonAndGoClientsSendIt() throws IOException
    {
        final Map<String, Object> entries = new LinkedHashMap<>();
        entries.put("LOGIN", "guest");
        entries.put("PASSWORD", "pw");
        assertEquals(new Sasl.Credentials("", "guest", "pw"), Sasl.parse("AMQPLAIN", amqplain(entries)));
    }

    @Test
    void malformedAmqplainIsASyntaxError() throws IOException
    {
        final Map<String, Object> missing = Map.of("LOGIN", "guest");
        final Map<String, Object> wrongType = Map.of("LOGIN", "guest", "PASSWORD", 5);
        for (final byte[] bad : new byte[][] {amqplain(missing), amqplain(wrongType),
            bytes("LOGIN:guestPASSWORD:pw") /* streadway/amqp's broken encoding */, {5, 'L', 'O'}})
        {
            final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> Sasl.amqplain(bad));
            assertEquals(ReplyCode.SYNTAX_ERROR, ex.replyCode(), ex.getMessage());
        }
    }

    @Test
    void anotherMechanismIsACommandInvalidAsInRabbitMq()
    {
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
            () -> Sasl.parse("EXTERNAL", new byte[0]));
        assertEquals(ReplyCode.COMMAND_INVALID, ex.replyCode());
        assertEquals("unknown authentication mechanism 'EXTERNAL'", ex.explanation());
    }

    @Test
    void credentialsNeverPrintThePassword()
    {
        assertFalse(new Sasl.Credentials("", "u", "hunter2").toString().contains("hunter2"));
    }
}
