package io.tickwire.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pass's contract with a {@link SocketReadPass.Reader}, whatever reads the bytes: each byte once and in order;
 * a reader done goes back to Netty and gets nothing more; the end of the stream hands the connection back; a read
 * error is reported and closes it; a closed socket is never read. A real epoll connection, its peer a plain socket
 * the test writes to, and the pass run on the connection's loop when the test asks.
 */
@Timeout(30)
class SocketReadPassTest
{
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SocketReadPass pass = new SocketReadPass(ByteBufAllocator.DEFAULT);
    private EventLoopGroup group;
    private ServerSocket listener;
    private java.net.Socket peer;
    private Channel channel;
    private RecordingReader reader;

    @BeforeEach
    void connect() throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "the read pass reads epoll sockets only");
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        channel = connectChannel();
        peer = listener.accept();
        reader = attach(channel);
    }

    private Channel connectChannel() throws InterruptedException
    {
        return new Bootstrap().group(group).channel(EpollSocketChannel.class)
            .handler(new ChannelInboundHandlerAdapter())
            .connect(new InetSocketAddress("127.0.0.1", listener.getLocalPort())).sync().channel();
    }

    private RecordingReader attach(final Channel connection) throws Exception
    {
        return onLoop(() ->
        {
            final RecordingReader attached =
                new RecordingReader((Socket)((EpollSocketChannel)connection).fd(), connection);
            assertTrue(pass.attach(attached));
            connection.config().setAutoRead(false);
            return attached;
        });
    }

    @AfterEach
    void close() throws Exception
    {
        if (peer != null)
        {
            peer.close();
        }
        if (listener != null)
        {
            listener.close();
        }
        if (channel != null)
        {
            channel.close().sync();
            onLoop(() ->
            {
                pass.close();
                return null;
            });
        }
        if (group != null)
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void everyByteReachesTheReaderOnceAndInOrder() throws Exception
    {
        peer.getOutputStream().write(bytes("first "));
        awaitRead("first ");
        peer.getOutputStream().write(bytes("second"));
        awaitRead("first second");

        assertEquals(0, runPass(), "nothing more arrived, so no connection read");
        assertEquals("first second", reader.read());
        peer.getOutputStream().write(bytes("!"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> runPass() == 1);
        assertEquals("first second!", reader.read());
        assertEquals(1, pass.reading());
        assertEquals(0, reader.handBacks);
    }

    @Test
    void aReaderDoneIsHandedBackOnceAndGetsNothingMore() throws Exception
    {
        reader.doneAfter = "close".length();
        peer.getOutputStream().write(bytes("close"));
        awaitRead("close");
        assertEquals(1, reader.handBacks, "handed back as soon as done");
        assertEquals(0, pass.reading());
        assertEquals(1, pass.handedBack());

        peer.getOutputStream().write(bytes(" more"));
        for (int run = 0; run < 3; run++)
        {
            runPass();
        }
        assertEquals("close", reader.read(), "a reader handed back is not read");
        assertEquals(1, reader.handBacks);
    }

    /**
     * What a reader throws fails only its connection: the pass reports it, closes the connection and finishes the run,
     * even when the report and the close throw too.
     */
    @Test
    void aReaderWhoseHandBackThrowsIsReportedAndClosedAndTheRunGoesOn() throws Exception
    {
        final Channel secondChannel = connectChannel();
        try (java.net.Socket secondPeer = listener.accept())
        {
            final RecordingReader second = attach(secondChannel);
            final IllegalStateException handBackFailure = new IllegalStateException("hand-back");
            reader.handBackFailure = handBackFailure;
            reader.doneAfter = "done".length();
            peer.getOutputStream().write(bytes("done"));
            secondPeer.getOutputStream().write(bytes("next"));
            awaitReceived(channel, secondChannel);

            assertEquals(2, runPass(), "one run reads both, the one that fails first");

            assertEquals("done", reader.read());
            assertEquals(List.of(handBackFailure), reader.exceptions);
            assertEquals(1, reader.closes);
            assertEquals("next", second.read(), "the connection after it in the run was read");
            assertEquals(0, second.closes);
            assertEquals(1, pass.reading());
            assertEquals(0, pass.handedBack(), "not counted as handed back: Netty never took it");
        }
        finally
        {
            secondChannel.close().sync();
        }
    }

    /**
     * Should the pass's epoll set fail (here its descriptor is closed under it, so {@code epoll_wait} fails), every
     * connection goes back to Netty's read path, once, and the loop's later connections are not taken: a pass that
     * cannot learn which sockets received would leave them unread.
     */
    @Test
    void anEpollSetThatFailsHandsEveryConnectionBackAndLaterOnesStayWithNetty() throws Exception
    {
        final Channel secondChannel = connectChannel();
        final java.net.Socket secondPeer = listener.accept();
        final Channel laterChannel = connectChannel();
        final java.net.Socket laterPeer = listener.accept();
        try
        {
            final RecordingReader second = attach(secondChannel);
            onLoop(() ->
            {
                closeEpollSetUnder(pass);
                return null;
            });

            assertEquals(0, runPass(), "the run that finds the set failed reads nothing");
            assertEquals(1, reader.handBacks);
            assertEquals(1, second.handBacks);
            assertEquals(0, pass.reading());
            assertEquals(2, pass.handedBack());
            assertEquals(0, reader.closes + second.closes, "handed back open");

            final RecordingReader later =
                new RecordingReader((Socket)((EpollSocketChannel)laterChannel).fd(), laterChannel);
            assertFalse(onLoop(() -> pass.attach(later)), "a later connection stays with Netty");
            secondPeer.getOutputStream().write(bytes("for Netty"));
            awaitReceived(secondChannel);
            assertEquals(0, runPass());
            assertEquals("", second.read(), "a connection handed back is not read by the pass");
            assertEquals(List.of(1, 1), List.of(reader.handBacks, second.handBacks), "each handed back once");
        }
        finally
        {
            secondPeer.close();
            laterPeer.close();
            secondChannel.close().sync();
            laterChannel.close().sync();
        }
    }

    @Test
    void aReaderWhoseReportAndCloseThrowStillLeavesAndTheRunGoesOn() throws Exception
    {
        reader.reportFailure = new IllegalStateException("report");
        reader.closeFailure = new IllegalStateException("close");
        peer.setSoLinger(true, 0);

        runPassOnceReady(peer::close);

        assertEquals(1, reader.exceptions.size(), "the reset was reported");
        assertEquals(1, reader.closes);
        assertEquals(0, pass.reading());
    }

    /**
     * A run that reads a socket short of the buffer's size stops there, so an end that arrived with the last bytes is
     * Netty's to find (it watches every socket for the peer's end); an end that arrives on its own, the pass reads.
     */
    @Test
    void theEndOfTheStreamHandsTheConnectionBack() throws Exception
    {
        peer.getOutputStream().write(bytes("last"));
        awaitRead("last");
        runPassOnceReady(peer::shutdownOutput);

        assertEquals("last", reader.read());
        assertEquals(1, reader.handBacks, "the pass read the end before Netty did, and handed the connection back");
        assertEquals(0, reader.exceptions.size());
        assertEquals(0, pass.reading());
    }

    @Test
    void aReadErrorIsReportedAndClosesTheConnection() throws Exception
    {
        peer.setSoLinger(true, 0);
        runPassOnceReady(peer::close);

        assertEquals(1, reader.exceptions.size());
        assertInstanceOf(IOException.class, reader.exceptions.get(0), "the reset, as recv(2) reported it");
        assertEquals(1, reader.closes);
        assertEquals(0, reader.handBacks, "a failed connection is closed, not handed back");
        assertEquals(0, pass.reading());
    }

    /**
     * A socket marked to be read again (its reader was paused when bytes arrived) and then closed is not read: its
     * number may belong to another connection by then. Its reader leaves at that run.
     */
    @Test
    void aClosedSocketMarkedToBeReadAgainIsNotReadAndLeaves() throws Exception
    {
        reader.paused = true;
        peer.getOutputStream().write(bytes("unread"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> runPass() == 1);
        assertEquals("", reader.read(), "not while paused");

        channel.close().sync();
        reader.paused = false;
        assertEquals(1, runPass(), "the run tries the socket it marked");
        assertEquals("", reader.read(), "the bytes of a closed socket are not read");
        assertEquals(0, pass.reading(), "its reader left at that run");
        assertEquals(0, reader.exceptions.size());
        assertEquals(0, reader.handBacks);
    }

    /**
     * A closed socket leaves the pass's epoll set with its close, so no run is told of it: its reader leaves at the
     * pass's next look at every connection, before its descriptor number can be read for another connection.
     */
    @Test
    void aClosedSocketNotMarkedLeavesThePassAtItsNextSweep() throws Exception
    {
        channel.close().sync();
        assertFalse(channel.isOpen());

        assertEquals(0, runPass(), "no run is told of a closed socket");
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() ->
        {
            runPass();
            return pass.reading() == 0;
        });
        assertEquals(0, reader.handBacks);
        assertEquals(0, reader.closes);
    }

    /**
     * Does what {@code peerAction} does to the connection and runs the pass once the connection's socket reports it,
     * all in one task on the loop: Netty, which also watches the socket for its end and for errors, would otherwise
     * find it first and close the channel itself.
     */
    private void runPassOnceReady(final PeerAction peerAction) throws Exception
    {
        onLoop(() ->
        {
            try (ReadySockets probe = ReadySockets.open())
            {
                probe.add(((EpollSocketChannel)channel).fd().intValue());
                peerAction.run();
                final long deadlineNs = System.nanoTime() + WAIT.toNanos();
                while (probe.poll() == 0)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "the socket never reported the peer's action");
                    Thread.onSpinWait();
                }
            }
            pass.read(System.nanoTime());
            return null;
        });
    }

    /**
     * Waits until every one of {@code connections} has bytes to read, without reading them.
     */
    private void awaitReceived(final Channel... connections) throws Exception
    {
        onLoop(() ->
        {
            try (ReadySockets probe = ReadySockets.open())
            {
                for (final Channel connection : connections)
                {
                    probe.add(((EpollSocketChannel)connection).fd().intValue());
                }
                final long deadlineNs = System.nanoTime() + WAIT.toNanos();
                int received = 0;
                while (received < connections.length)
                {
                    assertTrue(System.nanoTime() < deadlineNs, "not every socket received");
                    received += probe.poll();
                    Thread.onSpinWait();
                }
            }
            return null;
        });
    }

    private void awaitRead(final String expected)
    {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() ->
        {
            runPass();
            return reader.read().length() >= expected.length();
        });
        assertEquals(expected, reader.read());
    }

    /**
     * @return the connections the run read.
     */
    private int runPass() throws Exception
    {
        return onLoop(() -> pass.readReady(System.nanoTime()));
    }

    /**
     * Closes the descriptor of {@code pass}'s epoll set through the set's own {@link FileDescriptor}, which then
     * closes nothing more when the pass closes the set.
     */
    private static void closeEpollSetUnder(final SocketReadPass pass) throws Exception
    {
        final Field setField = SocketReadPass.class.getDeclaredField("readySockets");
        setField.setAccessible(true);
        final Field epollField = ReadySockets.class.getDeclaredField("epoll");
        epollField.setAccessible(true);
        ((FileDescriptor)epollField.get(setField.get(pass))).close();
    }

    private <T> T onLoop(final Callable<T> task) throws Exception
    {
        return group.next().submit(task).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @FunctionalInterface
    private interface PeerAction
    {
        void run() throws IOException;
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Keeps what it is given; paused while {@link #paused}; done once it has read {@link #doneAfter} bytes; throws the
     * failures set from its hand-back, report and close. Runs on the loop; the test reads its fields after a task on
     * the loop, which orders them.
     */
    private final class RecordingReader extends SocketReadPass.Reader
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final List<Throwable> exceptions = new ArrayList<>();
        private volatile boolean paused;
        private int doneAfter = Integer.MAX_VALUE;
        private int handBacks;
        private int closes;
        private RuntimeException handBackFailure;
        private RuntimeException reportFailure;
        private RuntimeException closeFailure;

        private final Channel connection;

        RecordingReader(final Socket socket, final Channel connection)
        {
            super(socket);
            this.connection = connection;
        }

        synchronized String read()
        {
            return bytes.toString(StandardCharsets.US_ASCII);
        }

        protected boolean isDone()
        {
            return bytes.size() >= doneAfter;
        }

        protected boolean isPaused()
        {
            return paused;
        }

        protected synchronized void onBytes(final ByteBuf read, final long nowNs)
        {
            final byte[] copy = new byte[read.readableBytes()];
            read.readBytes(copy);
            bytes.writeBytes(copy);
        }

        protected void onHandBack()
        {
            if (handBackFailure != null)
            {
                throw handBackFailure;
            }
            handBacks++;
        }

        protected void exceptionCaught(final Throwable cause)
        {
            exceptions.add(cause);
            if (reportFailure != null)
            {
                throw reportFailure;
            }
        }

        protected void close()
        {
            closes++;
            connection.close();
            if (closeFailure != null)
            {
                throw closeFailure;
            }
        }
    }
}
