package io.ringmq;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The seeded soak test: many threads publish, consume (push and get), ack, nack, reject, requeue,
 * cancel, bind, unbind, purge and delete for {@code -Dsoak.seconds} (default 20), in rounds of at
 * most five seconds on a fresh broker each, through plain queues and queues with length limits, TTLs,
 * a delivery limit and dead-lettering ({@link SoakQueues}); after each round every published copy must be
 * accounted for exactly once, with its reason: settled by a consumer, removed by a policy, purged,
 * discarded with a deleted queue, or refused to its publisher — and every dead letter, a new copy of the
 * same message, likewise (see {@link SoakLedger} and {@link SoakRound}).
 * <p>
 * The seed is printed first; a failure prints it again with the command that replays it:
 * {@code mvn -pl stress-tests verify -Djcstress.skip=true -Dsoak.seed=SEED -Dsoak.seconds=N}.
 */
final class SoakTest
{
    private static final long ROUND_MILLIS = 5_000;
    /** Message ids per round: bounds the ledger's memory (about 20 bytes per id). */
    private static final int IDS_PER_ROUND = 1 << 20;

    @Test
    void everyPublishedCopyIsAccountedForExactlyOnce() throws InterruptedException
    {
        final long seconds = Long.getLong("soak.seconds", 20);
        final String seedProperty = System.getProperty("soak.seed", "").trim();
        final long seed = seedProperty.isEmpty() ? System.nanoTime() * 31 + System.identityHashCode(this) :
            Long.parseLong(seedProperty);
        final String replay = "mvn -pl stress-tests verify -Djcstress.skip=true -Dsoak.seed=" + seed +
            " -Dsoak.seconds=" + seconds;
        System.out.println("soak: seed " + seed + ", " + seconds + " s; replay with: " + replay);
        System.out.println("soak: queues " + SoakRound.describeTopology());
        final long totalMillis = Math.max(1_000, seconds * 1_000);
        final int rounds = (int)((totalMillis + ROUND_MILLIS - 1) / ROUND_MILLIS);
        for (int round = 0; round < rounds; round++)
        {
            final long millis = Math.min(ROUND_MILLIS, totalMillis - round * ROUND_MILLIS);
            final SoakRound soak = new SoakRound(seed, round, millis, IDS_PER_ROUND);
            final String summary = soak.run();
            System.out.println("soak: " + summary);
            final SoakLedger ledger = soak.ledger();
            final List<Throwable> crashes = soak.crashes();
            if (ledger.violationCount() > 0 || !crashes.isEmpty())
            {
                final StringBuilder report = new StringBuilder();
                report.append("soak seed ").append(seed).append(", round ").append(round).append(": ")
                    .append(ledger.violationCount()).append(" violations, ").append(crashes.size())
                    .append(" crashed threads\n  ").append(summary).append('\n');
                for (final String violation : ledger.violations())
                {
                    report.append("  - ").append(violation).append('\n');
                }
                for (final Throwable crash : crashes.subList(0, Math.min(10, crashes.size())))
                {
                    report.append("  crash: ").append(crash).append('\n');
                    final StackTraceElement[] frames = crash.getStackTrace();
                    for (int i = 0; i < Math.min(12, frames.length); i++)
                    {
                        report.append("      at ").append(frames[i]).append('\n');
                    }
                }
                report.append("replay with: ").append(replay);
                System.out.println(report);
                fail(report.toString());
            }
        }
    }
}
