package io.tickwire.sim;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The rooms a shard publishes for other threads: at start, then at most once a second, with what the games set, and
 * at once when a room closed.
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
        int ticks = 0;
        while (driver.counters.roomsDisposed.get() == 0 && ticks < 300)
        {
            driver.tick(1);
            ticks++;
        }
        assertEquals(1, driver.counters.roomsDisposed.get(), "the empty room closed past its keep-alive");
        assertEquals(List.of("hall"), driver.shard.publishedRooms().stream().map(RoomInfo::name).toList(),
            "a room that closed is published at the end of the tick that closed it, not up to a second later");
    }
}
