package io.tickwire.net;

import io.netty.channel.Channel;
import io.netty.channel.uring.IoUring;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every case of {@link SessionDirectWriteTest} with the loop batching its drains' snapshot writes through io_uring
 * ({@link SendRing}): the peer reads every frame whole and in order whether the ring's non-blocking send took it
 * whole, in part, or not at all, and every buffer is released. And: a drain's snapshots do go through the ring; a
 * send the socket refuses is reported through the pipeline as Netty reports it, with the frame released; the ring is
 * freed when its loop shuts down.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionBatchedWriteTest extends SessionDirectWriteTest
{
    boolean batchWrites()
    {
        return true;
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
        final SendRing ring = onLoop(() -> outbound.sendRing());
        assertNotNull(ring);

        peer.close();
        server.close().sync();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        assertTrue(ring.isDestroyed(), "freed by the loop's shutdown hook");
    }

    private <T> T onLoop(final java.util.concurrent.Callable<T> read) throws Exception
    {
        final Channel channel = accepted.get(5, TimeUnit.SECONDS);
        return channel.eventLoop().submit(read).get(5, TimeUnit.SECONDS);
    }
}
