package io.ringmq;

import io.ringmq.routing.ExchangeType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A poison message (a handler that always throws) neither spins a core forever nor vanishes without a word. */
class HandlerErrorLimitTest extends BrokerTestBase
{
    @Test
    void aHandlerThatAlwaysThrowsSeesTheMessageLimitPlusOneTimesThenItIsRejectedAndCounted()
    {
        channel.queueDeclare("q");
        final AtomicInteger attempts = new AtomicInteger();
        final List<Integer> gaveUp = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.builder().prefetch(1).handlerErrorListener(new ConsumeOptions.HandlerErrorListener()
        {
            @Override
            public void onHandlerError(final String consumerTag, final Message message, final Throwable error)
            {
            }

            @Override
            public void onGaveUp(final String consumerTag, final Message message, final int failures)
            {
                gaveUp.add(failures);
            }
        }).build(), d ->
        {
            attempts.incrementAndGet();
            throw new IllegalStateException("poison");
        });
        channel.publish("", "q", seq(1));
        Await.until("given up on", () -> gaveUp.size() == 1);
        assertEquals(ConsumeOptions.DEFAULT_HANDLER_ERROR_LIMIT + 1, attempts.get(), "the first delivery and 20 retries");
        assertEquals(List.of(ConsumeOptions.DEFAULT_HANDLER_ERROR_LIMIT + 1), gaveUp);
        assertEquals(1, channel.queueDeclarePassive("q").rejectedCount(), "dropped with a count, not silently");
        assertEquals(0, channel.queueDeclarePassive("q").messageCount());
        channel.publish("", "q", seq(2));
        Await.until("the consumer goes on with the next message", () -> gaveUp.size() == 2);
        assertEquals(2 * (ConsumeOptions.DEFAULT_HANDLER_ERROR_LIMIT + 1), attempts.get());
    }

    @Test
    void withADeadLetterExchangeTheGivenUpMessageIsDeadLetteredWithReasonRejected()
    {
        channel.exchangeDeclare("dlx", ExchangeType.FANOUT);
        channel.queueDeclare("dead");
        channel.queueBind("dead", "dlx", "");
        channel.queueDeclare(QueueSpec.builder("q").deadLetterExchange("dlx").build());
        channel.consume("q", ConsumeOptions.builder().handlerErrorLimit(2).handlerErrorListener((t, m, e) -> { }).build(), d ->
        {
            throw new IllegalStateException("poison");
        });
        channel.publish("", "q", seq(7));
        final Delivery[] dead = new Delivery[1];
        Await.until("dead-lettered", () -> (dead[0] = channel.get("dead", true)) != null);
        assertEquals(7, seqOf(dead[0].body()));
        final java.util.Map<?, ?> death = (java.util.Map<?, ?>)((List<?>)dead[0].properties().headers().get("x-death")).get(0);
        assertEquals("rejected", death.get("reason"));
    }

    @Test
    void theLimitCountsFailuresOnAnyConsumerOfTheQueue()
    {
        channel.queueDeclare("q");
        final AtomicInteger attempts = new AtomicInteger();
        final ConsumeOptions options = ConsumeOptions.builder().prefetch(1).handlerErrorLimit(5)
            .handlerErrorListener((t, m, e) -> { }).build();
        for (int c = 0; c < 2; c++)
        {
            channel.consume("q", options, d ->
            {
                attempts.incrementAndGet();
                throw new IllegalStateException("poison");
            });
        }
        channel.publish("", "q", seq(1));
        Await.until("rejected", () -> channel.queueDeclarePassive("q").rejectedCount() == 1);
        assertEquals(6, attempts.get());
    }

    @Test
    void aHandlerThatRecoversGetsTheMessageBackFlaggedAndSettlesIt()
    {
        channel.queueDeclare("q");
        final AtomicInteger attempts = new AtomicInteger();
        final List<Boolean> flags = new CopyOnWriteArrayList<>();
        channel.consume("q", ConsumeOptions.builder().handlerErrorListener((t, m, e) -> { }).build(), d ->
        {
            flags.add(d.redelivered());
            if (attempts.incrementAndGet() < 3)
            {
                throw new IllegalStateException("transient");
            }
            d.ack();
        });
        channel.publish("", "q", seq(1));
        Await.until("settled", () -> attempts.get() == 3 && channel.unackedCount() == 0);
        assertEquals(List.of(false, true, true), flags);
        assertEquals(0, channel.queueDeclarePassive("q").rejectedCount());
        assertNull(channel.get("q", true));
        assertNotNull(flags);
    }
}
