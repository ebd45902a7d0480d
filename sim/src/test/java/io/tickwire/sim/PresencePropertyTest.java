package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.api.Player;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random joins, leaves, closes, kicks, avatar and metadata changes across a few clients of one room: after every
 * tick, the presence list each joined client built only from what its link received equals the room's players.
 */
class PresencePropertyTest
{
    private static final int SLOTS = 4;
    private static final int ACTIONS = 8;

    @Property(tries = 200)
    void everyJoinedClientsPresenceListEqualsTheRoomsPlayers(
        @ForAll @Size(max = 80) final List<@IntRange(min = 0, max = SLOTS * ACTIONS - 1) Integer> script)
    {
        final Map<String, RecordingGame> games = new HashMap<>();
        final ShardDriver driver = ShardDriver.pinnedRoom(ShardDriver.config(256), games, "coop", SLOTS, "room");
        final RecordingGame game = games.get("room");
        game.onMessage = (player, message) -> onCommand(game, player, message.getText(0));
        final TestClient[] clients = new TestClient[SLOTS];
        long nextSession = 1;

        for (final int step : script)
        {
            final int slot = step % SLOTS;
            final TestClient client = clients[slot];
            final boolean joined = client != null && client.link.open;
            switch (step / SLOTS)
            {
                case 0:
                    if (!joined)
                    {
                        clients[slot] = driver.join(nextSession++, "coop", "room");
                    }
                    break;
                case 1:
                    if (joined)
                    {
                        client.leave();
                        clients[slot] = null;
                    }
                    break;
                case 2:
                    if (joined)
                    {
                        client.closed(slot % 2 == 0 ? LeaveReason.DISCONNECTED : LeaveReason.IDLE);
                    }
                    break;
                case 3:
                    if (joined)
                    {
                        client.say("kick" + (1 + (step % 7)));
                    }
                    break;
                case 4:
                    if (joined)
                    {
                        client.say(slot % 2 == 0 ? "hide" : "show");
                    }
                    break;
                case 5:
                    if (joined)
                    {
                        client.say(slot % 2 == 0 ? "clear" : "ready" + slot);
                    }
                    break;
                case 6:
                    if (joined)
                    {
                        client.acknowledge();
                    }
                    break;
                default:
                    driver.tick(1);
                    assertListsEqual(driver, clients);
                    break;
            }
        }
        driver.tick(1);
        assertListsEqual(driver, clients);
        assertEquals(List.of(), driver.errors);
    }

    private static void onCommand(final RecordingGame game, final Player player, final String command)
    {
        if (command.startsWith("kick"))
        {
            final Player target = game.room.playerById(Integer.parseInt(command.substring(4)));
            if (target != null && target != player)
            {
                game.room.kick(target, "by " + player.name());
            }
        }
        else if (command.equals("hide"))
        {
            player.setEntityId(Player.NO_ENTITY);
        }
        else if (command.equals("show"))
        {
            player.setEntityId(100 + player.id());
        }
        else
        {
            player.setMetadata("status", command.equals("clear") ? null : command);
        }
    }

    private static void assertListsEqual(final ShardDriver driver, final TestClient[] clients)
    {
        final Map<Integer, String> players = driver.presenceOf("room");
        for (final TestClient client : clients)
        {
            if (client != null && client.link.open && client.read().welcome != null)
            {
                assertEquals(players, client.presence, "client " + client.link.sessionId);
            }
        }
    }
}
