package io.ringmq.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An unbounded, lock-free, multi-producer multi-consumer FIFO queue (Michael and Scott's linked
 * queue) with {@link #pollIf}: the head is taken only when a condition accepts it, atomically with
 * respect to every other poller.
 * <p>
 * It holds the requeued messages of queues with policies: a requeue must never fail for want of
 * room, and a TTL sweeper must be able to remove an expired head without disturbing the others.
 * Each offer allocates one node; requeues are the rare path, so that is accepted here.
 * <p>
 * <b>Layout:</b> {@code head} is a dummy node; the first element is in {@code head.next}. A poller
 * reads that node's item, tests it, then CASes {@code head} to that node, which becomes the new
 * dummy. Only the CAS winner takes the item, so the test-then-take is atomic. Nodes are never
 * reused, so a stale {@code head} can never be mistaken for a current one (no ABA).
 *
 * @param <E> the element type; null is not an element.
 */
public final class LinkedMpmcQueue<E>
{
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle NEXT;
    private static final VarHandle ITEM;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(LinkedMpmcQueue.class, "head", Node.class);
            TAIL = lookup.findVarHandle(LinkedMpmcQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
            ITEM = lookup.findVarHandle(Node.class, "item", Object.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private static final class Node
    {
        @SuppressWarnings("unused")
        volatile Object item;
        @SuppressWarnings("unused")
        volatile Node next;

        Node(final Object item)
        {
            ITEM.set(this, item); // plain: published by the CAS that links the node
        }
    }

    @SuppressWarnings("unused")
    private volatile Node head;
    @SuppressWarnings("unused")
    private volatile Node tail;

    public LinkedMpmcQueue()
    {
        final Node dummy = new Node(null);
        HEAD.set(this, dummy);
        TAIL.set(this, dummy);
    }

    /** Any thread: appends {@code element}; never fails. */
    public void offer(final E element)
    {
        Objects.requireNonNull(element, "element");
        final Node node = new Node(element);
        while (true)
        {
            final Node last = lvTail();
            final Node next = lvNext(last);
            if (last != lvTail())
            {
                continue;
            }
            if (next == null)
            {
                // The volatile CAS publishes the node's item to whoever reads next with volatile semantics.
                if (NEXT.compareAndSet(last, null, node))
                {
                    TAIL.compareAndSet(this, last, node); // may fail: someone helped already
                    return;
                }
            }
            else
            {
                TAIL.compareAndSet(this, last, next); // help a producer that linked but did not swing the tail
            }
        }
    }

    /** Any thread: @return the head, removed, or null when empty. */
    public E poll()
    {
        return pollIf(null);
    }

    /**
     * Any thread: removes and returns the head if {@code condition} accepts it. As with
     * {@link MpmcRing#pollIf}, the condition may see an element that another poller takes at the
     * same moment: it must have no side effect and tolerate that.
     *
     * @param condition null accepts every element.
     * @return the removed head, or null when empty or when the condition refused the head.
     */
    @SuppressWarnings("unchecked")
    public E pollIf(final Predicate<? super E> condition)
    {
        while (true)
        {
            final Node first = lvHead();
            final Node last = lvTail();
            final Node next = lvNext(first);
            if (first != lvHead())
            {
                continue;
            }
            if (next == null)
            {
                return null;
            }
            if (first == last)
            {
                TAIL.compareAndSet(this, last, next); // the tail lags behind a linked node: help it on
                continue;
            }
            final E item = (E)ITEM.getVolatile(next);
            if (item == null)
            {
                continue; // a winner took it and cleared it: head has moved
            }
            if (condition != null && !condition.test(item))
            {
                if (first == lvHead())
                {
                    return null;
                }
                continue;
            }
            if (HEAD.compareAndSet(this, first, next))
            {
                // next is the new dummy; pollers still holding the old head see null and retry.
                ITEM.setVolatile(next, null);
                return item;
            }
        }
    }

    /** @return true when no element is queued (a snapshot). */
    public boolean isEmpty()
    {
        return lvNext(lvHead()) == null;
    }

    /** @return the number of elements, counted by walking the list: O(n), for management only. */
    public int size()
    {
        int count = 0;
        for (Node node = lvNext(lvHead()); node != null && count < Integer.MAX_VALUE; node = lvNext(node))
        {
            if (ITEM.getVolatile(node) != null)
            {
                count++;
            }
        }
        return count;
    }

    private Node lvHead()
    {
        return (Node)HEAD.getVolatile(this);
    }

    private Node lvTail()
    {
        return (Node)TAIL.getVolatile(this);
    }

    private static Node lvNext(final Node node)
    {
        return (Node)NEXT.getVolatile(node);
    }
}
