package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tickwire.sim.ShardDriver.PERIOD_NS;
import static io.tickwire.sim.ShardDriver.TICK_RATE_HZ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shard's duty cycle, driven by hand: welcomes and snapshots, inputs, acks, leaves, room limits, conflation,
 * game failures, catch-up, timings and room publication.
 */
class ShardAgentTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private ShardCounters counters;

    @BeforeEach
    void setUp()
    {
        driver = new ShardDriver(
            new ShardConfig(TICK_RATE_HZ, 3, 256, 4, 2, 4, 8, 0, 0, 64, true, 64, 42L), 100,
            List.of(RecordingGame.type("duel", 2, games)), "duel:lobby");
        counters = driver.counters;
    }

    @Test
    void theIoSideIsFlushedOnceAfterEachCycleThatSentSnapshotsWithTheCyclesSnapshotsOffered()
    {
        final TestClient first = driver.join(1, "duel", "arena");
        final TestClient second = driver.join(2, "duel", "arena");
        final List<Integer> offeredAtFlush = new ArrayList<>();
        driver.afterSnapshots = () ->
            offeredAtFlush.add(first.link.snapshots().size() + second.link.snapshots().size());

        driver.doWork();
        assertEquals(List.of(2), offeredAtFlush, "both joiners' first snapshots offered before the flush");
        driver.doWork();
        assertEquals(List.of(2), offeredAtFlush, "no tick, no snapshots, no flush");
        driver.tickAcknowledging(3, first, second);
        assertEquals(List.of(2, 4, 6, 8), offeredAtFlush, "one flush per ticking cycle, after its snapshots");
    }

    @Test
    void joinIsWelcomedAndSnapshotsFollowEveryTick()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();

        client.read();
        assertEquals(1, client.welcome.sessionId());
        assertEquals(TICK_RATE_HZ, client.welcome.tickRateHz());
        assertEquals("arena", client.welcome.room());
        assertEquals(101, client.welcome.entityId());
        assertEquals(1, client.snapshots.size());

        driver.tickAcknowledging(2, client);
        client.read();
        assertEquals(3, client.snapshots.size());
        assertEquals(3, client.lastSnapshotSeq());
        assertEquals(1, client.decoder.entityCount());
        assertEquals(101, client.decoder.entityId(0));
        assertEquals(3, counters.snapshotsSent.get());
    }

    @Test
    void anInspectionIsAnsweredOnTheShardFromTheLastTick()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.tick(2);
        client.read();
        final RoomInspection inspection = new RoomInspection("arena");
        final RoomInspection unknown = new RoomInspection("nowhere");
        assertTrue(driver.ring.tryPublishInspection(inspection));
        assertTrue(driver.ring.tryPublishInspection(unknown));
        assertFalse(inspection.answer().isDone(), "only the shard answers, at its next ring drain");

        driver.doWork();
        final RoomInspection.View view = inspection.answer().getNow(null);
        assertNotNull(view);
        assertEquals("duel", view.type());
        assertEquals(driver.room("arena").tick(), view.tick());
        assertEquals(1, view.players().size());
        final RoomInspection.PlayerView player = view.players().get(0);
        assertEquals(client.welcome.playerId(), player.playerId());
        assertEquals(101, player.entityId());
        final Room room = driver.room("arena");
        final int row = room.entities().indexOf(101);
        assertEquals(List.of("x", "y", "hp"), List.copyOf(player.fields().keySet()));
        assertEquals(room.entities().value(row, 0), player.fields().get("x"));
        assertEquals(room.entities().value(row, 2), player.fields().get("hp"));
        assertTrue(unknown.answer().isDone());
        assertNull(unknown.answer().getNow(null));
    }

    @Test
    void inputsAreAppliedInSequenceOrderExactlyOnceAndAtMostTheLimitPerTick()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();
        final RecordingGame game = games.get("arena");

        driver.publishInput(client.link, client.type, 0, 1, 0, 10, 0);
        driver.publishInput(client.link, client.type, 0, 2, 0, -10, 1);
        driver.publishInput(client.link, client.type, 0, 2, 0, 7, 0);
        driver.publishInput(client.link, client.type, 0, 1, 0, 7, 0);
        driver.publishInput(client.link, client.type, 0, 3, 0, 3, 0);
        driver.tickAcknowledging(1, client);

        assertEquals(List.of("input p1 1 dx=10 fire=0 view=0", "input p1 2 dx=-10 fire=1 view=0"), inputs(game));
        assertEquals(2, client.lastSnapshot()[2]);
        assertEquals(2, counters.inputsStale.get());

        driver.tickAcknowledging(1, client);
        assertEquals(3, inputs(game).size());
        assertEquals("input p1 3 dx=3 fire=0 view=0", inputs(game).get(2));
        assertEquals(3, client.lastSnapshot()[2]);

        driver.tick(1);
        assertEquals(3, inputs(game).size());
        assertEquals(3, counters.inputsApplied.get());
    }

    @Test
    void pendingInputsBeyondTheBufferAreDroppedAndCounted()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();
        for (int seq = 1; seq <= 6; seq++)
        {
            client.input(0, seq, 0);
        }
        driver.tick(3);
        assertEquals(List.of(
            "input p1 1 dx=1 fire=0 view=0", "input p1 2 dx=2 fire=0 view=0",
            "input p1 3 dx=3 fire=0 view=0", "input p1 4 dx=4 fire=0 view=0"), inputs(games.get("arena")));
        assertEquals(2, counters.inputsOverflowed.get());
    }

    @Test
    void acksFromTheFutureOrThePastAreIgnoredAndCounted()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();
        driver.tickAcknowledging(2, client);

        driver.publishInput(client.link, client.type, 3, 1, 0, 0, 0);
        driver.publishInput(client.link, client.type, 99, 2, 0, 0, 0);
        driver.publishInput(client.link, client.type, 2, 3, 0, 0, 0);
        driver.publishInput(client.link, client.type, 3, 4, 0, 0, 0);
        driver.doWork();
        assertEquals(2, counters.acksIgnored.get());
    }

    @Test
    void leaveAndCloseRemoveTheClientAndDisposeEmptyRoomsButNotPinnedOnes()
    {
        final TestClient first = driver.join(1, "duel", "arena");
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.doWork();
        assertNotNull(driver.room("arena"));
        assertEquals(1, games.get("arena").avatars.size());

        first.leave();
        second.closed(LeaveReason.DISCONNECTED);
        driver.tick(1);
        assertEquals(0, games.get("arena").avatars.size());
        assertEquals(0, games.get("lobby").avatars.size());
        assertEquals(2, counters.leaves.get());

        driver.tick(1);
        assertNull(driver.room("arena"));
        assertNotNull(driver.room("lobby"));
        assertEquals(1, counters.roomsDisposed.get());
    }

    @Test
    void aLinkThatClosedIsDroppedEvenWhenItsCloseEventWasLost()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();
        client.link.open = false;
        driver.tick(1);
        assertEquals(0, games.get("arena").avatars.size());
        assertTrue(games.get("arena").calls.contains("leave p1 DISCONNECTED"));
        driver.tick(1);
        assertNull(driver.room("arena"), "an empty room is disposed at the start of the next tick");
    }

    @Test
    void fullRoomRefusesWithNoticeAndClose()
    {
        driver.join(1, "duel", "arena");
        driver.join(2, "duel", "arena");
        final TestClient third = driver.join(3, "duel", "arena");
        driver.doWork();

        third.read();
        assertEquals(List.of("notice " + Notice.CODE_ROOM_FULL + " room full"), third.log);
        assertEquals(CloseCodes.TRY_AGAIN_LATER, third.link.closeCode);
        assertEquals(1, counters.joinsRefused.get());
    }

    @Test
    void roomLimitRefusesNewRooms()
    {
        for (int i = 1; i <= 3; i++)
        {
            driver.join(i, "duel", "room-" + i);
        }
        final TestClient refused = driver.join(4, "duel", "room-4");
        driver.doWork();

        assertNotNull(driver.room("room-3"));
        assertNull(driver.room("room-4"));
        assertEquals(Notice.CODE_NO_ROOM, refused.read().notices.get(0).code());
        assertEquals(CloseCodes.TRY_AGAIN_LATER, refused.link.closeCode);
        assertEquals(1, counters.roomsRefused.get());
    }

    @Test
    void aSlowClientIsConflatedNotQueued()
    {
        final TestClient slow = driver.join(1, "duel", "arena");
        final TestClient fast = driver.join(2, "duel", "arena");
        driver.doWork();
        slow.link.writable = false;
        driver.tickAcknowledging(3, slow, fast);
        assertEquals(1, slow.read().snapshots.size());
        assertEquals(4, fast.read().snapshots.size());
        assertEquals(3, counters.snapshotsConflated.get());

        slow.link.writable = true;
        driver.tickAcknowledging(1, slow, fast);
        assertEquals(2, slow.lastSnapshotSeq());
    }

    @Test
    void aThrowingGameIsCountedAndTheLoopGoesOn()
    {
        final TestClient client = driver.join(1, "duel", "arena");
        driver.doWork();
        games.get("arena").failNextStep = true;
        driver.tickAcknowledging(2, client);
        assertEquals(1, counters.errors.get());
        assertEquals(1, counters.gameErrors.get());
        assertEquals(1, driver.errors.size());
        assertEquals(3, games.get("arena").steps);
        assertEquals(2, client.link.snapshots().size(), "no snapshot of the failed tick, counted as sent");
        assertEquals(2, client.read().snapshots.size());
    }

    @Test
    void catchUpAfterAStallIsBoundedAndCounted()
    {
        driver.join(1, "duel", "arena");
        driver.doWork();
        final RecordingGame game = games.get("arena");
        final long stepsBefore = game.steps;

        driver.nowNs += 10 * PERIOD_NS;
        driver.doWork();
        assertEquals(3, game.steps - stepsBefore);
        assertEquals(10 - 3, counters.overrunTicks.get());
        assertEquals(2, counters.catchUpTicks.get());
    }

    @Test
    void eachTickingCycleRecordsItsDurationAndLatenessUntilTheNextSample()
    {
        final long firstTickNs = driver.nowNs;
        final long[] stepCostNs = new long[1];
        final RecordingGame lobby = games.get("lobby");
        lobby.onStep = () -> driver.nowNs += stepCostNs[0];
        for (int i = 1; i <= 100; i++)
        {
            stepCostNs[0] = i * 100_000L;
            driver.nowNs = firstTickNs + (i - 1) * PERIOD_NS + i * 10_000L;
            assertEquals(1, driver.doWork());
        }
        driver.doWork();

        final TickTimings timings = driver.shard.tickTimings();
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
        final List<RoomInfo> atStart = driver.shard.publishedRooms();
        assertEquals(List.of(new RoomInfo("lobby", "duel", 0, 2, 0, 0, 0, false, false, Map.of())), atStart);
        assertThrows(UnsupportedOperationException.class, () -> atStart.remove(0));

        driver.join(1, "duel", "arena");
        driver.doWork();
        driver.tick(29);
        assertEquals(atStart, driver.shard.publishedRooms(), "29 ticks at 30 Hz are less than a second");

        driver.tick(2);
        assertEquals(List.of(
            new RoomInfo("lobby", "duel", 0, 2, 0, 32, 0, false, false, Map.of()),
            new RoomInfo("arena", "duel", 1, 2, 0, 32, 1, false, false, Map.of())),
            driver.shard.publishedRooms());
        assertFalse(driver.shard.publishedRooms().isEmpty());
    }

    static List<String> inputs(final RecordingGame game)
    {
        return game.calls.stream().filter(call -> call.startsWith("input ")).toList();
    }

    private static void assertWithinOnePercent(final long expected, final long actual)
    {
        assertEquals(expected, actual, expected / 100.0, "histograms keep 2 significant digits");
    }
}
