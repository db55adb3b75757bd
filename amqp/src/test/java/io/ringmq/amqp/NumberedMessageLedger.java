package io.ringmq.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A manual-ack amqp-client consumer of messages whose bodies are their numbers (a 4-byte int): it acks each,
 * and keeps the ledger that proves "nothing lost, nothing twice": which numbers arrived, and every number that
 * arrived again or came flagged redelivered (none should: the publishers of these tests send each number once,
 * and nothing in them is requeued).
 */
final class NumberedMessageLedger extends DefaultConsumer
{
    private final BitSet received = new BitSet();
    private final List<String> problems = new ArrayList<>();
    private int deliveries;

    NumberedMessageLedger(final Channel channel)
    {
        super(channel);
    }

    @Override
    public void handleDelivery(final String tag, final Envelope envelope, final AMQP.BasicProperties properties,
        final byte[] body) throws IOException
    {
        final int number = ByteBuffer.wrap(body).getInt();
        synchronized (this)
        {
            if (received.get(number) || envelope.isRedeliver())
            {
                problems.add("message " + number + " delivered again (redelivered: " + envelope.isRedeliver() + ")");
            }
            received.set(number);
            deliveries++;
            notifyAll();
        }
        getChannel().basicAck(envelope.getDeliveryTag(), false);
    }

    /** @return deliveries so far. */
    synchronized int deliveries()
    {
        return deliveries;
    }

    /** Waits until {@code count} deliveries arrived. @return true if they did within {@code timeout}. */
    synchronized boolean awaitDeliveries(final int count, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        long left;
        while (deliveries < count && (left = deadline - System.nanoTime()) > 0)
        {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return deliveries >= count;
    }

    /** Asserts that exactly the numbers 0 to {@code count} - 1 arrived, each once, none flagged redelivered. */
    synchronized void assertEachOnce(final int count)
    {
        assertEquals(List.of(), problems);
        assertEquals(count, received.cardinality(), "distinct messages received");
        assertEquals(count, received.nextClearBit(0), "the numbers 0 to " + (count - 1));
        assertEquals(count, deliveries, "deliveries");
    }
}
