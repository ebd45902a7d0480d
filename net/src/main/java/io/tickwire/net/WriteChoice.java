package io.tickwire.net;

import io.netty.channel.uring.IoUring;
import io.tickwire.io.SendRing;

/**
 * How the event loops write their snapshots, chosen once at start from {@link IoConfig.Writes} and the transport
 * that runs, with the reason, which the server logs. Batched writes ({@link SendRing}) need the epoll transport,
 * whose sessions write straight to their sockets, and a system that offers io_uring; otherwise, and when asked for,
 * each frame is written by itself.
 *
 * @param batched whether each epoll loop batches a drain's snapshot writes through io_uring.
 * @param reason  why: asked for, the measured default, or a fallback and its cause.
 */
record WriteChoice(boolean batched, String reason)
{
    /**
     * @param transportName the transport that runs ({@link TransportChoice#name()}).
     * @return the writes to run for {@code wanted}.
     */
    static WriteChoice choose(final IoConfig.Writes wanted, final String transportName)
    {
        if (wanted == IoConfig.Writes.DIRECT)
        {
            return new WriteChoice(false, "asked for");
        }
        final String fallback = wanted == IoConfig.Writes.AUTO ? "auto" : "fallback";
        if (!"epoll".equals(transportName))
        {
            return new WriteChoice(false, fallback + "; the " + transportName + " transport writes through its " +
                "channels, batched writes need epoll's");
        }
        if (!IoUring.isAvailable())
        {
            return new WriteChoice(false, fallback + "; io_uring unavailable (" + IoUring.unavailabilityCause() + ")");
        }
        return new WriteChoice(true, wanted == IoConfig.Writes.AUTO ? "the measured default" : "asked for");
    }

    /**
     * @return the writes in words, for the log.
     */
    String describe()
    {
        return batched ? "batched, a drain's snapshots in one io_uring submission" : "a write(2) per frame";
    }
}
