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
        Channel observer = amqp.channel();
        observer.queueDeclare(queue, false, false, false, null);
        Messages.publishConfirmed(amqp.channel(), "", queue, "to ack");

        Channel rolledBack = amqp.channel();
        rolledBack.txSelect();
        GetResponse got = rolledBack.basicGet(queue, false);
        rolledBack.basicAck(got.getEnvelope().getDeliveryTag(), false);
        rolledBack.txRollback();
        rolledBack.close();
        // The rolled-back ack left the message unacked, so closing its channel requeues it.
        Await.until(() -> observer.queueDeclarePassive(queue).getMessageCount() == 1, "the message to be requeued");

        Channel committed = amqp.channel();
        committed.txSelect();
        GetResponse again = committed.basicGet(queue, false);
        committed.basicAck(again.getEnvelope().getDeliveryTag(), false);
        committed.txCommit();
        committed.close();
        Thread.sleep(Await.QUIET_MILLIS);   // a requeue, were the ack lost, would show within this
        assertNull(observer.basicGet(queue, true), "acked at commit, so nothing to requeue when its channel closed");
    }
}
