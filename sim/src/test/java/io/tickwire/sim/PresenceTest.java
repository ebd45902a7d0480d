package io.tickwire.sim;

import io.tickwire.api.JoinDecision;
import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import io.tickwire.codec.control.Welcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a joining client learns (its WELCOME and the presence list after it) and how presence events reach the
 * others: in stream order, one stream sequence per client, so every client's list stays equal to the room's.
 */
class PresenceTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = ShardDriver.pinnedRoom(games, "duel", 4, "lobby");
    }

    @Test
    void welcomeCarriesTheRoomAndThePlayerAndThePresenceListFollowsIt()
    {
        final RecordingGame lobby = games.get("lobby");
        lobby.room.setMetadata("map", "dust");
        lobby.room.setMetadata("mode", "ffa");
        lobby.onJoin = player -> player.setMetadata("team", player.name().equals("p1") ? "red" : "blue");
        final TestClient first = driver.join(1, "duel", "lobby");
        driver.doWork();
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.tick(1);

        final Welcome welcome = second.read().welcome;
        assertEquals(2, welcome.sessionId());
        assertEquals(ShardDriver.TICK_RATE_HZ, welcome.tickRateHz());
        assertEquals(2, welcome.playerId());
        assertEquals(102, welcome.entityId(), "the avatar the game set in onJoin");
        assertEquals("duel", welcome.roomType());
        assertEquals("lobby", welcome.room());
        assertEquals(8, welcome.historyWindowTicks());
        assertEquals(RecordingGame.SCHEMA, welcome.entitySchema());
        assertEquals(RecordingGame.INPUTS, welcome.inputSchema());
        assertEquals(List.of(RecordingGame.SAY, RecordingGame.ECHO), welcome.messageTypes());
        assertEquals(List.of("map", "mode"), List.copyOf(welcome.roomMetadata().keySet()));
        assertEquals(Map.of("map", "dust", "mode", "ffa"), welcome.roomMetadata());
        assertEquals(2, welcome.presenceCount());

        assertEquals(List.of("welcome", "join 1", "join 2", "snapshot 2"), second.log);
        assertEquals(Map.of(
            1, "p1 e101 {team=red}",
            2, "p2 e102 {team=blue}"), second.presence);
        assertEquals(driver.presenceOf("lobby"), second.presence);
        assertEquals(1, second.lastStreamSeq, "the initial list is batched into one message");
        assertEquals(driver.presenceOf("lobby"), first.read().presence);
    }

    @Test
    void aLargeRoomsPresenceListIsBatchedAndComplete()
    {
        final Map<String, RecordingGame> many = new HashMap<>();
        final ShardDriver big = ShardDriver.pinnedRoom(many, "crowd", 30, "hall");
        final String longValue = "v".repeat(64);
        many.get("hall").onJoinRequest = (player, options) ->
        {
            for (int m = 0; m < 8; m++)
            {
                player.setMetadata("key-" + m + "-" + "k".repeat(26), longValue);
            }
            return JoinDecision.ACCEPT;
        };
        for (int i = 1; i <= 20; i++)
        {
            big.join(i, "crowd", "hall");
        }
        big.doWork();

        final TestClient last = big.join(21, "crowd", "hall");
        big.doWork();
        last.read();
        assertEquals(21, last.welcome.presenceCount());
        assertEquals(21, last.presence.size());
        assertEquals(big.presenceOf("hall"), last.presence);
        assertTrue(last.lastStreamSeq > 1, "several presence messages");
    }

    @Test
    void presenceEventsReachTheOthersInStreamOrder()
    {
        games.get("lobby").onMessage = (player, message) -> player.setMetadata("status", message.getText(0));
        final TestClient first = driver.join(1, "duel", "lobby");
        driver.doWork();
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.tick(1);
        second.say("ready");
        driver.tick(1);
        second.leave();
        driver.tick(1);

        assertEquals(List.of("join 1", "join 2", "update 2", "leave 2 LEFT"), presenceLog(first),
            "the JOIN carries the avatar onJoin set: no update for it");
        assertEquals(4, first.lastStreamSeq);
        assertEquals(List.of("join 1", "join 2", "update 2"), presenceLog(second), "its own update, not its leave");
        assertEquals(Map.of(1, "p1 e101 {}"), first.presence);
        assertEquals(driver.presenceOf("lobby"), first.presence);
    }

    @Test
    void presenceListsAreEqualOnEveryClientAfterJoinsChangesAndLeaves()
    {
        final RecordingGame lobby = games.get("lobby");
        lobby.onMessage = (player, message) ->
        {
            final String text = message.getText(0);
            if (text.startsWith("kick"))
            {
                lobby.room.kick(lobby.room.playerById(Integer.parseInt(text.substring(4))), "bye");
            }
            else if (text.equals("clear"))
            {
                player.setMetadata("status", null);
            }
            else if (text.equals("hide"))
            {
                player.setEntityId(Player.NO_ENTITY);
            }
            else
            {
                player.setMetadata("status", text);
            }
        };
        final TestClient[] clients = new TestClient[4];
        for (int i = 0; i < 4; i++)
        {
            clients[i] = driver.join(i + 1, "duel", "lobby");
            driver.tick(1);
        }
        clients[0].say("ready");
        clients[1].say("busy");
        clients[2].say("hide");
        driver.tick(1);
        clients[0].say("clear");
        clients[3].say("kick2");
        driver.tick(1);
        clients[2].closed(LeaveReason.IDLE);
        driver.tick(1);

        assertEquals(Map.of(1, "p1 e101 {}", 4, "p4 e104 {}"), driver.presenceOf("lobby"));
        assertEquals(driver.presenceOf("lobby"), clients[0].read().presence);
        assertEquals(driver.presenceOf("lobby"), clients[3].read().presence);
        assertEquals(List.of("leave 2 KICKED", "leave 3 IDLE"),
            presenceLog(clients[0]).stream().filter(line -> line.startsWith("leave")).toList());
    }

    @Test
    void metadataTheProtocolCannotCarryIsRefusedAtTheGamesCallAndTheRoomGoesOn()
    {
        final RecordingGame lobby = games.get("lobby");
        final List<Exception> refused = new ArrayList<>();
        lobby.onMessage = (player, message) ->
        {
            try
            {
                player.setMetadata("name", "bad\uD800");
            }
            catch (final IllegalArgumentException ex)
            {
                refused.add(ex);
            }
            lobby.room.setMetadata("map", "\uDFFF");
        };
        final TestClient first = driver.join(1, "duel", "lobby");
        driver.tick(1);
        first.say("now");
        driver.tick(1);
        final TestClient second = driver.join(2, "duel", "lobby");
        driver.tick(1);

        assertEquals(1, refused.size());
        assertEquals(1, driver.counters.gameErrors.get(), "the room metadata, refused too");
        assertEquals(Map.of(), second.read().welcome.roomMetadata());
        assertEquals(driver.presenceOf("lobby"), second.presence);
        assertEquals("snapshot 4", second.log.get(second.log.size() - 1));
        assertEquals(driver.presenceOf("lobby"), first.read().presence);
    }

    private static List<String> presenceLog(final TestClient client)
    {
        return client.read().log.stream()
            .filter(line -> line.startsWith("join") || line.startsWith("update") || line.startsWith("leave"))
            .toList();
    }
}
