package io.tickwire.sim;

import io.tickwire.codec.ClientMessageFlyweight;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.SnapshotDecoder;
import io.tickwire.codec.SnapshotHeaderFlyweight;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.ControlCodec;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.Welcome;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a shard by hand on the test thread: a fake clock, a ring the test publishes into, recording links.
 */
class ShardAgentTest
{
    private static final int TICK_RATE_HZ = 30;
    private static final long PERIOD_NS = 1_000_000_000L / TICK_RATE_HZ;

    private final Map<String, RecordingGame> games = new HashMap<>();
    private final List<Throwable> errors = new ArrayList<>();
    private final ShardCounters counters = new ShardCounters();
    private final InputRing ring = new InputRing(64);
    private final ControlCodec controlCodec = new ControlCodec();
    private final ClientMessageFlyweight message = new ClientMessageFlyweight()
        .wrap(new UnsafeBuffer(new byte[ClientMessageFlyweight.INPUT_LENGTH]), 0, ClientMessageFlyweight.INPUT_LENGTH);
    private long nowNs = 5_000;
    private ShardAgent shard;

    @BeforeEach
    void setUp()
    {
        shard = newShard(new ShardConfig(TICK_RATE_HZ, 3, 64, 4, 2, 64, 2, 4, 30, 0, 0, 64, true), List.of("lobby"));
    }

    @Test
    void joinIsWelcomedAndSnapshotsFollowEveryTick()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();

        final Welcome welcome = assertInstanceOf(Welcome.class, decodeControl(link, 0));
        assertEquals(1, welcome.sessionId());
        assertEquals(TICK_RATE_HZ, welcome.tickRateHz());
        assertEquals("arena", welcome.room());
        assertEquals(100, welcome.entityId());

        assertEquals(1, link.snapshots.size());
        advanceTicks(2);
        assertEquals(3, link.snapshots.size());

