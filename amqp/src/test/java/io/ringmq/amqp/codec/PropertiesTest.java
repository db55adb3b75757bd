package io.ringmq.amqp.codec;

import com.rabbitmq.client.AMQP;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.ringmq.MessageProperties;
import io.ringmq.amqp.codec.AmqpProtocol.ReplyCode;
import org.junit.jupiter.api.Test;

import java.util.Date;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Content header properties: {@link PropertiesDecoder} and {@link PropertiesEncoder} against amqp-client. */
class PropertiesTest
{
    private final PropertiesDecoder decoder = new PropertiesDecoder(new ShortStringCache());

    private static AMQP.BasicProperties allFourteen()
    {
        return new AMQP.BasicProperties.Builder()
            .contentType("application/json").contentEncoding("gzip").headers(Map.of("x-tenant", "eu"))
            .deliveryMode(2).priority(7).correlationId("corr-1").replyTo("amq.rabbitmq.reply-to")
            .expiration("60000").messageId("msg-1").timestamp(new Date(1_700_000_000_000L)).type("order.created")
            .userId("guest").appId("shop").clusterId("cluster-a").build();
    }

    private static MessageProperties allFourteenOurs()
    {
        return MessageProperties.builder()
            .contentType("application/json").contentEncoding("gzip").headers(Map.of("x-tenant", "eu"))
            .deliveryMode(2).priority(7).correlationId("corr-1").replyTo("amq.rabbitmq.reply-to")
            .expiration("60000").messageId("msg-1").timestamp(1_700_000_000_000L).type("order.created")
            .userId("guest").appId("shop").clusterId("cluster-a").build();
    }

    @Test
    void decodesAllFourteenPropertiesAsTheJavaClientWritesThem()
    {
        final MessageProperties p = decoder.decode(ClientOracle.properties(allFourteen()));
        assertEquals(allFourteenOurs(), p);
        assertEquals("cluster-a", p.clusterId());
        assertEquals(1_700_000_000_000L, p.timestamp(), "AMQP seconds, kept as milliseconds");
        assertEquals(Map.of("x-tenant", "eu"), p.headers());
    }

    @Test
    void encodesAllFourteenToTheOctetsTheJavaClientWrites()
    {
        final ByteBuf ours = Unpooled.buffer();
        new PropertiesEncoder().encode(ours, allFourteenOurs());
        assertArrayEquals(ByteBufUtil.getBytes(ClientOracle.properties(allFourteen())), ByteBufUtil.getBytes(ours));

        final ByteBuf none = Unpooled.buffer();
        new PropertiesEncoder().encode(none, MessageProperties.EMPTY);
        assertArrayEquals(new byte[] {0, 0}, ByteBufUtil.getBytes(none));
    }

    @Test
    void eachPropertyAloneRoundTripsThroughTheJavaClient()
    {
        final List<MessageProperties> singles = List.of(
            MessageProperties.builder().contentType("t").build(),
            MessageProperties.builder().contentEncoding("e").build(),
            MessageProperties.builder().header("h", List.of(1, "x")).build(),
            MessageProperties.builder().deliveryMode(1).build(),
            MessageProperties.builder().priority(0).build(),
            MessageProperties.builder().correlationId("c").build(),
            MessageProperties.builder().replyTo("r").build(),
            MessageProperties.builder().expiration("0").build(),
            MessageProperties.builder().messageId("m").build(),
            MessageProperties.builder().timestamp(-5000).build(),
            MessageProperties.builder().type("ty").build(),
            MessageProperties.builder().userId("u").build(),
            MessageProperties.builder().appId("a").build(),
            MessageProperties.builder().clusterId("cl").build());
        for (final MessageProperties p : singles)
        {
            final ByteBuf out = Unpooled.buffer();
            new PropertiesEncoder().encode(out, p);
            final MessageProperties back = new PropertiesDecoder(new ShortStringCache()).decode(out);
            assertEquals(p, back, p.toString());
        }
    }

    @Test
    void theSameOctetsAgainGiveTheSameInstance()
    {
        final MessageProperties first = decoder.decode(ClientOracle.properties(allFourteen()));
        assertSame(first, decoder.decode(ClientOracle.properties(allFourteen())), "a different buffer, same octets");

        final MessageProperties other = decoder.decode(
            ClientOracle.properties(new AMQP.BasicProperties.Builder().messageId("msg-2").build()));
        assertNotEquals(first, other);
        final MessageProperties again = decoder.decode(ClientOracle.properties(allFourteen()));
        assertEquals(first, again);
        assertNotSame(first, again, "only the last properties are remembered");
    }

    private static ByteBuf expirationProperties(final String expiration)
    {
        return ClientOracle.properties(new AMQP.BasicProperties.Builder().expiration(expiration).build());
    }

