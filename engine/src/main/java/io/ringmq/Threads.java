package io.ringmq;

/** Waiting for the engine's own threads to end, which closing must do even when its caller is interrupted. */
final class Threads
{
    private Threads()
    {
    }

    /**
     * Waits until {@code thread} has ended, whatever interrupts arrive meanwhile.
     *
     * @return whether the caller was interrupted while it waited; it restores its interrupt flag once
     *         everything it waits for is done.
     */
    static boolean joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread.isAlive())
        {
            try
            {
                thread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
