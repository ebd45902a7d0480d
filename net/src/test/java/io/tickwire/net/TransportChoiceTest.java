package io.tickwire.net;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The transport a server runs: auto takes the measured order's first available, an explicit choice runs when the
 * system offers it, and the reason the server logs says which case it was.
 */
class TransportChoiceTest
{
    @Test
    void autoRunsTheFirstAvailableOfTheMeasuredOrderAndSaysSo()
    {
        assumeTrue(Epoll.isAvailable(), "the measured order starts with epoll");

        final TransportChoice choice = TransportChoice.choose(IoConfig.Transport.AUTO);

        assertEquals(IoConfig.Transport.EPOLL, TransportChoice.AUTO_ORDER.get(0));
        assertEquals("epoll", choice.name());
        assertEquals(EpollServerSocketChannel.class, choice.serverChannel());
        assertEquals("the measured default", choice.reason());
    }

    @Test
    void anExplicitTransportRunsWhenOffered()
    {
        final TransportChoice nio = TransportChoice.choose(IoConfig.Transport.NIO);
        assertEquals("nio", nio.name());
        assertEquals(NioServerSocketChannel.class, nio.serverChannel());
        assertEquals("asked for", nio.reason());

        assumeTrue(IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        final TransportChoice uring = TransportChoice.choose(IoConfig.Transport.IO_URING);
        assertEquals("io_uring", uring.name());
        assertEquals(IoUringServerSocketChannel.class, uring.serverChannel());
        assertEquals("asked for", uring.reason());
    }

    @Test
    void anUnavailableTransportFallsBackAlongTheMeasuredOrderNamingTheCause()
    {
        assumeTrue(!IoUring.isAvailable() && Epoll.isAvailable(), "only where io_uring is missing and epoll is not");

        final TransportChoice choice = TransportChoice.choose(IoConfig.Transport.IO_URING);

        assertEquals("epoll", choice.name());
        assertTrue(choice.reason().startsWith("fallback; io_uring unavailable ("), choice.reason());
    }
}
