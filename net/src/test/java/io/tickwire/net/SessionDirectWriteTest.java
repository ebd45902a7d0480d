package io.tickwire.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.tickwire.io.SendRingIoHandler;

/**
 * A session on a real epoll socket writes a frame straight to the socket while nothing waits in the channel's
 * outbound buffer, and through the pipeline otherwise: the peer reads every frame whole and in order whether the
 * kernel took it at once, in part (a single buffer, or a snapshot's header and part of its shared body), or not at
 * all; a failed socket is reported through the pipeline as Netty reports it, with every part of the frame; and
 * every buffer is released.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SessionDirectWriteTest
{
    private static final int SMALL_SOCKET_BUFFER_BYTES = 4096;
    private static final int FILLING_FRAMES = 100;
    private static final int FILLING_PAYLOAD_BYTES = 3000;

    final RecordingAllocator allocator = new RecordingAllocator();
    final NetCounters counters = new NetCounters();
    final PipelineWrites pipelineWrites = new PipelineWrites();
    final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    EventLoopOutbound outbound;
    EventLoopGroup group;
    Channel server;
    Socket peer;

    final ConcurrentLinkedQueue<Channel> acceptedAll = new ConcurrentLinkedQueue<>();

    /**
     * @return the event loop's I/O handlers: epoll's; with a send ring ({@link SendRingIoHandler}) to batch writes.
     */
    IoHandlerFactory ioHandlers()
    {
        return EpollIoHandler.newFactory();
    }

    @BeforeEach
    void setUp() throws Exception
    {
        assumeTrue(Epoll.isAvailable(), "epoll only");
        group = new MultiThreadIoEventLoopGroup(1, ioHandlers());
        server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.ALLOCATOR, allocator)
            .childOption(ChannelOption.SO_SNDBUF, SMALL_SOCKET_BUFFER_BYTES)
            .childHandler(new ChannelInitializer<>()
            {
                protected void initChannel(final Channel channel)
                {
                    channel.pipeline().addLast(pipelineWrites);
                    acceptedAll.add(channel);
                    accepted.complete(channel);
                }
            })
            .bind("127.0.0.1", 0).sync().channel();
        peer = new Socket();
        peer.setReceiveBufferSize(SMALL_SOCKET_BUFFER_BYTES);
        peer.connect(server.localAddress());
    }

    @AfterEach
    void tearDown() throws Exception
    {
        if (group == null)
        {
            return;
        }
        peer.close();
        if (server.isOpen())
        {
            server.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        assertEquals(List.of(), allocator.unreleased(), "every frame written or released");
    }

    @Test
    void framesTheKernelTakesWholeNeverEnterThePipeline() throws Exception
    {
        final Session session = acceptedSession();
        final byte[] bodyBytes = payload(300, 7);
        final byte[] header = payload(20, 3);
        session.sendControl(new UnsafeBuffer(payload(10, 1)), 0, 10);
        offerShared(session, header, bodyBytes);

        final DataInputStream in = new DataInputStream(peer.getInputStream());
        assertArrayEquals(payload(10, 1), readFrame(in));
        final byte[] snapshot = readFrame(in);
        assertEquals(header.length + bodyBytes.length, snapshot.length);
        assertArrayEquals(header, Arrays.copyOfRange(snapshot, 0, header.length));
        assertArrayEquals(bodyBytes, Arrays.copyOfRange(snapshot, header.length, snapshot.length));
        assertEquals(0, pipelineWrites.writes.get(), "written straight to the socket");
        assertEquals(0, pipelineWrites.flushes.get(), "nothing to flush");
        assertEquals(2, counters.framesWritten.sum());
    }

    @Test
    void aBodyWithoutANativeAddressIsWrittenStraightToTheSocketToo() throws Exception
    {
        // Netty keeps no native address in its buffers when it runs without sun.misc.Unsafe, as it does by default on
        // newer JDKs: the body's NIO buffer gives the address instead of the frame going through the pipeline.
        final Session session = acceptedSession();
        final byte[] bodyBytes = payload(300, 5);
        final byte[] header = payload(20, 4);
        final NoAddressAllocator bodyAllocator = new NoAddressAllocator();
        final PooledSnapshotBodies bodies = new PooledSnapshotBodies(bodyAllocator);
        session.offerSnapshot(new UnsafeBuffer(header), 0, header.length,
            bodies.share(new UnsafeBuffer(bodyBytes), 0, bodyBytes.length));
        bodies.releaseShared();
        outbound.flushDeferred();

        final byte[] snapshot = readFrame(new DataInputStream(peer.getInputStream()));
        assertArrayEquals(header, Arrays.copyOfRange(snapshot, 0, header.length));
        assertArrayEquals(bodyBytes, Arrays.copyOfRange(snapshot, header.length, snapshot.length));
        assertFalse(bodyAllocator.made.hasMemoryAddress(), "a body without Netty's address");
        assertEquals(0, pipelineWrites.writes.get(), "written straight to the socket");
        await().atMost(5, TimeUnit.SECONDS).until(() -> bodyAllocator.made.refCnt() == 0);
    }

    @Test
    void aPeerThatStopsReadingGetsTheRestThroughThePipelineInOrder() throws Exception
    {
        final Session session = acceptedSession();
        sendMoreThanTheSocketsHold(session);
        final int throughPipeline = pipelineWrites.writes.get();
        assertTrue(throughPipeline > 0 && throughPipeline < FILLING_FRAMES,
            "the first frames went straight to the socket, the rest waited in the outbound buffer: " + throughPipeline);
        assertEquals(1, pipelineWrites.partlyWritten.get(), "the frame the kernel took in part, and no other");
        assertTheFillingFramesArrive(new DataInputStream(peer.getInputStream()));
    }

    @Test
    void aSnapshotTheKernelTakesInPartHasItsRestWrittenThroughThePipeline() throws Exception
    {
        final Session session = acceptedSession();
        final byte[] bodyBytes = payload(40_000, 5);
        final byte[] header = payload(20, 6);
        offerShared(session, header, bodyBytes);
        await().atMost(10, TimeUnit.SECONDS).until(() -> counters.framesWritten.sum() == 1);
        assertEquals(1, pipelineWrites.writes.get(), "the header went whole; the body's rest went to the pipeline");
        assertEquals(1, pipelineWrites.partlyWritten.get());

        final byte[] snapshot = readFrame(new DataInputStream(peer.getInputStream()));
        assertArrayEquals(header, Arrays.copyOfRange(snapshot, 0, header.length));
        assertArrayEquals(bodyBytes, Arrays.copyOfRange(snapshot, header.length, snapshot.length));
    }

    @Test
    void aFailedSocketIsReportedThroughThePipelineAndTheFrameReleased() throws Exception
    {
        final Session session = acceptedSession();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        accepted.join().eventLoop().execute(() ->
        {
            try
            {
                peer.setSoLinger(true, 0);
                peer.close();
                session.sendControl(new UnsafeBuffer(payload(50, 9)), 0, 50);
                offerShared(session, payload(20, 2), payload(300, 3));
                session.writeOutbound();
                done.complete(null);
            }
            catch (final IOException ex)
            {
                done.completeExceptionally(ex);
            }
        });
        done.get(5, TimeUnit.SECONDS);
        await().atMost(5, TimeUnit.SECONDS).until(() -> !pipelineWrites.failures.isEmpty());
        assertEquals(3, pipelineWrites.writes.get(), "the frames the socket refused went to the pipeline whole");
        assertTrue(pipelineWrites.failures.peek() instanceof IOException, "failure: " + pipelineWrites.failures);
    }

    @Test
    void aSnapshotBehindQueuedBytesGoesThroughThePipelineInOrder() throws Exception
    {
        final Session session = acceptedSession();
        sendMoreThanTheSocketsHold(session);
        final int queued = pipelineWrites.writes.get();
        session.offerSnapshot(new UnsafeBuffer(payload(200, 7)), 0, 200);
        outbound.flushDeferred();
        await().atMost(5, TimeUnit.SECONDS).until(() -> counters.framesWritten.sum() == FILLING_FRAMES + 1);
        assertEquals(queued + 1, pipelineWrites.writes.get(), "behind the queued frames, through the pipeline");

        final DataInputStream in = new DataInputStream(peer.getInputStream());
        assertTheFillingFramesArrive(in);
        assertArrayEquals(payload(200, 7), readFrame(in));
    }

    @Test
    void aControlFrameWrittenAtOnceIsFramedInTheLoopsMemoryAndTakesNoBuffer() throws Exception
    {
        final Session session = acceptedSession();
        // 11 bytes each, more than the scratch memory holds in all: each must be framed from its start.
        final int frames = EventLoopOutbound.CONTROL_SCRATCH_BYTES / 8;
        onLoop(() ->
        {
            for (int i = 0; i < frames; i++)
            {
                session.writeControlNow(new UnsafeBuffer(payload(9, i)), 0, 9);
            }
        });

        final DataInputStream in = new DataInputStream(peer.getInputStream());
        for (int i = 0; i < frames; i++)
        {
            assertArrayEquals(payload(9, i), readFrame(in), "the scratch memory framed frame " + i + " anew");
        }
        assertEquals(List.of(), allocator.allocated(), "no buffer from the allocator");
        assertEquals(0, pipelineWrites.writes.get(), "written straight to the socket");
        assertEquals(frames, counters.framesWritten.sum());
    }

    @Test
    void aControlFrameWrittenAtOnceFollowsTheFramesWaitingBeforeIt() throws Exception
    {
        final Session session = acceptedSession();
        sendMoreThanTheSocketsHold(session);
        final int allocatedBefore = allocator.allocated().size();
        onLoop(() ->
        {
            // Behind the outbound buffer's bytes: each goes to the pipeline as a copy, so framing the next one in
            // the scratch memory changes none written before.
            session.writeControlNow(new UnsafeBuffer(payload(9, 1)), 0, 9);
            session.writeControlNow(new UnsafeBuffer(payload(9, 2)), 0, 9);
            // Behind a control frame queued and not yet drained: queued behind it.
            session.sendControl(new UnsafeBuffer(payload(5, 3)), 0, 5);
            session.writeControlNow(new UnsafeBuffer(payload(9, 4)), 0, 9);
        });

        final DataInputStream in = new DataInputStream(peer.getInputStream());
        assertTheFillingFramesArrive(in);
        assertArrayEquals(payload(9, 1), readFrame(in));
        assertArrayEquals(payload(9, 2), readFrame(in));
        assertArrayEquals(payload(5, 3), readFrame(in));
        assertArrayEquals(payload(9, 4), readFrame(in));
        assertEquals(4, allocator.allocated().size() - allocatedBefore, "two copies, a queued frame and its follower");
    }

    private void onLoop(final Runnable writes) throws Exception
    {
        accepted.get(5, TimeUnit.SECONDS).eventLoop().submit(writes).get(5, TimeUnit.SECONDS);
    }

    /**
     * A shard thread offers snapshots of many sizes while the loop writes them straight to the socket and the peer
     * reads: every snapshot that arrives is whole and unchanged (a frame the shard reused while the loop still wrote
     * it would arrive torn), they arrive in order, and the last one arrives.
     */
    @Test
    void aShardOfferingWhileTheLoopWritesNeverTearsAFrame() throws Exception
    {
        final Session session = acceptedSession();
        final int snapshots = 20_000;
        final AtomicInteger lastRead = new AtomicInteger();
        final CompletableFuture<Void> reader = CompletableFuture.runAsync(() ->
        {
            try
            {
                final DataInputStream in = new DataInputStream(peer.getInputStream());
                int last = 0;
                while (last < snapshots)
                {
                    final byte[] snapshot = readFrame(in);
                    final int seq = ((snapshot[0] & 0xFF) << 16) | ((snapshot[1] & 0xFF) << 8) | (snapshot[2] & 0xFF);
                    assertTrue(seq > last, "in order: " + seq + " after " + last);
                    assertArrayEquals(sized(seq), snapshot, "snapshot " + seq);
                    last = seq;
                    lastRead.set(last);
                }
            }
            catch (final IOException ex)
            {
                throw new AssertionError(ex);
            }
        });
        for (int seq = 1; seq <= snapshots; seq++)
        {
            final byte[] snapshot = sized(seq);
            session.offerSnapshot(new UnsafeBuffer(snapshot), 0, snapshot.length);
            outbound.flushDeferred();
        }
        reader.get(20, TimeUnit.SECONDS);
        assertEquals(snapshots, lastRead.get());
    }

    /**
     * Sends more control frames than the two sockets' buffers hold while the peer does not read, and waits until the
     * session has written them all: the first straight to the socket, the rest into the outbound buffer.
     */
    private void sendMoreThanTheSocketsHold(final Session session)
    {
        for (int i = 0; i < FILLING_FRAMES; i++)
        {
            session.sendControl(new UnsafeBuffer(payload(FILLING_PAYLOAD_BYTES, i)), 0, FILLING_PAYLOAD_BYTES);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> counters.framesWritten.sum() == FILLING_FRAMES);
    }

    private static void assertTheFillingFramesArrive(final DataInputStream in) throws IOException
    {
        for (int i = 0; i < FILLING_FRAMES; i++)
        {
            assertArrayEquals(payload(FILLING_PAYLOAD_BYTES, i), readFrame(in), "frame " + i);
        }
    }

    /**
     * @return snapshot {@code seq}: its number in 3 bytes, then bytes that depend on it, 3 to 1503 bytes long.
     */
    private static byte[] sized(final int seq)
    {
        final byte[] bytes = payload(3 + (seq * 7919) % 1501, seq);
        bytes[0] = (byte)(seq >>> 16);
        bytes[1] = (byte)(seq >>> 8);
        bytes[2] = (byte)seq;
        return bytes;
    }

    /**
     * @return a session on the accepted end of the peer's connection, with its socket for direct writes.
     */
    Session acceptedSession() throws Exception
    {
        final Channel channel = accepted.get(5, TimeUnit.SECONDS);
        outbound = new EventLoopOutbound(channel.eventLoop());
        return new Session(1, channel, channel, ((EpollSocketChannel)channel).fd(), outbound, counters);
    }

    /**
     * Offers a snapshot on a pooled body shared as a shard shares it, drops the shard's reference to the body, and
     * flushes as a shard does after its fan-out.
     */
    void offerShared(final Session session, final byte[] header, final byte[] body)
    {
        final PooledSnapshotBodies bodies = new PooledSnapshotBodies(allocator);
        session.offerSnapshot(new UnsafeBuffer(header), 0, header.length,
            bodies.share(new UnsafeBuffer(body), 0, body.length));
        bodies.releaseShared();
        outbound.flushDeferred();
    }

    static byte[] payload(final int length, final int seed)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }
        return bytes;
    }

    /**
     * Reads one unmasked server binary frame (FIN, opcode 2) and returns its payload.
     */
    static byte[] readFrame(final DataInputStream in) throws IOException
    {
        assertEquals(0x82, in.readUnsignedByte(), "FIN binary frame");
        int length = in.readUnsignedByte();
        if (length == 126)
        {
            length = in.readUnsignedShort();
        }
        else if (length == 127)
        {
            length = Math.toIntExact(in.readLong());
        }
        final byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    /**
     * Makes direct buffers as Netty does without {@code sun.misc.Unsafe} on Java 24 and earlier: no native address,
     * only their NIO buffer's. On Java 25 Netty gives its own buffers an address even then, so it is hidden here.
     */
    static final class NoAddressAllocator extends AbstractByteBufAllocator
    {
        volatile ByteBuf made;

        NoAddressAllocator()
        {
            super(true);
        }

        public boolean isDirectBufferPooled()
        {
            return false;
        }

        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            made = new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity)
            {
                public boolean hasMemoryAddress()
                {
                    return false;
                }

                public long memoryAddress()
                {
                    throw new UnsupportedOperationException("no native address");
                }
            };
            return made;
        }

        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }
    }

    /**
     * Counts what reaches the pipeline's outbound side and records the failures it reports.
     */
    static final class PipelineWrites extends ChannelDuplexHandler
    {
        final AtomicInteger writes = new AtomicInteger();
        /** Buffers that reached the pipeline with some of their bytes already written straight to the socket. */
        final AtomicInteger partlyWritten = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

        public boolean isSharable()
        {
            return true;
        }

        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            writes.incrementAndGet();
            if (((ByteBuf)msg).readerIndex() > 0)
            {
                partlyWritten.incrementAndGet();
            }
            ctx.write(msg, promise);
        }

        public void flush(final ChannelHandlerContext ctx)
        {
            flushes.incrementAndGet();
            ctx.flush();
        }

        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            failures.add(cause);
            ctx.close();
        }
    }
}
