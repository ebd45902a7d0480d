package io.tickwire.sim;

import io.tickwire.api.JoinDecision;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a join finds or creates its room (NAMED, ANY, CREATE), and every way it is refused: a NOTICE with the right
 * code, then the right close, counted; the room and its players go on.
 */
class JoinAdmissionTest
{
    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;

    @BeforeEach
    void setUp()
    {
        driver = newDriver(100);
    }

    private ShardDriver newDriver(final int maxRooms)
    {
        games.clear();
        return new ShardDriver(ShardDriver.config(), maxRooms, List.of(
            RecordingGame.type("duel", 2, Duration.ZERO, true, 2, games),
            RecordingGame.type("coop", 2, games),
            RecordingGame.type("fixed", 2, Duration.ZERO, false, 10, games)), "fixed:hall");
    }

    @Test
    void aNamedJoinCreatesTheRoomThenJoinsIt()
    {
        final TestClient first = driver.join(1, "coop", "r1");
        final TestClient second = driver.join(2, "coop", "r1");
        driver.doWork();
        assertEquals("r1", first.read().welcome.room());
        assertEquals("r1", second.read().welcome.room());
        assertEquals("coop", second.welcome.roomType());
        assertEquals(2, driver.counters.roomsCreated.get(), "the pinned room and r1");
        assertEquals(2, driver.counters.joins.get());
    }

    @Test
    void anAnyJoinTakesAnOpenRoomOfItsTypeOnlyOrCreatesOne()
    {
        driver.join(1, "coop", "locked");
        driver.join(2, "coop", "hidden");
        driver.join(3, "coop", "full");
        driver.join(4, "coop", "full");
        driver.join(5, "duel", "other");
        driver.doWork();
        games.get("locked").room.setLocked(true);
        games.get("hidden").room.setPrivate(true);

        final TestClient first = driver.joinAny(11, "coop");
        final TestClient second = driver.joinAny(12, "coop");
        final TestClient third = driver.joinAny(13, "coop");
        final TestClient duel = driver.joinAny(14, "duel");
        driver.doWork();
        assertEquals("coop-0-1", first.read().welcome.room());
        assertEquals("coop-0-1", second.read().welcome.room());
        assertEquals("coop-0-2", third.read().welcome.room());
        assertEquals("other", duel.read().welcome.room());
    }

    @Test
    void createRefusesATakenNameAndGeneratesOneWhenNoneIsGiven()
    {
        driver.join(1, "coop", "taken");
        final TestClient taken = driver.create(2, "coop", "taken");
        final TestClient generated = driver.create(3, "coop", "");
        final TestClient fresh = driver.create(4, "coop", "fresh");
        driver.doWork();
        assertRefused(taken, Notice.CODE_ROOM_EXISTS, CloseCodes.JOIN_REFUSED);
        assertEquals("coop-0-1", generated.read().welcome.room());
        assertEquals("fresh", fresh.read().welcome.room());
    }

    @Test
    void aTypeWhoseClientsMayNotCreateRoomsOnlyOffersItsPinnedRooms()
    {
        final TestClient named = driver.join(1, "fixed", "elsewhere");
        final TestClient created = driver.create(2, "fixed", "");
        final TestClient pinned = driver.join(3, "fixed", "hall");
        final TestClient any = driver.joinAny(4, "fixed");
        final TestClient none = driver.joinAny(5, "fixed");
        driver.doWork();
        assertRefused(named, Notice.CODE_ROOM_NOT_FOUND, CloseCodes.JOIN_REFUSED);
        assertRefused(created, Notice.CODE_ROOM_NOT_FOUND, CloseCodes.JOIN_REFUSED);
        assertEquals("hall", pinned.read().welcome.room());
        assertEquals("hall", any.read().welcome.room());
        assertRefused(none, Notice.CODE_ROOM_NOT_FOUND, CloseCodes.JOIN_REFUSED);
        assertNull(driver.room("elsewhere"));
    }

    @Test
    void aNamedRoomOfAnotherTypeIsNotFound()
    {
        final TestClient client = driver.join(1, "coop", "hall");
        driver.doWork();
        assertRefused(client, Notice.CODE_ROOM_NOT_FOUND, CloseCodes.JOIN_REFUSED);
        assertEquals(0, driver.room("hall").playerCount());
    }

    @Test
    void lockedAndFullRoomsRefuse()
    {
        final TestClient inside = driver.join(1, "fixed", "hall");
        driver.doWork();
        games.get("hall").room.setLocked(true);
        final TestClient locked = driver.join(2, "fixed", "hall");
        driver.doWork();
        assertRefused(locked, Notice.CODE_ROOM_LOCKED, CloseCodes.JOIN_REFUSED);

        games.get("hall").room.setLocked(false);
        driver.join(3, "fixed", "hall");
        final TestClient full = driver.join(4, "fixed", "hall");
        driver.doWork();
        assertRefused(full, Notice.CODE_ROOM_FULL, CloseCodes.TRY_AGAIN_LATER);
        assertEquals(2, driver.counters.joinsRefused.get());
        assertEquals(driver.presenceOf("hall"), inside.read().presence);
    }

