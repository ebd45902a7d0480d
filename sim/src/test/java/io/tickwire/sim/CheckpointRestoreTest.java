package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFormatException;
import io.tickwire.sim.checkpoint.CheckpointFrame;
import io.tickwire.sim.checkpoint.CheckpointSink;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checkpoints on the shard (staggered, skipped without a free frame, never for games without checkpoints), restores
 * through the ring (detached seats, their grace, their takeover by the same identity, refusals, the capture check),
 * drains that checkpoint before the game hears of the shutdown, and what rooms publish for the cluster.
 */
class CheckpointRestoreTest
{
    private static final int INTERVAL_TICKS = 10;
    private static final int GRACE_TICKS = 30;
    private static final Identity ANN = new Identity("subject-ann", "ann", Map.of("role", "captain"));
    private static final Identity BOB = new Identity("subject-bob", "bob", Map.of());

    private final Map<String, RecordingGame> games = new HashMap<>();
    private final Map<String, RecordingGame> restoredGames = new HashMap<>();
    private final List<CheckpointFrame> held = new ArrayList<>();
    private final List<RoomSnapshot> offered = new ArrayList<>();
    private final List<byte[]> offeredBytes = new ArrayList<>();
    private final List<List<String>> callsAtOffer = new ArrayList<>();
    private boolean holdFrames;

    private final CheckpointSink sink = frame ->
    {
        final byte[] bytes = CheckpointCodec.write(frame);
        offeredBytes.add(bytes);
        offered.add(read(bytes));
        final RecordingGame game = games.get(frame.snapshot().room());
        callsAtOffer.add(game == null ? List.of() : List.copyOf(game.calls));
        if (holdFrames)
        {
            held.add(frame);
        }
        else
        {
            frame.release();
        }
        return true;
    };

    @Test
    void roomsAreCheckpointedAtTheirStaggeredIntervalAndGamesWithoutCheckpointsNever()
    {
        final ShardDriver driver = new ShardDriver(checkpointing(), 100, List.of(
            RecordingGame.checkpointedType("duel", 4, games), RecordingGame.type("plain", 4, new HashMap<>())),
            "duel:a", "duel:b", "plain:c");
        assertNotEquals(phase("a"), phase("b"), "two phases, so the rooms save in different cycles");

        driver.tick(100);

        for (final String room : List.of("a", "b"))
        {
            final List<Long> due = new ArrayList<>();
            for (long tick = 3; tick <= driver.room(room).tick(); tick++)
            {
                if ((tick + phase(room)) % INTERVAL_TICKS == 0)
                {
                    due.add(tick);
                }
            }
            assertEquals(due, offered.stream().filter(s -> s.room().equals(room)).map(RoomSnapshot::tick).toList(),
                room + ": scheduled after its first cycle (ticks 1 and 2), then every interval");
        }
        assertTrue(offered.stream().noneMatch(s -> s.room().equals("c")), "a game without checkpoints is never saved");
        assertEquals(offered.size(), driver.counters.checkpoints.get());
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void aDueCheckpointWithoutAFreeFrameIsSkippedAndCounted()
    {
        holdFrames = true;
        final ShardDriver driver = driverWithRoom();

        driver.tick(100);

        assertEquals(2, offered.size(), "two frames, both held by the consumer");
        assertEquals(8, driver.counters.checkpointsSkipped.get());
        held.remove(0).release();
        driver.tick(INTERVAL_TICKS);
        assertEquals(3, offered.size(), "a released frame is used again");
        assertEquals(offered.get(0).room(), offered.get(2).room());
    }

    @Test
    void aRestoreThroughTheRingRebuildsTheRoomWithDetachedSeatsAndWithoutOnCreateOrOnJoin()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game ->
        {
        });

        assertTrue(restore(target, snapshot, 5));

