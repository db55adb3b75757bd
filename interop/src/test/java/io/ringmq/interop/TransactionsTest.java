package io.ringmq.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.Test;

/** tx.select / tx.commit / tx.rollback: publishes and acks take effect at commit, and rollback discards them. */
@InteropTest
class TransactionsTest
{
    @Test
    void publishesInATransactionAreEnqueuedAtCommitAndDiscardedByRollback(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("tx-publish");
        Channel observer = amqp.channel();
        observer.queueDeclare(queue, false, false, false, null);
        Channel tx = amqp.channel();
        tx.txSelect();

        tx.basicPublish("", queue, null, "rolled back".getBytes());
        tx.txRollback();
        tx.basicPublish("", queue, null, "committed".getBytes());
        assertEquals(0, observer.queueDeclarePassive(queue).getMessageCount(), "nothing before commit");
        tx.txCommit();
        assertEquals(List.of("committed"), Messages.drain(observer, queue));
    }

    @Test
    void acksInATransactionTakeEffectAtCommitAndRollbackLeavesTheMessageUnacked(Amqp amqp) throws Exception
    {
        String queue = amqp.queueName("tx-ack");
        Channel tx = amqp.channel();
        tx.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "to ack");
        tx.txSelect();
        GetResponse got = tx.basicGet(queue, false);
        tx.basicAck(got.getEnvelope().getDeliveryTag(), false);
        tx.txRollback();

        // Still unacked on this channel (RabbitMQ does not requeue on rollback): ack it again, for real.
        tx.basicAck(got.getEnvelope().getDeliveryTag(), false);
        tx.txCommit();
        tx.close();
        Channel after = amqp.channel();
        assertNull(after.basicGet(queue, true), "acked at commit, so not requeued when its channel closed");
    }
}
