package io.ringmq;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.ByteBuffer;

/** A fresh broker and one channel per test, closed after it; and message bodies that carry a number. */
abstract class BrokerTestBase
{
    protected Broker broker;
    protected Channel channel;

    @BeforeEach
    final void openBroker()
    {
        broker = Broker.create();
        channel = broker.openChannel();
    }

    @AfterEach
    final void closeBroker()
    {
        broker.close();
    }

    /** @return a 4-byte body carrying {@code value}. */
    static byte[] seq(final int value)
    {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    /** @return the number a {@link #seq} body carries. */
    static int seqOf(final byte[] body)
    {
        return ByteBuffer.wrap(body).getInt();
    }
}
