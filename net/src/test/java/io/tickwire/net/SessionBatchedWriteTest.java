package io.tickwire.net;

import io.netty.channel.Channel;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.tickwire.io.SendRing;
import io.tickwire.io.SendRingIoHandler;

/**
 * Every case of {@link SessionDirectWriteTest} with the loop batching its drains' snapshot writes through io_uring
 * ({@link SendRing}): the peer reads every frame whole and in order whether the ring's non-blocking send took it
 * whole, in part, or not at all, and every buffer is released. And: a drain's snapshots do go through the ring,
 * in parts when they outnumber its entries; a session queued twice in one batch leaves the frame the ring holds
 * alone; a send the socket refuses is reported through the pipeline as Netty reports it, with the frame released;
 * the ring is freed when its loop shuts down.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionBatchedWriteTest extends SessionDirectWriteTest
{
    /** Entries of the test's rings: small, so a drain of a few sessions is submitted in parts. */
    private static final int RING_ENTRIES = 4;

    IoHandlerFactory ioHandlers()
    {
        return SendRingIoHandler.wrap(EpollIoHandler.newFactory(), RING_ENTRIES, 0);
    }

    @BeforeEach
    void requireIoUring()
    {
        assumeTrue(IoUring.isAvailable(), "io_uring only");
    }

    @Test
    void aDrainsSnapshotsGoThroughTheRing() throws Exception
    {
        final Session session = acceptedSession();
        final DataInputStream in = new DataInputStream(peer.getInputStream());
        for (int i = 0; i < 3; i++)
        {
            session.offerSnapshot(new UnsafeBuffer(payload(100 + i, i)), 0, 100 + i);
            outbound.flushDeferred();
            assertArrayEquals(payload(100 + i, i), readFrame(in), "snapshot " + i);
            final byte[] header = payload(20, i);
            final byte[] body = payload(500, 10 + i);
            offerShared(session, header, body);
            final byte[] shared = readFrame(in);
            assertArrayEquals(header, Arrays.copyOfRange(shared, 0, header.length), "header " + i);
            assertArrayEquals(body, Arrays.copyOfRange(shared, header.length, shared.length), "body " + i);
        }
        assertEquals(6L, onLoop(() -> outbound.sendRing().sendsQueued()), "each snapshot one send of the ring");
        assertEquals(0, pipelineWrites.writes.get(), "none through the pipeline");
        assertEquals(0, pipelineWrites.flushes.get());
    }

    /**
     * A drain of more sessions than the ring has entries submits in parts, and every session's frame arrives whole.
     */
    @Test
    void aDrainOfMoreSessionsThanEntriesIsSubmittedInParts() throws Exception
    {
        final Session first = acceptedSession();
        final List<Socket> peers = new ArrayList<>();
        final int extra = RING_ENTRIES + 2;
        try
        {
            for (int i = 0; i < extra; i++)
            {
                final Socket more = new Socket();
                more.connect(server.localAddress());
                peers.add(more);
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> acceptedAll.size() == extra + 1);
            final Map<Socket, Session> sessions = new LinkedHashMap<>();
            sessions.put(peer, first);
            int id = 2;
            final List<Channel> channels = new ArrayList<>(acceptedAll);
            for (int i = 0; i < extra; i++)
            {
                final Channel channel = channels.get(i + 1);
                sessions.put(peerOf(channel, peers), new Session(id++, channel, channel,
                    ((EpollSocketChannel)channel).fd(), outbound, counters));
            }
            int seed = 0;
            for (final Session session : sessions.values())
            {
                session.offerSnapshot(new UnsafeBuffer(payload(60 + seed, seed)), 0, 60 + seed);
                seed++;
            }
            outbound.flushDeferred();
            seed = 0;
            for (final Socket reader : sessions.keySet())
            {
                assertArrayEquals(payload(60 + seed, seed), readFrame(new DataInputStream(reader.getInputStream())),
                    "session " + seed);
                seed++;
            }
            assertEquals((long)extra + 1, onLoop(() -> outbound.sendRing().sendsQueued()));
            assertEquals(0, pipelineWrites.writes.get(), "none through the pipeline");
        }
        finally
        {
            for (final Socket more : peers)
            {
                more.close();
            }
        }
    }

    /**
     * A session taken twice in one drain's batch (a control frame written on the loop left it queued while a
     * shard's offer queued it again) does not write, or give back a slot, while the ring still holds its frame:
     * the shard would otherwise refill the slot the kernel is about to read, and a second send could overtake the
     * first. The connection gets the first snapshot whole, then the newest.
     */
    @Test
    void aSlotTheRingHoldsIsNeitherWrittenPastNorReusedInTheSameBatch() throws Exception
    {
        final Session session = acceptedSession();
        final byte[][] snapshots = {payload(300, 1), payload(200, 2), payload(250, 3), payload(280, 4)};
        onLoop(() ->
        {
            outbound.run();
            final SendRing ring = outbound.sendRing();
            ring.begin();
            session.offerSnapshot(new UnsafeBuffer(snapshots[0]), 0, snapshots[0].length);
            session.writeOutbound();
            session.offerSnapshot(new UnsafeBuffer(snapshots[1]), 0, snapshots[1].length);
            session.writeOutbound();
            session.offerSnapshot(new UnsafeBuffer(snapshots[2]), 0, snapshots[2].length);
            session.offerSnapshot(new UnsafeBuffer(snapshots[3]), 0, snapshots[3].length);
            ring.submit();
            return null;
        });
        outbound.flushDeferred();

        final DataInputStream in = new DataInputStream(peer.getInputStream());
        assertArrayEquals(snapshots[0], readFrame(in), "the snapshot the ring held, whole");
        assertArrayEquals(snapshots[3], readFrame(in), "then the newest");
        assertEquals(2L, onLoop(() -> outbound.sendRing().sendsQueued()));
    }

    @Test
    void aSendTheSocketRefusesIsReportedThroughThePipelineAndTheFrameReleased() throws Exception
    {
        final Session session = acceptedSession();
        final CompletableFuture<Long> sends = new CompletableFuture<>();
        accepted.join().eventLoop().execute(() ->
        {
            try
            {
                peer.setSoLinger(true, 0);
                peer.close();
                offerShared(session, payload(20, 2), payload(300, 3));
                outbound.run();
                sends.complete(outbound.sendRing().sendsQueued());
            }
            catch (final IOException ex)
            {
                sends.completeExceptionally(ex);
            }
        });
        assertEquals(1L, sends.get(5, TimeUnit.SECONDS), "the snapshot went to the ring");
        await().atMost(5, TimeUnit.SECONDS).until(() -> !pipelineWrites.failures.isEmpty());
        assertEquals(2, pipelineWrites.writes.get(), "the header and the body went to the pipeline whole");
        assertTrue(pipelineWrites.failures.peek() instanceof IOException, "failure: " + pipelineWrites.failures);
    }

    @Test
    void theRingIsFreedWhenItsLoopShutsDown() throws Exception
    {
        final Session session = acceptedSession();
        session.offerSnapshot(new UnsafeBuffer(payload(50, 1)), 0, 50);
        outbound.flushDeferred();
        assertArrayEquals(payload(50, 1), readFrame(new DataInputStream(peer.getInputStream())));
        final SendRing ring = onLoop(SendRingIoHandler::current);
        assertNotNull(ring);
        assertTrue(!ring.isDestroyed());

        peer.close();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        assertTrue(ring.isDestroyed(), "freed by the loop's shutdown hook");
    }

    private <T> T onLoop(final Callable<T> task) throws Exception
    {
        final Channel channel = accepted.get(5, TimeUnit.SECONDS);
        return channel.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    /**
     * @return the peer whose connection the server accepted as {@code channel}.
     */
    private static Socket peerOf(final Channel channel, final List<Socket> peers)
    {
        final int port = ((InetSocketAddress)channel.remoteAddress()).getPort();
        for (final Socket candidate : peers)
        {
            if (candidate.getLocalPort() == port)
            {
                return candidate;
            }
        }
        throw new AssertionError("no peer on port " + port);
    }
}