    private void assertExpirationRefused(final String expiration, final String rabbitMqReason)
    {
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
            () -> decoder.decode(expirationProperties(expiration)), expiration);
        assertEquals(ReplyCode.PRECONDITION_FAILED, ex.replyCode());
        assertFalse(ex.replyCode().hardError(), "a channel error");
        assertEquals(60, ex.classId());
        assertEquals(40, ex.methodId());
        assertEquals("PRECONDITION_FAILED - invalid expiration '" + expiration + "': " + rabbitMqReason,
            ex.replyText());
    }

    @Test
    void refusesAnExpirationRabbitMqRefusesWithItsText()
    {
        assertExpirationRefused("", "no_integer");
        assertExpirationRefused("abc", "no_integer");
        assertExpirationRefused("-", "no_integer");
        assertExpirationRefused(" 5", "no_integer");
        assertExpirationRefused("5s", "{leftover_string,\"s\"}");
        assertExpirationRefused("1.5", "{leftover_string,\".5\"}");
        assertExpirationRefused("-5", "{value_negative,-5}");
        assertExpirationRefused("4294967296", "{value_too_big,4294967296}");
        assertExpirationRefused("99999999999999999999999", "{value_too_big,99999999999999999999999}");
    }

    @Test
    void acceptsEveryExpirationRabbitMqAccepts()
    {
        for (final String ok : List.of("0", "60000", "4294967295", "+5", "-0", "007"))
        {
            assertEquals(ok, decoder.decode(expirationProperties(ok)).expiration());
        }
    }

    @Test
    void aDeliveryModeOtherThanOneOrTwoIsRefusedAndZeroMeansNotSet()
    {
        assertEquals(0, decoder.decode(ClientOracle.properties(
            new AMQP.BasicProperties.Builder().deliveryMode(0).build())).deliveryMode());
        final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class, () -> decoder.decode(
            ClientOracle.properties(new AMQP.BasicProperties.Builder().deliveryMode(3).build())));
        assertEquals(ReplyCode.PRECONDITION_FAILED, ex.replyCode());
        assertEquals("invalid delivery mode 3", ex.explanation());
    }

    @Test
    void continuationFlagWordsAreReadAndMustNameNoFurtherProperty()
    {
        // The content type's value follows both flag words.
        final ByteBuf continued = Unpooled.buffer().writeShort(0x8001).writeShort(0x0000);
        WireWriter.shortString(continued, "text/plain");
        assertEquals("text/plain", decoder.decode(continued).contentType());

        final ByteBuf extra = Unpooled.buffer().writeShort(0x0001).writeShort(0x8000).writeByte(0);
        assertEquals(ReplyCode.FRAME_ERROR,
            assertThrows(AmqpProtocolException.class, () -> decoder.decode(extra)).replyCode());

        final ByteBuf fifteenth = Unpooled.buffer().writeShort(0x0002);
        assertEquals(MessageProperties.EMPTY, decoder.decode(fifteenth), "bit 1 is ignored, as RabbitMQ does");
    }

    @Test
    void propertiesCutShortOrFollowedByOctetsAreFrameErrors()
    {
        final ByteBuf whole = ClientOracle.properties(allFourteen());
        for (int cut = 0; cut < whole.readableBytes(); cut++)
        {
            final ByteBuf shorter = whole.slice(whole.readerIndex(), cut);
            final AmqpProtocolException ex = assertThrows(AmqpProtocolException.class,
                () -> new PropertiesDecoder(new ShortStringCache()).decode(shorter), "cut at " + cut);
            assertEquals(ReplyCode.FRAME_ERROR, ex.replyCode());
        }
        final ByteBuf longer = Unpooled.buffer().writeBytes(whole.duplicate()).writeByte(1);
        assertEquals(ReplyCode.FRAME_ERROR, assertThrows(AmqpProtocolException.class,
            () -> decoder.decode(longer)).replyCode());
    }

    @Test
    void whatMessagePropertiesCannotHoldIsReadAsNotSet()
    {
        final MessageProperties p = decoder.decode(ClientOracle.properties(
            new AMQP.BasicProperties.Builder().timestamp(new Date(0)).headers(Map.of()).build()));
        assertEquals(MessageProperties.EMPTY, p);
    }

    @Test
    void theEncoderCopiesTheOctetsOfTheSameInstanceAndLeavesTheBufferAsItWasOnError()
    {
        final PropertiesEncoder encoder = new PropertiesEncoder();
        final MessageProperties p = allFourteenOurs();
        final ByteBuf first = Unpooled.buffer();
        encoder.encode(first, p);
        final ByteBuf second = Unpooled.buffer().writeByte(9);
        encoder.encode(second, p);
        assertEquals(9, second.readByte());
        assertEquals(first, second);

        final ByteBuf out = Unpooled.buffer().writeByte(1);
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encode(out, MessageProperties.builder().contentType("x".repeat(256)).build()));
        assertEquals(1, out.readableBytes());
        assertThrows(IllegalArgumentException.class,
            () -> encoder.encode(out, MessageProperties.builder().header("h", new Object()).build()));
        assertEquals(1, out.readableBytes());
        final ByteBuf again = Unpooled.buffer();
        encoder.encode(again, p);
        assertEquals(first.readerIndex(0), again, "a failed encoding does not replace the remembered one");
    }

    @Test
    void clusterIdIsPartOfMessagePropertiesEqualityAndSurvivesToBuilder()
    {
        final MessageProperties a = MessageProperties.builder().clusterId("c1").build();
        assertEquals("c1", a.toBuilder().build().clusterId());
        assertEquals(a, a.toBuilder().build());
        assertEquals(a.hashCode(), a.toBuilder().build().hashCode());
        assertNotEquals(a, MessageProperties.builder().clusterId("c2").build());
        assertNotEquals(MessageProperties.EMPTY, a);
        assertTrue(a.toString().contains("clusterId=c1"), a.toString());
        assertNull(MessageProperties.EMPTY.clusterId());
    }
}
