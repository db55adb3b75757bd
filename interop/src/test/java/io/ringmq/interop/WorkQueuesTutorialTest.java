package io.ringmq.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import org.junit.jupiter.api.Test;

/**
 * RabbitMQ tutorial two, "Work queues": a durable queue of persistent tasks shared by competing
 * workers that ack manually, each with {@code basic.qos(1)} so a busy worker is not handed more.
 */
@InteropTest
class WorkQueuesTutorialTest
{
    private static final int TASKS = 10;
    private static final long SLOW_TASK_MILLIS = 1_500;

    @Test
    void prefetchOneDispatchesFairlyTheFastWorkerTakesWhatTheSlowOneCannot(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("task_queue");
        Channel producer = amqp.channel();
        producer.queueDeclare(queue, true, false, false, null);

        CountDownLatch allDone = new CountDownLatch(TASKS);
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicInteger slowDid = worker(amqp, queue, SLOW_TASK_MILLIS, done, allDone);
        AtomicInteger fastDid = worker(amqp, queue, 0, done, allDone);

        for (int i = 0; i < TASKS; i++)
        {
            producer.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN, ("task " + i).getBytes(UTF_8));
        }
        Await.latch(allDone, "all tasks acked");

        assertEquals(TASKS, done.size(), "every task done exactly once");
        // Round-robin without prefetch would give each worker 5; with prefetch 1 the slow worker
        // holds one task (two if it took the first before the fast one subscribed) while the fast
        // one does the rest.
        assertTrue(slowDid.get() <= 2, "slow worker did " + slowDid + " of " + TASKS);
        assertTrue(fastDid.get() >= TASKS - 2, "fast worker did " + fastDid + " of " + TASKS);
        assertEquals(0, producer.queueDeclarePassive(queue).getMessageCount(), "nothing left unacked or ready");
    }

    private static AtomicInteger worker(Amqp amqp, String queue, long millisPerTask, Set<String> done,
                                        CountDownLatch allDone) throws Exception
    {
        Channel channel = amqp.connect().createChannel();
        channel.queueDeclare(queue, true, false, false, null);
        channel.basicQos(1);
        AtomicInteger did = new AtomicInteger();
        channel.basicConsume(queue, false, (tag, delivery) -> {
            try
            {
                Thread.sleep(millisPerTask);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            done.add(new String(delivery.getBody(), UTF_8));
            did.incrementAndGet();
            channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            allDone.countDown();
        }, tag -> { });
        return did;
    }
}
