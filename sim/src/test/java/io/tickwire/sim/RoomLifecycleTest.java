package io.tickwire.sim;

import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.Notice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.tickwire.sim.ShardDriver.PERIOD_NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why players leave (each reason reaches the game and the other clients), kicks, shutdown, and when rooms are
 * disposed: after their type's keep-alive, pinned ones never.
 */
class RoomLifecycleTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = new ShardDriver(ShardDriver.config(), 100, List.of(
            RecordingGame.type("coop", 8, games),
            RecordingGame.type("lasting", 2, Duration.ofNanos(10 * PERIOD_NS), true, 10, games)), "coop:hall");
    }

    @Test
    void everyLeaveReasonReachesTheGameAndTheOthers()
    {
        final RecordingGame hall = games.get("hall");
        final TestClient[] clients = new TestClient[6];
        for (int i = 0; i < clients.length; i++)
        {
            clients[i] = driver.join(i + 1, "coop", "hall");
        }
        driver.tick(1);

        clients[0].leave();
        clients[1].closed(LeaveReason.DISCONNECTED);
        clients[2].link.open = false;
        clients[3].closed(LeaveReason.IDLE);
        hall.room.kick(hall.room.playerById(5), "cheating");
        driver.tick(1);

        assertEquals(Set.of("leave p1 LEFT", "leave p2 DISCONNECTED", "leave p3 DISCONNECTED", "leave p4 IDLE",
            "leave p5 KICKED"), Set.copyOf(hall.calls.stream().filter(call -> call.startsWith("leave")).toList()));
        final TestClient observer = clients[5].read();
        assertEquals(Set.of("leave 1 LEFT", "leave 2 DISCONNECTED", "leave 3 DISCONNECTED", "leave 4 IDLE",
            "leave 5 KICKED"), Set.copyOf(observer.log.stream().filter(line -> line.startsWith("leave")).toList()));
        assertEquals(Map.of(6, "p6 e106 {}"), observer.presence);
        assertEquals(5, driver.counters.leaves.get());
    }

    @Test
    void aKickSendsANoticeAndClosesAndTheGameSeesTheLeaveBeforeTheNextTicksInputs()
    {
        final RecordingGame hall = games.get("hall");
        hall.onMessage = (player, message) -> hall.room.kick(hall.room.playerById(1), message.getText(0));
        final TestClient kicked = driver.join(1, "coop", "hall");
        final TestClient kicker = driver.join(2, "coop", "hall");
        driver.tick(1);
        final int snapshotsBefore = kicked.read().snapshots.size();

        kicked.input(0, 1, 0);
        kicker.say("bad manners");
        kicked.input(0, 2, 0);
        driver.tick(2);

        final List<String> calls = hall.calls;
        assertTrue(calls.indexOf("leave p1 KICKED") > calls.indexOf("message p2 bad manners"));
        assertFalse(calls.stream().anyMatch(call -> call.startsWith("input p1")), calls.toString());
        kicked.read();
        assertEquals(List.of("notice " + Notice.CODE_KICKED + " bad manners"), kicked.log.subList(
            kicked.log.size() - 1, kicked.log.size()), "nothing after the notice");
        assertEquals(snapshotsBefore, kicked.snapshots.size());
        assertEquals(CloseCodes.KICKED, kicked.link.closeCode);
        assertEquals("bad manners", kicked.link.closeReason);
        assertEquals(1, driver.counters.kicks.get());
        assertEquals(driver.presenceOf("hall"), kicker.read().presence);
    }

    @Test
    void aKickReasonIsCutToWhatANoticeAndACloseFrameCarry()
    {
        final RecordingGame hall = games.get("hall");
        final TestClient first = driver.join(1, "coop", "hall");
        final TestClient second = driver.join(2, "coop", "hall");
        driver.tick(1);
        hall.room.kick(hall.room.playerById(1), "no\uD800 way\n" + "é".repeat(100));
        hall.room.kick(hall.room.playerById(2), null);

        assertEquals("no way" + "é".repeat(58), first.read().notices.get(0).text());
        assertEquals(CloseCodes.KICKED, first.link.closeCode);
        assertEquals("", second.read().notices.get(0).text());
        assertEquals(CloseCodes.KICKED, second.link.closeCode);
        assertEquals(0, driver.counters.errors.get());
    }

    @Test
    void aPlayerKickedDuringAStepLeavesBeforeTheNextTicksInputs()
    {
        final RecordingGame hall = games.get("hall");
        final TestClient kicked = driver.join(1, "coop", "hall");
        driver.tick(1);
        hall.onStep = () ->
        {
            hall.room.kick(hall.room.playerById(1), "");
            hall.onStep = () ->
            {
            };
        };
        driver.tick(1);
        kicked.input(0, 1, 0);
        driver.tick(1);

        assertTrue(hall.calls.contains("leave p1 KICKED"));
        assertFalse(hall.calls.stream().anyMatch(call -> call.startsWith("input p1")), hall.calls.toString());
        assertEquals(Notice.CODE_KICKED, kicked.read().notices.get(0).code());
        assertEquals(0, driver.room("hall").playerCount());
    }

    @Test
    void shutdownTellsEveryGameItsPlayersLeftThenDisposesIt()
    {
        final TestClient inHall = driver.join(1, "coop", "hall");
        final TestClient inRoom = driver.join(2, "lasting", "r1");
        driver.tick(1);
        driver.shard.onClose();

        assertEquals(List.of("leave p1 SERVER_SHUTDOWN", "dispose"), tail(games.get("hall").calls, 2));
        assertEquals(List.of("leave p2 SERVER_SHUTDOWN", "dispose"), tail(games.get("r1").calls, 2));
        assertEquals(CloseCodes.GOING_AWAY, inHall.link.closeCode);
        assertEquals(CloseCodes.GOING_AWAY, inRoom.link.closeCode);
        assertNull(driver.room("hall"));
        assertNull(driver.room("r1"));
        assertEquals(0, driver.quota.openRooms());
    }

    @Test
    void aRoomIsDisposedOnlyWhenEmptyLongerThanItsKeepAlive()
    {
        final TestClient first = driver.join(1, "lasting", "r1");
        driver.tick(1);
        first.leave();
        driver.tick(6);
        final TestClient second = driver.join(2, "lasting", "r1");
        driver.tick(1);
        assertEquals("r1", second.read().welcome.room(), "a join within the keep-alive finds the room");
        second.leave();

        driver.tick(11);
        assertNotNull(driver.room("r1"), "empty for 10 ticks after its keep-alive of 10: still open");
        assertFalse(games.get("r1").calls.contains("dispose"));
        driver.tick(1);
        assertNull(driver.room("r1"));
        assertEquals("dispose", tail(games.get("r1").calls, 1).get(0));
        assertEquals(1, driver.counters.roomsDisposed.get());
    }

    @Test
    void aPinnedRoomIsNeverDisposed()
    {
        final TestClient client = driver.join(1, "coop", "hall");
        driver.tick(1);
        client.leave();
        driver.tick(100);
        assertNotNull(driver.room("hall"));
        assertFalse(games.get("hall").calls.contains("dispose"));
        assertEquals(0, driver.counters.roomsDisposed.get());
    }

    private static List<String> tail(final List<String> calls, final int count)
    {
        return calls.subList(calls.size() - count, calls.size());
    }
}
