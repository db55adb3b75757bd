package io.ringmq.routing.table;

import java.util.Arrays;
import java.util.Objects;

/**
 * Caller-owned, reusable result of one {@link RoutingTable#route}: the de-duplicated destination
 * queues, plus the scratch space a route needs so that routing allocates nothing.
 *
 * <p><b>Not thread-safe: one per publishing thread.</b> Each route overwrites it, so read the result
 * before routing again.
 *
 * <p>How it stays allocation-free: de-duplication uses <em>epoch stamps</em> indexed by each queue's
 * dense id instead of a hash set. {@link #clear} starts a new epoch; {@link #add} keeps a queue only
 * when its stamp differs from the current epoch, and then stamps it. No hashing, no clearing of the
 * stamp array per route, and the array grows only when a higher queue id is first seen. Exchanges
 * visited by an exchange-to-exchange walk are stamped the same way, the worklist of exchanges still
 * to visit is a reused array, and the word boundaries of a topic routing key go into reused
 * {@code int[]}s, beside the memo that keeps topic matching polynomial ({@link #enterHashLoop}).
 * After warm-up (the arrays at their high-water mark) a route writes only into these.
 *
 * <p>Why reusing across tables and snapshots is safe: every route starts a new epoch, and ids are
 * unique among the live queues (and exchanges) of the one snapshot a route reads.
 *
 * <p>Why the result is queue ids, not queues: this set lives as long as its thread, so under G1 it
 * is in an old region, and each reference stored into it may run the card-marking post-write
 * barrier's StoreLoad fence, which stalls the next route's loads (measured: a 100k-binding direct
 * route ~4&times; {@code HashMap.get} under G1, ~3&times; under the Parallel collector, whose barrier
 * has no fence). So a route stores only {@code int}s and, when it changes, the snapshot it read;
 * {@link #get} maps an id back to its queue through that snapshot's {@link QueuesById}, so the
 * answer comes from the very snapshot the route saw even if the id has since been recycled.
 *
 * @param <Q> the engine's queue type.
 */
public final class DestinationSet<Q>
{
    /**
     * A routing key holds at most 255 UTF-8 bytes, so at most 255 {@code '.'}s: 256 words. (The
     * word count bounds the topic matcher's recursion.)
     */
    static final int MAX_WORDS = Names.MAX_SHORT_STRING_BYTES + 1;

    /** {@link QueueNode#id}s of the destinations, in the order found. */
    private int[] queueIds = new int[16];
    private int size;
    /**
     * The snapshot the last route read, for {@link #get}; written only when it changes (see the class
     * comment). It keeps that snapshot reachable until a route reads another, as the memo needs anyway.
     */
    private Snapshot<Q> snapshot;

    private int[] queueStamps = new int[64];
    private int[] exchangeStamps = new int[16];
    private int epoch;

    /** Exchanges found but not yet walked in this route (a stack; see {@link #push}). */
    private ExchangeNode<?>[] pending = new ExchangeNode<?>[8];
    private int pendingCount;

    /** Topic words of the current routing key, allocated on the first topic route; see {@link #splitWords}. */
    private int[] wordStart;
    private int[] wordEnd;
    private int[] wordHash;
    /** Number of words, or -1 while the current routing key is not split yet. */
    private int wordCount = -1;

    /**
     * The topic {@code #}-loop memo (see {@link TopicNode}): per {@code #} node id, the epoch of the
     * topic match that last ran its loop and the lowest word it ran from. Its own epoch, because ids
     * are unique only within one exchange and a route may match several topic exchanges.
     */
    private int[] hashLoopStamps = new int[8];
    private int[] hashLoopFrom = new int[8];
    private int hashLoopEpoch = 1;

    /**
     * The route this set holds, when {@link #memoValid} (see {@link #isMemoOf}), in {@link #snapshot}.
     * The fields keep their values across routes and are written only when they change, for the
     * barrier's sake (class comment); a publisher's exchange name rarely changes. The routing key is
     * remembered only once it came twice in a row ({@link #lastKeyHash}, an {@code int}, tells), so a
     * publisher cycling through keys stores no reference per route, and one repeating its key has it
     * memoized from the third route on.
     */
    private boolean memoValid;
    private String memoExchange;
    private String memoRoutingKey;
    /** {@code String.hashCode} of the last routing key not memoized. */
    private int lastKeyHash;
    private boolean memoInternalAllowed;
    private boolean headersConsulted;

    /**
     * The exchange a route of {@link #firstExchangeSnapshot} named {@link #firstExchangeName} starts
     * from: see {@link #firstExchange}. Written only when it changes, for the barrier's sake (class comment).
     */
    private Snapshot<Q> firstExchangeSnapshot;
    private String firstExchangeName;
    private ExchangeNode<Q> firstExchange;

