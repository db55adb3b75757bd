package io.ringmq.amqp.codec;

/**
 * Flyweights of the channel-class methods a client sends that carry fields, filled in place by
 * {@link MethodReaders} (channel.close shares {@link ConnectionMethods.Close}). Each instance is reused: its
 * values are valid until the next method of the same kind is read.
 */
public final class ChannelMethods
{
    private ChannelMethods()
    {
    }

    /** channel.flow and channel.flow-ok, which share their one field: active. */
    public static final class Flow
    {
        private boolean active;

        Flow read(final WireReader in)
        {
            active = WireReader.bit(in.bits("active"), 0);
            in.end();
            return this;
        }

        public boolean active()
        {
            return active;
        }
    }
}
