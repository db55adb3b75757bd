package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

/**
 * Channel errors: each closes the channel with RabbitMQ's reply code and leaves the connection
 * usable. The comment on each test quotes what RabbitMQ 3.10.8 answered (code, text); the tests
 * assert the code always, and the text where it names only what the client sent.
 */
@InteropTest
class ChannelErrorsTest
{
    // 404 NOT_FOUND

    @Test
    void passiveDeclareOfAMissingQueueIs404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no queue 'NAME' in vhost '/'"
        String queue = Amqp.unique("missing");
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.queueDeclarePassive(queue));
        assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
        assertEquals("NOT_FOUND - no queue '" + queue + "' in vhost '/'", close.getReplyText());
        assertEquals(50, close.getClassId());   // queue
        assertEquals(10, close.getMethodId());  // declare
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void passiveDeclareOfAMissingExchangeIs404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no exchange 'NAME' in vhost '/'"
        String exchange = Amqp.unique("missing");
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.exchangeDeclarePassive(exchange));
        assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
        assertEquals("NOT_FOUND - no exchange '" + exchange + "' in vhost '/'", close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void publishToAMissingExchangeClosesTheChannelWith404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no exchange 'NAME' in vhost '/'" (class 60 basic, method 40 publish)
        String exchange = Amqp.unique("missing");
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel,
            () -> channel.basicPublish(exchange, "key", null, "lost".getBytes(UTF_8)));
        assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
        assertEquals("NOT_FOUND - no exchange '" + exchange + "' in vhost '/'", close.getReplyText());
        assertEquals(60, close.getClassId());
        assertEquals(40, close.getMethodId());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void consumeFromAMissingQueueIs404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no queue 'NAME' in vhost '/'"
        String queue = Amqp.unique("missing");
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel,
            () -> channel.basicConsume(queue, true, (tag, d) -> { }, tag -> { }));
        assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
        assertEquals("NOT_FOUND - no queue '" + queue + "' in vhost '/'", close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void getFromAMissingQueueIs404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no queue 'NAME' in vhost '/'"
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.basicGet(Amqp.unique("missing"), true));
        assertEquals(AMQP.NOT_FOUND, close.getReplyCode());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void bindingAMissingQueueOrToAMissingExchangeIs404(Amqp amqp) throws Exception
    {
        // 404 "NOT_FOUND - no queue 'NAME' in vhost '/'" and "NOT_FOUND - no exchange 'NAME' in vhost '/'"
        String queue = amqp.queueName("bound");
        String missing = Amqp.unique("missing");
        Channel first = amqp.channel();
        first.queueDeclare(queue, false, false, true, null);
        AMQP.Channel.Close noQueue = ServerErrors.channelClose(first, () -> first.queueBind(missing, "amq.direct", "k"));
        assertEquals(AMQP.NOT_FOUND, noQueue.getReplyCode());
        assertEquals("NOT_FOUND - no queue '" + missing + "' in vhost '/'", noQueue.getReplyText());

        Channel second = amqp.channel();
        AMQP.Channel.Close noExchange = ServerErrors.channelClose(second, () -> second.queueBind(queue, missing, "k"));
        assertEquals(AMQP.NOT_FOUND, noExchange.getReplyCode());
        assertEquals("NOT_FOUND - no exchange '" + missing + "' in vhost '/'", noExchange.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    // 403 ACCESS_REFUSED

    @Test
    void declaringAQueueNamedAmqDotAnythingIs403(Amqp amqp) throws Exception
    {
        // 403 "ACCESS_REFUSED - queue name 'amq.x' contains reserved prefix 'amq.*'"
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel,
            () -> channel.queueDeclare("amq.x", false, false, true, null));
        assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
        assertEquals("ACCESS_REFUSED - queue name 'amq.x' contains reserved prefix 'amq.*'", close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void declaringAnExchangeNamedAmqDotAnythingIs403(Amqp amqp) throws Exception
    {
        // 403 "ACCESS_REFUSED - exchange name 'amq.x' contains reserved prefix 'amq.*'"
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel,
            () -> channel.exchangeDeclare("amq.x", BuiltinExchangeType.DIRECT));
        assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
        assertEquals("ACCESS_REFUSED - exchange name 'amq.x' contains reserved prefix 'amq.*'", close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void publishingToAnInternalExchangeIs403(Amqp amqp) throws Exception
    {
        // 403 "ACCESS_REFUSED - cannot publish to internal exchange 'NAME' in vhost '/'"
        String exchange = amqp.exchangeName("internal");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, false, false, true, null);
        AMQP.Channel.Close close = ServerErrors.channelClose(channel,
            () -> channel.basicPublish(exchange, "", null, "x".getBytes(UTF_8)));
        assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
        assertEquals("ACCESS_REFUSED - cannot publish to internal exchange '" + exchange + "' in vhost '/'",
                     close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void deletingTheDefaultOrABuiltInExchangeIs403(Amqp amqp) throws Exception
    {
        // "" -> 403 "ACCESS_REFUSED - operation not permitted on the default exchange"
        // amq.direct -> 403 "ACCESS_REFUSED - deletion of system exchange 'amq.direct' in vhost '/' not allowed"
        Channel first = amqp.channel();
        AMQP.Channel.Close byDefault = ServerErrors.channelClose(first, () -> first.exchangeDelete(""));
        assertEquals(AMQP.ACCESS_REFUSED, byDefault.getReplyCode());
        Channel second = amqp.channel();
        AMQP.Channel.Close builtIn = ServerErrors.channelClose(second, () -> second.exchangeDelete("amq.direct"));
        assertEquals(AMQP.ACCESS_REFUSED, builtIn.getReplyCode());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void consumingAQueueSomeoneConsumesExclusivelyIs403(Amqp amqp) throws Exception
    {
        // 403 "ACCESS_REFUSED - queue 'NAME' in vhost '/' in exclusive use" (both ways round)
        String queue = amqp.queueName("exclusive-consumer");
        Channel owner = amqp.channel();
        owner.queueDeclare(queue, false, false, false, null);
        owner.basicConsume(queue, true, "", false, true, null, (tag, d) -> { }, tag -> { });

        Channel other = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(other,
            () -> other.basicConsume(queue, true, (tag, d) -> { }, tag -> { }));
        assertEquals(AMQP.ACCESS_REFUSED, close.getReplyCode());
        assertEquals("ACCESS_REFUSED - queue '" + queue + "' in vhost '/' in exclusive use", close.getReplyText());

        String shared = amqp.queueName("shared-consumer");
        owner.queueDeclare(shared, false, false, false, null);
        owner.basicConsume(shared, true, (tag, d) -> { }, tag -> { });
        Channel greedy = amqp.channel();
        AMQP.Channel.Close refused = ServerErrors.channelClose(greedy,
            () -> greedy.basicConsume(shared, true, "", false, true, null, (tag, d) -> { }, tag -> { }));
        assertEquals(AMQP.ACCESS_REFUSED, refused.getReplyCode());
        ServerErrors.assertUsable(amqp.connection());
    }

    // 405 RESOURCE_LOCKED

    @Test
    void usingAnotherConnectionsExclusiveQueueIs405(Amqp amqp) throws Exception
    {
        // 405 "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'NAME' in vhost '/'.
        //      It could be originally declared on another connection or the exclusive property value
        //      does not match that of the original declaration." (for declare, consume, get, purge, bind, delete)
        String queue = amqp.queueName("exclusive");
        amqp.connect().createChannel().queueDeclare(queue, false, true, false, null);
        Connection other = amqp.connect();

        Channel declare = other.createChannel();
        AMQP.Channel.Close close = ServerErrors.channelClose(declare, () -> declare.queueDeclare(queue, false, true, false, null));
        assertEquals(AMQP.RESOURCE_LOCKED, close.getReplyCode());
        assertTrue(close.getReplyText().startsWith(
            "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '" + queue + "' in vhost '/'"),
            close.getReplyText());
        Channel consume = other.createChannel();
        assertEquals(AMQP.RESOURCE_LOCKED, ServerErrors.channelClose(consume,
            () -> consume.basicConsume(queue, true, (tag, d) -> { }, tag -> { })).getReplyCode());
        Channel get = other.createChannel();
        assertEquals(AMQP.RESOURCE_LOCKED, ServerErrors.channelClose(get, () -> get.basicGet(queue, true)).getReplyCode());
        Channel purge = other.createChannel();
        assertEquals(AMQP.RESOURCE_LOCKED, ServerErrors.channelClose(purge, () -> purge.queuePurge(queue)).getReplyCode());
        Channel delete = other.createChannel();
        assertEquals(AMQP.RESOURCE_LOCKED, ServerErrors.channelClose(delete, () -> delete.queueDelete(queue)).getReplyCode());
        ServerErrors.assertUsable(other);
    }

    // 406 PRECONDITION_FAILED

    @Test
    void redeclaringAQueueWithOtherPropertiesOrArgumentsIs406(Amqp amqp) throws Exception
    {
        // durable: 406 "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'NAME' in vhost '/':
        //               received 'true' but current is 'false'"
        // x-message-ttl: 406 "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'NAME' in vhost '/':
        //               received the value '2000' of type 'signedint' but current is none"
        String queue = amqp.queueName("declared");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);

        Channel durable = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(durable, () -> durable.queueDeclare(queue, true, false, false, null));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'durable' for queue '" + queue
                     + "' in vhost '/': received 'true' but current is 'false'", close.getReplyText());

        Channel withTtl = amqp.channel();
        AMQP.Channel.Close ttl = ServerErrors.channelClose(withTtl,
            () -> withTtl.queueDeclare(queue, false, false, false, Map.of("x-message-ttl", 2000)));
        assertEquals(AMQP.PRECONDITION_FAILED, ttl.getReplyCode());
        assertTrue(ttl.getReplyText().startsWith("PRECONDITION_FAILED - inequivalent arg 'x-message-ttl'"), ttl.getReplyText());

        // The same declaration again is fine, and so is a passive one with any flags.
        Channel same = amqp.channel();
        same.queueDeclare(queue, false, false, false, null);
        same.queueDeclarePassive(queue);
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void redeclaringAnExchangeWithAnotherTypeOrDurabilityIs406(Amqp amqp) throws Exception
    {
        // type: 406 "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'NAME' in vhost '/':
        //            received 'fanout' but current is 'direct'"
        // durable: 406 "PRECONDITION_FAILED - inequivalent arg 'durable' for exchange 'NAME' in vhost '/':
        //            received 'true' but current is 'false'"
        String exchange = amqp.exchangeName("declared");
        amqp.channel().exchangeDeclare(exchange, BuiltinExchangeType.DIRECT);

        Channel fanout = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(fanout, () -> fanout.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - inequivalent arg 'type' for exchange '" + exchange
                     + "' in vhost '/': received 'fanout' but current is 'direct'", close.getReplyText());

        Channel durable = amqp.channel();
        assertEquals(AMQP.PRECONDITION_FAILED, ServerErrors.channelClose(durable,
            () -> durable.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT, true)).getReplyCode());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void ackingAnUnknownDeliveryTagIs406(Amqp amqp) throws Exception
    {
        // 406 "PRECONDITION_FAILED - unknown delivery tag 42" (class 60, method 80 basic.ack)
        Channel channel = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.basicAck(42, false));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - unknown delivery tag 42", close.getReplyText());
        assertEquals(60, close.getClassId());
        assertEquals(80, close.getMethodId());

        Channel nack = amqp.channel();
        assertEquals(AMQP.PRECONDITION_FAILED, ServerErrors.channelClose(nack, () -> nack.basicNack(7, false, true)).getReplyCode());
        Channel reject = amqp.channel();
        assertEquals(AMQP.PRECONDITION_FAILED, ServerErrors.channelClose(reject, () -> reject.basicReject(7, true)).getReplyCode());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void ackingTheSameDeliveryTwiceIs406(Amqp amqp) throws Exception
    {
        // 406 "PRECONDITION_FAILED - unknown delivery tag 1"
        String queue = amqp.queueName("ack-twice");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "once");
        GetResponse got = channel.basicGet(queue, false);
        channel.basicAck(got.getEnvelope().getDeliveryTag(), false);
        AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.basicAck(got.getEnvelope().getDeliveryTag(), false));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - unknown delivery tag " + got.getEnvelope().getDeliveryTag(), close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void ackingOnAnotherChannelThanTheDeliveryIs406(Amqp amqp) throws Exception
    {
        // Delivery tags are per channel: 406 "PRECONDITION_FAILED - unknown delivery tag 1"; the message stays
        // unacked on its own channel, which can still ack it.
        String queue = amqp.queueName("ack-elsewhere");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "mine");
        long tag = channel.basicGet(queue, false).getEnvelope().getDeliveryTag();
        Channel other = amqp.channel();
        assertEquals(AMQP.PRECONDITION_FAILED, ServerErrors.channelClose(other, () -> other.basicAck(tag, false)).getReplyCode());
        channel.basicAck(tag, false);
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void deletingAQueueIfUnusedOrIfEmptyWhenItIsNotIs406(Amqp amqp) throws Exception
    {
        // if-unused: 406 "PRECONDITION_FAILED - queue 'NAME' in vhost '/' in use"
        // if-empty:  406 "PRECONDITION_FAILED - queue 'NAME' in vhost '/' not empty"
        String queue = amqp.queueName("in-use");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        channel.basicConsume(queue, false, (tag, d) -> { }, tag -> { });
        Channel ifUnused = amqp.channel();
        AMQP.Channel.Close inUse = ServerErrors.channelClose(ifUnused, () -> ifUnused.queueDelete(queue, true, false));
        assertEquals(AMQP.PRECONDITION_FAILED, inUse.getReplyCode());
        assertEquals("PRECONDITION_FAILED - queue '" + queue + "' in vhost '/' in use", inUse.getReplyText());

        String full = amqp.queueName("not-empty");
        channel.queueDeclare(full, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", full, "keep me");
        Channel ifEmpty = amqp.channel();
        AMQP.Channel.Close notEmpty = ServerErrors.channelClose(ifEmpty, () -> ifEmpty.queueDelete(full, false, true));
        assertEquals(AMQP.PRECONDITION_FAILED, notEmpty.getReplyCode());
        assertEquals("PRECONDITION_FAILED - queue '" + full + "' in vhost '/' not empty", notEmpty.getReplyText());
        assertTrue(amqp.queueExists(queue) && amqp.queueExists(full), "a refused delete deletes nothing");
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void deletingAnExchangeIfUnusedWhileItHasBindingsIs406(Amqp amqp) throws Exception
    {
        // 406 "PRECONDITION_FAILED - exchange 'NAME' in vhost '/' in use"
        String exchange = amqp.exchangeName("bound");
        Channel channel = amqp.channel();
        channel.exchangeDeclare(exchange, BuiltinExchangeType.DIRECT);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, "k");
        Channel ifUnused = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(ifUnused, () -> ifUnused.exchangeDelete(exchange, true));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - exchange '" + exchange + "' in vhost '/' in use", close.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void mixingTransactionsAndConfirmsOrCommittingOutsideATransactionIs406(Amqp amqp) throws Exception
    {
        // tx.commit without tx.select: 406 "PRECONDITION_FAILED - channel is not transactional"
        // tx.rollback without tx.select: the same text
        // tx.select after confirm.select: 406 "PRECONDITION_FAILED - cannot switch from confirm to tx mode"
        // confirm.select after tx.select: 406 "PRECONDITION_FAILED - cannot switch from tx to confirm mode"
        Channel commit = amqp.channel();
        AMQP.Channel.Close notTx = ServerErrors.channelClose(commit, commit::txCommit);
        assertEquals(AMQP.PRECONDITION_FAILED, notTx.getReplyCode());
        assertEquals("PRECONDITION_FAILED - channel is not transactional", notTx.getReplyText());

        Channel rollback = amqp.channel();
        assertEquals(AMQP.PRECONDITION_FAILED, ServerErrors.channelClose(rollback, rollback::txRollback).getReplyCode());

        Channel confirmThenTx = amqp.channel();
        confirmThenTx.confirmSelect();
        AMQP.Channel.Close toTx = ServerErrors.channelClose(confirmThenTx, confirmThenTx::txSelect);
        assertEquals(AMQP.PRECONDITION_FAILED, toTx.getReplyCode());
        assertEquals("PRECONDITION_FAILED - cannot switch from confirm to tx mode", toTx.getReplyText());

        Channel txThenConfirm = amqp.channel();
        txThenConfirm.txSelect();
        AMQP.Channel.Close toConfirm = ServerErrors.channelClose(txThenConfirm, txThenConfirm::confirmSelect);
        assertEquals(AMQP.PRECONDITION_FAILED, toConfirm.getReplyCode());
        assertEquals("PRECONDITION_FAILED - cannot switch from tx to confirm mode", toConfirm.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void directReplyToNeedsANoAckConsumerOnTheSameChannelFirst(Amqp amqp) throws Exception
    {
        // publish with reply-to before consuming: 406 "PRECONDITION_FAILED - fast reply consumer does not exist"
        // consume it with acks: 406 "PRECONDITION_FAILED - reply consumer cannot acknowledge"
        Channel publisher = amqp.channel();
        AMQP.Channel.Close noConsumer = ServerErrors.channelClose(publisher, () -> publisher.basicPublish("", "amq.gen-nobody",
            new AMQP.BasicProperties.Builder().replyTo("amq.rabbitmq.reply-to").build(), "?".getBytes(UTF_8)));
        assertEquals(AMQP.PRECONDITION_FAILED, noConsumer.getReplyCode());
        assertEquals("PRECONDITION_FAILED - fast reply consumer does not exist", noConsumer.getReplyText());

        Channel acking = amqp.channel();
        AMQP.Channel.Close withAcks = ServerErrors.channelClose(acking,
            () -> acking.basicConsume("amq.rabbitmq.reply-to", false, (tag, d) -> { }, tag -> { }));
        assertEquals(AMQP.PRECONDITION_FAILED, withAcks.getReplyCode());
        assertEquals("PRECONDITION_FAILED - reply consumer cannot acknowledge", withAcks.getReplyText());
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void anExpirationThatIsNotANonNegativeIntegerIs406(Amqp amqp) throws Exception
    {
        // "soon": 406 "PRECONDITION_FAILED - invalid expiration 'soon': no_integer"
        // "-1":   406 "PRECONDITION_FAILED - invalid expiration '-1': {value_negative,-1}"
        String queue = amqp.queueName("expiring");
        amqp.channel().queueDeclare(queue, false, false, false, null);
        for (String expiration : new String[] {"soon", "-1"})
        {
            Channel channel = amqp.channel();
            AMQP.Channel.Close close = ServerErrors.channelClose(channel, () -> channel.basicPublish("", queue,
                new AMQP.BasicProperties.Builder().expiration(expiration).build(), "x".getBytes(UTF_8)));
            assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
            assertTrue(close.getReplyText().startsWith("PRECONDITION_FAILED - invalid expiration '" + expiration + "'"),
                       close.getReplyText());
        }
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void invalidQueueArgumentsAre406(Amqp amqp) throws Exception
    {
        // x-max-length -1: 406 "PRECONDITION_FAILED - invalid arg 'x-max-length' for queue 'NAME' in vhost '/':
        //                       {value_negative,-1}"
        // x-message-ttl "x": 406 "PRECONDITION_FAILED - invalid arg 'x-message-ttl' for queue 'NAME' in vhost '/':
        //                       \"expected integer, got longstr\""
        // x-overflow "sometimes": 406 "PRECONDITION_FAILED - invalid arg 'x-overflow' for queue 'NAME' in vhost '/':
        //                       invalid_overflow"
        for (Map<String, Object> arguments : List.<Map<String, Object>>of(
                 Map.of("x-max-length", -1), Map.of("x-message-ttl", "x"), Map.of("x-overflow", "sometimes")))
        {
            String queue = amqp.queueName("invalid");
            Channel channel = amqp.channel();
            AMQP.Channel.Close close = ServerErrors.channelClose(channel,
                () -> channel.queueDeclare(queue, false, false, false, arguments));
            assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode(), arguments.toString());
            String argument = arguments.keySet().iterator().next();
            assertTrue(close.getReplyText().startsWith("PRECONDITION_FAILED - invalid arg '" + argument + "' for queue '"
                                                       + queue + "' in vhost '/'"), close.getReplyText());
            assertFalse(amqp.queueExists(queue), "a refused declare creates nothing");
        }
        ServerErrors.assertUsable(amqp.connection());
    }

    @Test
    void aMessageLargerThanMaxMessageSizeIs406(Amqp amqp) throws Exception
    {
        // With max_message_size = 1048576: 406 "PRECONDITION_FAILED - message size 1048577 is larger than
        // configured max size 1048576". The broker's limit is not in the protocol, so the run must say it.
        OptionalLong limit = InteropSettings.maxMessageSize();
        assumeTrue(limit.isPresent(), "set " + InteropSettings.MAX_MESSAGE_SIZE + " to the broker's max_message_size");
        String queue = amqp.queueName("large");
        Channel channel = amqp.channel();
        channel.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmedBytes(channel, queue, new byte[(int) limit.getAsLong()]);
        assertEquals(1, channel.queueDeclarePassive(queue).getMessageCount(), "a message of exactly the limit is taken");

        Channel tooLarge = amqp.channel();
        AMQP.Channel.Close close = ServerErrors.channelClose(tooLarge,
            () -> tooLarge.basicPublish("", queue, null, new byte[(int) limit.getAsLong() + 1]));
        assertEquals(AMQP.PRECONDITION_FAILED, close.getReplyCode());
        assertEquals("PRECONDITION_FAILED - message size " + (limit.getAsLong() + 1)
                     + " is larger than configured max size " + limit.getAsLong(), close.getReplyText());
        assertEquals(1, amqp.channel().queueDeclarePassive(queue).getMessageCount(), "the large one was not enqueued");
        ServerErrors.assertUsable(amqp.connection());
    }
}
