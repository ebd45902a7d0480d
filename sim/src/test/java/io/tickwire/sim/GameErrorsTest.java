package io.tickwire.sim;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exceptions thrown by a game are counted and reported, and the room goes on; a failed step sends no snapshot; a
 * {@link VirtualMachineError} (out of memory, stack overflow) is never swallowed and becomes the shard's failure.
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

    /**
     * Counts the snapshot frames the link received, not what a client decoded: a snapshot built from a failed tick
     * repeats the last good tick, which a strict decoder refuses for its own reason. A healthy cycle is checked to
     * send one first, so the zero of a faulted cycle is not the zero of a client that gets nothing anyway.
     */
    @Test
    void aFaultedTickSendsNoSnapshotAndTheNextGoodTickSendsItsWholeState()
    {
        final int[] avatar = hall.avatars.get(101);
        hall.onStep = () -> avatar[0]++;
        assertEquals(1, snapshotFramesOfOneCycle(), "a healthy cycle sends a snapshot");

        hall.failNextStep = true;
        assertEquals(0, snapshotFramesOfOneCycle(), "no snapshot after a step that failed half way");
        hall.failNextCapture = true;
        assertEquals(0, snapshotFramesOfOneCycle(), "no snapshot after a capture that failed half way");
        assertEquals(2, driver.counters.gameErrors.get());

        assertEquals(1, snapshotFramesOfOneCycle(), "the next good tick sends a snapshot");
        client.read();
        assertEquals(hall.lastTick, client.decoder.tick(), "of the tick just run");
        assertEquals(avatar[0], client.decoder.value(client.decoder.indexOf(101), 0), "with the state it left");
        assertEquals(0, driver.room("hall").failedTicks());
    }

    private int snapshotFramesOfOneCycle()
    {
        final int before = client.link.snapshots().size();
        driver.tickAcknowledging(1, client);
        return client.link.snapshots().size() - before;
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
    void aVirtualMachineErrorFromAStepEndsTheCycleAndIsRecordedAsTheShardsFailure()
    {
        final StackOverflowError overflow = new StackOverflowError("step");
        hall.onStep = () ->
        {
            throw overflow;
        };
        assertNull(driver.shard.failure());
        assertSame(overflow, assertThrows(StackOverflowError.class, () -> driver.tick(1)));
        assertSame(overflow, driver.shard.failure());
        assertEquals(0, driver.counters.gameErrors.get());
    }

    @Test
    void anErrorThatIsNotAVirtualMachineErrorOnlyFaultsTheRoom()
    {
        hall.onStep = () ->
        {
            throw new AssertionError("game assertion");
        };
        driver.tick(2);
        assertNull(driver.shard.failure());
        assertEquals(2, driver.counters.gameErrors.get());
        assertEquals(2, driver.room("hall").failedTicks());
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
