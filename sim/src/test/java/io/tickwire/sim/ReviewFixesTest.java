package io.tickwire.sim;

import io.tickwire.api.GameType;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.codec.WireFormat;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rules an independent review of the shard found broken, each pinned by a test: a player handle that still works
 * in {@code onLeave}, an avatar id presence can carry, the reason of a link found closed after an idle timeout,
 * generated names within the protocol's limit, {@code onDispose} after a failed {@code onCreate}, and a presence
 * list packed by the real size of its entries.
 */
class ReviewFixesTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();

    @Test
    void aPlayerHandleStillWorksInOnLeaveWithoutTellingAnyone()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.config(), 10, List.of(RecordingGame.type("coop", 4, games)), "coop:hall");
        final RecordingGame hall = games.get("hall");
        final List<Throwable> thrown = new ArrayList<>();
        hall.onLeave = (player, reason) ->
        {
            try
            {
                player.setEntityId(Player.NO_ENTITY);
                player.setMetadata("score", "0");
                hall.room.message(RecordingGame.ECHO).putInt(0, 1).putText(1, "bye").send(player);
                hall.room.kick(player, "gone anyway");
            }
            catch (final RuntimeException ex)
            {
                thrown.add(ex);
            }
        };
        final TestClient leaver = driver.join(1, "coop", "hall");
        final TestClient stayer = driver.join(2, "coop", "hall");
        driver.tick(1);
        stayer.read();
        final int streamBefore = stayer.streamMessages();

        leaver.leave();
        driver.tick(1);

        assertEquals(List.of(), thrown);
        assertEquals(List.of(), driver.errors);
        assertEquals(streamBefore + 1, stayer.read().streamMessages(), "only the LEAVE reached the others");
        assertNull(hall.room.playerById(1), "after onLeave the player is gone from the room");
    }

    @Test
    void anAvatarIdPresenceCannotCarryIsRefusedBeforeAnythingChanges()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.config(), 10, List.of(RecordingGame.type("coop", 4, games)), "coop:hall");
        final TestClient first = driver.join(1, "coop", "hall");
        driver.tick(1);
        final Player player = games.get("hall").room.playerById(1);
        assertThrows(IllegalArgumentException.class, () -> player.setEntityId(Integer.MAX_VALUE));
        assertEquals(101, player.entityId());

        driver.join(2, "coop", "hall");
        driver.tick(1);
        assertEquals(2, first.read().presence.size(), "later joins still work");
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void aLinkFoundClosedAfterAnIdleTimeoutLeavesAsIdle()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.config(), 10, List.of(RecordingGame.type("coop", 4, games)), "coop:hall");
        final TestClient idle = driver.join(1, "coop", "hall");
        driver.tick(1);
        idle.link.leaveReason = LeaveReason.IDLE;
        idle.link.open = false;
        driver.tick(1);
        assertTrue(games.get("hall").calls.contains("leave p1 IDLE"), games.get("hall").calls.toString());
    }

    @Test
    void generatedRoomNamesStayWithinThirtyTwoBytes()
    {
        final String longType = "abcdefghijklmnopqrstuvwxyz0123";
        final ShardDriver driver = new ShardDriver(
            new ShardConfig(30, 3, 256, 64, 2, 4, 8, 0, 0, 64, true, 64, 42L), 100,
            List.of(RecordingGame.type(longType, 1, games)));
        final List<TestClient> clients = new ArrayList<>();
        for (int i = 1; i <= 12; i++)
        {
            clients.add(driver.joinAny(i, longType));
        }
        driver.tick(1);
        assertEquals(12, games.size());
        for (final String name : games.keySet())
        {
            assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= WireFormat.MAX_NAME_LENGTH, name);
        }
        for (final TestClient client : clients)
        {
            assertEquals(1, client.read().presence.size(), "welcomed, with its presence list");
        }
        assertEquals(List.of(), driver.errors);
    }

    @Test
    void aGameWhoseOnCreateThrowsIsDisposed()
    {
        final GameType failing = GameType.builder("fragile")
            .entitySchema(RecordingGame.SCHEMA)
            .factory(room ->
            {
                final RecordingGame game = new RecordingGame(room, games);
                game.onCreate = options ->
                {
                    throw new IllegalStateException("no map");
                };
                return game;
            })
            .build();
        final ShardDriver driver = new ShardDriver(ShardDriver.config(), 10, List.of(failing));
        final TestClient client = driver.create(1, "fragile", "");
        driver.doWork();
        assertEquals(1, games.size());
        assertTrue(games.values().iterator().next().calls.contains("dispose"), games.toString());
        assertEquals(1, client.link.closeCount);
        assertEquals(1, driver.counters.gameErrors.get());
    }

    @Test
    void thePresenceListIsPackedByTheRealSizeOfItsEntries()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.config(1000), 10, List.of(RecordingGame.type("crowd", 200, games)), "crowd:hall");
        for (int i = 1; i <= 100; i++)
        {
            driver.join(i, "crowd", "hall");
        }
        driver.tick(1);
        final TestClient late = driver.join(101, "crowd", "hall");
        driver.tick(1);
        assertEquals(101, late.read().presence.size());
        assertTrue(late.streamMessages() <= 3, "101 short entries fit in one or two messages, not 12: " +
            late.streamMessages());
    }

    @Test
    void aJoinBurstCostsEachClientAPresenceMessageACycleNotOneAJoin()
    {
        final ShardDriver driver = new ShardDriver(
            ShardDriver.config(64), 10, List.of(RecordingGame.type("crowd", 200, games)), "crowd:hall");
        final TestClient first = driver.join(1, "crowd", "hall");
        driver.tick(1);
        first.read();
        final int before = first.streamMessages();
        for (int i = 2; i <= 150; i++)
        {
            driver.join(i, "crowd", "hall");
        }
        driver.tick(1);

        assertEquals(150, first.read().presence.size(), "every join reached the first client");
        assertTrue(first.streamMessages() - before <= 2, "batched: " + (first.streamMessages() - before));
        assertEquals(0, driver.counters.messageBacklogCloses.get(), "64 unacknowledged messages are plenty");
        assertEquals(driver.presenceOf("hall"), first.presence);
    }
}
