package io.tickwire.sim;

import io.tickwire.codec.SnapshotDecoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With interest off every client sees the room's whole view, which keeps its stamp while no entity comes or goes,
 * so the clients' histories share its keys from tick to tick: as entities come and go, while some clients are not
 * writable (their snapshots conflated) and skip acknowledgements (their inputs carry them), each client's decoded
 * view is the room's entities, with no checksum mismatch.
 */
class WholeViewTest
{
    @Test
    void everyClientSeesTheWholeRoomAsEntitiesComeAndGo()
    {
        final Map<String, RecordingGame> games = new HashMap<>();
        final ShardDriver driver = ShardDriver.pinnedRoom(games, "hall", 8, "main");
        final List<TestClient> clients = new ArrayList<>();
        for (int i = 1; i <= 4; i++)
        {
            clients.add(driver.join(i, "hall", "main"));
        }
        driver.tick(1);
        final RecordingGame game = games.get("main");
        final SplittableRandom random = new SplittableRandom(11);
        int nextId = 500;
        int checked = 0;
        for (int tick = 0; tick < 200; tick++)
        {
            if (tick % 7 == 0)
            {
                game.avatars.put(nextId, new int[] {nextId, tick});
                nextId++;
            }
            if (tick % 11 == 0 && game.avatars.lastKey() >= 500)
            {
                game.avatars.remove(game.avatars.ceilingKey(500));
            }
            for (final TestClient client : clients)
            {
                client.link.writable = random.nextInt(5) != 0;
                if (random.nextInt(4) != 0)
                {
                    client.input(0, 0, 0);
                }
            }
            driver.tick(1);
            for (final TestClient client : clients)
            {
                client.read();
                if (client.link.writable && client.decoder.tick() == driver.room("main").world().currentTick())
                {
                    assertEquals(game.avatars.keySet(), ids(client.decoder), "tick " + tick);
                    checked++;
                }
            }
        }
        assertTrue(checked > 400, "views checked: " + checked);
        for (final TestClient client : clients)
        {
            assertEquals(0, client.decoder.checksumMismatches());
            assertTrue(client.decoder.deltaSnapshots() > 100, "deltas: " + client.decoder.deltaSnapshots());
        }
    }

    private static Set<Integer> ids(final SnapshotDecoder view)
    {
        final Set<Integer> ids = new TreeSet<>();
        for (int i = 0; i < view.entityCount(); i++)
        {
            ids.add(view.entityId(i));
        }
        return ids;
    }
}
