package io.tickwire.net;

/**
 * How the event loops do their I/O.
 *
 * @param transport the Netty transport of the sockets.
 * @param pacing    when an event loop looks at its sockets.
 */
public record IoConfig(Transport transport, Pacing pacing)
{
    /**
     * The socket transport. {@link #AUTO} takes the one measured cheapest here when the system offers it (see
     * docs/PERFORMANCE.md), else the next: io_uring, then epoll, then NIO; the server logs which runs and why.
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

    public IoConfig
    {
        if (transport == null || pacing == null)
        {
            throw new IllegalArgumentException("transport and pacing must be set");
        }
    }

    /**
     * @return the defaults: the measured transport, paced to ticks.
     */
    public static IoConfig defaults()
    {
        return new IoConfig(Transport.AUTO, Pacing.TICK);
    }
}
