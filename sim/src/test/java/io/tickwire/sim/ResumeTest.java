package io.tickwire.sim;

import io.tickwire.api.Identity;
import io.tickwire.api.LeaveReason;
import io.tickwire.codec.CloseCodes;
import io.tickwire.codec.WireFormat;
import io.tickwire.codec.control.JoinRequest;
import io.tickwire.codec.control.Notice;
import io.tickwire.codec.control.ResumeToken;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Session resume and the same-identity rule, driven by hand with the fake clock: a dropped player keeps its seat
 * for the grace, a resume gives back its avatar with a full snapshot first, inputs and messages cross the resume
 * exactly once and in order both ways, tokens are single use, expire with the seat and are bound to the identity,
 * and a newer connection of a seated identity takes the seat.
 */
class ResumeTest
{
    private static final int GRACE_TICKS = 30;
    private static final Identity ANN = new Identity("subject-ann", "ann", Map.of());
    private static final Identity EVE = new Identity("subject-eve", "eve", Map.of());

    private final Map<String, RecordingGame> games = new HashMap<>();
    private ShardDriver driver;
    private RecordingGame lobby;

    @BeforeEach
    void setUp()
    {
        driver = ShardDriver.pinnedRoom(ShardDriver.config().withResumeGraceNs(GRACE_TICKS * ShardDriver.PERIOD_NS),
            games, "duel", 4, "lobby");
        lobby = games.get("lobby");
    }

    @Test
    void aDroppedPlayerKeepsItsSeatAndResumesItsAvatarWithAWelcomeThenAFullSnapshot()
    {
        final TestClient ann = joined(1, null);
        final TestClient bob = joined(2, null);
        driver.tickAcknowledging(3, ann);
        ann.acknowledge();
        driver.tick(1);
        final int playerId = ann.welcome.playerId();
        final int entityId = ann.welcome.entityId();
        final ResumeToken firstToken = ann.welcome.resumeToken();
        assertNotNull(firstToken);
        final RecordingLink droppedLink = ann.link;

        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(GRACE_TICKS - 5);
        assertEquals(2, lobby.room.playerCount(), "the game still sees the player");
        assertEquals(List.of(), callsStartingWith("leave"));
        assertTrue(bob.read().log.stream().noneMatch(line -> line.startsWith("leave")), "others see no leave");
        final int framesOnDroppedLink = droppedLink.frames.size();

        ann.resume(3, null);
        driver.tick(1);
        driver.tickAcknowledging(1, ann);
        ann.read();
        assertEquals(framesOnDroppedLink, droppedLink.frames.size(), "nothing more goes to the dropped connection");
        assertEquals(WireFormat.TYPE_WELCOME, ann.link.frames.get(0)[0], "the welcome comes first");
        assertEquals(playerId, ann.welcome.playerId(), "same player");
        assertEquals(entityId, ann.welcome.entityId(), "same avatar");
        assertEquals(0, ann.welcome.presenceCount(), "a resume sends no presence list");
        assertNotNull(ann.welcome.resumeToken());
        assertNotEquals(firstToken, ann.welcome.resumeToken(), "the token rotates on every welcome");
        final int[] firstSnapshot = ann.snapshots.get(ann.snapshots.size() - 2);
        assertEquals(0, firstSnapshot[4], "the first snapshot after a resume is full");
        assertTrue(firstSnapshot[1] > 4, "snapshot sequences go on across the resume");
        assertEquals(List.of("join p1", "join p2"), callsStartingWith("join"), "the game saw no second join");
        assertEquals(1, driver.counters.resumes.get());
        assertEquals(1, driver.counters.seatsHeld.get());
    }

    /**
     * A client with no baseline that was sent a full snapshot waits a few ticks for the next; that wait is the
     * connection's, so a resumed connection gets its full snapshot at once.
     */
    @Test
    void aResumedConnectionGetsAFullSnapshotAtOnceThoughTheDroppedOneWasSentOneTheTickBefore()
    {
        final TestClient ann = joined(1, null);
        final int[] sentOnDroppedLink = ann.lastSnapshot();
        assertEquals(0, sentOnDroppedLink[4], "the joiner's snapshot is full, and it acknowledges nothing");
        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(3, null);
        driver.tick(1);
        ann.read();
        assertNotNull(ann.welcome, "resumed");
        final int[] first = ann.lastSnapshot();
        assertEquals(sentOnDroppedLink[0] + 1, first[0], "a snapshot on the resume's tick, the next");
        assertEquals(0, first[4], "full");
    }

