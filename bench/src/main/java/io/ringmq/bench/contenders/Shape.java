package io.ringmq.bench.contenders;

/**
 * Who sends to whom: the number of publishing and consuming threads, and whether a message goes to one
 * consumer or to all of them.
 */
public enum Shape
{
    /** One publisher, one consumer, one queue. */
    ONE_TO_ONE("1P1C", 1, 1, false),
    /** Two publishers into one queue, one consumer. */
    TWO_TO_ONE("2P1C", 2, 1, false),
    /** One publisher, two consumers competing on one queue: each message goes to exactly one of them. */
    ONE_TO_TWO_COMPETING("1P2C competing", 1, 2, false),
    /** One publisher, four consumers each with its own queue: each message goes to all four. */
    FANOUT_ONE_TO_FOUR("fanout 1P4C", 1, 4, true);

    private final String label;
    private final int publishers;
    private final int consumers;
    private final boolean fanout;

    Shape(final String label, final int publishers, final int consumers, final boolean fanout)
    {
        this.label = label;
        this.publishers = publishers;
        this.consumers = consumers;
        this.fanout = fanout;
    }

    /** Short name for tables and charts. */
    public String label()
    {
        return label;
    }

    public int publishers()
    {
        return publishers;
    }

    public int consumers()
    {
        return consumers;
    }

    /** True when every consumer receives every message (one queue per consumer). */
    public boolean fanout()
    {
        return fanout;
    }

    /** How many deliveries one published message makes: the number of consumers under fanout, else 1. */
    public int deliveriesPerMessage()
    {
        return fanout ? consumers : 1;
    }

    /** How many queues the shape needs: one per consumer under fanout, else one shared queue. */
    public int queues()
    {
        return fanout ? consumers : 1;
    }
}
