package io.tickwire.io;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.Socket;
import io.netty.channel.uring.IoUring;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A {@link SendRing} on a real epoll event loop and a loopback socket: a batch's sends reach the peer in the order
 * they were queued, each sender hears its result before the submission returns, a copy is readable until then, a
 * full ring or full copy memory submits what it holds first, a socket without room answers at once with
 * {@code -EAGAIN}, and outside a batch nothing is taken.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SendRingTest
{
    private static final int ENTRIES = 4;
    private static final int COPY_BYTES = 64;
    private static final int EAGAIN = 11;
    /** Batches of a 4 MiB send at most before the socket that nobody reads has no room: a few suffice. */
    private static final int MAX_BATCHES = 100;

    private MultiThreadIoEventLoopGroup group;
    private EventLoop loop;
    private ServerSocket listener;
    private java.net.Socket peer;
    private Socket socket;

    @BeforeEach
    void connect() throws Exception
    {
        assumeTrue(Epoll.isAvailable() && IoUring.isAvailable(), "epoll and io_uring only");
        group = new MultiThreadIoEventLoopGroup(
            1, SendRingIoHandler.wrap(EpollIoHandler.newFactory(), ENTRIES, COPY_BYTES));
        loop = group.next();
        listener = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        listener.setReceiveBufferSize(4096);
        socket = Socket.newSocketStream();
        socket.setSendBufferSize(4096);
        if (!socket.connect(new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort())))
        {
            peer = listener.accept();
            while (!socket.finishConnect())
            {
                Thread.onSpinWait();
            }
        }
        else
        {
            peer = listener.accept();
        }
    }

    @AfterEach
    void close() throws Exception
    {
        if (group == null)
        {
            return;
        }
        socket.close();
        peer.close();
        listener.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aBatchsSendsReachThePeerInOrderAndEachSenderHearsItsResultWithItsCopyStillReadable() throws Exception
    {
        final List<String> heard = new ArrayList<>();
        final byte[][] chunks = {bytes(30, 1), bytes(30, 2), bytes(30, 3)};
        final long queuedAfterFirstTwo = onLoop(() ->
        {
            final SendRing ring = SendRingIoHandler.current();
            final long before = ring.sendsQueued();
            ring.begin();
            final long[] copies = new long[chunks.length];
            for (int i = 0; i < chunks.length; i++)
            {
                final int index = i;
                final ByteBuffer source = direct(chunks[i]);
                copies[i] = ring.offerCopy(new SendRing.Sender()
                {
                    public void onSent(final int result)
                    {
                        final byte[] copy = new byte[chunks[index].length];
                        for (int b = 0; b < copy.length; b++)
                        {
                            copy[b] = UnsafeApi.getByte(copies[index] + b);
                        }
                        heard.add(index + ":" + result + ":" + Arrays.equals(chunks[index], copy));
                    }

                    public void onSendLost()
                    {
                        heard.add(index + ":lost");
                    }
                }, socket.intValue(), BufferUtil.address(source), chunks[i].length);
                assertTrue(copies[i] != 0, "chunk " + i + " taken");
                for (int b = 0; b < chunks[i].length; b++)
                {
                    source.put(b, (byte)0x55);
                }
                if (i == 1)
                {
                    assertEquals(List.of(), heard, "nothing sent before the submission");
                }
            }
            assertEquals(List.of("0:30:true", "1:30:true"), heard,
                "the third copy did not fit beside the first two: those were submitted first");
            ring.submit();
            return ring.sendsQueued() - before;
        });

        assertEquals(List.of("0:30:true", "1:30:true", "2:30:true"), heard);
        assertEquals(3, queuedAfterFirstTwo);
        final DataInputStream in = new DataInputStream(peer.getInputStream());
        for (final byte[] chunk : chunks)
        {
            final byte[] read = new byte[chunk.length];
            in.readFully(read);
            assertArrayEquals(chunk, read);
        }
    }

    @Test
    void aSendOfTwoPartsGoesAsOneAndAFullRingSubmitsWhatItHoldsFirst() throws Exception
    {
        final List<Integer> results = new ArrayList<>();
        final SendRing.Sender sender = recording(results);
        final byte[] head = bytes(5, 7);
        final byte[] body = bytes(200, 8);
        final ByteBuffer headBuffer = direct(head);
        final ByteBuffer bodyBuffer = direct(body);
        onLoop(() ->
        {
            final SendRing ring = SendRingIoHandler.current();
            ring.begin();
            for (int i = 0; i < ENTRIES; i++)
            {
                assertTrue(ring.offer(sender, socket.intValue(), BufferUtil.address(headBuffer),
                    head.length, BufferUtil.address(bodyBuffer), body.length));
            }
            assertEquals(List.of(), results, "a ring of " + ENTRIES + " holds " + ENTRIES);
            assertTrue(ring.offer(sender, socket.intValue(), BufferUtil.address(headBuffer),
                head.length));
            assertEquals(ENTRIES, results.size(), "the full ring was submitted before the next send took an entry");
            ring.submit();
            return null;
        });

        assertEquals(List.of(205, 205, 205, 205, 5), results);
        final DataInputStream in = new DataInputStream(peer.getInputStream());
        for (int i = 0; i < ENTRIES; i++)
        {
            final byte[] frame = new byte[head.length + body.length];
            in.readFully(frame);
            assertArrayEquals(head, Arrays.copyOfRange(frame, 0, head.length));
            assertArrayEquals(body, Arrays.copyOfRange(frame, head.length, frame.length));
        }
        final byte[] last = new byte[head.length];
        in.readFully(last);
        assertArrayEquals(head, last);
    }

    @Test
    void aSocketWithoutRoomAnswersAtOnceWithEagainAndTheSubmissionReturns() throws Exception
    {
        final List<Integer> results = new ArrayList<>();
        final SendRing.Sender sender = recording(results);
        final ByteBuffer large = ByteBuffer.allocateDirect(4 << 20);
        final long address = BufferUtil.address(large);
        onLoop(() ->
        {
            final SendRing ring = SendRingIoHandler.current();
            for (int batch = 0; batch < MAX_BATCHES && (results.isEmpty() || results.get(batch - 1) > 0); batch++)
            {
                ring.begin();
                assertTrue(ring.offer(sender, socket.intValue(), address, large.capacity()));
                ring.submit();
                assertEquals(batch + 1, results.size(), "each send answered within its submission");
            }
            ring.begin();
            assertTrue(ring.offer(sender, socket.intValue(), address, 10, address + 10, 10));
            assertTrue(ring.offerCopy(sender, socket.intValue(), address, 10) != 0);
            ring.submit();
            return null;
        });

        assertTrue(results.get(0) > 0 && results.get(0) < large.capacity(), "the peer reads nothing: " + results);
        assertEquals(List.of(-EAGAIN, -EAGAIN, -EAGAIN), results.subList(results.size() - 3, results.size()),
            "the socket fills, and then the kernel answers a send, of two parts or copied, at once instead of " +
            "waiting for room: " + results);
    }

    @Test
    void aSenderHearingItsResultMayWriteOrSubmitAndOneThatThrowsIsClosedAloneTheOthersHearingTheirs() throws Exception
    {
        final List<String> heard = new ArrayList<>();
        final ByteBuffer source = direct(bytes(8, 4));
        final long address = BufferUtil.address(source);
        onLoop(() ->
        {
            final SendRing ring = SendRingIoHandler.current();
            final SendRing.Sender reentrant = new SendRing.Sender()
            {
                public void onSent(final int result)
                {
                    heard.add("0 begins");
                    heard.add("0 may queue: " + ring.offer(this, socket.intValue(), address, 8) + ", " +
                        ring.isBatching());
                    ring.submitQueued();
                    heard.add("0 ends");
                }

                public void onSendLost()
                {
                    heard.add("0 lost");
                }
            };
            final SendRing.Sender throwing = new SendRing.Sender()
            {
                public void onSent(final int result)
                {
                    heard.add("1 throws");
                    throw new IllegalStateException("a sender's fault");
                }

                public void onSendLost()
                {
                    heard.add("1 lost");
                }
            };
            final List<Integer> last = new ArrayList<>();
            ring.begin();
            assertTrue(ring.offer(reentrant, socket.intValue(), address, 8));
            assertTrue(ring.offer(throwing, socket.intValue(), address, 8));
            assertTrue(ring.offer(recording(last), socket.intValue(), address, 8));
            ring.submit();
            heard.add("2 heard " + last);
            return null;
        });

        assertEquals(List.of("0 begins", "0 may queue: false, false", "1 throws", "1 lost", "0 ends", "2 heard [8]"),
            heard, "the results in order, each once; no send taken while they are handed out");
        final byte[] read = new byte[24];
        new DataInputStream(peer.getInputStream()).readFully(read);
    }

    @Test
    void outsideABatchOrPastItsCopyMemoryNothingIsTaken() throws Exception
    {
        final List<Integer> results = new ArrayList<>();
        final SendRing.Sender sender = recording(results);
        final ByteBuffer source = direct(bytes(COPY_BYTES + 1, 3));
        final long address = BufferUtil.address(source);
        onLoop(() ->
        {
            final SendRing ring = SendRingIoHandler.current();
            assertNotNull(ring);
            assertFalse(ring.isBatching());
            assertFalse(ring.offer(sender, socket.intValue(), address, 10));
            assertEquals(0, ring.offerCopy(sender, socket.intValue(), address, 10));
            ring.begin();
            assertEquals(0, ring.offerCopy(sender, socket.intValue(), address, COPY_BYTES + 1),
                "a copy larger than the ring's memory is the sender's to write");
            ring.submit();
            assertFalse(ring.isBatching());
            assertEquals(0, ring.sendsQueued());
            return null;
        });
        assertEquals(List.of(), results);
    }

    private <T> T onLoop(final Callable<T> task) throws Exception
    {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    private static SendRing.Sender recording(final List<Integer> results)
    {
        return new SendRing.Sender()
        {
            public void onSent(final int result)
            {
                results.add(result);
            }

            public void onSendLost()
            {
                results.add(Integer.MIN_VALUE);
            }
        };
    }

    private static byte[] bytes(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }

    private static ByteBuffer direct(final byte[] bytes)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }
}
