package io.tickwire.sim;

import io.tickwire.api.GameSettings;
import io.tickwire.api.GameType;
import io.tickwire.api.Identity;
import io.tickwire.api.schema.InputSchema;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.games.arena.ArenaProvider;
import io.tickwire.games.tag.TagProvider;
import io.tickwire.sim.checkpoint.CheckpointCodec;
import io.tickwire.sim.checkpoint.CheckpointFormatException;
import io.tickwire.sim.checkpoint.CheckpointSink;
import io.tickwire.sim.checkpoint.RoomSnapshot;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Re-homing the real games: a room of arena or tag checkpointed mid-run on one shard, restored through the ring on
 * another (a fresh shard, as on another node), its players back by JOINs of their identities (one of them stays
 * away, detached), and both driven on with the same inputs: every capture after the restore equals the original's,
 * entity by entity and value by value.
 */
class RestoreGamesTest
{
    private static final int PLAYERS = 3;
    private static final int QUIET_FROM_TICK = 30;
    private static final int LAST_TICK = 120;
    private static final String ROOM = "rehomed";

    private final List<byte[]> checkpoints = new ArrayList<>();
    private final CheckpointSink sink = frame ->
    {
        checkpoints.add(CheckpointCodec.write(frame));
        frame.release();
        return true;
    };

    @ParameterizedTest
    @ValueSource(strings = {ArenaProvider.NAME, TagProvider.NAME})
    void aRestoredRoomTicksExactlyAsTheOriginal(final String game) throws CheckpointFormatException
    {
        final GameType type = type(game);
        final ShardDriver source = driver(type);
        final RecordingLink[] links = new RecordingLink[PLAYERS];
        for (int p = 0; p < PLAYERS; p++)
        {
            links[p] = source.publishJoin(p + 1, join(type, p), identity(p));
        }
        final TreeMap<Long, int[]> sourceCaptures = new TreeMap<>();
        while (source.room(ROOM) == null || source.room(ROOM).tick() < LAST_TICK)
        {
            final long next = source.room(ROOM) == null ? 1 : source.room(ROOM).tick() + 1;
            publishInputs(source, type, links, next);
            source.tick(1);
            sourceCaptures.put(source.room(ROOM).tick(), capture(source.room(ROOM)));
        }
        final RoomSnapshot snapshot = firstCheckpointFrom(QUIET_FROM_TICK);
        assertEquals(PLAYERS, snapshot.seatCount());

        final ShardDriver target = driver(type);
        target.doWork();
        final CompletableFuture<Boolean> restored = new CompletableFuture<>();
        assertTrue(target.shard.requestRestore(snapshot, 2, restored));
        for (int p = 0; p < PLAYERS - 1; p++)
        {
            links[p] = target.publishJoin(100 + p, join(type, p), identity(p));
        }
        publishInputs(target, type, links, snapshot.tick() + 1);
        target.doWork();
        assertTrue(restored.join());
        final Room room = target.room(ROOM);
        assertEquals(snapshot.tick(), room.tick());
        assertArrayEquals(sourceCaptures.get(snapshot.tick()), capture(room), "the capture of the restored tick");
        assertEquals(0, target.counters.restoreMismatches.get());
        assertEquals(PLAYERS - 1, target.counters.seatsReplaced.get());

        int compared = 0;
        while (room.tick() < LAST_TICK)
        {
            if (room.tick() > snapshot.tick())
            {
                publishInputs(target, type, links, room.tick() + 1);
            }
            target.tick(1);
            assertArrayEquals(sourceCaptures.get(room.tick()), capture(room), game + " at tick " + room.tick());
            compared++;
        }
        assertTrue(compared >= LAST_TICK - QUIET_FROM_TICK - 20, "ticks compared: " + compared);
        assertTrue(room.client(PLAYERS - 1).isDetached(), "the player who stayed away keeps its seat");
        assertEquals(List.of(), source.errors);
        assertEquals(List.of(), target.errors);
    }

    private static GameType type(final String game)
    {
        final GameSettings settings = new GameSettings(ShardDriver.TICK_RATE_HZ, 42, Map.of());
        return game.equals(ArenaProvider.NAME) ? new ArenaProvider().create(settings) :
            new TagProvider().create(settings);
    }

    private ShardDriver driver(final GameType type)
    {
        final ShardConfig config = new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 1024, 8, 4, 16, 30, 0, 0, 256, true,
            256, 42L).withCheckpoints(10, 10_000, sink);
        return new ShardDriver(config, 10, List.of(type), ex ->
        {
            throw new AssertionError(ex);
        });
    }

    private static JoinRequest join(final GameType type, final int player)
    {
        return new JoinRequest(type.name(), JoinRequest.MODE_NAMED, ROOM, "player" + player, Map.of());
    }

    private static Identity identity(final int player)
    {
        return new Identity("subject-" + player, "player" + player, Map.of());
    }

    /**
     * Publishes the inputs of {@code tick} for every player still playing: a function of the tick and the player
     * only, so both shards get the same; the view tick is the tick before, which both shards remember.
     */
    private static void publishInputs(
        final ShardDriver driver, final GameType type, final RecordingLink[] links, final long tick)
    {
        final InputSchema schema = type.inputSchema();
        final int[] values = new int[schema.fieldCount()];
        for (int p = 0; p < PLAYERS; p++)
        {
            if (p == PLAYERS - 1 && tick > QUIET_FROM_TICK)
            {
                continue;
            }
            long mix = tick * 0x9E3779B97F4A7C15L + p * 0xC2B2AE3D27D4EB4FL;
            for (int f = 0; f < values.length; f++)
            {
                mix = Long.rotateLeft(mix * 0xBF58476D1CE4E5B9L + f, 31);
                final long span = (long)schema.max(f) - schema.min(f) + 1;
                values[f] = (int)(schema.min(f) + Math.floorMod(mix, span));
            }
            driver.publishInput(links[p], type, 0, (int)tick, (int)Math.max(0, tick - 1), values);
        }
    }

    private RoomSnapshot firstCheckpointFrom(final long tick) throws CheckpointFormatException
    {
        for (final byte[] bytes : checkpoints)
        {
            final RoomSnapshot snapshot = CheckpointCodec.read(bytes);
            if (snapshot.tick() >= tick)
            {
                return snapshot;
            }
        }
        throw new AssertionError("no checkpoint from tick " + tick);
    }

    /**
     * @return the room's capture: count, then per entity its id and every value.
     */
    private static int[] capture(final Room room)
    {
        final EntityTable entities = room.entities();
        final int fields = entities.schema().fieldCount();
        final int[] out = new int[1 + entities.count() * (1 + fields)];
        out[0] = entities.count();
        int i = 1;
        for (int row = 0; row < entities.count(); row++)
        {
            out[i++] = entities.id(row);
            for (int f = 0; f < fields; f++)
            {
                out[i++] = entities.value(row, f);
            }
        }
        assertTrue(out.length > 1 && Arrays.stream(out).anyMatch(v -> v != 0));
        return out;
    }
}
