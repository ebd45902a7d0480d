package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tickwire.sim.SharedSnapshotBodies;
import io.tickwire.sim.SharedSnapshotBody;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot body shared by several connections: each writes its own frame and snapshot header followed by its own
 * reference to the shared bytes (two buffers, one gathering write), the bytes on the wire equal the frame the
 * per-client path builds, and every reference is released whether the snapshot is written, replaced or dropped on a
 * closed connection; the body's bytes are freed when the last holder lets go. The teardown checks that every buffer
 * (headers and bodies alike) was released.
 */
class SharedSnapshotSessionTest
{
    private final RecordingAllocator allocator = new RecordingAllocator();
    private final PooledSnapshotBodies bodies = new PooledSnapshotBodies(allocator);
    private final NetCounters counters = new NetCounters();
    private final EmbeddedChannel[] channels = new EmbeddedChannel[3];
    private final Session[] sessions = new Session[3];
    private final EventLoopOutbound[] outbounds = new EventLoopOutbound[3];
    private final List<ByteBuf> read = new ArrayList<>();

    SharedSnapshotSessionTest()
    {
        for (int i = 0; i < channels.length; i++)
        {
            channels[i] = SessionTest.channel(allocator, new SessionTest.FlushCounter());
            outbounds[i] = new EventLoopOutbound(channels[i].eventLoop());
            sessions[i] = new Session(i + 1, channels[i], channels[i], null, outbounds[i], counters);
        }
    }

    @AfterEach
    void tearDown()
    {
        for (final ByteBuf buffer : read)
        {
            buffer.release();
        }
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
        assertEquals(List.of(), allocator.unreleased(), "every header and body released");
    }

    @Test
    void eachConnectionGetsItsHeaderThenTheSharedBytesAsTheFrameThePerClientPathBuilds()
    {
        final byte[] bodyBytes = new byte[300];
        for (int i = 0; i < bodyBytes.length; i++)
        {
            bodyBytes[i] = (byte)(i * 7);
        }
        final SharedSnapshotBody body = bodies.share(new UnsafeBuffer(bodyBytes), 0, bodyBytes.length);
        for (int i = 0; i < sessions.length; i++)
        {
            assertTrue(sessions[i].offerSnapshot(header(i, i == 1 ? 24 : 20), 0, i == 1 ? 24 : 20, body));
        }
        bodies.releaseShared();
        final ByteBuf shared = allocator.allocated().get(0);
        assertEquals(sessions.length, shared.refCnt(), "one reference per connection; the shard's is dropped");

        for (int i = 0; i < sessions.length; i++)
        {
            writeTheTick(i);
            final ByteBuf headerPart = readOutbound(i);
            final ByteBuf bodyPart = readOutbound(i);
            assertNull(channels[i].readOutbound(), "a header and a body, nothing else");
            final int headerLength = i == 1 ? 24 : 20;
            final byte[] whole = new byte[headerLength + bodyBytes.length];
            header(i, headerLength).getBytes(0, whole, 0, headerLength);
            System.arraycopy(bodyBytes, 0, whole, headerLength, bodyBytes.length);
            final ByteBuf expected = OutboundFrames.binaryFrame(
                PooledByteBufAllocator.DEFAULT, new UnsafeBuffer(whole), 0, whole.length);
            assertEquals(ByteBufUtil.hexDump(expected), ByteBufUtil.hexDump(headerPart) + ByteBufUtil.hexDump(bodyPart));
            expected.release();
        }
        assertEquals(3, counters.framesWritten.sum(), "one frame per connection");
        assertEquals(3 * (4 + bodyBytes.length) + 20 + 24 + 20, counters.bytesWritten.sum());
        releaseRead();
        assertEquals(0, shared.refCnt(), "freed once every connection wrote it");
    }

    @Test
    void aReplacedOrDroppedSharedSnapshotReleasesItsReference()
    {
        final SharedSnapshotBody first = bodies.share(new UnsafeBuffer(new byte[] {1, 2, 3}), 0, 3);
        assertTrue(sessions[0].offerSnapshot(header(0, 20), 0, 20, first));
        assertTrue(sessions[1].offerSnapshot(header(1, 20), 0, 20, first));
        channels[2].close();
        sessions[2].offerSnapshot(header(2, 20), 0, 20, first);
        bodies.releaseShared();
        final ByteBuf firstBuffer = allocator.allocated().get(0);

        final SharedSnapshotBody second = bodies.share(new UnsafeBuffer(new byte[] {4, 5}), 0, 2);
        assertFalse(sessions[0].offerSnapshot(header(0, 20), 0, 20, second), "the unwritten one was conflated");
        bodies.releaseShared();
        for (int i = 0; i < channels.length; i++)
        {
            writeTheTick(i);
        }
        assertNull(channels[2].readOutbound(), "nothing written on a closed connection");
        assertEquals("0405", ByteBufUtil.hexDump(readLast(0)));
        assertEquals("010203", ByteBufUtil.hexDump(readLast(1)));
        releaseRead();
        assertEquals(0, firstBuffer.refCnt());
    }

    @Test
    void heapBodiesAreCopiedIntoOneFrame()
    {
        final SharedSnapshotBodies heap = SharedSnapshotBodies.onHeap();
        final SharedSnapshotBody body = heap.share(new UnsafeBuffer(new byte[] {9, 8}), 0, 2);
        assertTrue(sessions[0].offerSnapshot(header(0, 20), 0, 20, body));
        heap.releaseShared();
        writeTheTick(0);
        final ByteBuf frame = readOutbound(0);
        assertNull(channels[0].readOutbound());
        assertEquals(2 + 22, frame.readableBytes());
    }

    private static UnsafeBuffer header(final int client, final int length)
    {
        final UnsafeBuffer header = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            header.putByte(i, (byte)(0x40 + client + i));
        }
        return header;
    }

    /**
     * The shard's flush after its fan-out, then the event loop's drain of connection {@code i}.
     */
    private void writeTheTick(final int i)
    {
        outbounds[i].flushDeferred();
        channels[i].runPendingTasks();
    }

    private ByteBuf readOutbound(final int channel)
    {
        final ByteBuf buffer = channels[channel].readOutbound();
        read.add(buffer);
        return buffer;
    }

    private ByteBuf readLast(final int channel)
    {
        readOutbound(channel);
        return readOutbound(channel);
    }

    private void releaseRead()
    {
        for (final ByteBuf buffer : read)
        {
            buffer.release();
        }
        read.clear();
    }
}
