package io.tickwire.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.tickwire.sim.ClientLink;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound hand-off of one event loop: however many sessions a shard fills, the loop runs one drain task per
 * batch and each channel is flushed once; a tick's snapshots wait for the shard's flush, which costs each loop that
 * has some one task; and, with a shard thread and an event loop really running side by side,
 * every frame buffer is written exactly once or released exactly once, messages are never lost or reordered, the
 * newest snapshot always gets out, and nothing follows a close frame.
 */
class EventLoopOutboundTest
{
    private static final byte MESSAGE = 0x45;
    private static final byte SNAPSHOT = 0x42;

    private final RecordingAllocator allocator = new RecordingAllocator();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        for (final EmbeddedChannel channel : channels)
        {
            channel.finishAndReleaseAll();
        }
        assertEquals(List.of(), allocator.unreleased());
    }

    @Test
    void oneDrainTaskPerBatchAndOneFlushPerSession()
    {
        final TaskCapturingLoop loop = new TaskCapturingLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final List<SessionTest.FlushCounter> flushes = new ArrayList<>();
        final List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            final SessionTest.FlushCounter counter = new SessionTest.FlushCounter();
            final EmbeddedChannel channel = SessionTest.channel(allocator, counter);
            channels.add(channel);
            flushes.add(counter);
            sessions.add(new Session(i, channel, channel, null, outbound, new NetCounters()));
        }

        for (int round = 0; round < 4; round++)
        {
            for (final Session session : sessions)
            {
                session.sendControl(frame(new UnsafeBuffer(new byte[4]), MESSAGE, round), 0, 4);
                session.offerSnapshot(frame(new UnsafeBuffer(new byte[4]), SNAPSHOT, round), 0, 4);
            }
        }
        assertEquals(1, loop.tasks.size(), "one task for the whole batch");
        loop.tasks.remove(0).run();

        for (int i = 0; i < sessions.size(); i++)
        {
            assertEquals(1, flushes.get(i).count, "session " + i);
            assertEquals(5, drainAndRelease(channels.get(i)), "4 messages and the newest snapshot");
        }

        sessions.get(1).sendControl(frame(new UnsafeBuffer(new byte[4]), MESSAGE, 9), 0, 4);
        assertEquals(1, loop.tasks.size(), "a new batch after the drain gets a new task");
        loop.tasks.remove(0).run();
        assertEquals(1, drainAndRelease(channels.get(1)));
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    /**
     * The loop writes a batch lowest rank first, whatever order the shard offered it in: the client whose input
     * waited longest gets its snapshot first, and a snapshot that shows no new input goes last. Ranks far apart
     * keep their order.
     */
    @Test
    void aBatchIsWrittenInTheOrderOfItsSnapshotsRanks()
    {
        final TaskCapturingLoop loop = new TaskCapturingLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final long[] ranks = {30, ClientLink.UNRANKED, 10, 20, 1L << 40, 11};
        final List<Integer> written = new ArrayList<>();
        final List<Session> sessions = flushRecordingSessions(ranks.length, outbound, written);

        for (int round = 0; round < 2; round++)
        {
            written.clear();
            for (int i = 0; i < ranks.length; i++)
            {
                sessions.get(i).rankNextSnapshot(ranks[round == 0 ? i : ranks.length - 1 - i]);
                sessions.get(i).offerSnapshot(frame(new UnsafeBuffer(new byte[4]), SNAPSHOT, round), 0, 4);
            }
            outbound.flushDeferred();
            loop.tasks.remove(0).run();
            assertEquals(round == 0 ? List.of(2, 5, 3, 0, 4, 1) : List.of(3, 0, 2, 5, 1, 4), written, "round " + round);
            for (final EmbeddedChannel channel : channels)
            {
                assertEquals(1, drainAndRelease(channel));
            }
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    /**
     * A snapshot that replaces one still unwritten carries its inputs to the client too, so it keeps the lower rank;
     * once written, the next snapshot has its own.
     */
    @Test
    void aSnapshotThatReplacesAnUnwrittenOneKeepsTheLowerRank()
    {
        final TaskCapturingLoop loop = new TaskCapturingLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final List<Integer> written = new ArrayList<>();
        final List<Session> sessions = flushRecordingSessions(2, outbound, written);

        offerRanked(sessions.get(0), 10);
        offerRanked(sessions.get(1), 20);
        offerRanked(sessions.get(0), 30);
        outbound.flushDeferred();
        loop.tasks.remove(0).run();
        assertEquals(List.of(0, 1), written, "session 0 keeps rank 10");

        written.clear();
        offerRanked(sessions.get(0), 30);
        offerRanked(sessions.get(1), 20);
        outbound.flushDeferred();
        loop.tasks.remove(0).run();
        assertEquals(List.of(1, 0), written, "after the write, session 0's rank is its new snapshot's");
        for (final EmbeddedChannel channel : channels)
        {
            assertEquals(2, drainAndRelease(channel));
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    /**
     * A session whose write throws ends the drain task there (the loop logs it); the sessions of the batch after it
     * are put back and drained by a new task, still in rank order, and the session that failed gets its next snapshot.
     */
    @Test
    void theSessionsAFailedWriteLeftAreWrittenByANewDrainInRankOrder()
    {
        final TaskCapturingLoop loop = new TaskCapturingLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final List<Integer> written = new ArrayList<>();
        final List<Session> sessions = flushRecordingSessions(4, outbound, written);
        for (int i = 3; i >= 0; i--)
        {
            offerRanked(sessions.get(i), 10 * (i + 1));
        }
        ((FailingChannel)channels.get(1)).failNextFlush = true;
        outbound.flushDeferred();

        assertThrows(IllegalStateException.class, () -> loop.tasks.remove(0).run());
        assertEquals(List.of(0), written);
        assertEquals(1, loop.tasks.size(), "the rest of the batch put back, with a task to drain it");
        loop.tasks.remove(0).run();
        assertEquals(List.of(0, 2, 3), written);

        offerRanked(sessions.get(1), 50);
        outbound.flushDeferred();
        loop.tasks.remove(0).run();
        assertEquals(List.of(0, 2, 3, 1), written);
        for (int i = 0; i < channels.size(); i++)
        {
            assertEquals(i == 1 ? 2 : 1, drainAndRelease(channels.get(i)),
                "the snapshot whose flush failed waits in its channel, and goes out with the next one");
        }
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    private static void offerRanked(final Session session, final long rank)
    {
        session.rankNextSnapshot(rank);
        session.offerSnapshot(frame(new UnsafeBuffer(new byte[4]), SNAPSHOT, (int)rank), 0, 4);
    }

    /**
     * @return {@code count} sessions on their own channels ({@link FailingChannel}), each adding its index to
     * {@code written} when flushed.
     */
    private List<Session> flushRecordingSessions(
        final int count, final EventLoopOutbound outbound, final List<Integer> written)
    {
        final List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int id = i;
            final EmbeddedChannel channel = new FailingChannel(new ChannelOutboundHandlerAdapter()
            {
                public void flush(final ChannelHandlerContext ctx)
                {
                    written.add(id);
                    ctx.flush();
                }
            });
            channel.config().setAllocator(allocator);
            channels.add(channel);
            sessions.add(new Session(i, channel, channel, null, outbound, new NetCounters()));
        }
        return sessions;
    }

    @Test
    void aTicksSnapshotsCostEachLoopOneTaskAtTheShardsFlush()
    {
        final TaskCapturingLoop[] loops = {new TaskCapturingLoop(), new TaskCapturingLoop(), new TaskCapturingLoop()};
        final EventLoopOutbounds outbounds = new EventLoopOutbounds();
        final List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 6; i++)
        {
            final EmbeddedChannel channel = SessionTest.channel(allocator, new SessionTest.FlushCounter());
            channels.add(channel);
            sessions.add(new Session(i, channel, channel, null, outbounds.of(loops[i % 2]), new NetCounters()));
        }
        assertEquals(outbounds.of(loops[0]), outbounds.of(loops[0]), "one hand-off per loop");

        for (final Session session : sessions)
        {
            session.offerSnapshot(frame(new UnsafeBuffer(new byte[4]), SNAPSHOT, 1), 0, 4);
        }
        assertEquals(0, loops[0].tasks.size() + loops[1].tasks.size(), "no loop woken during the fan-out");
        outbounds.of(loops[2]);
        outbounds.flush(0);
        outbounds.flush(0);
        assertEquals(List.of(1, 1, 0), List.of(loops[0].tasks.size(), loops[1].tasks.size(), loops[2].tasks.size()),
            "one task per loop with snapshots waiting, none for an idle loop or a second flush");

        loops[0].tasks.remove(0).run();
        loops[1].tasks.remove(0).run();
        for (final EmbeddedChannel channel : channels)
        {
            assertEquals(1, drainAndRelease(channel));
        }
        for (final TaskCapturingLoop loop : loops)
        {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(30)
    void aFlushAfterTheLoopTerminatedReleasesWhatWaits() throws Exception
    {
        final DefaultEventLoop loop = new DefaultEventLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final EmbeddedChannel channel = SessionTest.channel(allocator, new SessionTest.FlushCounter());
        channels.add(channel);
        final Session session = new Session(1, channel, channel, null, outbound, new NetCounters());
        final PooledSnapshotBodies bodies = new PooledSnapshotBodies(allocator);
        final UnsafeBuffer bytes = frame(new UnsafeBuffer(new byte[4]), SNAPSHOT, 1);
        assertTrue(session.offerSnapshot(bytes, 0, 2, bodies.share(bytes, 2, 2)));
        bodies.releaseShared();
        channel.close();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);

        outbound.flushDeferred();
        assertEquals(0, allocator.allocated().get(0).refCnt(),
            "the shared body's reference released by the flush that could not wake the loop");
        assertNull(channel.readOutbound());
    }

    /**
     * A shard thread offers snapshots and messages to several sessions and closes one halfway, while a real event
     * loop drains them. No sleeps: the test waits for the shard to finish and then for the loop to run a task queued
     * after the shard's last one.
     */
    @Test
    @Timeout(30)
    void aShardAndAnEventLoopSideBySideLoseNothingAndLeakNothing() throws Exception
    {
        final int sessionCount = 4;
        final int rounds = 3_000;
        final int closedSession = 2;
        final int closeAtRound = rounds / 2;
        final DefaultEventLoop loop = new DefaultEventLoop();
        final EventLoopOutbound outbound = new EventLoopOutbound(loop);
        final List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < sessionCount; i++)
        {
            final EmbeddedChannel channel = SessionTest.channel(allocator, new SessionTest.FlushCounter());
            channels.add(channel);
            sessions.add(new Session(i, channel, channel, null, outbound, new NetCounters()));
        }

        final AtomicReference<Throwable> shardFailure = new AtomicReference<>();
        final Thread shard = new Thread(() ->
        {
            try
            {
                final UnsafeBuffer payload = new UnsafeBuffer(new byte[4]);
                for (int round = 1; round <= rounds; round++)
                {
                    for (int i = 0; i < sessionCount; i++)
                    {
                        if (i == closedSession && round == closeAtRound)
                        {
                            sessions.get(i).close(4002, "test");
                        }
                        if (round % 3 == 0)
                        {
                            sessions.get(i).sendControl(frame(payload, MESSAGE, round), 0, 4);
                        }
                        sessions.get(i).offerSnapshot(frame(payload, SNAPSHOT, round), 0, 4);
                    }
                    outbound.flushDeferred();
                }
            }
            catch (final Throwable ex)
            {
                shardFailure.set(ex);
            }
        }, "shard");
        shard.start();
        shard.join(TimeUnit.SECONDS.toMillis(20));
        assertNull(shardFailure.get());
        loop.submit(() -> null).get(10, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);

        final Map<ByteBuf, Boolean> writtenOnce = new IdentityHashMap<>();
        int snapshotsWritten = 0;
        for (int i = 0; i < sessionCount; i++)
        {
            int nextMessage = 3;
            int lastSnapshot = 0;
            boolean closed = false;
            for (final Object frame : drain(channels.get(i)))
            {
                assertFalse(closed, "session " + i + ": nothing after the close frame");
                if (frame instanceof CloseWebSocketFrame)
                {
                    closed = true;
                    ((CloseWebSocketFrame)frame).release();
                    continue;
                }
                final ByteBuf buffer = assertInstanceOf(ByteBuf.class, frame);
                assertNull(writtenOnce.put(buffer, Boolean.TRUE), "each buffer written once");
                final int round = buffer.getMedium(3);
                if (buffer.getByte(2) == MESSAGE)
                {
                    assertEquals(nextMessage, round, "session " + i + ": every message, in order");
                    assertTrue(lastSnapshot < round, "a message goes before the snapshot offered after it");
                    nextMessage += 3;
                }
                else
                {
                    assertTrue(round > lastSnapshot, "session " + i + ": snapshots only move forward");
                    lastSnapshot = round;
                    snapshotsWritten++;
                }
            }
            final int lastRound = i == closedSession ? closeAtRound - 1 : rounds;
            assertEquals(i == closedSession, closed, "session " + i + ": one close frame iff closed");
            assertEquals(lastRound - lastRound % 3 + 3, nextMessage, "session " + i + ": no message lost");
            if (i != closedSession)
            {
                assertEquals(rounds, lastSnapshot, "session " + i + ": the newest snapshot got out");
            }
        }

        final List<ByteBuf> allocated = allocator.allocated();
        for (final ByteBuf buffer : allocated)
        {
            if (writtenOnce.containsKey(buffer))
            {
                assertEquals(1, buffer.refCnt(), "a written frame is owned by the channel");
                buffer.release();
            }
            else
            {
                assertEquals(0, buffer.refCnt(), "a frame not written was released");
            }
        }
        assertEquals(sessionCount * (rounds / 3) + snapshotsWritten, allocated.size(),
            "one buffer per message offered, and one per snapshot written through the pipeline (a copy of its slot): " +
            "none per snapshot offered");
    }

    /**
     * @return a 4-byte payload: the frame's kind, then the round as 3 bytes, big-endian.
     */
    private static UnsafeBuffer frame(final UnsafeBuffer payload, final byte kind, final int round)
    {
        payload.putByte(0, kind);
        payload.putByte(1, (byte)(round >>> 16));
        payload.putByte(2, (byte)(round >>> 8));
        payload.putByte(3, (byte)round);
        return payload;
    }

    private static List<Object> drain(final EmbeddedChannel channel)
    {
        final List<Object> frames = new ArrayList<>();
        Object frame;
        while ((frame = channel.readOutbound()) != null)
        {
            frames.add(frame);
        }
        return frames;
    }

    private static int drainAndRelease(final EmbeddedChannel channel)
    {
        final List<Object> frames = drain(channel);
        for (final Object frame : frames)
        {
            ReferenceCountUtil.release(frame);
        }
        return frames.size();
    }

    /**
     * A channel whose next flush throws, once {@link #failNextFlush} is set: a session's write that fails.
     */
    private static final class FailingChannel extends EmbeddedChannel
    {
        boolean failNextFlush;

        FailingChannel(final ChannelHandler handler)
        {
            super(handler);
        }

        public Channel flush()
        {
            if (failNextFlush)
            {
                failNextFlush = false;
                throw new IllegalStateException("the write failed");
            }
            return super.flush();
        }
    }

    /**
     * An event loop that is never started: it keeps the tasks it is given for the test to run.
     */
    private static final class TaskCapturingLoop extends DefaultEventLoop
    {
        final List<Runnable> tasks = new ArrayList<>();

        public void execute(final Runnable task)
        {
            tasks.add(task);
        }
    }
}
