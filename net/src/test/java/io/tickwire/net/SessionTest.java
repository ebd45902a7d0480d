package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.codec.CloseCodes;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mailbox between a shard and an event loop: what the shard hands over is written in the order the protocol
 * promises (stream messages before the snapshot offered after them, never conflated), snapshots are conflated, and
 * nothing is written after a close; every buffer the session allocated is written exactly once or released, which
 * the teardown checks for every test.
 */
class SessionTest
{
    private final RecordingAllocator allocator = new RecordingAllocator();
    private final FlushCounter flushes = new FlushCounter();
    private final EmbeddedChannel channel = channel(allocator, flushes);
    private final NetCounters counters = new NetCounters();
    private final EventLoopOutbound outbound = new EventLoopOutbound(channel.eventLoop());
    private final Session session = new Session(1, channel, channel, null, outbound, counters);
    private final List<ByteBuf> written = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (final ByteBuf frame : written)
        {
            frame.release();
        }
        channel.finishAndReleaseAll();
        assertEquals(List.of(), allocator.unreleased(), "every frame buffer written and released, or released");
    }

    static EmbeddedChannel channel(final ByteBufAllocator allocator, final FlushCounter flushes)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(flushes);
        channel.config().setAllocator(allocator);
        return channel;
    }

    @Test
    void aSnapshotWaitsForTheShardsFlushButAMessageBringsItForward()
    {
        session.offerSnapshot(payload(0x42, 1), 0, 2);
        channel.runPendingTasks();
        assertEquals(List.of(), readAll(), "a snapshot waits for the flush after the shard's fan-out");
        outbound.flushDeferred();
        channel.runPendingTasks();
        assertEquals(List.of("42 01"), readAll());

        session.offerSnapshot(payload(0x42, 2), 0, 2);
        session.sendControl(payload(0x45, 3), 0, 2);
        channel.runPendingTasks();
        assertEquals(List.of("45 03", "42 02"), readAll(), "a message is not held, nor the snapshot queued before it");
        assertEquals(2, flushes.count);
    }

    @Test
    void aStalledClientHoldsOneSnapshotInSlotsOfItsOwnNotInAllocatedBuffers()
    {
        final byte[] big = new byte[1000];
        for (int i = 0; i < 50; i++)
        {
            assertEquals(i == 0, session.offerSnapshot(payload(0x42, i), 0, 2),
                "the first is new, the rest replace it");
            assertFalse(session.offerSnapshot(new UnsafeBuffer(big), 0, big.length), "a larger one grows the slot");
        }
        assertFalse(session.offerSnapshot(payload(0x42, 99), 0, 2));
        assertEquals(List.of(), allocator.allocated(), "offering a snapshot takes no buffer from the allocator");
        assertEquals(0, counters.framesWritten.sum());
        writeTheTick();
        assertEquals(List.of("42 63"), readAll(), "only the newest goes out");

        assertTrue(session.offerSnapshot(payload(0x42, 100), 0, 2), "after the write, a new snapshot replaces none");
        writeTheTick();
        assertEquals(List.of("42 64"), readAll());
    }

    /**
     * A write that throws after the loop took the pending slot leaves its snapshot untaken: the next write drops it,
     * so it never goes out after a newer one.
     */
    @Test
    void aSnapshotAFailedWriteLeftIsDroppedNotWrittenAfterANewerOne()
    {
        final boolean[] failNextWrite = {false};
        final ChannelOutboundInvoker failing = (ChannelOutboundInvoker)Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ChannelOutboundInvoker.class}, (proxy, method, args) ->
            {
                if (method.getName().equals("write") && failNextWrite[0])
                {
                    failNextWrite[0] = false;
                    ReferenceCountUtil.release(args[0]);
                    throw new IllegalStateException("the write failed");
                }
                try
                {
                    return method.invoke(channel, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            });
        final Session failingSession = new Session(2, channel, failing, null, outbound, counters);
        failingSession.offerSnapshot(payload(0x42, 1), 0, 2);
        failingSession.sendControl(payload(0x45, 1), 0, 2);
        failNextWrite[0] = true;
        assertThrows(IllegalStateException.class, failingSession::writeOutbound, "the message's write fails");

        failingSession.offerSnapshot(payload(0x42, 2), 0, 2);
        failingSession.writeOutbound();
        failingSession.writeOutbound();
        channel.runPendingTasks();
        assertEquals(List.of("42 02"), readAll(), "the snapshot the failed write left is dropped");
    }

    @Test
    void manyFramesInOneTickCostTheLoopOneFlush()
    {
        for (int i = 0; i < 50; i++)
        {
            session.sendControl(payload(0x45, i), 0, 2);
            if (i % 20 == 0)
            {
                session.offerSnapshot(payload(0x42, i), 0, 2);
            }
        }
        writeTheTick();

        assertEquals(51, readAll().size(), "50 messages and the newest snapshot");
        assertEquals(1, flushes.count);
        assertEquals(51, counters.framesWritten.sum());
        assertEquals(51 * 4, counters.bytesWritten.sum(), "a 2-byte header and a 2-byte payload each");
    }

    @Test
    void framesOfferedAfterADrainAreDrainedByTheNextOne()
    {
        session.sendControl(payload(0x45, 1), 0, 2);
        writeTheTick();
        session.offerSnapshot(payload(0x42, 2), 0, 2);
        writeTheTick();
        session.sendControl(payload(0x45, 3), 0, 2);
        writeTheTick();

        assertEquals(List.of("45 01", "42 02", "45 03"), readAll());
        assertEquals(3, flushes.count);
    }

    @Test
    void whatTheShardOffersAfterTheChannelClosedIsReleasedNotWritten()
    {
        channel.close();
        session.sendControl(payload(0x45, 1), 0, 2);
        session.offerSnapshot(payload(0x42, 2), 0, 2);
        writeTheTick();

        assertNull(channel.readOutbound());
        assertFalse(session.isOpen());
        assertEquals(0, counters.framesWritten.sum());
    }

    @Test
    void aClosingSessionWritesItsMessagesButNoMoreSnapshots()
    {
        session.markClosing();
        assertFalse(session.isOpen(), "shards stop sending at once");
        session.offerSnapshot(payload(0x42, 1), 0, 2);
        session.sendControl(payload(0x45, 2), 0, 2);
        writeTheTick();

        assertEquals(List.of("45 02"), readAll());
    }

    @Test
    void messagesSentDuringATickAreWrittenBeforeThatTicksSnapshot()
    {
        session.sendControl(payload(0x45, 1), 0, 2);
        session.sendControl(payload(0x46, 2), 0, 2);
        session.offerSnapshot(payload(0x42, 7), 0, 2);
        writeTheTick();

        assertEquals(List.of("45 01", "46 02", "42 07"), readAll());
    }

    @Test
    void aNewerSnapshotReplacesAnUnwrittenOneButMessagesAreNeverReplaced()
    {
        assertTrue(session.offerSnapshot(payload(0x42, 1), 0, 2));
        session.sendControl(payload(0x45, 1), 0, 2);
        assertFalse(session.offerSnapshot(payload(0x42, 2), 0, 2), "the unwritten snapshot was conflated");
        session.sendControl(payload(0x45, 2), 0, 2);
        writeTheTick();

        assertEquals(List.of("45 01", "45 02", "42 02"), readAll());
    }

    @Test
    void nothingIsWrittenAfterACloseAndWhatWaitsIsReleased()
    {
        session.sendControl(payload(0x45, 1), 0, 2);
        session.close(4002, "too many unacknowledged messages");
        session.sendControl(payload(0x45, 2), 0, 2);
        session.offerSnapshot(payload(0x42, 3), 0, 2);
        writeTheTick();

        assertEquals("45 01", hex(channel.readOutbound()));
        final CloseWebSocketFrame close = channel.readOutbound();
        assertEquals(4002, close.statusCode());
        close.release();
        assertNull(channel.readOutbound(), "exactly one close frame, and nothing after it");
        assertFalse(session.isOpen());
    }

    @Test
    void nothingIsWrittenAfterACloseFrameAnotherHandlerWrote()
    {
        session.sendControl(payload(0x45, 1), 0, 2);
        session.onCloseFrameWritten();
        session.offerSnapshot(payload(0x42, 3), 0, 2);
        writeTheTick();

        assertTrue(channel.isActive(), "the close frame may still be waiting to be sent");
        assertNull(channel.readOutbound(), "nothing after the close frame");
        assertFalse(session.isOpen());
    }

    @Test
    void aCloseFrameThePeerDoesNotReadClosesTheConnectionAfterTheGrace()
    {
        final List<ChannelPromise> stuck = new ArrayList<>();
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter()
        {
            public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
            {
                ReferenceCountUtil.release(msg);
                stuck.add(promise);
            }
        });
        channel.freezeTime();
        session.close(CloseCodes.NOT_READING, "not reading");
        writeTheTick();
        assertEquals(1, stuck.size(), "the close frame waits behind what the peer has not read");

        channel.advanceTimeBy(Session.CLOSE_GRACE_MS - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "open until the grace has passed");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
    }

    /**
     * The shard's flush after its fan-out, then the event loop's drain.
     */
    private void writeTheTick()
    {
        outbound.flushDeferred();
        channel.runPendingTasks();
    }

    private List<String> readAll()
    {
        final List<String> frames = new ArrayList<>();
        Object frame;
        while ((frame = channel.readOutbound()) != null)
        {
            frames.add(hex((ByteBuf)frame));
        }
        return frames;
    }

    /**
     * @return the payload of a pre-framed binary frame (a 2-byte header for short payloads) as hex bytes.
     */
    private String hex(final ByteBuf frame)
    {
        written.add(frame);
        assertEquals(0x82, frame.getUnsignedByte(0));
        final StringBuilder text = new StringBuilder();
        for (int i = 2; i < frame.writerIndex(); i++)
        {
            text.append(text.length() == 0 ? "" : " ").append(String.format("%02x", frame.getUnsignedByte(i)));
        }
        return text.toString();
    }

    private static UnsafeBuffer payload(final int type, final int value)
    {
        return new UnsafeBuffer(new byte[] {(byte)type, (byte)value});
    }

    /**
     * Counts the flushes that reach the channel.
     */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter
    {
        int count;

        public void flush(final ChannelHandlerContext ctx)
        {
            count++;
            ctx.flush();
        }
    }
}