        final Room room = target.room("a");
        assertEquals(snapshot.tick(), room.tick());
        assertEquals(List.of("restore v1 tick=" + snapshot.tick() + " players=2"), restoredGames.get("a").calls);
        assertEquals(2, room.playerCount());
        for (int i = 0; i < 2; i++)
        {
            final RoomClient seat = room.client(i);
            assertEquals(snapshot.seat(i).playerId(), seat.id());
            assertEquals(100 + seat.id(), seat.entityId());
            assertTrue(seat.isJoined() && seat.isDetached() && seat.isAwaitingRehome());
            assertEquals(snapshot.seat(i).identity(), seat.identity());
        }
        assertEquals("captain", room.client(0).identity().claims().get("role"));
        assertEquals(1, target.counters.restores.get());
        assertEquals(0, target.counters.restoreMismatches.get());
        assertEquals(2, room.entities().count(), "the restored world was captured");

        target.nowNs += 2_000_000_000L;
        target.tick(1);
        final RoomInfo info = target.shard.publishedRooms().get(0);
        assertEquals(5, info.epoch());
        assertEquals(snapshot.tick(), info.restoredFromTick());
        assertEquals(2, info.clients());
    }

    /**
     * The cluster takes a restored room that is missing from the published rooms for closed, and reports it so: the
     * room must be listed by the time the restore is answered, not a publish period later.
     */
    @Test
    void aRestoredRoomIsPublishedBeforeItsRestoreIsAnswered()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game ->
        {
        });
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        final List<List<RoomInfo>> publishedWhenAnswered = new ArrayList<>();
        done.thenRun(() -> publishedWhenAnswered.add(target.shard.publishedRooms()));

        assertTrue(target.shard.requestRestore(snapshot, 7, done));
        target.doWork();

        assertTrue(done.join());
        final List<RoomInfo> published = publishedWhenAnswered.get(0);
        assertEquals(List.of("a"), published.stream().map(RoomInfo::name).toList());
        assertEquals(7, published.get(0).epoch());
        assertEquals(snapshot.tick(), published.get(0).restoredFromTick());
    }

    @Test
    void restoredSeatsLeaveAsDisconnectedWhenTheirGraceIsOver()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game ->
        {
        });
        assertTrue(restore(target, snapshot, 2));

        target.tick(GRACE_TICKS);
        assertEquals(2, target.room("a").playerCount(), "present for the ticks of the grace");
        target.tick(1);

        assertEquals(0, target.room("a").playerCount());
        final List<String> calls = restoredGames.get("a").calls;
        assertTrue(calls.contains("leave ann DISCONNECTED") && calls.contains("leave bob DISCONNECTED"),
            calls.toString());
        assertEquals(2, target.counters.seatsExpired.get());
    }

    @Test
    void aJoinOfTheSameIdentityTakesTheRestoredSeatWithItsPlayerAndEntity()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game ->
        {
        });
        assertTrue(restore(target, snapshot, 2));
        final int annId = snapshot.seat(0).playerId();

        final TestClient ann = target.join(77, new JoinRequest("duel", JoinRequest.MODE_NAMED, "a", "ann", Map.of()),
            ANN);
        target.tick(1);
        assertEquals(2, ann.read().presence.size(), "the presence list has both seats: " + ann.presence);
        target.tickAcknowledging(GRACE_TICKS, ann);
        ann.read();

        assertEquals(annId, ann.welcome.playerId());
        assertEquals(100 + annId, ann.welcome.entityId());
        assertEquals(1, target.counters.seatsReplaced.get());
        assertEquals(1, target.room("a").playerCount(), "bob's seat expired, ann's is taken");
        assertFalse(target.room("a").client(0).isDetached());
        assertTrue(ann.snapshots.size() > GRACE_TICKS, "the returning player gets snapshots");
        assertEquals(List.of(annId), List.copyOf(ann.presence.keySet()), "bob left");
        final List<String> calls = restoredGames.get("a").calls;
        assertTrue(calls.stream().noneMatch(c -> c.startsWith("join") || c.startsWith("request")), calls.toString());
        assertTrue(calls.contains("leave bob DISCONNECTED") && !calls.contains("leave ann DISCONNECTED"),
            calls.toString());
    }

    @Test
    void aRejoinTakesOnlyItsIdentitysSeatAndNeverCreatesARoomOrASeat()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game ->
        {
        });
        assertTrue(restore(target, snapshot, 2));
        final GameType type = target.catalog.get("duel");
        final JoinOptionValues options = JoinOptionValues.of(type, Map.of());
        final RecordingLink stranger = new RecordingLink(80);
        final RecordingLink elsewhere = new RecordingLink(81);
        final RecordingLink ann = new RecordingLink(82);
        assertTrue(target.ring.tryPublishJoin(stranger, new JoinTicket(type, JoinRequest.MODE_NAMED, "a", "eve",
            options, new Identity("eve", "eve", Map.of()), null, 0, "rid-eve", true)));
        assertTrue(target.ring.tryPublishJoin(elsewhere, new JoinTicket(type, JoinRequest.MODE_NAMED, "b", "ann",
            options, ANN, null, 0, "rid-b", true)));
        assertTrue(target.ring.tryPublishJoin(ann, new JoinTicket(type, JoinRequest.MODE_NAMED, "a", "ann",
            options, ANN, null, 0, "rid-ann", true)));
        target.tick(1);

        assertEquals(CloseCodes.RESERVATION_MISMATCH, stranger.closeCode, "no seat of eve's identity in a");
        assertEquals(CloseCodes.RESERVATION_MISMATCH, elsewhere.closeCode, "no room b: none is created");
        assertEquals(1, stranger.closeCount);
        assertNull(target.shard.publishedRooms().stream().filter(r -> r.name().equals("b")).findAny().orElse(null));
        assertEquals(2, target.counters.rejoinsWithoutSeat.get());
        assertEquals(0, ann.closeCount, "ann takes her seat back");
        assertEquals(1, target.counters.seatsReplaced.get());
        assertEquals(2, target.room("a").playerCount(), "no seat was added");
    }

    @Test
    void aRestoreIsRefusedForATakenNameAnUnknownTypeAGameWithoutCheckpointsOrADrainingShard()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = new ShardDriver(checkpointing(), 100, List.of(
            RecordingGame.checkpointedType("duel", 4, restoredGames), RecordingGame.type("plain", 4, new HashMap<>())),
            "duel:a");
        assertFalse(restore(target, snapshot, 2), "the name is taken");

        snapshot.header("other", "nope", 1, snapshot.tick(), 1, snapshot.nextPlayerId(), Map.of());
        assertFalse(restore(target, snapshot, 2), "unknown type");
        snapshot.header("other", "plain", 1, snapshot.tick(), 1, snapshot.nextPlayerId(), Map.of());
        assertFalse(restore(target, snapshot, 2), "a game without checkpoints");
        snapshot.header("other", "duel", 1, snapshot.tick(), 1, snapshot.nextPlayerId(), Map.of());
        target.shard.requestDrain(0);
        assertFalse(restore(target, snapshot, 2), "a draining shard");
        assertEquals(4, target.counters.restoresFailed.get());
        assertNull(target.room("other"));
    }

    @Test
    void aRestoreThatThrowsIsDiscardedDisposedAndCounted()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game -> game.onRestore = in ->
        {
            throw new IllegalStateException("unreadable");
        });

        assertFalse(restore(target, snapshot, 2));

        assertNull(target.room("a"));
        assertEquals(List.of("restore v1 tick=" + snapshot.tick() + " players=2", "dispose"),
            restoredGames.get("a").calls);
        assertEquals(1, target.counters.restoresFailed.get());
        assertEquals(1, target.counters.gameErrors.get());
        snapshot.header("a", "duel", 1, snapshot.tick(), snapshot.randomState(), snapshot.nextPlayerId(), Map.of());
        restoredGames.clear();
        final ShardDriver again = restoringDriver(game ->
        {
        });
        assertTrue(restore(again, snapshot, 2), "the quota was given back and the snapshot is fine");
    }

    @Test
    void aCheckpointOutsideTheRoomsLimitsIsRefused() throws CheckpointFormatException
    {
        final byte[] good = offeredBytesOfTwoPlayers();
        final List<Consumer<RoomSnapshot>> corruptions = List.of(
            s -> s.seat(1).set(s.seat(0).playerId(), 0, "twin", BOB, Map.of(), new String[0], new String[0], 0),
            s -> s.seat(1).set(s.nextPlayerId(), 0, "future", BOB, Map.of(), new String[0], new String[0], 0),
            s -> s.seat(1).set(2, 0, "a name far longer than thirty-two bytes", BOB, Map.of(), new String[0],
                new String[0], 0),
            s -> s.seat(1).set(2, 0, "bob", BOB, Map.of("unknown", "1"), new String[0], new String[0], 0),
            s -> s.game(2, s.game(), s.gameLength(), s.captureCrc()),
            s -> s.header("a", "duel", 1, s.tick(), 0, s.nextPlayerId(), Map.of("team", "7")));
        for (final Consumer<RoomSnapshot> corruption : corruptions)
        {
            final RoomSnapshot snapshot = CheckpointCodec.read(good);
            corruption.accept(snapshot);
            restoredGames.clear();
            assertFalse(restore(restoringDriver(game ->
            {
            }), snapshot, 2), "refused: " + corruptions.indexOf(corruption));
        }
    }

    @Test
    void aRestoreWhoseCaptureDiffersFromTheCheckpointIsCountedAndRunsOn()
    {
        final RoomSnapshot snapshot = checkpointOfTwoPlayers();
        final ShardDriver target = restoringDriver(game -> game.onRestore = in -> game.avatars.firstEntry()
            .getValue()[0] += 1);

        assertTrue(restore(target, snapshot, 2));

        assertEquals(1, target.counters.restoreMismatches.get());
        assertNotNull(target.room("a"));
    }

    @Test
    void aDrainWithHandoverCheckpointsEveryRoomBeforeItsGameHearsOfTheShutdown()
    {
        final ShardDriver driver = driverWithRoom();
        driver.join(1, new JoinRequest("duel", JoinRequest.MODE_NAMED, "a", "ann", Map.of()), ANN);
        driver.tick(3);
        offered.clear();
        callsAtOffer.clear();
        final long lastTick = driver.room("a").tick();

        driver.shard.requestDrain(250, true);
        driver.doWork();

        assertNull(driver.room("a"));
        assertEquals(1, offered.size());
        assertEquals(lastTick, offered.get(0).tick(), "the drain checkpoint is of the last tick: nothing is lost");
        assertEquals(1, offered.get(0).seatCount());
        assertTrue(callsAtOffer.get(0).stream().noneMatch(c -> c.startsWith("leave") || c.equals("dispose")),
            callsAtOffer.get(0).toString());
        final List<String> calls = games.get("a").calls;
        assertEquals(List.of("leave ann SERVER_SHUTDOWN", "dispose"), calls.subList(calls.size() - 2, calls.size()));
        assertTrue(driver.shard.isDrained());
    }

    @Test
    void aDrainWaitsForAFreeFrameWithoutTickingAndWithoutBlocking()
    {
        holdFrames = true;
        final ShardDriver driver = driverWithRoom();
        driver.tick(2 * INTERVAL_TICKS + 1);
        assertEquals(2, held.size(), "both frames held");
        final long tickBefore = driver.room("a").tick();

        driver.shard.requestDrain(0, true);
        for (int i = 0; i < 5; i++)
        {
            driver.nowNs += ShardDriver.PERIOD_NS;
            driver.doWork();
        }
        assertNotNull(driver.room("a"), "the room waits for its checkpoint");
        assertEquals(tickBefore, driver.room("a").tick(), "and does not tick meanwhile");
        assertFalse(games.get("a").calls.contains("dispose"));

        held.remove(0).release();
        driver.doWork();

        assertNull(driver.room("a"));
        assertEquals(tickBefore, offered.get(offered.size() - 1).tick(), "the drain checkpoint is of the last tick");
        assertTrue(callsAtOffer.get(callsAtOffer.size() - 1).stream().noneMatch(c -> c.equals("dispose")));
    }

    @Test
    void roomsPublishTheirEpochAndTheReservationsSeatedForTwoSeconds()
    {
        final ShardDriver driver = driverWithRoom();
        final GameType type = driver.catalog.get("duel");
        assertTrue(driver.ring.tryPublishJoin(new RecordingLink(9), new JoinTicket(type, JoinRequest.MODE_NAMED, "a",
            "ann", JoinOptionValues.of(type, Map.of()), ANN, null, 0, "rid-1", false)));
        driver.tick(1);
        driver.nowNs += 1_000_000_000L;
        driver.tick(1);

        final RoomInfo info = driver.shard.publishedRooms().get(0);
        assertEquals(List.of("rid-1"), info.seatedReservations());
        assertEquals(1, info.epoch());
        assertEquals(RoomInfo.NOT_RESTORED, info.restoredFromTick());

        driver.tick(2 * ShardDriver.TICK_RATE_HZ + 1);
        driver.nowNs += 1_000_000_000L;
        driver.tick(1);
        assertEquals(List.of(), driver.shard.publishedRooms().get(0).seatedReservations());
    }

    private ShardConfig checkpointing()
    {
        return ShardDriver.config().withCheckpoints(INTERVAL_TICKS, GRACE_TICKS, sink);
    }

    private ShardDriver driverWithRoom()
    {
        return new ShardDriver(checkpointing(), 100, List.of(RecordingGame.checkpointedType("duel", 4, games)),
            "duel:a");
    }

    /**
     * @return a shard without rooms that has run its first cycle, so the next cycle at the same time ticks nothing.
     */
    private ShardDriver restoringDriver(final Consumer<RecordingGame> onMade)
    {
        final ShardDriver driver = new ShardDriver(checkpointing(), 100,
            List.of(RecordingGame.checkpointedType("duel", 4, restoredGames, onMade)));
        driver.doWork();
        return driver;
    }

    /**
     * @return the newest checkpoint of room "a" on a shard where ann and bob joined and ann moved.
     */
    private RoomSnapshot checkpointOfTwoPlayers()
    {
        final ShardDriver source = driverWithRoom();
        source.join(1, new JoinRequest("duel", JoinRequest.MODE_NAMED, "a", "ann", Map.of("team", "1")), ANN);
        source.join(2, new JoinRequest("duel", JoinRequest.MODE_NAMED, "a", "bob", Map.of()), BOB);
        source.tick(INTERVAL_TICKS + 1);
        games.get("a").avatars.firstEntry().getValue()[0] = 500;
        source.tick(INTERVAL_TICKS);
        final RoomSnapshot last = offered.get(offered.size() - 1);
        assertEquals(2, last.seatCount());
        assertEquals(Map.of("team", "1"), last.seat(0).options());
        return last;
    }

    private byte[] offeredBytesOfTwoPlayers()
    {
        checkpointOfTwoPlayers();
        return offeredBytes.get(offeredBytes.size() - 1);
    }

    private static boolean restore(final ShardDriver target, final RoomSnapshot snapshot, final long epoch)
    {
        final CompletableFuture<Boolean> done = new CompletableFuture<>();
        assertTrue(target.shard.requestRestore(snapshot, epoch, done));
        target.doWork();
        assertTrue(done.isDone(), "answered in the cycle that drained it");
        return done.join();
    }

    private static long phase(final String room)
    {
        return (room.hashCode() & Integer.MAX_VALUE) % INTERVAL_TICKS;
    }

    private static RoomSnapshot read(final byte[] bytes)
    {
        try
        {
            return CheckpointCodec.read(bytes);
        }
        catch (final CheckpointFormatException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
