package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tickwire.sim.ShardDriver.PERIOD_NS;
import static io.tickwire.sim.ShardDriver.TICK_RATE_HZ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room whose game fails {@link ShardConfig#maxFaultedTicks()} ticks in a row is closed: every client gets NOTICE
 * ROOM_CLOSED then close 1011, the game {@code onDispose}, the room leaves the registry and the published list, and
 * it is counted. A game that recovers sooner keeps its room. Driven by hand with a fake clock.
 */
class FaultedRoomTest
{
    private static final int MAX_FAULTED_TICKS = 5;

    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private RecordingGame broken;
    private TestClient first;
    private TestClient second;
    private TestClient bystander;

    @BeforeEach
    void setUp()
    {
        driver = new ShardDriver(
            new ShardConfig(TICK_RATE_HZ, 3, 256, 8, 2, 4, 8, 0, 0, 64, true, 64, 42L, MAX_FAULTED_TICKS), 100,
            List.of(RecordingGame.type("coop", 4, games)), "coop:hall");
        first = driver.join(1, "coop", "broken");
        second = driver.join(2, "coop", "broken");
        bystander = driver.join(3, "coop", "hall");
        driver.tick(1);
        broken = games.get("broken");
        broken.onStep = () -> broken.failNextStep = true;
    }

    @Test
    void aRoomFailingEveryTickIsClosedAtTheBoundAndItsClientsAreToldWhy()
    {
        driver.tick(MAX_FAULTED_TICKS - 1);
        assertNotNull(driver.room("broken"), "still open one tick before the bound");
        assertTrue(first.link.open);
        assertEquals(0, driver.counters.roomsClosedFaulted.get());

        driver.tick(1);
        assertNull(driver.room("broken"));
        for (final TestClient client : List.of(first, second))
        {
            client.read();
            final Notice last = client.notices.get(client.notices.size() - 1);
            assertEquals(Notice.CODE_ROOM_CLOSED, last.code(), client.log.toString());
            assertEquals("notice 11 " + last.text(), client.log.get(client.log.size() - 1), "the last frame");
            assertEquals(CloseCodes.INTERNAL_ERROR, client.link.closeCode);
            assertEquals(1, client.link.closeCount, "one close");
            assertEquals(last.text(), client.link.closeReason);
        }
        assertEquals(List.of("leave p2 " + LeaveReason.ROOM_CLOSED, "leave p1 " + LeaveReason.ROOM_CLOSED, "dispose"),
            broken.calls.subList(broken.calls.size() - 3, broken.calls.size()));
        assertEquals(1, driver.counters.roomsClosedFaulted.get());
        assertEquals(1, driver.counters.roomsDisposed.get());
        assertEquals(MAX_FAULTED_TICKS, driver.counters.gameErrors.get());

        final int bystanderSnapshots = bystander.read().snapshots.size();
        driver.nowNs += 1_000_000_000L;
        driver.tick(1);
        assertEquals(bystanderSnapshots + 1, bystander.read().snapshots.size(), "other rooms go on");
        assertTrue(bystander.link.open);
        assertEquals(List.of("hall"), driver.shard.publishedRooms().stream().map(RoomInfo::name).toList());
    }

    @Test
    void aGameThatRecoversBeforeTheBoundKeepsItsRoomAndTheCountStartsAgain()
    {
        driver.tick(MAX_FAULTED_TICKS - 1);
        broken.onStep = () ->
        {
        };
        driver.tick(1);
        assertEquals(0, driver.room("broken").failedTicks());

        broken.onStep = () -> broken.failNextStep = true;
        driver.tick(MAX_FAULTED_TICKS - 1);
        assertNotNull(driver.room("broken"), "the count started again at the good tick");
        assertEquals(0, driver.counters.roomsClosedFaulted.get());
        assertTrue(first.link.open);
        assertTrue(second.link.open);
        assertEquals(2, driver.room("broken").playerCount());
    }

    @Test
    void aDisposeThatThrowsIsCountedAndTheRoomStillCloses()
    {
        broken.onDispose = () ->
        {
            throw new IllegalStateException("dispose bug");
        };
        driver.tick(MAX_FAULTED_TICKS);
        assertNull(driver.room("broken"));
        assertEquals(MAX_FAULTED_TICKS + 1, driver.counters.gameErrors.get());
        assertTrue(driver.errors.get(driver.errors.size() - 1).getMessage().contains("onDispose"));
        assertEquals(CloseCodes.INTERNAL_ERROR, first.link.closeCode);
    }

    @Test
    void ticksSkippedByTheCatchUpLimitDoNotCount()
    {
        driver.nowNs += 20 * PERIOD_NS;
        driver.doWork();
        assertEquals(3, driver.room("broken").failedTicks(), "three catch-up ticks ran, the rest were skipped");
        assertNotNull(driver.room("broken"));
    }
}
