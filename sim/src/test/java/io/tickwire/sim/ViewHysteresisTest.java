package io.tickwire.sim;

import io.tickwire.codec.SnapshotDecoder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hysteresis keeps an entity in view between the view radius and that radius plus the hysteresis only if it was in
 * the client's previous view: another entity that took the slot of one in that view since is let in only when it
 * comes within the view radius.
 */
class ViewHysteresisTest
{
    private static final int VIEW_RADIUS = 100;
    private static final int HYSTERESIS = 50;
    private static final int HOME = 1000;
    private static final int OWN_ID = 101;
    private static final int IN_RANGE = HOME + VIEW_RADIUS - 10;
    private static final int IN_BAND = HOME + VIEW_RADIUS + HYSTERESIS / 2;

    private final Map<String, RecordingGame> games = new HashMap<>();
    private final ShardDriver driver = ShardDriver.pinnedRoom(
        new ShardConfig(ShardDriver.TICK_RATE_HZ, 3, 256, 8, 2, 4, 8, VIEW_RADIUS, HYSTERESIS, 64, true, 64, 42L),
        games, "hall", 8, "main");

    @Test
    void anEntityInTheBandIsKeptOnlyIfItWasInThePreviousViewNotIfItTookTheSlotOfOneThatWas()
    {
        final TestClient client = driver.join(1, "hall", "main");
        driver.tick(1);
        final RecordingGame game = games.get("main");
        game.avatars.put(OWN_ID, new int[] {HOME, HOME});
        game.avatars.put(500, new int[] {IN_RANGE, HOME});
        assertEquals(Set.of(OWN_ID, 500), viewAfterTick(client));

        game.avatars.get(500)[0] = IN_BAND;
        assertEquals(Set.of(OWN_ID, 500), viewAfterTick(client), "kept by hysteresis");

        client.link.writable = false;
        game.avatars.remove(500);
        driver.tick(1);
        game.avatars.put(501, new int[] {IN_BAND, HOME});
        driver.tick(1);
        client.link.writable = true;
        assertEquals(Set.of(OWN_ID), viewAfterTick(client), "501 took 500's slot while the client was sent nothing");

        game.avatars.get(501)[0] = IN_RANGE;
        assertEquals(Set.of(OWN_ID, 501), viewAfterTick(client));
        game.avatars.get(501)[0] = IN_BAND;
        assertEquals(Set.of(OWN_ID, 501), viewAfterTick(client), "now kept by hysteresis");
    }

    private Set<Integer> viewAfterTick(final TestClient client)
    {
        driver.tickAcknowledging(1, client);
        client.read();
        final SnapshotDecoder view = client.decoder;
        final Set<Integer> ids = new TreeSet<>();
        for (int i = 0; i < view.entityCount(); i++)
        {
            ids.add(view.entityId(i));
        }
        return ids;
    }
}