    /** Creates an empty set. */
    public DestinationSet()
    {
        // Stamps start at 0, so the first epoch must not be 0.
        this.epoch = 1;
    }

    /** @return the number of distinct destination queues of the last route. */
    public int size()
    {
        return size;
    }

    /** @return whether the last route reached no queue. */
    public boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * @param index {@code 0 <= index < size()}; the order is unspecified.
     * @return the destination queue at {@code index}.
     * @throws IndexOutOfBoundsException when {@code index} is out of range.
     */
    public Q get(final int index)
    {
        Objects.checkIndex(index, size);
        return snapshot.queuesById.get(queueIds[index]);
    }

    @Override
    public String toString()
    {
        final Object[] queues = new Object[size];
        for (int i = 0; i < size; i++)
        {
            queues[i] = get(i);
        }
        return "DestinationSet" + Arrays.toString(queues);
    }

    /**
     * @return true when this set holds the route of exactly this publish in exactly this snapshot:
     * the same String instances (so no comparison is needed) and no headers exchange on the way (whose
     * answer depends on the message's headers). Only the owning thread calls it.
     */
    boolean isMemoOf(final Snapshot<Q> snapshot, final String exchange, final String routingKey, final boolean internalAllowed)
    {
        return memoValid && this.snapshot == snapshot && memoExchange == exchange && memoRoutingKey == routingKey &&
            memoInternalAllowed == internalAllowed;
    }

    /**
     * Records the route just computed (in the snapshot given to {@link #clear}) as reusable, unless a
     * headers exchange was consulted or the key is not seen repeating yet.
     */
    void memoize(final String exchange, final String routingKey, final boolean internalAllowed)
    {
        if (headersConsulted)
        {
            return;
        }
        if (memoRoutingKey != routingKey)
        {
            // String.hashCode is cached, and the route has computed it already.
            final int hash = routingKey.hashCode();
            if (hash != lastKeyHash)
            {
                lastKeyHash = hash;
                return;
            }
            memoRoutingKey = routingKey;
        }
        if (memoExchange != exchange)
        {
            memoExchange = exchange;
        }
        memoInternalAllowed = internalAllowed;
        memoValid = true;
    }

    /**
     * Looks up the exchange a route starts from, remembering the last answer: a publisher sends to the
     * same exchange again and again, and comparing its name with the last one (equals, so a name
     * decoded afresh from every frame matches too) costs less than hashing it and walking the
     * snapshot's exchange map. Valid in one snapshot only: a snapshot is immutable, and any writer
     * call publishes a new one.
     *
     * @return the exchange {@code name} in {@code snapshot}, or {@code null} when there is none.
     */
    ExchangeNode<Q> firstExchange(final Snapshot<Q> snapshot, final String name)
    {
        if (snapshot == firstExchangeSnapshot && name.equals(firstExchangeName))
        {
            return firstExchange;
        }
        final ExchangeNode<Q> node = snapshot.exchanges.get(name);
        if (node != null)
        {
            firstExchangeSnapshot = snapshot;
            firstExchangeName = name;
            firstExchange = node;
        }
        return node;
    }

    /** A headers exchange was walked: this route depends on the message's headers, not only on its key. */
    void markHeadersConsulted()
    {
        headersConsulted = true;
    }

    /**
     * Empties the set and starts a new route in {@code snapshot}: a new epoch, so every stamp of the
     * previous route is stale, the routing key not split yet, and the memo invalid until the route is done.
     */
    void clear(final Snapshot<Q> snapshot)
    {
        memoValid = false;
        headersConsulted = false;
        if (this.snapshot != snapshot)
        {
            this.snapshot = snapshot;
        }
        size = 0;
        while (pendingCount > 0)
        {
            pending[--pendingCount] = null;
        }
        wordCount = -1;
        if (++epoch == 0)
        {
            // Wrapped after 2^32 routes: a stamp written 2^32 routes ago would now look current.
            Arrays.fill(queueStamps, 0);
            Arrays.fill(exchangeStamps, 0);
            epoch = 1;
        }
    }

    /**
     * Adds a queue unless this route already added it.
     *
     * @return whether it was added.
     */
    boolean add(final QueueNode<Q> queue)
    {
        return add(queue.id);
    }

    /**
     * As {@link #add(QueueNode)}, given the node's id (an {@link ExactKeyIndex.Entry} keeps a copy),
     * which must be a queue of the snapshot given to {@link #clear}.
     */
    boolean add(final int id)
    {
        if (id >= queueStamps.length)
        {
            queueStamps = Arrays.copyOf(queueStamps, Math.max(id + 1, 2 * queueStamps.length));
        }
        if (queueStamps[id] == epoch)
        {
            return false;
        }
        queueStamps[id] = epoch;
        if (size == queueIds.length)
        {
            queueIds = Arrays.copyOf(queueIds, 2 * size);
        }
        queueIds[size++] = id;
        return true;
    }

