package io.ringmq.stress;

import io.ringmq.internal.UnackedTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Subject: {@link UnackedTable}, the table of unacknowledged deliveries of one acknowledgement scope.
 * One owner thread inserts (the channel's tags); any thread claims, lock-free. A held tag is found by
 * exactly one claim, even while the owner resizes the table or moves an old delivery aside to the
 * stragglers; a claimed value is the one inserted under that tag.
 * <p>
 * {@code new UnackedTable<>(4)} starts with 16 slots and doubles when an insert finds 8 held. The
 * state's constructor is the owner until the first actor takes over (jcstress publishes the state
 * safely, so that hand-over is ordered).
 */
public final class UnackedTableStress
{
    private UnackedTableStress()
    {
    }

    /** The value kept under tag {@code n} is {@code VALUES[n]}: claims check identity, not equality. */
    static final Object[] VALUES = new Object[32];

    static
    {
        for (int i = 0; i < VALUES.length; i++)
        {
            VALUES[i] = "value-" + i;
        }
    }

    /** Counts claimed values, checking each was inserted under the tag it came out with. */
    static final class Collector implements UnackedTable.ClaimSink<Object>
    {
        final int[] times = new int[VALUES.length];
        int wrong;

        @Override
        public void accept(final long tag, final Object value, final Object context)
        {
            if (tag <= 0 || tag >= VALUES.length || value != VALUES[(int)tag] || context != VALUES[(int)tag])
            {
                wrong++;
                return;
            }
            times[(int)tag]++;
        }

        /** @return 0 when tags 1..{@code last} were each claimed once, else a code of what went wrong. */
        int verdict(final int last)
        {
            if (wrong > 0)
            {
                return 3;
            }
            for (int tag = 1; tag <= last; tag++)
            {
                if (times[tag] == 0)
                {
                    return 1;
                }
                if (times[tag] > 1)
                {
                    return 2;
                }
            }
            return 0;
        }
    }

    static UnackedTable<Object> filled(final int count)
    {
        final UnackedTable<Object> table = new UnackedTable<>(4);
        for (int i = 1; i <= count; i++)
        {
            insert(table, i);
        }
        return table;
    }

    static void insert(final UnackedTable<Object> table, final int tag)
    {
        table.insert(tag, VALUES[tag], VALUES[tag]);
    }

