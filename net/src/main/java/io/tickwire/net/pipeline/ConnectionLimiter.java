package io.tickwire.net.pipeline;

import io.tickwire.net.Refusal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the connections open at once, in total and per IP address. {@link #tryAcquire} at accept, {@link #release}
 * when an accepted connection closes. Thread safe and lock-free; an address's entry is dropped when its last
 * connection closes, so the map holds at most one entry per open connection.
 */
public final class ConnectionLimiter
{
    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<InetAddress, AtomicInteger> openByAddress = new ConcurrentHashMap<>();

    public ConnectionLimiter(final int maxConnections, final int maxPerAddress)
    {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    /**
     * @return null when the connection may open (then {@link #release} it when it closes), else why not.
     */
    public Refusal tryAcquire(final InetAddress address)
    {
        if (open.incrementAndGet() > maxConnections)
        {
            open.decrementAndGet();
            return Refusal.TOO_MANY_CONNECTIONS;
        }
        while (true)
        {
            final AtomicInteger count = openByAddress.computeIfAbsent(address, key -> new AtomicInteger());
            final int before = count.get();
            if (before < 0)
            {
                continue; // being removed by release: take a fresh entry
            }
            if (before >= maxPerAddress)
            {
                open.decrementAndGet();
                return Refusal.TOO_MANY_FROM_ADDRESS;
            }
            if (count.compareAndSet(before, before + 1))
            {
                return null;
            }
        }
    }

    /**
     * Releases a connection {@link #tryAcquire} let open.
     */
    public void release(final InetAddress address)
    {
        open.decrementAndGet();
        final AtomicInteger count = openByAddress.get(address);
        if (count != null && count.decrementAndGet() == 0 && count.compareAndSet(0, -1))
        {
            openByAddress.remove(address, count);
        }
    }

    /**
     * @return connections open now, as counted here.
     */
    public int open()
    {
        return open.get();
    }
}
