package io.tickwire.sim;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rooms a shard publishes for other threads: at start, then at most once a second, with what the games set, and,
 * with checkpoints, at the end of a cycle that closed a room.
 */
class RoomPublisherTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private final ShardDriver driver = ShardDriver.pinnedRoom(games, "coop", 4, "hall");

    @Test
    void publishedRoomsShowTheirTypeLockPrivacyAndMetadata()
    {
        final RecordingGame hall = games.get("hall");
        assertEquals(List.of(new RoomInfo("hall", "coop", 0, 4, 0, 0, 0, false, false, Map.of())),
            driver.shard.publishedRooms(), "published at start");

        final TestClient client = driver.join(1, "coop", "room");
        driver.doWork();
        hall.room.setLocked(true);
        hall.room.setPrivate(true);
        hall.room.setMetadata("map", "nuke");
        hall.room.setMetadata("mode", "ctf");
        games.get("room").room.setMetadata("map", "dust");
        driver.tick(30);
        assertEquals(1, driver.shard.publishedRooms().size(), "not yet a second");

        driver.tick(1);
        assertEquals(List.of(
            new RoomInfo("hall", "coop", 0, 4, 0, 32, 0, true, true, Map.of("map", "nuke", "mode", "ctf")),
            new RoomInfo("room", "coop", 1, 4, 0, 32, 1, false, false, Map.of("map", "dust"))),
            driver.shard.publishedRooms());
        assertEquals(List.of("map", "mode"), List.copyOf(driver.shard.publishedRooms().get(0).metadata().keySet()));

        client.leave();
        driver.tick(30);
        assertEquals(2, driver.shard.publishedRooms().size(), "a closed room stays listed until the period is up");
        driver.tick(1);
        assertEquals(List.of("hall"), driver.shard.publishedRooms().stream().map(RoomInfo::name).toList());
    }

    /**
     * A shard with checkpoints (a cluster node's) publishes at the end of the cycle that closed a room: a draining
     * node takes a registered room missing from the list for one that closed on its own.
     */
    @Test
    void withCheckpointsAClosedRoomIsPublishedAtTheEndOfTheTickThatClosedIt()
    {
        final Map<String, RecordingGame> checkpointed = new HashMap<>();
        final ShardDriver shard = ShardDriver.pinnedRoom(
            ShardDriver.config().withCheckpoints(30, 30, frame ->
            {
                frame.release();
                return true;
            }), checkpointed, "coop", 4, "hall");
        final TestClient client = shard.join(1, "coop", "room");
        shard.doWork();
        shard.tick(31);
        assertEquals(2, shard.shard.publishedRooms().size());

        client.leave();
        int ticks = 0;
        while (shard.counters.roomsDisposed.get() == 0 && ticks < 30)
        {
            shard.tick(1);
            ticks++;
        }
        assertEquals(1, shard.counters.roomsDisposed.get(), "the empty room closed within a second");
        assertEquals(List.of("hall"), shard.shard.publishedRooms().stream().map(RoomInfo::name).toList(),
            "published at the end of the tick that closed it, not up to a second later");
    }
}