    @Test
    void theGamesRefusalReachesTheClientWithItsReason()
    {
        final RecordingGame hall = games.get("hall");
        hall.onJoinRequest = (player, options) -> player.name().equals("p2") ?
            JoinDecision.refuse("the red team is full") : JoinDecision.ACCEPT;
        final TestClient accepted = driver.join(1, "fixed", "hall");
        final TestClient refused = driver.join(2, "fixed", "hall");
        driver.doWork();

        assertRefused(refused, Notice.CODE_JOIN_REFUSED, CloseCodes.JOIN_REFUSED);
        assertEquals("the red team is full", refused.notices.get(0).text());
        assertEquals(1, driver.counters.joinsRefusedByGame.get());
        assertEquals(1, driver.counters.joinsRefused.get());
        assertEquals(List.of("create team=0", "request p1", "join p1", "request p2"), hall.calls);
        assertEquals(List.of("join 1"), accepted.read().log.subList(1, 2));
        assertEquals(Map.of(1, "p1 e101 {}"), accepted.presence);
    }

    @Test
    void aRefusalReasonIsCleanedOfWhatTheProtocolCannotCarry()
    {
        games.get("hall").onJoinRequest = (player, options) -> JoinDecision.refuse("full\uDC00!");
        final TestClient refused = driver.join(1, "fixed", "hall");
        driver.doWork();
        assertRefused(refused, Notice.CODE_JOIN_REFUSED, CloseCodes.JOIN_REFUSED);
        assertEquals("full!", refused.notices.get(0).text());
        assertEquals("full!", refused.link.closeReason);
    }

    @Test
    void aGameThatFailsAJoinRefusesItWithAServerErrorAndGoesOn()
    {
        final RecordingGame hall = games.get("hall");
        final TestClient inside = driver.join(1, "fixed", "hall");
        driver.tick(1);
        hall.onJoinRequest = (player, options) ->
        {
            throw new IllegalStateException("request bug");
        };
        final TestClient failedRequest = driver.join(2, "fixed", "hall");
        driver.tickAcknowledging(1, inside);
        hall.onJoinRequest = (player, options) -> JoinDecision.ACCEPT;
        hall.onJoin = player ->
        {
            throw new IllegalStateException("join bug");
        };
        final TestClient failedJoin = driver.join(3, "fixed", "hall");
        driver.tickAcknowledging(1, inside);

        assertRefused(failedRequest, Notice.CODE_SERVER_ERROR, CloseCodes.INTERNAL_ERROR);
        assertRefused(failedJoin, Notice.CODE_SERVER_ERROR, CloseCodes.INTERNAL_ERROR);
        assertEquals(2, driver.counters.gameErrors.get());
        assertEquals(2, driver.errors.size());
        assertTrue(driver.errors.get(1).getMessage().contains("onJoin"), driver.errors.get(1).getMessage());
        assertEquals(1, driver.room("hall").playerCount());
        assertEquals(Map.of(101, 1), Map.of(hall.avatars.firstKey(), hall.avatars.size()),
            "the failed joiner's avatar is gone");

        inside.read();
        assertEquals(3, inside.snapshots.size(), "snapshots go on");
        assertEquals(driver.presenceOf("hall"), inside.presence);
        assertEquals(1, inside.decoder.entityCount());
    }

    @Test
    void perTypeAndServerWideRoomCapsRefuseNewRooms()
    {
        driver.join(1, "duel", "d1");
        driver.join(2, "duel", "d2");
        final TestClient third = driver.join(3, "duel", "d3");
        final TestClient otherType = driver.join(4, "coop", "c1");
        driver.doWork();
        assertRefused(third, Notice.CODE_NO_ROOM, CloseCodes.TRY_AGAIN_LATER);
        assertNotNull(otherType.read().welcome);
        assertEquals(1, driver.counters.roomsRefused.get());

        final ShardDriver small = newDriver(2);
        small.join(1, "coop", "c1");
        final TestClient refused = small.join(2, "coop", "c2");
        small.doWork();
        assertRefused(refused, Notice.CODE_NO_ROOM, CloseCodes.TRY_AGAIN_LATER);
        assertEquals(2, small.quota.openRooms());
    }

    @Test
    void aRoomsSeatInTheQuotaIsGivenBackWhenItIsDisposed()
    {
        final TestClient first = driver.join(1, "duel", "d1");
        driver.join(2, "duel", "d2");
        driver.doWork();
        first.leave();
        driver.tick(2);
        assertNull(driver.room("d1"));

        final TestClient third = driver.join(3, "duel", "d3");
        driver.doWork();
        assertEquals("d3", third.read().welcome.room());
        assertFalse(third.link.closeCount > 0);
    }

    @Test
    void onCreateGetsTheOptionsOfTheJoinThatCreatedTheRoom()
    {
        driver.join(1, new JoinRequest("coop", JoinRequest.MODE_NAMED, "teams", "ann", Map.of("team", "1")));
        driver.join(2, new JoinRequest("coop", JoinRequest.MODE_NAMED, "teams", "bob", Map.of("team", "0")));
        driver.doWork();
        assertEquals(List.of("create team=1", "request ann", "join ann", "request bob", "join bob"),
            games.get("teams").calls);
        assertEquals("create team=0", games.get("hall").calls.get(0), "a pinned room gets the defaults");
    }

    private static void assertRefused(final TestClient client, final int noticeCode, final int closeCode)
    {
        client.read();
        assertNull(client.welcome, "refused");
        assertEquals(1, client.notices.size());
        assertEquals(noticeCode, client.notices.get(0).code());
        assertEquals(closeCode, client.link.closeCode);
        assertFalse(client.link.open);
    }
}
