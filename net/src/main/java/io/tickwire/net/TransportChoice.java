package io.tickwire.net;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.ArrayList;
import java.util.List;

/**
 * The Netty transport a server runs, chosen once at start from {@link IoConfig.Transport}, with the reason, which
 * the server logs. {@link IoConfig.Transport#AUTO} takes the first available of {@link #AUTO_ORDER}, the order
 * measured on the reference workload (docs/PERFORMANCE.md, "Transports"); an explicit transport the system lacks
 * (no native library, an old kernel, io_uring turned off by {@code kernel.io_uring_disabled} or a seccomp filter)
 * falls back along the same order, and the reason says so.
 *
 * @param name          the transport's name in logs and {@code /server}: io_uring, epoll or nio.
 * @param handlers      makes each event loop's I/O handler.
 * @param serverChannel the listening channel's class.
 * @param reason        why this transport runs.
 */
record TransportChoice(
    String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel, String reason)
{
    /** {@link IoConfig.Transport#AUTO}'s preference, cheapest first by measurement. */
    static final List<IoConfig.Transport> AUTO_ORDER =
        List.of(IoConfig.Transport.EPOLL, IoConfig.Transport.IO_URING, IoConfig.Transport.NIO);

    /**
     * @return the transport to run for {@code wanted}.
     */
    static TransportChoice choose(final IoConfig.Transport wanted)
    {
        final List<IoConfig.Transport> order = new ArrayList<>();
        if (wanted != IoConfig.Transport.AUTO)
        {
            order.add(wanted);
        }
        for (final IoConfig.Transport transport : AUTO_ORDER)
        {
            if (!order.contains(transport))
            {
                order.add(transport);
            }
        }

        final List<String> unavailable = new ArrayList<>();
        for (final IoConfig.Transport transport : order)
        {
            final Throwable cause = unavailabilityCause(transport);
            if (cause != null)
            {
                unavailable.add(name(transport) + " unavailable (" + cause + ")");
                continue;
            }
            final String why = transport == wanted ? "asked for" :
                wanted == IoConfig.Transport.AUTO && unavailable.isEmpty() ? "the measured default" :
                "fallback";
            final String reason = unavailable.isEmpty() ? why : why + "; " + String.join("; ", unavailable);
            return of(transport, reason);
        }
        throw new IllegalStateException("no transport: " + unavailable);
    }

    /**
     * Limits the unsent bytes the kernel queues for {@code channel} ({@code TCP_NOTSENT_LOWAT}) where the transport
     * can set it; NIO cannot, so there the kernel's own limit stays.
     */
    static void limitUnsentBytes(final Channel channel, final long bytes)
    {
        if (channel instanceof EpollSocketChannel)
        {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, bytes);
        }
        else if (channel instanceof IoUringSocketChannel)
        {
            channel.config().setOption(IoUringChannelOption.TCP_NOTSENT_LOWAT, bytes);
        }
    }

    private static Throwable unavailabilityCause(final IoConfig.Transport transport)
    {
        return switch (transport)
        {
            case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
            case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
            default -> null;
        };
    }

    private static TransportChoice of(final IoConfig.Transport transport, final String reason)
    {
        return switch (transport)
        {
            case IO_URING -> new TransportChoice(
                name(transport), IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class, reason);
            case EPOLL -> new TransportChoice(
                name(transport), EpollIoHandler.newFactory(), EpollServerSocketChannel.class, reason);
            default -> new TransportChoice(
                name(transport), NioIoHandler.newFactory(), NioServerSocketChannel.class, reason);
        };
    }

    private static String name(final IoConfig.Transport transport)
    {
        return transport.name().toLowerCase(java.util.Locale.ROOT);
    }
}