    @Test
    void whenTheGraceRunsOutThePlayerLeavesAsDisconnectedAndOnlyThen()
    {
        final TestClient ann = joined(1, null);
        final TestClient bob = joined(2, null);
        driver.tick(2);

        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(GRACE_TICKS);
        assertEquals(List.of(), callsStartingWith("leave"));
        assertEquals(2, lobby.room.playerCount());

        driver.tick(1);
        assertEquals(List.of("leave p1 DISCONNECTED"), callsStartingWith("leave"));
        assertEquals(1, lobby.room.playerCount());
        assertTrue(bob.read().log.contains("leave 1 DISCONNECTED"), bob.log.toString());
        assertEquals(1, driver.counters.seatsExpired.get());
    }

    @Test
    void aLeaveDrainedAfterTheShardSawTheLinkClosedStillLeavesAtOnce()
    {
        final TestClient ann = joined(1, null);
        ann.link.open = false;
        driver.tick(1);
        assertEquals(List.of(), callsStartingWith("leave"), "the seat is held");

        ann.leave();
        driver.tick(1);
        assertEquals(List.of("leave p1 LEFT"), callsStartingWith("leave"), "the LEAVE it sent before closing counts");
    }

    @Test
    void aUsedTokenIsRefusedAndTheClientMayJoinAfresh()
    {
        final TestClient ann = joined(1, null);
        driver.tick(1);
        final ResumeToken firstToken = ann.welcome.resumeToken();
        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(2, null);
        driver.tick(1);
        assertNotNull(ann.read().welcome);
        ann.ping();
        driver.tick(1);

        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(3, null, firstToken, ann.streamMessages());
        driver.tick(1);
        assertRefused(ann);

        final TestClient again = driver.join(4, JoinRequest.named("duel", "lobby", "ann"));
        driver.tick(1);
        assertNotNull(again.read().welcome, "a fresh join after a refusal");
        assertEquals(1, driver.counters.resumes.get());
        assertEquals(1, driver.counters.resumesRefused.get());
    }

    @Test
    void aResumeWhoseConnectionDropsBeforeItsWelcomeArrivesMayBeTriedAgainWithTheSameToken()
    {
        final TestClient ann = joined(1, null);
        driver.tick(1);
        final int entityId = ann.welcome.entityId();
        final ResumeToken firstToken = ann.welcome.resumeToken();
        final int messageAck = ann.streamMessages();
        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(2, null, firstToken, messageAck);
        driver.tick(1);
        final ResumeToken lostToken = ann.read().welcome.resumeToken();
        ann.closed(LeaveReason.DISCONNECTED);

        ann.resume(3, null, firstToken, messageAck);
        driver.tick(1);
        assertEquals(entityId, ann.read().welcome.entityId(), "the seat is not lost with a WELCOME that never arrived");
        assertEquals(2, driver.counters.resumes.get());
        ann.ping();
        driver.tick(1);

        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(4, null, firstToken, messageAck);
        driver.tick(1);
        assertRefused(ann);
        ann.resume(5, null, lostToken, messageAck);
        driver.tick(1);
        assertRefused(ann);
        assertEquals(List.of(), callsStartingWith("leave"), "refusals leave the seat alone");
    }

    @Test
    void anExpiredTokenIsRefused()
    {
        final TestClient ann = joined(1, null);
        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(GRACE_TICKS + 1);
        assertEquals(List.of("leave p1 DISCONNECTED"), callsStartingWith("leave"));

        ann.resume(2, null);
        driver.tick(1);
        assertRefused(ann);
    }

    @Test
    void aTokenOfAnIdentityIsRefusedToAnotherIdentityAndToNone()
    {
        final TestClient ann = joined(1, ANN);
        ann.closed(LeaveReason.DISCONNECTED);
        final ResumeToken token = ann.welcome.resumeToken();
        final int messageAck = ann.streamMessages();

        ann.resume(2, EVE, token, messageAck);
        driver.tick(1);
        assertRefused(ann);
        ann.resume(3, null, token, messageAck);
        driver.tick(1);
        assertRefused(ann);

        ann.resume(4, ANN, token, messageAck);
        driver.tick(1);
        assertNotNull(ann.read().welcome, "the token still works for its own identity");
        assertEquals(2, driver.counters.resumesRefused.get());
    }

    @Test
    void aStreamAckOutOfRangeIsRefused()
    {
        final TestClient ann = joined(1, null);
        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(2, null, ann.welcome.resumeToken(), ann.streamMessages() + 1);
        driver.tick(1);
        assertRefused(ann);
    }

