package io.ringmq.stress;

/**
 * Counts takes per message id (1..9) for a jcstress state. Each actor writes only its own counters
 * and the arbiter reads them after every actor finished, so plain fields suffice.
 */
final class Tally
{
    private final int[] byFirst = new int[10];
    private final int[] bySecond = new int[10];
    private final int[] byArbiter = new int[10];
    private int corruptFirst;
    private int corruptSecond;
    private int corruptArbiter;

    /** Records a take of the first actor; {@link Probe#EMPTY} is ignored. */
    void first(final int id)
    {
        if (id != Probe.EMPTY)
        {
            if (valid(id))
            {
                byFirst[id]++;
            }
            else
            {
                corruptFirst++;
            }
        }
    }

    void second(final int id)
    {
        if (id != Probe.EMPTY)
        {
            if (valid(id))
            {
                bySecond[id]++;
            }
            else
            {
                corruptSecond++;
            }
        }
    }

    void arbiter(final int id)
    {
        if (id != Probe.EMPTY)
        {
            if (valid(id))
            {
                byArbiter[id]++;
            }
            else
            {
                corruptArbiter++;
            }
        }
    }

    /** @return how many takes the two actors got (arbiter only). */
    int byActors()
    {
        int sum = corruptFirst + corruptSecond;
        for (int id = 1; id < 10; id++)
        {
            sum += byFirst[id] + bySecond[id];
        }
        return sum;
    }

    /**
     * @param expected the highest id published.
     * @return takes per id as decimal digits, id 1 lowest, up to the highest id taken or expected:
     * digit {@code n-1} counts the takes of id {@code n} (capped at 9), so a lost id shows as 0.
     */
    int digits(final int expected)
    {
        int highest = expected;
        for (int id = 1; id < 10; id++)
        {
            if (count(id) > 0)
            {
                highest = id;
            }
        }
        int digits = 0;
        for (int id = highest; id >= 1; id--)
        {
            digits = digits * 10 + Math.min(9, count(id));
        }
        return digits;
    }

    int corrupt()
    {
        return corruptFirst + corruptSecond + corruptArbiter;
    }

    private int count(final int id)
    {
        return byFirst[id] + bySecond[id] + byArbiter[id];
    }

    private static boolean valid(final int id)
    {
        return id >= 1 && id <= 9;
    }
}