    /**
     * Eight tags are held, so the owner's next insert (tag 9) doubles the table, while another thread
     * claims tags 3 and 8. The arbiter claims the rest. r1: the racing claims that succeeded,
     * r2: verdict over tags 1..9 (0 each claimed once, 1 one never found, 2 one claimed twice, 3 a
     * wrong value), r3: size() at the end.
     */
    @JCStressTest
    @Outcome(id = "2, 0, 0", expect = ACCEPTABLE, desc = "Both held tags were claimed, in the old table or the new one; every tag claimed once.")
    @Outcome(id = "[01], .*", expect = FORBIDDEN, desc = "A claim missed a held tag while the owner resized: an ack would have failed as unknown tag and the delivery leaked.")
    @Outcome(id = ".*, 1, .*", expect = FORBIDDEN, desc = "A tag was lost by the resize: never claimable again.")
    @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "A tag was claimed twice, from the old and the new table: a delivery settled twice.")
    @Outcome(id = ".*, 3, .*", expect = FORBIDDEN, desc = "A claim returned a value other than the one inserted under its tag.")
    @Outcome(expect = FORBIDDEN, desc = "size() does not match what is held.")
    @State
    public static class ClaimDuringResizeFindsHeldTags
    {
        private final UnackedTable<Object> table = filled(8);
        private final Collector collector = new Collector();
        private final Collector arbiterCollector = new Collector();

        @Actor
        public void ownerInsertsPastThreshold()
        {
            insert(table, 9);
        }

        @Actor
        public void claim(final III_Result r)
        {
            int claimed = 0;
            claimed += table.claim(3, collector) ? 1 : 0;
            claimed += table.claim(8, collector) ? 1 : 0;
            r.r1 = claimed;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            table.claimUpTo(Long.MAX_VALUE, arbiterCollector);
            for (int tag = 0; tag < VALUES.length; tag++)
            {
                arbiterCollector.times[tag] += collector.times[tag];
            }
            arbiterCollector.wrong += collector.wrong;
            r.r2 = arbiterCollector.verdict(9);
            r.r3 = table.size();
        }
    }

    /**
     * Eight tags are held; the owner inserts tags 9 and 10 (doubling on 9) while another thread
     * claims every tag up to 8. r1: how many that claimUpTo took, r2: verdict over tags 1..10 after
     * the arbiter claimed the rest (as above).
     */
    @JCStressTest
    @Outcome(id = "8, 0", expect = ACCEPTABLE, desc = "claimUpTo(8) took all eight held tags across the resize; 9 and 10 stayed for the arbiter.")
    @Outcome(id = "[0-7], .*", expect = FORBIDDEN, desc = "claimUpTo(8) missed a tag held before it started: a multiple ack left a delivery unsettled.")
    @Outcome(id = "(9|10|[1-9][0-9]+), .*", expect = FORBIDDEN, desc = "claimUpTo(8) took more than eight: it claimed a tag above its bound, or one twice.")
    @Outcome(expect = FORBIDDEN, desc = "A tag was lost or claimed twice, or a value was wrong.")
    @State
    public static class ClaimUpToDuringResizeTakesEachTagOnce
    {
        private final UnackedTable<Object> table = filled(8);
        private final Collector collector = new Collector();

        @Actor
        public void ownerInsertsPastThreshold()
        {
            insert(table, 9);
            insert(table, 10);
        }

        @Actor
        public void claimUpTo(final II_Result r)
        {
            r.r1 = table.claimUpTo(8, collector);
        }

        @Arbiter
        public void arbiter(final II_Result r)
        {
            table.claimUpTo(Long.MAX_VALUE, collector);
            r.r2 = collector.verdict(10);
        }
    }

    /**
     * Two threads claim the same held tag. r1, r2: 0 when the claim failed, 1 when it won the tag
     * with the value inserted under it, 2 when it won the tag with another value (or none).
     */
    @JCStressTest
    @Outcome(id = {"1, 0", "0, 1"}, expect = ACCEPTABLE, desc = "Exactly one claim won the tag, with its value.")
    @Outcome(id = {"[12], [12]"}, expect = FORBIDDEN, desc = "Both claims won the same tag: one delivery settled twice.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "Neither claim found the held tag.")
    @Outcome(expect = FORBIDDEN, desc = "A claim won the tag but got no value or another one: the slot was emptied under it.")
    @State
    public static class RacingClaimsOfOneTagSucceedOnce
    {
        private final UnackedTable<Object> table = filled(1);
        private final Collector first = new Collector();
        private final Collector second = new Collector();

        @Actor
        public void first(final II_Result r)
        {
            r.r1 = table.claim(1, first) ? (first.wrong == 0 ? 1 : 2) : 0;
        }

        @Actor
        public void second(final II_Result r)
        {
            r.r2 = table.claim(1, second) ? (second.wrong == 0 ? 1 : 2) : 0;
        }
    }

    /**
     * The table went round once: tags 1..16 were inserted and claimed, so every slot was used and
     * freed. The owner inserts tag 17 into the slot tag 1 had; another thread claims stale tag 1,
     * then 17. r1: the stale claim (must fail), r2: the claim of 17: 0 not yet there, 1 its value,
     * 2 another value or none (the value was not published with the tag).
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "The claim of 17 ran before its insert.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "The claim of 17 found it, with the value inserted under it.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "A claim of stale tag 1 succeeded on the reused slot: an old ack settled a new delivery.")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "The claim of 17 won the tag but read a stale or null value: the value was not published by the tag's release store.")
    @State
    public static class ClaimOfReusedSlotSeesItsOwnValue
    {
        private final UnackedTable<Object> table = new UnackedTable<>(4);
        private final Collector collector = new Collector();

        public ClaimOfReusedSlotSeesItsOwnValue()
        {
            for (int tag = 1; tag <= 16; tag++)
            {
                insert(table, tag);
                table.claim(tag, (t, value, context) -> { });
            }
        }

        @Actor
        public void ownerInserts()
        {
            insert(table, 17);
        }

        @Actor
        public void claim(final II_Result r)
        {
            r.r1 = table.claim(1, collector) ? 1 : 0;
            if (table.claim(17, collector))
            {
                r.r2 = collector.wrong == 0 && collector.times[17] == 1 ? 1 : 2;
            }
        }
    }

    /**
     * Tag 1 is still held while tags 2..16 came and went, so tag 17's slot is tag 1's: the owner's insert
     * of 17 moves tag 1 aside to the stragglers while another thread claims tag 1. r1: 1 when that
     * claim won tag 1 (nobody else claims it), r2: verdict over tags 1 and 17 after the arbiter claimed the rest
     * (0 each once, 1 one never found, 2 one twice, 3 a wrong value), r3: size() at the end.
     */
    @JCStressTest
    @Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "The claim found tag 1, in its slot or among the stragglers; each tag settled once.")
    @Outcome(id = "0, .*, .*", expect = FORBIDDEN, desc = "The claim missed tag 1 while it moved aside: an ack would have failed as unknown and the delivery leaked.")
    @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "Tag 1 was settled twice: from its slot and from the stragglers.")
    @Outcome(expect = FORBIDDEN, desc = "A tag was lost, a value was wrong, or size() is off.")
    @State
    public static class EvictionRacingAClaimSettlesOnce
    {
        private final UnackedTable<Object> table = new UnackedTable<>(4);
        private final Collector collector = new Collector();
        private final Collector arbiterCollector = new Collector();

        public EvictionRacingAClaimSettlesOnce()
        {
            insert(table, 1);
            for (int tag = 2; tag <= 16; tag++)
            {
                insert(table, tag);
                table.claim(tag, (t, value, context) -> { });
            }
        }

        @Actor
        public void ownerInserts()
        {
            insert(table, 17);
        }

        @Actor
        public void claim(final III_Result r)
        {
            r.r1 = table.claim(1, collector) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            table.claimUpTo(Long.MAX_VALUE, arbiterCollector);
            arbiterCollector.times[1] += collector.times[1];
            arbiterCollector.wrong += collector.wrong;
            final int once = arbiterCollector.times[1] == 1 && arbiterCollector.times[17] == 1 ? 0 :
                arbiterCollector.times[1] > 1 ? 2 : 1;
            r.r2 = arbiterCollector.wrong > 0 ? 3 : once;
            r.r3 = table.size();
        }
    }
}