    @Test
    void noInputIsAppliedTwiceAcrossAResume()
    {
        final TestClient ann = joined(1, null);
        ann.input(0, 1, 0);
        ann.input(0, 2, 0);
        ann.input(0, 3, 0);
        driver.tick(2);
        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(3);

        ann.resume(2, null);
        driver.doWork();
        ann.inputWithSeq(2, 0, 2, 0);
        ann.inputWithSeq(3, 0, 3, 0);
        ann.inputWithSeq(4, 0, 4, 0);
        ann.inputWithSeq(5, 0, 5, 0);
        driver.tick(2);

        assertEquals(List.of("input p1 1 dx=1", "input p1 2 dx=2", "input p1 3 dx=3", "input p1 4 dx=4",
            "input p1 5 dx=5"), callsStartingWith("input").stream().map(call -> call.split(" fire")[0]).toList());
        assertEquals(2, driver.counters.inputsStale.get());
        assertEquals(5, ann.read().lastSnapshot()[2], "the snapshot reports the last input applied");
    }

    @Test
    void streamMessagesTheClientMissedAreResentExactlyOnceInOrder()
    {
        final TestClient ann = joined(1, null);
        final TestClient bob = joined(2, null);
        driver.tick(1);
        ann.acknowledge();
        bob.say("a");
        bob.say("b");
        driver.tick(1);
        assertEquals(List.of("echo 2 a", "echo 2 b"), ann.read().messages, "received, not acknowledged");

        ann.closed(LeaveReason.DISCONNECTED);
        bob.say("c");
        driver.tick(1);
        final TestClient carl = joined(3, null);
        bob.say("d");
        driver.tick(1);

        ann.resume(4, null);
        driver.tick(1);
        ann.read();
        assertEquals(List.of("echo 2 a", "echo 2 b", "echo 2 c", "echo 2 d"), ann.messages);
        assertTrue(ann.presence.containsKey(carl.welcome.playerId()), "the join during the drop was resent");
        assertEquals(List.of("welcome again", "message echo 2 c", "join 3", "message echo 2 d"),
            ann.log.subList(ann.log.indexOf("welcome again"), ann.log.indexOf("welcome again") + 4));

        bob.say("e");
        driver.tick(1);
        assertEquals("echo 2 e", ann.read().messages.get(4), "the stream goes on after the resume");
    }

    @Test
    void clientMessagesTheRoomHadAreDroppedWhenResent()
    {
        final TestClient ann = joined(1, null);
        ann.say("one");
        ann.say("two");
        ann.say("three");
        driver.tick(1);
        ann.closed(LeaveReason.DISCONNECTED);

        ann.resume(2, null);
        driver.doWork();
        ann.say(2, "two");
        ann.say(3, "three");
        ann.say(4, "four");
        driver.tick(1);

        assertEquals(List.of("message p1 one", "message p1 two", "message p1 three", "message p1 four"),
            callsStartingWith("message"));
        assertEquals(2, driver.counters.clientMessagesDuplicate.get());
        assertEquals(4, ann.read().lastSnapshot()[3], "the snapshot confirms the newest message accepted");
    }

    @Test
    void aGapInTheClientMessagesAfterAResumeClosesTheConnection()
    {
        final TestClient ann = joined(1, null);
        ann.say("one");
        driver.tick(1);
        ann.closed(LeaveReason.DISCONNECTED);
        ann.resume(2, null);
        driver.doWork();
        ann.say(3, "three");
        driver.tick(1);

        assertEquals(List.of("message p1 one"), callsStartingWith("message"));
        assertEquals(CloseCodes.PROTOCOL_ERROR, ann.link.closeCode);
        assertEquals(List.of("leave p1 DISCONNECTED"), callsStartingWith("leave"));
    }

    @Test
    void aNewerConnectionOfASeatedIdentityTakesTheSeatAndGetsWhatTheOldOneLeftUnacknowledged()
    {
        final TestClient ann = joined(1, ANN);
        final TestClient bob = joined(2, null);
        driver.tick(1);
        bob.say("x");
        driver.tick(1);
        final int bobLogBefore = bob.read().log.size();

        final TestClient annAgain = driver.join(3, JoinRequest.named("duel", "lobby", "ann-phone"), ANN);
        driver.tick(1);
        annAgain.read();

        assertEquals(Notice.CODE_REPLACED, ann.read().notices.get(0).code());
        assertEquals(CloseCodes.REPLACED, ann.link.closeCode);
        assertEquals(ann.welcome.playerId(), annAgain.welcome.playerId(), "same player");
        assertEquals(ann.welcome.entityId(), annAgain.welcome.entityId(), "same avatar");
        assertEquals(2, annAgain.welcome.presenceCount());
        assertEquals(List.of("welcome", "join 1", "join 2", "message echo 2 x"), annAgain.log.subList(0, 4),
            "presence list, then the message the old connection left unacknowledged");
        assertEquals(0, annAgain.snapshots.get(0)[4], "full snapshot");
        assertEquals(List.of("join p1", "join p2"), callsStartingWith("join"));
        assertEquals(List.of(), callsStartingWith("leave"));
        assertEquals(2, lobby.room.playerCount());
        assertTrue(bob.read().log.subList(bobLogBefore, bob.log.size()).stream()
            .noneMatch(line -> line.startsWith("join") || line.startsWith("leave")), "others see no change");
        assertEquals(1, driver.counters.seatsReplaced.get());

        annAgain.say("hi");
        annAgain.input(0, 1, 0);
        driver.tick(1);
        assertEquals(List.of("message p1 hi"), callsStartingWith("message p1"),
            "its messages are numbered from 1 again");
        assertEquals(List.of("input p1 1 dx=1 fire=0 view=0"), callsStartingWith("input"),
            "its inputs are numbered from 1 again");
    }

