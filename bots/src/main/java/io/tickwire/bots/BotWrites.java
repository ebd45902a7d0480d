package io.tickwire.bots;

import io.netty.channel.uring.IoUring;

import java.util.Locale;

/**
 * How the bots of an event loop write: each bot's frames of a cycle in a {@code write(2)} of their own, or all the
 * cycle's frames in one io_uring submission ({@link io.tickwire.io.SendRing}), as the server writes its snapshots.
 * Batched writes need the epoll transport, whose bots write straight to their sockets, and a system that offers
 * io_uring. {@link #AUTO} batches where it can: measured with the swarm pinned to one core, a submission a cycle cost
 * less per bot-tick than a write per bot (docs/PERFORMANCE.md, "Fifteenth pass").
 * <p>
 * Stateless; thread safe.
 */
public enum BotWrites
{
    /** {@link #BATCHED} where it can run, else {@link #DIRECT}. */
    AUTO,

    /** The frames of a cycle in one io_uring submission. */
    BATCHED,

    /** A {@code write(2)} per bot and cycle. */
    DIRECT;

    private final String cliName = name().toLowerCase(Locale.ROOT);

    /**
     * @return the name on the command line and in the report: {@code auto}, {@code batched} or {@code direct}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @param transport the transport that runs, resolved.
     * @return whether the event loops batch their bots' writes.
     * @throws IllegalStateException when {@link #BATCHED} cannot run here, with the reason.
     */
    public boolean batches(final BotTransport transport)
    {
        if (this == DIRECT)
        {
            return false;
        }
        final String cause = transport != BotTransport.EPOLL ?
            "the " + transport.cliName() + " transport writes through its channels, batched writes need epoll's" :
            IoUring.isAvailable() ? null : "io_uring unavailable (" + IoUring.unavailabilityCause() + ")";
        if (cause != null && this == BATCHED)
        {
            throw new IllegalStateException("batched writes cannot run here: " + cause);
        }
        return cause == null;
    }

    /**
     * @param cliName a name as {@link #cliName()} gives it.
     * @return the writes of that name.
     * @throws IllegalArgumentException when none has that name.
     */
    public static BotWrites fromCliName(final String cliName)
    {
        for (final BotWrites writes : values())
        {
            if (writes.cliName.equals(cliName))
            {
                return writes;
            }
        }
        throw new IllegalArgumentException("writes must be one of auto|batched|direct: " + cliName);
    }
}
