package io.ringmq;

import org.jctools.queues.MpmcArrayQueue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker's pool of {@link Envelope}s: publishers take from it, whichever thread releases an
 * envelope's last hold returns it.
 * <p>
 * <b>Why magazines:</b> a shared free list costs every message two contended atomic operations and
 * two cache-line transfers between the publishing and the consuming core. Instead each thread keeps
 * two small stacks of envelopes ("magazines", after Bonwick's slab allocator): it takes from and
 * returns to its own with plain array accesses, and trades a whole magazine with the shared depot
 * (JCTools MPMC rings of full and of empty magazines) only once every {@value #MAGAZINE_SIZE}
 * envelopes. A publisher thread empties magazines and swaps them for full ones; a consumer thread
 * fills them and swaps them for empty ones.
 * <p>
 * The depot is filled up front so that steady-state publishing allocates nothing. When more messages
 * are in flight than the pool holds, a publisher allocates a new envelope rather than wait (counted in
 * {@link #allocated()}); when the depot is full on return, the extra magazine is left to the garbage
 * collector. So the pool bounds nothing: it only removes allocation. Envelopes cached by a thread that
 * ends are collected with it.
 */
final class EnvelopePool
{
    /** Envelopes per magazine: one depot trade per this many messages. */
    static final int MAGAZINE_SIZE = 64;

    private final int capacity;
    private final MpmcArrayQueue<Magazine> full;
    private final MpmcArrayQueue<Magazine> empty;
    private final ThreadLocal<Cache> caches = ThreadLocal.withInitial(Cache::new);
    private final AtomicLong allocated = new AtomicLong();
    private final Home home = new Home(this);

    /**
     * The envelopes' way back to their pool, cut when the broker closes. Without the cut a closed
     * broker would never be collected: each thread's cache (the value of {@link #caches}) holds
     * envelopes, envelopes would hold the pool, and the pool holds the {@link ThreadLocal} that is
     * the cache entry's (weak) key, so the key could never be cleared while the thread lives.
     * A plain field: a release that still sees the pool after the close only returns an envelope
     * to a pool nobody uses.
     */
    static final class Home
    {
        EnvelopePool pool;

        Home(final EnvelopePool pool)
        {
            this.pool = pool;
        }
    }

    /** A stack of free envelopes, owned by one thread at a time (ownership passes through the depot's rings). */
    static final class Magazine
    {
        final Envelope[] envelopes = new Envelope[MAGAZINE_SIZE];
        int count;

        boolean isEmpty()
        {
            return count == 0;
        }

        boolean isFull()
        {
            return count == MAGAZINE_SIZE;
        }

        Envelope pop()
        {
            final Envelope envelope = envelopes[--count];
            envelopes[count] = null;
            return envelope;
        }

        void push(final Envelope envelope)
        {
            envelopes[count++] = envelope;
        }
    }

    /** One thread's two magazines: the one in use, and the previous one (so a thread that both takes and returns rarely trades). */
    private static final class Cache
    {
        Magazine loaded = new Magazine();
        Magazine previous = new Magazine();

        void swap()
        {
            final Magazine m = loaded;
            loaded = previous;
            previous = m;
        }
    }

    /**
     * @param capacity most idle envelopes kept for reuse in the depot.
     * @param prefill  envelopes allocated up front.
     */
    EnvelopePool(final int capacity, final int prefill)
    {
        this.capacity = capacity;
        final int magazines = Math.max(2, (capacity + MAGAZINE_SIZE - 1) / MAGAZINE_SIZE);
        full = new MpmcArrayQueue<>(magazines);
        empty = new MpmcArrayQueue<>(magazines);
        Magazine magazine = new Magazine();
        for (int i = 0; i < prefill; i++)
        {
            magazine.push(newEnvelope());
            if (magazine.isFull())
            {
                full.offer(magazine);
                magazine = new Magazine();
            }
        }
        if (!magazine.isEmpty())
        {
            full.offer(magazine);
        }
    }

    /**
     * A caller's memory of the calling thread's cache. A channel publishes, and a consumer delivers, on
     * the same thread nearly always: remembering the thread's {@link Cache} saves the
     * {@link ThreadLocal} lookup per envelope (a hash probe and a weak-reference check, some 15% of a
     * publisher's time and 10% of an auto-ack consumer's before this). The memo is only a shortcut to
     * the thread's own cache, which stays owned by its thread: it is used only while the thread asking
     * is the one remembered, so a memo moving between threads (a pool runner, a channel handed over)
     * just looks the cache up again. One thread at a time per memo, as its holder is used.
     */
    static final class Memo
    {
        private EnvelopePool pool;
        private Thread thread;
        private Cache cache;
    }

    private Cache cacheFor(final Memo memo)
    {
        final Thread current = Thread.currentThread();
        if (memo.thread != current || memo.pool != this)
        {
            memo.cache = caches.get();
            memo.thread = current;
            memo.pool = this;
        }
        return memo.cache;
    }

    Envelope acquire()
    {
        return acquire(caches.get());
    }

    /** {@link #acquire()} through the caller's memo of its thread's cache. */
    Envelope acquire(final Memo memo)
    {
        return acquire(cacheFor(memo));
    }

    private Envelope acquire(final Cache cache)
    {
        if (cache.loaded.isEmpty())
        {
            if (!cache.previous.isEmpty())
            {
                cache.swap();
            }
            else
            {
                // The ring's poll (acquire) pairs with the offer (release) of the thread that filled it:
                // its pushes, and the envelopes' last clearing, happen-before our pops. Relaxed: a
                // magazine whose offer is half done (its thread preempted between claiming the slot and
                // publishing it) is not waited for; one envelope is made instead. A plain poll would spin
                // until that thread runs again: on two busy cores, most of a publisher's time.
                final Magazine loaded = full.relaxedPoll();
                if (loaded == null)
                {
                    return newEnvelope();
                }
                empty.relaxedOffer(cache.previous); // refused (full, or a slot not yet freed): this one goes to the GC
                cache.previous = cache.loaded;
                cache.loaded = loaded;
            }
        }
        return cache.loaded.pop();
    }

    void recycle(final Envelope envelope)
    {
        recycle(envelope, caches.get());
    }

    /** {@link #recycle(Envelope)} through the caller's memo of its thread's cache. */
    void recycle(final Envelope envelope, final Memo memo)
    {
        recycle(envelope, cacheFor(memo));
    }

    private void recycle(final Envelope envelope, final Cache cache)
    {
        if (cache.loaded.isFull())
        {
            if (!cache.previous.isFull())
            {
                cache.swap();
            }
            else
            {
                // Relaxed, as in acquire. Refused (the depot full, or its slot not yet freed by a preempted
                // poller): this one envelope goes to the GC, and both magazines stay.
                if (!full.relaxedOffer(cache.previous))
                {
                    return;
                }
                final Magazine spare = empty.relaxedPoll();
                cache.previous = cache.loaded;
                cache.loaded = spare != null ? spare : new Magazine();
            }
        }
        cache.loaded.push(envelope);
    }

    /** The broker closed: envelopes stop returning here, so that no thread's cache keeps the pool alive. */
    void close()
    {
        home.pool = null;
        caches.remove(); // the closing thread's own entry goes at once; other threads' go once the pool is collected
    }

    /** @return the most idle envelopes the depot keeps, as configured. */
    int capacity()
    {
        return capacity;
    }

    /** @return envelopes created since the broker started (prefill included). */
    long allocated()
    {
        return allocated.get();
    }

    private Envelope newEnvelope()
    {
        allocated.incrementAndGet();
        return new Envelope(home);
    }
}
