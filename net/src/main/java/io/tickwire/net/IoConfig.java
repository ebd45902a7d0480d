package io.tickwire.net;

/**
 * How the event loops do their I/O.
 *
 * @param transport the Netty transport of the sockets.
 * @param pacing    when an event loop looks at its sockets.
 * @param writes    how an epoll event loop writes the snapshots of a drain.
 */
public record IoConfig(Transport transport, Pacing pacing, Writes writes)
{
    /**
     * The socket transport. {@link #AUTO} takes the one measured cheapest here when the system offers it (see
     * docs/PERFORMANCE.md), else the next: epoll, then io_uring, then NIO; the server logs which runs and why.
     */
    public enum Transport
    {
        AUTO, IO_URING, EPOLL, NIO
    }

    /**
     * When an event loop reads its sockets.
     */
    public enum Pacing
    {
        /**
         * Once per shard tick, right before the tick, and when a shard hands it snapshots or another thread a task
         * ({@link io.tickwire.io.PacedIoHandler}): a few wake-ups per tick however many clients the loop serves.
         */
        TICK,
        /** Whenever a socket turns readable: a wake-up per arriving message when clients are many and spread. */
        INPUT
    }

    /**
     * How an epoll event loop writes the snapshots of a drain ({@link EventLoopOutbound}) that go straight to their
     * sockets. Other transports write through their own channels.
     */
    public enum Writes
    {
        /** {@link #BATCHED} where it can run (the epoll transport, a system that offers io_uring), else {@link #DIRECT}. */
        AUTO,
        /** All of a drain's snapshots in one io_uring submission ({@link io.tickwire.io.SendRing}). */
        BATCHED,
        /** A {@code write(2)} per snapshot. */
        DIRECT
    }

    public IoConfig
    {
        if (transport == null || pacing == null || writes == null)
        {
            throw new IllegalArgumentException("transport, pacing and writes must be set");
        }
    }

    /**
     * Settings whose writes are {@link Writes#AUTO}.
     */
    public IoConfig(final Transport transport, final Pacing pacing)
    {
        this(transport, pacing, Writes.AUTO);
    }

    /**
     * @return the defaults: the measured transport, paced to ticks, the measured writes.
     */
    public static IoConfig defaults()
    {
        return new IoConfig(Transport.AUTO, Pacing.TICK, Writes.AUTO);
    }
}
