package io.tickwire.sim;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exceptions thrown by a game are counted and reported, and the room goes on; a failed step sends no snapshot; an
 * {@link OutOfMemoryError} is never swallowed.
 */
class GameErrorsTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private RecordingGame hall;
    private TestClient client;

    @BeforeEach
    void setUp()
    {
        driver = ShardDriver.pinnedRoom(games, "coop", 4, "hall");
        hall = games.get("hall");
        client = driver.join(1, "coop", "hall");
        driver.tick(1);
    }

    @Test
    void exceptionsInInputsMessagesAndStepsAreCountedAndTheRoomGoesOn()
    {
        hall.onInput = (player, input) ->
        {
            if (input.seq() == 1)
            {
                throw new IllegalStateException("input bug");
            }
        };
        hall.onMessage = (player, message) ->
        {
            throw new IllegalArgumentException("message bug");
        };
        client.input(0, 1, 0);
        client.input(0, 2, 0);
        client.say("boom");
        driver.tick(1);
        hall.failNextStep = true;
        driver.tick(1);
        client.say("boom again");
        client.input(0, 3, 0);
        driver.tick(1);

        assertEquals(4, driver.counters.gameErrors.get());
        assertEquals(4, driver.counters.errors.get());
        assertEquals(4, driver.errors.size());
        assertTrue(driver.errors.get(0).getMessage().contains("onMessage"), driver.errors.get(0).getMessage());
        assertTrue(driver.errors.get(1).getMessage().contains("onInput"), driver.errors.get(1).getMessage());
        assertTrue(driver.errors.get(2).getMessage().contains("step"), driver.errors.get(2).getMessage());
        assertEquals(3, ShardAgentTest.inputs(hall).size(), "every input applied once, the failed one included");
        assertEquals(3, client.lastSnapshot()[2]);
        assertEquals(1, driver.room("hall").playerCount());
    }

    @Test
    void aFailedStepSendsNoSnapshotThatCycleAndTheNextStepDoes()
    {
        hall.failNextStep = true;
        driver.tick(2);
        final List<String> snapshots = client.read().log.stream().filter(line -> line.startsWith("snapshot"))
            .toList();
        assertEquals(List.of("snapshot 2", "snapshot 4"), snapshots);
        assertEquals(4, hall.steps);
    }

    @Test
    void anOutOfMemoryErrorFromAStepIsNotSwallowed()
    {
        hall.onStep = () ->
        {
            throw new OutOfMemoryError("step");
        };
        assertThrows(OutOfMemoryError.class, () -> driver.tick(1));
        assertEquals(0, driver.counters.gameErrors.get());
    }

    @Test
    void anOutOfMemoryErrorFromAMessageIsNotSwallowed()
    {
        hall.onMessage = (player, message) ->
        {
            throw new OutOfMemoryError("message");
        };
        client.say("x");
        assertThrows(OutOfMemoryError.class, driver::doWork);
        assertEquals(0, driver.counters.errors.get());
    }

    @Test
    void anOutOfMemoryErrorFromAJoinIsNotSwallowed()
    {
        hall.onJoin = player ->
        {
            throw new OutOfMemoryError("join");
        };
        driver.join(2, "coop", "hall");
        assertThrows(OutOfMemoryError.class, driver::doWork);
        assertEquals(0, driver.counters.errors.get());
    }
}