    @Test
    void aNewerConnectionTakesTheSeatOfADroppedPlayerOfItsIdentity()
    {
        final TestClient ann = joined(1, ANN);
        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(2);

        final TestClient annAgain = driver.join(2, JoinRequest.named("duel", "lobby", "ann"), ANN);
        driver.tick(GRACE_TICKS + 2);
        assertEquals(ann.welcome.entityId(), annAgain.read().welcome.entityId());
        assertEquals(List.of(), callsStartingWith("leave"), "the grace no longer runs");
        assertEquals(1, lobby.room.playerCount());
        assertEquals(0, ann.link.closeCount, "no notice to a connection that dropped");
    }

    @Test
    void aResumeWhileTheOldConnectionLooksAliveTakesTheSeatAndTellsTheOldOne()
    {
        final TestClient ann = joined(1, null);
        driver.tick(1);
        final RecordingLink oldLink = ann.link;

        ann.resume(2, null);
        driver.tick(1);
        assertNotNull(ann.read().welcome);
        assertEquals(1, oldLink.closeCount);
        assertEquals(CloseCodes.REPLACED, oldLink.closeCode);
        assertEquals(Notice.CODE_REPLACED, oldLink.frames.get(oldLink.frames.size() - 1)[1]);
        assertEquals(List.of(), callsStartingWith("leave"));

        oldLink.open = false;
        driver.publishClosed(oldLink, LeaveReason.DISCONNECTED);
        driver.tick(GRACE_TICKS + 2);
        assertEquals(List.of(), callsStartingWith("leave"), "the old connection's close does not touch the seat");
        assertEquals(0, driver.counters.seatsHeld.get());
    }

    @Test
    void aHeldSeatWhoseKeptStreamOverflowsTheBacklogEnds()
    {
        games.clear();
        driver = ShardDriver.pinnedRoom(ShardDriver.config(4).withResumeGraceNs(GRACE_TICKS * ShardDriver.PERIOD_NS),
            games, "duel", 4, "lobby");
        lobby = games.get("lobby");
        final TestClient ann = joined(1, null);
        final TestClient bob = joined(2, null);
        ann.acknowledge();
        bob.acknowledge();
        driver.tick(1);
        ann.closed(LeaveReason.DISCONNECTED);
        for (int i = 0; i < 5; i++)
        {
            bob.say("m" + i);
            driver.doWork();
            bob.acknowledge();
        }
        driver.tick(2);

        assertEquals(List.of("leave p1 DISCONNECTED"), callsStartingWith("leave"), "long before the grace ends");
        assertEquals(1, driver.counters.messageBacklogCloses.get());
        ann.resume(3, null);
        driver.tick(1);
        assertRefused(ann);
    }

    @Test
    void withResumeOffADroppedPlayerLeavesAtOnceAndWelcomesCarryNoToken()
    {
        games.clear();
        driver = ShardDriver.pinnedRoom(games, "duel", 4, "lobby");
        lobby = games.get("lobby");
        final TestClient ann = joined(1, null);
        assertNull(ann.welcome.resumeToken());
        ann.closed(LeaveReason.DISCONNECTED);
        driver.tick(1);
        assertEquals(List.of("leave p1 DISCONNECTED"), callsStartingWith("leave"));
    }

    private TestClient joined(final long sessionId, final Identity identity)
    {
        final TestClient client = driver.join(sessionId, JoinRequest.named("duel", "lobby", "p" + sessionId),
            identity);
        driver.tick(1);
        assertNotNull(client.read().welcome);
        return client;
    }

    private List<String> callsStartingWith(final String prefix)
    {
        return lobby.calls.stream().filter(call -> call.startsWith(prefix)).toList();
    }

    private static void assertRefused(final TestClient client)
    {
        client.read();
        assertNull(client.welcome);
        assertEquals(List.of(Notice.CODE_RESUME_REFUSED), client.notices.stream().map(Notice::code).toList());
        assertEquals(CloseCodes.RESUME_REFUSED, client.link.closeCode);
        client.notices.clear();
    }
}
