package io.tickwire.sim;

import io.tickwire.api.Rewind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link io.tickwire.api.RoomContext#rewind}: the entity values captured at a past tick, within the window, clamped
 * outside it; entities spawned later or removed since are not found.
 */
class RoomRewindTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private final ShardDriver driver = ShardDriver.pinnedRoom(games, "coop", 4, "hall");
    private final RecordingGame hall = games.get("hall");

    @Test
    void rewindShowsTheValuesCapturedAtAPastTick()
    {
        hall.onStep = () ->
        {
            for (final int[] avatar : hall.avatars.values())
            {
                avatar[0] = (int)hall.room.tick();
                avatar[1] = 2 * (int)hall.room.tick();
            }
        };
        final List<String> lagCompensated = new ArrayList<>();
        hall.onInput = (player, input) ->
        {
            final Rewind rewind = hall.room.rewind(input.viewTick());
            lagCompensated.add(rewind.tick() + ":" + rewind.value(101, 0) + "," + rewind.value(101, 1));
        };
        final TestClient first = driver.join(1, "coop", "hall");
        driver.tick(29);
        assertEquals(30, hall.room.tick());
        driver.join(2, "coop", "hall");
        driver.tick(10);
        assertEquals(40, hall.room.tick());

        final int window = hall.room.rewindWindowTicks();
        assertEquals(15, window, "a history of 8 ticks keeps 16, the current one and 15 before");
        final Rewind rewind = hall.room.rewind(35);
        assertEquals(35, rewind.tick());
        assertTrue(rewind.contains(101));
        assertEquals(35, rewind.value(101, 0));
        assertEquals(70, rewind.value(101, 1));
        assertTrue(rewind.contains(102));
        assertEquals(35, rewind.value(102, 0));

        assertFalse(hall.room.rewind(30).contains(102), "spawned at tick 31");
        assertTrue(hall.room.rewind(31).contains(102));
        assertThrows(IllegalArgumentException.class, () -> hall.room.rewind(30).value(102, 0));
        assertFalse(hall.room.rewind(35).contains(999));

        assertEquals(40 - window, hall.room.rewind(3).tick(), "older than the window: the oldest remembered");
        assertEquals(40 - window, hall.room.rewind(3).value(101, 0));
        assertEquals(40, hall.room.rewind(1000).tick(), "newer: the current tick");
        assertEquals(40, hall.room.rewind(1000).value(101, 0));

        first.input(33, 0, 0);
        first.input(0, 0, 0);
        driver.tick(1);
        assertEquals(List.of("33:33,66", (40 - window) + ":" + (40 - window) + "," + 2 * (40 - window)),
            lagCompensated);

        first.leave();
        driver.tick(1);
        assertFalse(hall.room.rewind(38).contains(101), "removed since");
    }
}
