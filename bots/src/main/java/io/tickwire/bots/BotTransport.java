package io.tickwire.bots;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * The socket transport the bots' event loops use. {@link #AUTO} picks the first available of {@link #EPOLL} and
 * {@link #NIO}. Measured with the swarm pinned to one core (docs/PERFORMANCE.md, "The bot swarm's own cost"),
 * io_uring cost the swarm no less per bot-tick than epoll: its batched submissions save system calls, not the
 * loopback TCP work that makes up the swarm's kernel time; and with Netty's default completion queue it overflowed at
 * 1000 connections and starved the loop's 1 ms cycle, so it is opt-in, with a larger completion queue. Over epoll
 * without TLS a bot writes its frames straight to its socket ({@link BotHandler#flush()}; a cycle's in one io_uring
 * submission, {@link BotWrites}); over the others, through
 * the channel. Every transport's loop is paced to the cycle ({@link io.tickwire.io.PacedIoHandler}).
 * <p>
 * Stateless; thread safe.
 */
public enum BotTransport
{
    /** The first available of {@link #EPOLL} and {@link #NIO}. */
    AUTO,

    /** Netty's native epoll transport (Linux). */
    EPOLL,

    /** Netty's native io_uring transport (Linux 5.14 and later). */
    IO_URING,

    /** Java's NIO selector: every platform. */
    NIO;

    /**
     * Completion queue entries of an io_uring loop: a tick's snapshots to thousands of bots complete at once, and
     * the queue Netty sizes from its default 4096-entry ring overflowed at 1000 connections.
     */
    static final int IO_URING_CQ_SIZE = 1 << 16;

    /** Spelled as the server's {@code --transport} spells it, underscore included. */
    private final String cliName = name().toLowerCase(Locale.ROOT);

    /**
     * @return the name on the command line and in the report: {@code auto}, {@code epoll}, {@code io_uring} or
     * {@code nio}.
     */
    public String cliName()
    {
        return cliName;
    }

    /**
     * @return the transport this one runs as: itself, or for {@link #AUTO} the first available of epoll and nio.
     * @throws IllegalStateException when this transport is not available on this machine, with the reason.
     */
    public BotTransport resolve()
    {
        switch (this)
        {
            case AUTO:
                return Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL:
                requireAvailable(Epoll.isAvailable(), Epoll::unavailabilityCause);
                return this;
            case IO_URING:
                requireAvailable(IoUring.isAvailable(), IoUring::unavailabilityCause);
                return this;
            default:
                return this;
        }
    }

    /**
     * @return the factory of the event loops' I/O handlers; call on a resolved transport.
     */
    IoHandlerFactory ioHandlerFactory()
    {
        switch (this)
        {
            case EPOLL:
                return EpollIoHandler.newFactory();
            case IO_URING:
                return IoUringIoHandler.newFactory(new IoUringIoHandlerConfig().setCqSize(IO_URING_CQ_SIZE));
            case NIO:
                return NioIoHandler.newFactory();
            default:
                throw new IllegalStateException("resolve the transport first");
        }
    }

    /**
     * @return the class of the bots' client channels; call on a resolved transport.
     */
    Class<? extends SocketChannel> channelClass()
    {
        switch (this)
        {
            case EPOLL:
                return EpollSocketChannel.class;
            case IO_URING:
                return IoUringSocketChannel.class;
            case NIO:
                return NioSocketChannel.class;
            default:
                throw new IllegalStateException("resolve the transport first");
        }
    }

    /**
     * @param cliName a name as {@link #cliName()} gives it.
     * @return the transport of that name.
     * @throws IllegalArgumentException when no transport has that name.
     */
    public static BotTransport fromCliName(final String cliName)
    {
        for (final BotTransport transport : values())
        {
            if (transport.cliName.equals(cliName))
            {
                return transport;
            }
        }
        throw new IllegalArgumentException("transport must be one of auto|epoll|io_uring|nio: " + cliName);
    }

    private void requireAvailable(final boolean available, final Supplier<Throwable> cause)
    {
        if (!available)
        {
            throw new IllegalStateException(cliName + " is not available here: " + cause.get());
        }
    }
}