    /**
     * Stamps an exchange as visited by this route.
     *
     * @return {@code true} the first time in this route, {@code false} afterwards (a cycle or a second path).
     */
    boolean markVisited(final int exchangeId)
    {
        if (exchangeId >= exchangeStamps.length)
        {
            exchangeStamps = Arrays.copyOf(exchangeStamps, Math.max(exchangeId + 1, 2 * exchangeStamps.length));
        }
        if (exchangeStamps[exchangeId] == epoch)
        {
            return false;
        }
        exchangeStamps[exchangeId] = epoch;
        return true;
    }

    /** Remembers an exchange of the current snapshot to walk later in this route. */
    void push(final ExchangeNode<Q> exchange)
    {
        if (pendingCount == pending.length)
        {
            pending = Arrays.copyOf(pending, 2 * pendingCount);
        }
        pending[pendingCount++] = exchange;
    }

    /** @return the next exchange to walk, or {@code null} when the walk is done. */
    @SuppressWarnings("unchecked")
    ExchangeNode<Q> pop()
    {
        if (pendingCount == 0)
        {
            return null;
        }
        final ExchangeNode<Q> next = (ExchangeNode<Q>) pending[--pendingCount];
        // Drop the reference: the set outlives the snapshot the node belongs to.
        pending[pendingCount] = null;
        return next;
    }

    /**
     * Splits {@code routingKey} into topic words once per route (a route may cross several topic
     * exchanges), recording each word's char range and {@code String.hashCode} so that the trie
     * looks words up without substrings. The split rule is {@link TopicWords}'s.
     *
     * @param routingKey at most 255 UTF-8 bytes (checked by the route), hence at most {@link #MAX_WORDS} words.
     * @return the number of words.
     */
    int splitWords(final String routingKey)
    {
        if (wordCount >= 0)
        {
            return wordCount;
        }
        if (wordStart == null)
        {
            wordStart = new int[MAX_WORDS];
            wordEnd = new int[MAX_WORDS];
            wordHash = new int[MAX_WORDS];
        }
        final int length = routingKey.length();
        int n = 0;
        if (length > 0)
        {
            int start = 0;
            int h = 0;
            for (int i = 0; i < length; i++)
            {
                final char c = routingKey.charAt(i);
                if (c == '.')
                {
                    wordStart[n] = start;
                    wordEnd[n] = i;
                    wordHash[n] = h;
                    n++;
                    start = i + 1;
                    h = 0;
                }
                else
                {
                    h = 31 * h + c;
                }
            }
            wordStart[n] = start;
            wordEnd[n] = length;
            wordHash[n] = h;
            n++;
        }
        wordCount = n;
        return n;
    }

    /** Starts the {@code #}-loop memo of one topic exchange's match. */
    void beginTopicMatch()
    {
        if (++hashLoopEpoch == 0)
        {
            Arrays.fill(hashLoopStamps, 0);
            hashLoopEpoch = 1;
        }
    }

    /**
     * Decides whether a {@code #} node's loop must run from word {@code from}: not when, in this topic
     * match, it already ran from a word at or before {@code from} (that run covered every word this
     * one would try).
     *
     * @return whether to run the loop; if so, {@code from} is recorded.
     */
    boolean enterHashLoop(final int hashNodeId, final int from)
    {
        if (hashNodeId >= hashLoopStamps.length)
        {
            final int length = Math.max(hashNodeId + 1, 2 * hashLoopStamps.length);
            hashLoopStamps = Arrays.copyOf(hashLoopStamps, length);
            hashLoopFrom = Arrays.copyOf(hashLoopFrom, length);
        }
        if (hashLoopStamps[hashNodeId] == hashLoopEpoch && hashLoopFrom[hashNodeId] <= from)
        {
            return false;
        }
        hashLoopStamps[hashNodeId] = hashLoopEpoch;
        hashLoopFrom[hashNodeId] = from;
        return true;
    }

    /** For the test of the wrap-around: jumps to {@code epoch} as if that many routes had passed. */
    void setEpochForTest(final int epoch)
    {
        this.epoch = epoch;
    }

    int wordCount()
    {
        return wordCount;
    }

    int wordStart(final int word)
    {
        return wordStart[word];
    }

    int wordEnd(final int word)
    {
        return wordEnd[word];
    }

    int wordHash(final int word)
    {
        return wordHash[word];
    }
}