        assertEquals(3, header(link.lastSnapshot()).snapshotSeq());
        final SnapshotDecoder view = decodeAll(link, welcome);
        assertEquals(1, view.entityCount());
        assertEquals(100, view.entityId(0));
        assertEquals(3, counters.snapshotsSent.get());
    }

    @Test
    void inputsAreAppliedInSequenceOrderExactlyOnceAndAtMostTheLimitPerTick()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();
        final RecordingGame game = games.get("arena");

        publishInput(link, 1, 10);
        publishInput(link, 2, 20);
        publishInput(link, 2, 21);
        publishInput(link, 1, 11);
        publishInput(link, 3, 30);
        advanceTicks(1);

        assertEquals(List.of("100:10", "100:20"), game.inputs);
        assertEquals(2, header(link.lastSnapshot()).lastInputSeq());
        assertEquals(2, counters.inputsStale.get());

        advanceTicks(1);
        assertEquals(List.of("100:10", "100:20", "100:30"), game.inputs);
        assertEquals(3, header(link.lastSnapshot()).lastInputSeq());

        advanceTicks(1);
        assertEquals(3, game.inputs.size());
        assertEquals(3, counters.inputsApplied.get());
    }

    @Test
    void pendingInputsBeyondTheBufferAreDroppedAndCounted()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();
        for (int seq = 1; seq <= 6; seq++)
        {
            publishInput(link, seq, seq);
        }
        advanceTicks(3);
        assertEquals(List.of("100:1", "100:2", "100:3", "100:4"), games.get("arena").inputs);
        assertEquals(2, counters.inputsOverflowed.get());
    }

    @Test
    void acksFromTheFutureOrThePastAreIgnoredAndCounted()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();
        advanceTicks(2);

        publishInput(link, 1, 0, 3);
        publishInput(link, 2, 0, 99);
        publishInput(link, 3, 0, 2);
        publishInput(link, 4, 0, 3);
        shard.doWork();
        assertEquals(2, counters.acksIgnored.get());
    }

    @Test
    void leaveAndCloseRemoveTheClientAndDisposeEmptyRoomsButNotPinnedOnes()
    {
        final RecordingLink first = join(1, "arena");
        final RecordingLink second = join(2, "lobby");
        shard.doWork();
        assertNotNull(shard.roomNamed("arena"));
        assertEquals(1, games.get("arena").avatars.size());

        message.type(WireFormat.TYPE_LEAVE).ack(0);
        assertTrue(ring.tryPublishMessage(first, message));
        assertTrue(ring.tryPublishClosed(second));
        advanceTicks(1);

        assertEquals(0, games.get("arena").avatars.size());
        assertEquals(0, games.get("lobby").avatars.size());
        assertNull(shard.roomNamed("arena"));
        assertNotNull(shard.roomNamed("lobby"));
        assertEquals(2, counters.leaves.get());
        assertEquals(1, counters.roomsDisposed.get());
    }

    @Test
    void aLinkThatClosedIsDroppedEvenWhenItsCloseEventWasLost()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();
        link.open = false;
        advanceTicks(1);
        assertEquals(0, games.get("arena").avatars.size());
        advanceTicks(1);
        assertNull(shard.roomNamed("arena"), "an empty room is disposed at the start of the next tick");
    }

    @Test
    void fullRoomRefusesWithNoticeAndClose()
    {
        join(1, "arena");
        join(2, "arena");
        final RecordingLink third = join(3, "arena");
        shard.doWork();

        final Notice notice = assertInstanceOf(Notice.class, decodeControl(third, 0));
        assertEquals(Notice.CODE_ROOM_FULL, notice.code());
        assertEquals(CloseCodes.TRY_AGAIN_LATER, third.closeCode);
        assertEquals(1, counters.joinsRefused.get());
    }

    @Test
    void anyRoomJoinsOneWithSpaceOrOpensANewOne()
    {
        final RecordingLink first = join(1, JoinRequest.ANY_ROOM);
        final RecordingLink second = join(2, JoinRequest.ANY_ROOM);
        final RecordingLink third = join(3, JoinRequest.ANY_ROOM);
        shard.doWork();

        assertEquals("lobby", ((Welcome)decodeControl(first, 0)).room());
        assertEquals("lobby", ((Welcome)decodeControl(second, 0)).room());
        final String opened = ((Welcome)decodeControl(third, 0)).room();
        assertTrue(opened.startsWith("open-0-"), opened);
    }

    @Test
    void roomLimitRefusesNewRooms()
    {
        for (int i = 1; i <= 3; i++)
        {
            join(i, "room-" + i);
        }
        final RecordingLink refused = join(4, "room-4");
        shard.doWork();

        assertNotNull(shard.roomNamed("room-3"));
        assertNull(shard.roomNamed("room-4"));
        final Notice notice = assertInstanceOf(Notice.class, decodeControl(refused, 0));
        assertEquals(Notice.CODE_NO_ROOM, notice.code());
        assertEquals(CloseCodes.TRY_AGAIN_LATER, refused.closeCode);
    }

    @Test
    void aSlowClientIsConflatedNotQueued()
    {
        final RecordingLink slow = join(1, "arena");
        final RecordingLink fast = join(2, "arena");
        shard.doWork();
        slow.writable = false;
        advanceTicks(3);
        assertEquals(1, slow.snapshots.size());
        assertEquals(4, fast.snapshots.size());
        assertEquals(3, counters.snapshotsConflated.get());

        slow.writable = true;
        advanceTicks(1);
        assertEquals(2, header(slow.lastSnapshot()).snapshotSeq());
    }

    @Test
    void aThrowingGameIsCountedAndTheLoopGoesOn()
    {
        final RecordingLink link = join(1, "arena");
        shard.doWork();
        games.get("arena").failNextStep = true;
        advanceTicks(2);
        assertEquals(1, counters.errors.get());
        assertEquals(1, errors.size());
        assertEquals(3, games.get("arena").steps);
        assertFalse(link.snapshots.isEmpty());
    }

    @Test
    void catchUpAfterAStallIsBoundedAndCounted()
    {
        join(1, "arena");
        shard.doWork();
        final RecordingGame game = games.get("arena");
        final long stepsBefore = game.steps;

        nowNs += 10 * PERIOD_NS;
        shard.doWork();
        assertEquals(3, game.steps - stepsBefore);
        assertEquals(10 - 3, counters.overrunTicks.get());
        assertEquals(2, counters.catchUpTicks.get());
    }

    @Test
    void eachTickingCycleRecordsItsDurationAndLatenessUntilTheNextSample()
    {
        final long firstTickNs = nowNs;
        final long[] stepCostNs = new long[1];
        final RecordingGame lobby = games.get("lobby");
        lobby.onStep = () -> nowNs += stepCostNs[0];
        for (int i = 1; i <= 100; i++)
        {
            stepCostNs[0] = i * 100_000L;
            nowNs = firstTickNs + (i - 1) * PERIOD_NS + i * 10_000L;
            assertEquals(1, shard.doWork());
        }
        shard.doWork();

        final TickTimings timings = shard.tickTimings();
        final Histogram durations = timings.sampleDurations();
        assertEquals(100, durations.getTotalCount());
        assertWithinOnePercent(5_000_000, durations.getValueAtPercentile(50));
        assertWithinOnePercent(9_000_000, durations.getValueAtPercentile(90));
        assertWithinOnePercent(9_900_000, durations.getValueAtPercentile(99));
        assertWithinOnePercent(10_000_000, durations.getMaxValue());
        final Histogram latenesses = timings.sampleLatenesses();
        assertEquals(100, latenesses.getTotalCount());
        assertWithinOnePercent(500_000, latenesses.getValueAtPercentile(50));
        assertWithinOnePercent(1_000_000, latenesses.getMaxValue());
        assertEquals(100, timings.cycleCount());
        assertEquals(5050 * 100_000L, timings.durationTotalNs());
        assertEquals(5050 * 10_000L, timings.latenessTotalNs());

        assertEquals(0, timings.sampleDurations().getTotalCount(), "a sample starts a new interval");
        assertEquals(0, timings.sampleLatenesses().getTotalCount());
        assertEquals(100, lobby.lastTick, "measuring a cycle does not move the tick grid");
        assertEquals(0, counters.catchUpTicks.get());
        assertEquals(0, counters.overrunTicks.get());
    }

    @Test
    void roomsArePublishedAtStartThenAtMostOncePerSecond()
    {
        final List<RoomInfo> atStart = shard.publishedRooms();
        assertEquals(List.of(new RoomInfo("lobby", 0, 2, 0, 0, 0)), atStart);
        assertThrows(UnsupportedOperationException.class, () -> atStart.remove(0));

        join(1, "arena");
        shard.doWork();
        advanceTicks(29);
        assertEquals(atStart, shard.publishedRooms(), "29 ticks at 30 Hz are less than a second");

        advanceTicks(2);
        assertEquals(
            List.of(new RoomInfo("lobby", 0, 2, 0, 32, 0), new RoomInfo("arena", 1, 2, 0, 32, 1)),
            shard.publishedRooms());
    }

    private ShardAgent newShard(final ShardConfig config, final List<String> pinned)
    {
        final GameFactory factory = (name, tickRateHz) ->
        {
            final RecordingGame game = new RecordingGame();
            games.put(name, game);
            return game;
        };
        return new ShardAgent(0, config, factory, ring, new ShardRouter(1), () -> nowNs, errors::add, counters,
            pinned);
    }

    private RecordingLink join(final long sessionId, final String room)
    {
        final RecordingLink link = new RecordingLink(sessionId);
        assertTrue(ring.tryPublishJoin(link, new JoinRequest(room, "p" + sessionId)));
        return link;
    }

    private void publishInput(final RecordingLink link, final int seq, final int moveX)
    {
        publishInput(link, seq, moveX, 0);
    }

    private void publishInput(final RecordingLink link, final int seq, final int moveX, final int ack)
    {
        message.type(WireFormat.TYPE_INPUT).ack(ack).inputSeq(seq).moveX(moveX).moveY(0).buttons(0);
        assertTrue(ring.tryPublishMessage(link, message));
    }

    private void advanceTicks(final int ticks)
    {
        for (int i = 0; i < ticks; i++)
        {
            nowNs += PERIOD_NS;
            assertTrue(shard.doWork() > 0);
        }
    }

    private Object decodeControl(final RecordingLink link, final int index)
    {
        final byte[] bytes = link.controls.get(index);
        return controlCodec.decode(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static void assertWithinOnePercent(final long expected, final long actual)
    {
        assertEquals(expected, actual, expected / 100.0, "histograms keep 2 significant digits");
    }

    private static SnapshotHeaderFlyweight header(final byte[] bytes)
    {
        return new SnapshotHeaderFlyweight().wrap(new UnsafeBuffer(bytes), 0);
    }

    private static SnapshotDecoder decodeAll(final RecordingLink link, final Welcome welcome)
    {
        final SnapshotDecoder decoder = new SnapshotDecoder(welcome.schema(), welcome.historyWindowTicks() + 2, 64);
        for (final byte[] bytes : link.snapshots)
        {
            assertEquals(SnapshotDecoder.Result.APPLIED, decoder.decode(new UnsafeBuffer(bytes), 0, bytes.length));
        }
        return decoder;
    }
}
