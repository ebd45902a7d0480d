package io.tickwire.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A session between two real threads: a shard thread queuing control frames and snapshots while the channel's event
 * loop writes them. Every control frame arrives, once, in order and without waiting for a later one, however the
 * writer's drains and the shard's offers interleave (the writer only polls the control queue when the pending flag
 * says so). The shard queues bursts and waits for each to arrive, so a frame left behind shows at once.
 */
class SessionThreadsTest
{
    private static final int CONTROL_FRAMES = 50_000;
    private static final int CONTROL_TYPE = 0x45;
    private static final int SNAPSHOT_TYPE = 0x42;
    /** Control frames queued together before the shard waits for them to arrive; the writer races each burst. */
    private static final int BURST = 3;
    private static final long DELIVERY_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Waits, spinning as a shard never would, until {@code count} control frames have arrived.
     */
    private static boolean delivered(final Receiver receiver, final int count)
    {
        final long deadlineNs = System.nanoTime() + DELIVERY_NS;
        while (receiver.controlCount() < count)
        {
            if (System.nanoTime() > deadlineNs)
            {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyControlFrameAShardQueuesArrivesOnceAndInOrder() throws Exception
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
        final Receiver receiver = new Receiver();
        try
        {
            final LocalAddress address = new LocalAddress("session-threads");
            new ServerBootstrap().group(group).channel(LocalServerChannel.class).childHandler(receiver)
                .bind(address).sync();
            final Channel channel = new Bootstrap().group(group).channel(LocalChannel.class)
                .handler(new ChannelInboundHandlerAdapter()).connect(address).sync().channel();
            final EventLoopOutbound outbound = new EventLoopOutbound(channel.eventLoop());
            final Session session = new Session(1, channel, channel, null, outbound, new NetCounters());

            final AtomicReference<String> stuck = new AtomicReference<>();
            final Thread shard = new Thread(() ->
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[5]);
                for (int i = 0; i < CONTROL_FRAMES && stuck.get() == null; i++)
                {
                    payload.putByte(0, (byte)CONTROL_TYPE);
                    payload.putInt(1, i);
                    session.sendControl(payload, 0, 5);
                    if (i % 7 == 0)
                    {
                        payload.putByte(0, (byte)SNAPSHOT_TYPE);
                        session.offerSnapshot(payload, 0, 5);
                    }
                    if (i % BURST == BURST - 1 && !delivered(receiver, i + 1))
                    {
                        stuck.set("frame " + i + " not written within " + DELIVERY_NS / 1_000_000 + " ms");
                    }
                }
                outbound.flushDeferred();
            }, "shard");
            shard.start();
            shard.join();

            assertNull(stuck.get());
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.controlCount() == CONTROL_FRAMES);
            assertEquals(List.of(), receiver.outOfOrder(), "control frames out of order or repeated");
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /**
     * Reads the frames off the other end, whose bytes may come merged or split (each a 2-byte header, the type, and
     * the sequence in Agrona's little-endian order), and checks the control frames' order.
     */
    @ChannelHandler.Sharable
    private static final class Receiver extends ChannelInboundHandlerAdapter
    {
        private static final int FRAME_BYTES = 7;
        private final ByteBuf pending = Unpooled.buffer();
        private final List<String> outOfOrder = new ArrayList<>();
        private int nextControl;

        public synchronized void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf bytes = (ByteBuf)msg;
            pending.writeBytes(bytes);
            bytes.release();
            while (pending.readableBytes() >= FRAME_BYTES)
            {
                pending.skipBytes(2);
                final int type = pending.readUnsignedByte();
                final int seq = pending.readIntLE();
                if (type == CONTROL_TYPE)
                {
                    if (seq != nextControl)
                    {
                        outOfOrder.add("expected " + nextControl + " got " + seq);
                    }
                    nextControl = seq + 1;
                }
            }
            pending.discardReadBytes();
        }

        synchronized int controlCount()
        {
            return nextControl;
        }

        synchronized List<String> outOfOrder()
        {
            return new ArrayList<>(outOfOrder);
        }
    }
}
